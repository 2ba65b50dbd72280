"""The accessibility check itself (tests/browser/axe.py): repeated rows are read as two, and nothing they could hide
goes unseen; the page is left as it was found."""

import pytest

from tests.browser.axe import OPTIONS, RUN, SCRIPT_PATH, _axe, load_axe, serious_violations, structure_of


@pytest.fixture
def page(browser):
    page = browser.new_page()
    yield page
    page.close()


def html(body: str) -> str:
    return ('<!doctype html><html lang="en"><head><title>Rows</title></head>'
            f'<body><main><h1>Rows</h1>{body}</main></body></html>')


def table(rows: int, without_alt: tuple[int, ...] = (), kind: str = "row") -> str:
    cells = "".join(f'<tr class="{kind}"><td>{i}</td><td><img src="data:," {"" if i in without_alt else "alt=r"}>'
                    f'</td></tr>' for i in range(rows))
    return html(f"<table><tr><th>n</th><th>picture</th></tr>{cells}</table>")


def test_a_row_unlike_its_neighbours_is_read_however_many_rows_come_before_it(page):
    page.set_content(table(200, without_alt=(198,)))
    found = serious_violations(page)
    assert len(found) == 1 and found[0].startswith("image-alt (critical)")
    assert ":nth-child(200) > td:nth-child(2) > img" in found[0]  # row 198, after the header row


def test_identical_rows_are_read_as_two(page):
    page.set_content(table(50, without_alt=tuple(range(50))))
    page.evaluate(_axe.axe_script)
    violations = page.evaluate(RUN, [OPTIONS, True])["violations"]
    assert [(v["id"], len(v["nodes"])) for v in violations] == [("image-alt", 2)]
    assert page.locator("tr.row").count() == 50


def test_pages_that_differ_only_in_how_many_rows_they_show_have_one_structure(page):
    shapes = []
    for body in (table(3), table(50), table(50, without_alt=(30,)), table(50, kind="other")):
        page.set_content(body)
        shapes.append(structure_of(page))
    assert shapes[0] == shapes[1]
    assert len({shapes[1], shapes[2], shapes[3]}) == 3


def test_an_id_named_by_labels_in_folded_rows_and_carried_twice_is_found(page):
    rows = "".join(f'<p><label for="n{i % 3}">Name</label><input id="n{i % 3}"></p>' for i in range(6))
    page.set_content(html(rows))
    found = serious_violations(page)
    assert any("duplicate-id-aria" in problem and "'n0'" in problem for problem in found), found


def test_a_region_that_scrolls_only_with_all_its_rows_is_still_read(page):
    rows = "".join(f"<p>Line {i}</p>" for i in range(100))
    page.set_content(html(f'<div style="height: 120px; overflow: auto">{rows}</div>'))
    found = serious_violations(page)
    assert any(problem.startswith("scrollable-region-focusable") for problem in found), found


def test_the_page_is_left_as_it_was_found(page):
    rows = "".join(f'<p><label for="f{i}">Field {i}</label><input id="f{i}"></p>' for i in range(40))
    page.set_content(html(rows + '<div style="height: 3000px"></div>'))
    page.fill("#f20", "typed before the check")
    page.focus("#f30")
    page.evaluate("window.scrollTo(0, 700)")
    before = page.content()
    assert serious_violations(page) == []
    assert page.content() == before
    assert page.input_value("#f20") == "typed before the check"
    assert page.evaluate("document.activeElement.id") == "f30"
    assert page.evaluate("window.scrollY") == 700
    assert page.evaluate("[...document.querySelectorAll('input')].map(i => i.id).join()") == ",".join(
        f"f{i}" for i in range(40))


def test_a_list_the_page_redraws_during_the_check_keeps_what_the_page_drew(page):
    rows = "".join(f"<li>Old {i}</li>" for i in range(10))
    page.set_content(html(f'<ul id="tally">{rows}</ul>'))
    # the page's own script redraws the list while axe reads it, as the projector's screen does every second
    page.evaluate("""() => { const list = document.getElementById('tally');
      new MutationObserver((records, observer) => { observer.disconnect();
        list.textContent = ''; for (let i = 0; i < 4; i++) { const li = document.createElement('li');
          li.textContent = 'New ' + i; list.appendChild(li); } }).observe(list, {childList: true}); }""")
    assert serious_violations(page) == []
    assert page.locator("#tally li").all_inner_texts() == ["New 0", "New 1", "New 2", "New 3"]


def test_on_a_journeys_server_axe_comes_as_a_script_of_the_page_and_leaves_no_trace(page, empty_live_server):
    page.goto(empty_live_server + "/login")
    before = page.content()
    loads = []
    page.on("request", lambda request: loads.append(request.url) if request.url.endswith(SCRIPT_PATH) else None)
    load_axe(page)
    assert loads == [empty_live_server + SCRIPT_PATH]
    assert page.evaluate("typeof axe.run") == "function"
    assert page.content() == before
    # and it finds what it should there: an image without a text alternative
    page.evaluate("document.querySelector('main').append("
                  "Object.assign(document.createElement('img'), {src: 'data:,'}))")
    assert [problem for problem in serious_violations(page) if problem.startswith("image-alt (critical)")]
