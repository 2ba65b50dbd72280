"""The statistics page, plan coverage, the annual report (page and PDF) and the downloads, on the demo data."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from council.calendar import clock
from council.extensions import db
from council.proposals.models import PUBLIC_STATES, Proposal
from council.stats import figures
from tests.accounts.test_views import DEMO_PASSWORD


@pytest.fixture
def year(app):
    return clock.today().year


def test_statistics_page_shows_the_years_figures(client, demo, year):
    scope = figures.Scope(year)
    totals = figures.totals(scope)
    raised = db.session.scalar(select(func.count(Proposal.id)).where(
        Proposal.submitted_at.is_not(None), Proposal.submitted_at >= scope.start))
    assert totals.raised == raised > 0
    html = client.get(f"/stats?year={year}").get_data(as_text=True)
    assert f"<dd>{totals.raised}</dd>" in html
    assert f"<dd>{totals.adopted}</dd>" in html
    assert html.count('role="img"') == 4  # four charts, each an SVG image with a title and a summary
    assert "<table" in html


def test_a_council_filter_counts_its_subtree_only(client, demo, year):
    from council.councils.models import Council

    school = db.session.scalar(select(Council).where(Council.code == "dajie-demo-school"))
    whole = figures.totals(figures.Scope(year))
    part = figures.totals(figures.Scope(year, school))
    assert 0 < part.raised < whole.raised
    assert f"<dd>{part.raised}</dd>" in client.get(f"/stats?year={year}&council={school.id}").get_data(as_text=True)


def test_nonsense_filters_fall_back_to_this_year(client, demo, year):
    response = client.get("/stats?year=abc&council=999999")
    assert response.status_code == 200
    assert str(year) in response.get_data(as_text=True)


def test_coverage_lists_all_41_tasks_with_links_to_their_ideas(client, demo):
    rows = figures.coverage()
    assert len(rows) == 41
    tagged = db.session.scalar(select(func.count(Proposal.id)).where(
        Proposal.plan_task_id.is_not(None), Proposal.state.in_(list(PUBLIC_STATES))))
    assert sum(row.ideas for row in rows) == tagged > 0
    html = client.get("/plan/coverage").get_data(as_text=True)
    touched = next(row for row in rows if row.ideas)
    assert f"/ideas/?task={touched.task.no}" in html


def test_annual_report_pdf_shows_the_same_figures_as_the_page(client, demo, year):
    chinese = client.get(f"/report/{year}.pdf")
    assert chinese.status_code == 200 and chinese.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(chinese.data))
    assert "年度报告" in reader.pages[0].extract_text()
    # The Chinese font travels inside the file, as a subset, so it prints the same on any machine.
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    embedded = [f for f in fonts for d in f.get("/DescendantFonts", [f]) if "/FontFile2" in
                d.get_object().get("/FontDescriptor", {})]
    assert embedded and all("+" in str(f["/BaseFont"]) for f in embedded)  # AAAAAA+Name: a subset
    client.get("/lang/en")
    page = client.get(f"/report/{year}").get_data(as_text=True)
    response = client.get(f"/report/{year}.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    totals = figures.totals(figures.Scope(year))
    assert f"<dd>{totals.raised}</dd>" in page
    assert "annual report" in text.lower()
    lines = text.splitlines()
    for label, value in (("Ideas raised", totals.raised), ("Public ideas", totals.public),
                         ("Adopted by a council", totals.adopted), ("Answered", totals.answered)):
        assert lines[lines.index(label) + 1] == str(value), label  # the table row: label, then its figure
    answered = figures.answered_ideas(figures.Scope(year), limit=8)
    for idea in answered:
        assert idea.title in text and idea.title in page


def test_report_for_a_year_out_of_range_is_not_found(client, demo, year):
    assert client.get(f"/report/{year + 1}").status_code == 404
    assert client.get("/report/1999.pdf").status_code == 404


def test_open_data_csv_has_every_public_idea_and_no_private_ones(client, demo):
    response = client.get("/open-data/ideas.csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    public = db.session.scalar(select(func.count(Proposal.id)).where(Proposal.state.in_(list(PUBLIC_STATES))))
    assert len(rows) - 1 == public
    ids = {int(row[0]) for row in rows[1:]}
    private = db.session.scalars(select(Proposal.id).where(Proposal.state.not_in(list(PUBLIC_STATES)))).all()
    assert not ids & set(private)


def test_coordinator_downloads_ideas_tasks_and_units(client, auth, demo, year):
    auth.login("coordinator", DEMO_PASSWORD)
    for dataset in ("ideas", "tasks", "units"):
        response = client.get(f"/stats/export/{dataset}.xlsx?year={year}")
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.data)).active
        assert sheet.max_row >= 2, dataset
        csv_response = client.get(f"/stats/export/{dataset}.csv?year={year}")
        assert csv_response.data.startswith("\ufeff".encode())
    assert client.get("/stats/export/secrets.csv").status_code == 404


def test_others_may_not_download_the_office_tables(client, auth, demo):
    auth.login("facilitator", DEMO_PASSWORD)
    assert client.get("/stats/export/ideas.csv").status_code == 403


def test_home_page_shows_this_years_figures_and_the_newest_answers(client, demo, year):
    totals = figures.totals(figures.Scope(year))
    html = client.get("/").get_data(as_text=True)
    assert f"<dd>{totals.raised}</dd>" in html
    newest = figures.answered_ideas(limit=4)
    assert newest and all(idea.title in html for idea in newest)


def test_a_repeat_visit_with_the_etag_gets_304_and_no_body(client, demo):
    for path in ("/stats", "/api/v1/proposals", "/ideas/"):
        first = client.get(path)
        assert first.headers["ETag"] and first.headers["Last-Modified"]
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""
        other = client.get(path, headers={"If-None-Match": '"something-else"'})
        assert other.status_code == 200 and other.data == first.data


def test_a_change_gives_a_new_etag(client, demo):
    from council.proposals.models import Proposal

    first = client.get("/api/v1/proposals")
    proposal = db.session.scalar(select(Proposal).where(Proposal.state.in_(list(PUBLIC_STATES))))
    proposal.support_count += 1  # a support: counted without an event, still seen by the ETag
    db.session.commit()
    again = client.get("/api/v1/proposals", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200


def test_signed_in_pages_are_private_to_caches(client, auth, demo):
    auth.login("coordinator", DEMO_PASSWORD)
    assert "private" in client.get("/stats").headers["Cache-Control"]


def test_numbers_too_large_for_an_id_are_no_number_at_all(client, demo):
    huge = "9223372036854775808"
    assert client.get(f"/ideas/{huge}").status_code == 404
    assert client.get(f"/api/v1/proposals/{huge}").status_code == 404
    assert client.get(f"/api/v1/proposals?council={huge}&page={huge}").status_code == 200
    assert client.get(f"/stats?council={huge}").status_code == 200


def test_campaign_participation_counts_works_children_and_votes(client, demo, year):
    from council.campaigns.models import Campaign, CampaignVote, Entry, Phase

    campaigns = db.session.scalars(select(Campaign).where(Campaign.phase != Phase.draft)).all()
    in_year = [c.id for c in campaigns if c.reviewing_from.year == year]
    figures_now = figures.campaign_participation(figures.Scope(year))
    assert in_year  # the demo's two campaigns close seven weeks ago and in two weeks: one is always this year
    entries = db.session.scalars(select(Entry).where(Entry.campaign_id.in_(in_year))).all()
    votes = db.session.scalar(select(func.count(CampaignVote.id)).where(CampaignVote.campaign_id.in_(in_year)))
    assert (figures_now.campaigns, figures_now.entries, figures_now.children, figures_now.votes) == (
        len(in_year), len(entries), len({e.author_id for e in entries}), votes)
    assert f"<dd>{figures_now.entries}</dd>" in client.get(f"/stats?year={year}").get_data(as_text=True)


def test_every_chart_adds_up_to_the_ideas_raised_and_matches_a_direct_count(demo, year):
    from council.councils.models import Council, Tier

    scope = figures.Scope(year)
    data = figures.cube(scope)
    raised = data.totals().raised
    for rows in (figures.by_tier(data), figures.by_area(data), figures.by_month(data)):
        assert sum(row.value for row in rows) == raised
    for row in figures.by_tier(data):
        direct = db.session.scalar(select(func.count(Proposal.id)).join(Council, Council.id == Proposal.council_id)
                                   .where(Council.tier == Tier(row.key), *scope.conditions()))
        assert row.value == direct, row.key
    top = figures.by_council(data)[0]
    assert top.value == db.session.scalar(select(func.count(Proposal.id)).where(
        Proposal.council_id == int(top.key), *scope.conditions()))
    for (start, end), row in zip(scope.month_bounds(), figures.by_month(data), strict=True):
        assert row.value == db.session.scalar(select(func.count(Proposal.id)).where(
            Proposal.submitted_at >= start, Proposal.submitted_at < end)), row.key
    town = db.session.get(Council, int(top.key)).parent  # a council's subtree: its months add up to its ideas
    within = figures.cube(figures.Scope(year, town))
    assert sum(row.value for row in figures.by_month(within)) == within.totals().raised == db.session.scalar(
        select(func.count(Proposal.id)).where(*figures.Scope(year, town).conditions())) > 0
