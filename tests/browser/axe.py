"""axe-core (shipped inside the axe-playwright-python wheel) run against the page the browser shows."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError

_axe = Axe()
SERIOUS = {"serious", "critical"}
# What the browser says when a click's navigation replaces the document while axe reads it.
NAVIGATING = ("documentElement", "Execution context was destroyed", "navigation", "Target closed")


def serious_violations(page) -> list[str]:
    """axe's serious findings on the page once it has loaded; a navigation that starts under axe is waited out."""
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            results = _axe.run(page, options={"runOnly": {"type": "tag", "values": [
                "wcag2a", "wcag2aa", "wcag21aa", "best-practice"]}})
            break
        except PlaywrightError as error:
            if attempt == 2 or not any(word in str(error) for word in NAVIGATING):
                raise
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def assert_accessible(page) -> None:
    found = serious_violations(page)
    assert found == [], f"axe on {page.url}:\n" + "\n".join(found)
