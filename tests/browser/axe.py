"""axe-core (shipped inside the axe-playwright-python wheel) run against the page the browser shows."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()
SERIOUS = {"serious", "critical"}


def serious_violations(page) -> list[str]:
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa",
                                                                               "best-practice"]}})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def assert_accessible(page) -> None:
    found = serious_violations(page)
    assert found == [], f"axe on {page.url}:\n" + "\n".join(found)
