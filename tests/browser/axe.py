"""axe-core (shipped inside the axe-playwright-python wheel) run against the page the browser shows.

axe takes most of a journey's time (about 0.8 s a page, most of it the colour-contrast rule), and the journeys
meet the same page again and again: the same home page, the same wizard step, the same ballot for another child.
So each worker checks a page's *structure* once: the elements in order with their roles, classes, types, labels
and alternative texts (``STRUCTURE``), whether each has text, and the window's width. What axe judges — names,
labels, landmarks, headings, contrast of a class on its background, sizes at a width — comes from that structure;
the words themselves (a title, a nickname) do not change its findings. A page whose structure was already found
clean in this worker is not checked again; any new element, class, label or width is."""

from __future__ import annotations

import hashlib

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError

_axe = Axe()
SERIOUS = {"serious", "critical"}
OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"]},
           "resultTypes": ["violations"]}
# What the browser says when a click's navigation replaces the document while axe reads it.
NAVIGATING = ("documentElement", "Execution context was destroyed", "navigation", "Target closed")
# Attributes whose values shape axe's findings; other attributes count by name only (an id's digits are not
# structure, but two elements with one id are, so ids count with their digits folded).
STRUCTURE = """() => {
  const valued = new Set(['class', 'role', 'type', 'lang', 'dir', 'hidden', 'disabled', 'tabindex', 'scope',
    'aria-hidden', 'aria-expanded', 'aria-pressed', 'aria-current', 'aria-live', 'open', 'alt', 'aria-label',
    'title', 'for', 'aria-labelledby', 'aria-describedby', 'headers', 'autocomplete']);
  const parts = [String(window.innerWidth)];
  const walk = (el) => {
    const attrs = [...el.attributes].map(a => valued.has(a.name) ? a.name + '=' + a.value.replace(/\\d+/g, 'N')
      : a.name === 'id' ? 'id=' + a.value.replace(/\\d+/g, 'N') : a.name).sort().join(',');
    const text = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) ? 'T' : '';
    parts.push(el.tagName + '[' + attrs + ']' + text);
    for (const child of el.children) walk(child);
    parts.push('/');
  };
  walk(document.documentElement);
  return parts.join(';');
}"""
_clean: set[str] = set()  # structures found without a serious violation in this worker


def structure_of(page) -> str:
    return hashlib.sha256(page.evaluate(STRUCTURE).encode()).hexdigest()


def serious_violations(page) -> list[str]:
    """axe's serious findings on the page once it has loaded; a navigation that starts under axe is waited out."""
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            results = _axe.run(page, options=OPTIONS)
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
    page.wait_for_load_state("load")
    try:
        shape = structure_of(page)
    except PlaywrightError:  # the page moved on while it was read: check it the long way
        shape = None
    if shape is not None and shape in _clean:
        return
    found = serious_violations(page)
    assert found == [], f"axe on {page.url}:\n" + "\n".join(found)
    if shape is not None:
        _clean.add(shape)
