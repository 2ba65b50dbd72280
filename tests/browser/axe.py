"""axe-core (shipped inside the axe-playwright-python wheel) run against the page the browser shows.

axe takes most of a journey's time (about 0.8 s a page, most of it the colour-contrast rule), and the journeys
meet the same page again and again: the same home page, the same wizard step, the same ballot for another child.
So each worker checks a page's *structure* once: the elements in order with their roles, classes, types, labels
and alternative texts (``STRUCTURE``), whether each has text, and the window's width. What axe judges — names,
labels, landmarks, headings, contrast of a class on its background, sizes at a width — comes from that structure;
the words themselves (a title, a nickname) do not change its findings. A page whose structure was already found
clean in this worker is not checked again; any new element, class, label or width is.

Repeated rows are folded. Among an element's children, a child whose structure two earlier siblings already have
(the third of 20 idea cards, the 945 rows of an import's preview) is left out of the page's structure and, for the
length of axe's run, out of the page. It has the same elements, classes, labels and roles as the two that are
checked, so axe would judge it the same; two are kept because the style sheets style "an item after an item"
(`li + li`). A page with 20 cards and one with 3 then have one structure, and axe reads 945 rows as two (4.7 s ->
0.3 s on 2,000 rows). The rows are put back where they were before anything else happens: the same nodes, with
what was typed or chosen in them, and the page scrolled where it was. A row holding the focused element stays in; a
list the page's own script redraws meanwhile keeps what the script drew.
What folding could hide is checked on the whole page: ids named by a label or ARIA that several elements carry, and
regions that scroll only with every row in them (then axe reads the whole page)."""

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
# structure, but two elements with one id are, so ids count with their digits folded). A subtree's structure is
# kept as a number (its first appearance), so a parent's structure stays short on a page of 10,000 elements.
FOLD = """() => {
  const valued = new Set(['class', 'role', 'type', 'lang', 'dir', 'hidden', 'disabled', 'tabindex', 'scope',
    'aria-hidden', 'aria-expanded', 'aria-pressed', 'aria-current', 'aria-live', 'open', 'alt', 'aria-label',
    'title', 'for', 'aria-labelledby', 'aria-describedby', 'headers', 'autocomplete']);
  const ids = new Map();
  const folded = [];
  const walk = (el) => {
    const attrs = [...el.attributes].map(a => valued.has(a.name) ? a.name + '=' + a.value.replace(/\\d+/g, 'N')
      : a.name === 'id' ? 'id=' + a.value.replace(/\\d+/g, 'N') : a.name).sort().join(',');
    const text = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) ? 'T' : '';
    const seen = new Map();
    const kept = [];
    let fold = false;
    for (const child of el.children) {
      const shape = walk(child);
      const times = (seen.get(shape) || 0) + 1;
      seen.set(shape, times);
      if (times > 2) { folded.push(child); fold = true; } else kept.push(shape);
    }
    const shape = el.tagName + '[' + attrs + ']' + text + '(' + kept.join(',') + (fold ? ',+' : '') + ')';
    if (!ids.has(shape)) ids.set(shape, ids.size);
    return ids.get(shape);
  };
  const root = walk(document.documentElement);
  const shapes = [...ids.keys()];
  return {folded, shape: window.innerWidth + ';' + root + ';' + shapes.join(';')};
}"""
STRUCTURE = "() => (" + FOLD + ")().shape"
# axe over the page without its folded rows, which are put back afterwards (fold false: the whole page). Regions
# that scroll (axe's scrollable-region-focusable) are compared with and without the rows; if folding changed them,
# the whole page.
RUN = """async ([options, fold]) => {
  const scrolling = () => [...document.querySelectorAll('body *')].filter(el => {
    const style = getComputedStyle(el);
    return (/auto|scroll/.test(style.overflowX) && el.scrollWidth > el.clientWidth)
      || (/auto|scroll/.test(style.overflowY) && el.scrollHeight > el.clientHeight);
  });
  const active = document.activeElement;
  const places = (fold ? (FOLD)().folded : []).filter(el => !el.contains(active))
    .map(el => [el, el.parentNode, el.nextSibling]);
  const before = places.length ? scrolling() : [];
  const x = window.scrollX, y = window.scrollY;
  // A page's own script may redraw a list while its rows are out (the projector's screen polls every second):
  // such a list keeps what the script drew, and its old rows stay out.
  const redrawn = new Set();
  const watch = new MutationObserver(records => records.forEach(r => redrawn.add(r.target)));
  const putBack = () => {
    watch.disconnect();
    watch.takeRecords().forEach(r => redrawn.add(r.target));
    for (const [el, parent, next] of places.splice(0).reverse())
      if (!redrawn.has(parent) && parent.isConnected && (next === null || next.parentNode === parent))
        parent.insertBefore(el, next);
    window.scrollTo(x, y);
  };
  for (const [el] of places) el.remove();
  watch.observe(document, {childList: true, subtree: true});
  try {
    const after = places.length ? scrolling() : [];
    if (after.length !== before.length || after.some((el, i) => el !== before[i])) putBack();
    // Only what _serious reads comes back: axe's whole answer (every rule passed or not applicable, with its texts
    // and a node each) was serialised by the page, the driver and Python for nothing, a tenth of a journey's CPU.
    const results = await axe.run(document, options);
    return {violations: results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                                      nodes: v.nodes.map(n => ({target: n.target}))}))};
  } finally {
    putBack();
  }
}""".replace("(FOLD)", "(" + FOLD + ")")
# ids that a label or ARIA names must be unique in the whole document (axe's duplicate-id-aria, critical), the
# folded rows included.
SHARED_IDS = """() => {
  const named = new Set();
  for (const el of document.querySelectorAll('[aria-labelledby], [aria-describedby], [aria-controls], [for]'))
    for (const name of ['aria-labelledby', 'aria-describedby', 'aria-controls', 'for'])
      for (const id of (el.getAttribute(name) || '').split(/\\s+/)) if (id) named.add(id);
  return [...named].filter(id => document.querySelectorAll('[id="' + CSS.escape(id) + '"]').length > 1);
}"""
_clean: set[str] = set()  # structures found without a serious violation in this worker
# axe's script, as the journeys' servers answer it (tests/browser/conftest.py ``_serve``), and the origins they serve
SCRIPT_PATH = "/__axe-core.js"
SCRIPT = _axe.axe_script.encode()
SERVING: set[str] = set()


