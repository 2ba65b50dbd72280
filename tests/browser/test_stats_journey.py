"""Transparency in the browser: a parent on a phone reads the statistics, the plan coverage and the annual
report; the charts come with their numbers; the pages pass axe and fit 360 px; the PDF is a real PDF."""

from __future__ import annotations

from playwright.sync_api import expect

from council.calendar import clock
from council.stats import figures
from tests.browser.axe import assert_accessible
from tests.browser.test_role_pages import too_small_targets


def test_a_parent_reads_the_figures_on_a_phone(live_server, page):
    year = clock.today().year
    totals = figures.totals(figures.Scope(year))
    page.goto(live_server + "/")
    page.get_by_role("link", name="统计").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(".figures dd").first).to_have_text(str(totals.raised))
    assert page.locator("svg[role=img]").count() == 4
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert too_small_targets(page) == []

    # The numbers behind a chart, for anyone who cannot see it.
    table_toggle = page.locator("#chart-tier summary")
    table_toggle.click()
    expect(page.locator("#chart-tier table")).to_be_visible()

    # Filter by a year: the form is a plain GET.
    page.get_by_role("button", name="显示").click()
    expect(page).to_have_url(f"{live_server}/stats?year={year}&council=")

    page.goto(live_server + "/plan/coverage")
    expect(page.locator("table.coverage tbody tr:not(.group)")).to_have_count(41)
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.goto(live_server + f"/report/{year}")
    expect(page.locator(".figures dd").first).to_have_text(str(totals.raised))
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    pdf = page.request.get(live_server + f"/report/{year}.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
