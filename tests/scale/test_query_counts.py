"""The main pages run the same number of SQL statements with a few ideas as with a thousand more: no query per
item shown (no N+1), whatever the page holds."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event, select

from council.extensions import db
from council.proposals.models import Proposal
from tests.accounts.test_views import DEMO_PASSWORD


@contextmanager
def counting():
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def queries_of(client, path: str) -> int:
    with counting() as statements:
        assert client.get(path).status_code == 200, path
    return len(statements)


def pages() -> list[str]:
    from council.councils.models import Council

    council = db.session.scalar(select(Proposal.current_council_id).where(Proposal.support_count > 0))
    district = db.session.scalar(select(Council.id).where(Council.parent_id.is_(None)))
    idea = db.session.scalar(select(Proposal.id).where(Proposal.support_count > 0).order_by(Proposal.id))
    return ["/", "/ideas/", "/ideas/?sort=supported", "/ideas/?q=公园", f"/ideas/{idea}", f"/councils/{council}",
            f"/councils/{district}", "/stats", "/plan/coverage", "/api/v1/proposals",
            "/api/v1/proposals?sort=supported"]


# The pages an adult works through, each with a list that grows with the district: who reads it. The facilitator's
# roster of children (/teacher) and their street council's members page (its choice of children) are written in the
# record as they are read (DESIGN §7.5): they grow with the children the scale seed adds under the street, as the
# administrator's list of accounts does.
ADULT_PAGES = {"unit_edu": ["/desk"], "coordinator": ["/routing", "/coordinator"],
               "facilitator": ["/facilitator", "/teacher", "/councils/{street}/members"], "admin": ["/admin"]}


def adult_queries(client, auth) -> dict[str, int]:
    from council.accounts.models import MembershipRole
    from council.accounts.operations import find_account

    street = find_account("facilitator").councils_as(MembershipRole.facilitator)[0].id
    counts = {}
    for username, paths in ADULT_PAGES.items():
        auth.login(username, DEMO_PASSWORD)
        counts |= {path: queries_of(client, path.format(street=street)) for path in paths}
        auth.logout()
    return counts


def test_page_queries_do_not_grow_with_the_ideas_shown(app, demo, client, runner, auth):
    from council.tasks.queries import routing_queue

    before = {path: queries_of(client, path) for path in pages()}
    adults_before = adult_queries(client, auth)

    result = runner.invoke(args=["seed", "--demo", "--scale", "1"])  # a thousand ideas, ten thousand supports
    assert result.exit_code == 0, result.output

    after = {path: queries_of(client, path) for path in before}
    assert after == before
    assert adult_queries(client, auth) == adults_before
    from council.accounts.operations import find_account

    coordinator = find_account("coordinator")
    last = routing_queue(coordinator).pages
    queue = [p for page in range(1, last + 1) for p in routing_queue(coordinator, page).items]  # every page
    assert sum(p.state is p.state.reopened for p in queue) >= 5  # the routing page did have more to show


def test_the_list_page_runs_two_statements_once_its_count_is_kept(app, demo, client):
    from council.extensions import cache

    cache.init_app(app, config={"CACHE_TYPE": "SimpleCache"})
    try:
        client.get("/ideas/")  # counts the ideas, reads the filter choices: kept for a minute
        assert queries_of(client, "/ideas/") == 2  # the cards, then the authors of all of them
    finally:
        cache.clear()
        cache.init_app(app, config={"CACHE_TYPE": "NullCache", "CACHE_NO_NULL_WARNING": True})


# Pages that list the plan's tasks or targets, and who reads them.
PLAN_PAGES = {None: ["/plan/", "/plan/indicators", "/plan/coverage", "/stats"],
              "coordinator": ["/coordinator/indicators"], "unit_edu": ["/desk/indicators"]}


def plan_page_queries(client, auth) -> dict[str, int]:
    counts = {}
    for username, paths in PLAN_PAGES.items():
        if username:
            auth.login(username, DEMO_PASSWORD)
        counts |= {path: queries_of(client, path) for path in paths}
        if username:
            auth.logout()
    return counts


def test_plan_pages_run_as_many_statements_for_four_tasks_as_for_forty_one(app, demo, client, auth):
    """No statement per task, target or report: the same pages on the seed's plan and on a new version holding four
    of its tasks with targets (among them tasks the education bureau leads, so its desk lists targets too)."""
    from council.plan.files import plan_document, tasks_of
    from council.plan.operations import apply_document, with_details
    from council.plan.queries import current_plan

    full = plan_page_queries(client, auth)
    document = plan_document(current_plan())
    kept = [task for _area, _action, task in tasks_of(document) if task["targets"]]
    kept = [t for t in kept if "区教育和体育局" in t["lead_units"]][:2] + [t for t in kept
                                                                     if "区教育和体育局" not in t["lead_units"]][:2]
    assert len(kept) == 4
    for area in document["areas"]:
        for action in area["actions"]:
            action["tasks"] = [task for task in action["tasks"] if task in kept]
        area["actions"] = [action for action in area["actions"] if action["tasks"]]
    document["areas"] = [area for area in document["areas"] if area["actions"]]
    apply_document(with_details(document, title="四项任务的计划", issued_on="2026-12-01"), actor=None)
    db.session.commit()
    assert sum(len(action["tasks"]) for area in document["areas"] for action in area["actions"]) == 4
    assert plan_page_queries(client, auth) == full