def load_axe(page) -> None:
    """axe's script into the page. On a journey's server it is loaded as a script of the page's own origin (allowed
    by the pages' Content-Security-Policy, ``script-src 'self'``) and then taken out of the document again: the
    browser keeps its compiled code for the context, so every later page of the same person pays about half
    (92 -> 48 ms a page on this machine). Elsewhere (a page made from a string) its text is evaluated."""
    origin = "/".join(page.url.split("/")[:3])
    if origin in SERVING:
        page.add_script_tag(url=origin + SCRIPT_PATH).evaluate("script => script.remove()")
    else:
        page.evaluate(_axe.axe_script)


def structure_of(page) -> str:
    return hashlib.sha256(page.evaluate(STRUCTURE).encode()).hexdigest()


def serious_violations(page) -> list[str]:
    """axe's serious findings on the page once it has loaded; a navigation that starts under axe is waited out.
    When the page with its rows folded has any, axe reads the whole page again to name them where they are."""
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            load_axe(page)
            found = _serious(page.evaluate(RUN, [OPTIONS, True]))
            if found:
                found = _serious(page.evaluate(RUN, [OPTIONS, False]))
            shared = page.evaluate(SHARED_IDS)
            break
        except PlaywrightError as error:
            if attempt == 2 or not any(word in str(error) for word in NAVIGATING):
                raise
    return found + [f"duplicate-id-aria (critical): the id {id!r}, named by a label or ARIA, is on several elements"
                    for id in shared]


def _serious(results: dict) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results["violations"] if v["impact"] in SERIOUS]


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
