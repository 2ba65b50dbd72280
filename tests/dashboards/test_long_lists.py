"""Lists of accounts that grow with the district show their first hundred, say how many there are, and find any
of the others by search: the administrator's accounts (tens of thousands of children in a district) and the
children a teacher, a street's facilitator or the administrator reaches, whose viewing is written in the record for
the children shown."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from council.accounts.models import Account, AccountKind, ChildProfile
from council.accounts.operations import ACCOUNTS_SHOWN
from council.audit.models import Event
from council.extensions import db
from tests.accounts.test_views import DEMO_PASSWORD


def rows(page: str) -> list[str]:
    return re.findall(r"<tr><td>(.*?)</td>", page.split("<tbody>")[1])


def a_big_district(runner) -> None:
    result = runner.invoke(args=["seed", "--demo", "--scale", "1"])  # 500 more children under the streets
    assert result.exit_code == 0, result.output


def test_the_admins_accounts_show_a_hundred_and_search_finds_any_other(app, demo, runner, client, auth):
    a_big_district(runner)
    client.set_cookie("lang", "en")
    total = db.session.scalar(select(func.count(Account.id)))
    auth.login("admin", DEMO_PASSWORD)
    page = client.get("/admin").get_data(as_text=True)
    assert len(rows(page)) == ACCOUNTS_SHOWN < total
    assert f"Showing the first {ACCOUNTS_SHOWN} of {total} accounts" in page
    last = db.session.scalar(select(Account.username).order_by(Account.kind.desc(), Account.username.desc()))
    assert last not in rows(page)
    found = client.get(f"/admin?q={last.upper()}").get_data(as_text=True)  # any case
    assert rows(found) == [last] and "Showing the first" not in found
    assert rows(client.get("/admin?q=%25").get_data(as_text=True)) == []  # a % typed is a %, not "anything"


def test_the_children_in_reach_show_a_hundred_and_only_those_shown_are_recorded(app, demo, runner, client, auth):
    a_big_district(runner)
    client.set_cookie("lang", "en")
    auth.login("admin", DEMO_PASSWORD)  # who reaches every child of the district
    before = db.session.scalar(select(func.max(Event.id)))
    page = client.get("/teacher").get_data(as_text=True)
    shown = rows(page)
    assert len(shown) == ACCOUNTS_SHOWN
    total = int(re.search(r"Showing the first 100 of (\d+) children", page).group(1))
    assert total > ACCOUNTS_SHOWN
    recorded = db.session.scalars(select(Event.subject_id).where(Event.id > before,
                                                                  Event.action == "child_data_viewed")).all()
    assert len(recorded) == ACCOUNTS_SHOWN  # each child shown, and no other
    assert {db.session.get(Account, i).display_name for i in recorded} == set(shown)

    child = db.session.scalars(select(Account).join(ChildProfile, ChildProfile.account_id == Account.id)
                               .where(Account.kind == AccountKind.child, Account.id.not_in(recorded))
                               .order_by(Account.id.desc())).first()
    real_name = child.child_profile.real_name
    found = client.get(f"/teacher?q={real_name}").get_data(as_text=True)
    assert child.display_name in rows(found) and real_name in found
    assert "No child matches your search." in client.get("/teacher?q=nobody-is-called-this").get_data(as_text=True)


def cards(page: str) -> list[str]:
    return re.findall(r'<li class="idea-card">\s*<h2><a href="([^"]+)"', page)


def test_the_offices_work_lists_go_page_by_page(app, demo, runner, client, auth):
    """The screening queue and the routing queue show LIST_PER_PAGE ideas a page, oldest first, with the whole
    count; every idea is on exactly one page, and a page past the end shows the last."""
    from council.accounts.operations import find_account
    from council.proposals.queries import waiting_count
    from council.tasks.queries import routing_count

    a_big_district(runner)
    client.set_cookie("lang", "en")
    auth.login("coordinator", DEMO_PASSWORD)
    per_page = app.config["LIST_PER_PAGE"]
    coordinator = find_account("coordinator")
    for path, total, summary in (("/moderation", waiting_count(coordinator), "ideas to check"),
                                 ("/routing", routing_count(coordinator), "ideas to send to units")):
        assert total > per_page, path
        pages = -(-total // per_page)
        first = client.get(path).get_data(as_text=True)
        assert len(cards(first)) == per_page and f"Page 1 of {pages} · {total} {summary}" in first
        every = [link for page in range(1, pages + 1)
                 for link in cards(client.get(f"{path}?page={page}").get_data(as_text=True))]
        assert len(every) == len(set(every)) == total, path
        assert cards(client.get(f"{path}?page={pages + 5}").get_data(as_text=True)) == every[-(total % per_page
                                                                                              or per_page):]


def test_a_units_public_page_lists_its_years_ideas_page_by_page(app, demo, runner, client, monkeypatch):
    """A unit's public page (/units/<id>) lists the ideas sent to it this year a page at a time; every public one
    is on exactly one page (as often as it has tasks there), and no hidden or private one on any."""
    from collections import Counter

    from council.calendar import clock
    from council.tasks import stats
    from council.tasks.models import Task
    from council.units.models import Unit

    a_big_district(runner)
    monkeypatch.setitem(app.config, "LIST_PER_PAGE", 5)
    busiest = db.session.execute(select(Task.unit_id, func.count()).group_by(Task.unit_id)
                                 .order_by(func.count().desc())).first()[0]
    unit = db.session.get(Unit, busiest)
    tasks = stats.unit_tasks(unit, clock.today().replace(month=1, day=1), clock.today())
    public = Counter(t.proposal_id for t in tasks if t.proposal.is_public)
    assert sum(public.values()) > 5 and len(public) < len(tasks) + 1
    client.set_cookie("lang", "en")
    first = client.get(f"/units/{unit.id}").get_data(as_text=True)
    pages = int(re.search(r"Page 1 of (\d+)", first).group(1))
    shown = Counter(int(i) for page in range(1, pages + 1) for i in re.findall(
        r'<th scope="row"><a href="/ideas/(\d+)">', client.get(f"/units/{unit.id}?page={page}").get_data(as_text=True)))
    assert shown == public


def test_a_councils_members_page_offers_a_hundred_children_and_takes_any_of_its_area(app, demo, runner, client,
                                                                                     auth):
    """Adding a member to the district council, the office is offered the first 100 children of the area (recorded
    as viewed: those, no other), finds others by nickname or class but never by real name, and may add any child
    of the area, also one the page did not offer."""
    from council.accounts.models import Membership
    from council.accounts.operations import find_children_of_area
    from council.councils.models import Council

    a_big_district(runner)
    client.set_cookie("lang", "en")
    district = db.session.scalar(select(Council).where(Council.parent_id.is_(None)))
    offered, total = find_children_of_area(district)
    assert len(offered) == ACCOUNTS_SHOWN < total
    auth.login("coordinator", DEMO_PASSWORD)
    before = db.session.scalar(select(func.max(Event.id)))
    page = client.get(f"/councils/{district.id}/members").get_data(as_text=True)
    assert f"Showing the first {ACCOUNTS_SHOWN} of {total} children" in page
    viewed = db.session.scalars(select(Event.subject_id).where(Event.id > before,
                                                               Event.action == "child_data_viewed")).all()
    assert sorted(viewed) == sorted(c.id for c in offered)
    later = db.session.scalars(select(Account).where(Account.kind == AccountKind.child, Account.active.is_(True),
                                                     Account.id.not_in([c.id for c in offered]))
                               .order_by(Account.id.desc())).first()
    assert "No child matches your search." in client.get(
        f"/councils/{district.id}/members?q={later.child_profile.real_name}").get_data(as_text=True)
    assert later.display_name in client.get(
        f"/councils/{district.id}/members?q={later.display_name}").get_data(as_text=True)
    answer = client.post(f"/councils/{district.id}/members", data={
        "child": later.id, "role": "member", "starts_on": "2026-09-01"})
    assert answer.status_code == 302
    assert db.session.scalar(select(func.count(Membership.id)).where(Membership.council_id == district.id,
                                                                     Membership.account_id == later.id)) == 1


def test_a_campaigns_entry_form_offers_the_first_children_and_a_search(app, demo, client, auth, monkeypatch):
    """An adult sending a child's work to a council's campaign open for entries chooses among the first eligible
    children in reach (the council's area only), with their count, and finds any other by search."""
    from council.accounts import operations as accounts
    from council.campaigns.models import Campaign, Phase
    from council.councils.models import Council

    monkeypatch.setattr(accounts, "ACCOUNTS_SHOWN", 5)  # the area of the demo campaign: a dozen children
    campaign = db.session.scalar(select(Campaign).where(Campaign.phase == Phase.open))
    area = db.session.scalars(select(Account).join(ChildProfile, ChildProfile.account_id == Account.id)
                              .join(Council, Council.id == ChildProfile.home_council_id)
                              .where(Council.path.startswith(campaign.council.path))).all()
    assert len(area) > 5
    client.set_cookie("lang", "en")
    auth.login("admin", DEMO_PASSWORD)
    page = client.get(f"/campaigns/{campaign.id}/enter").get_data(as_text=True)
    assert f"Showing the first 5 of {len(area)} children" in page
    offered = {int(i) for i in re.findall(r'<option value="(\d+)"', page)}
    assert len(offered) == 5 and offered <= {c.id for c in area}
    later = next(c for c in sorted(area, key=lambda c: -c.id) if c.id not in offered)
    found = client.get(f"/campaigns/{campaign.id}/enter?q={later.display_name}").get_data(as_text=True)
    assert f'<option value="{later.id}"' in found


def test_the_requests_for_more_time_go_page_by_page(app, demo, client, auth, monkeypatch):
    """The routing page's "units asking for more time" shows LIST_PER_PAGE requests a page, oldest first, under a
    pager of its own (``?more_time=``); each list's links keep the other's page, and every request is on exactly one
    page."""
    from datetime import timedelta
    from urllib.parse import parse_qs, urlsplit

    from council.tasks.models import ExtensionState, Task, TaskState

    for task in db.session.scalars(select(Task).where(Task.state.in_([TaskState.acknowledged, TaskState.in_progress]))):
        task.extension_state, task.extension_reason = ExtensionState.requested, "要等年度预算。"
        task.extension_until = task.reply_due + timedelta(days=30)
    db.session.commit()
    asking = db.session.scalars(select(Task.id).where(Task.extension_state == ExtensionState.requested)
                                .order_by(Task.id)).all()
    monkeypatch.setitem(app.config, "LIST_PER_PAGE", 2)
    assert len(asking) > 4
    pages = -(-len(asking) // 2)
    client.set_cookie("lang", "en")
    auth.login("coordinator", DEMO_PASSWORD)

    def requests_on(page: str) -> list[int]:
        section = page.split('id="ext"')[1]
        return [int(n) for n in re.findall(r'<h3><a href="/tasks/(\d+)"', section)]

    first = client.get("/routing").get_data(as_text=True)
    assert f"Page 1 of {pages} · {len(asking)} requests for more time" in first
    every = [n for page in range(1, pages + 1)
             for n in requests_on(client.get(f"/routing?more_time={page}").get_data(as_text=True))]
    assert every == asking
    past_the_end = client.get(f"/routing?more_time={pages + 3}").get_data(as_text=True)
    assert requests_on(past_the_end) == every[-(len(asking) % 2 or 2):]
    # Each pager keeps the other list's page in its links.
    second = client.get("/routing?page=2&more_time=2").get_data(as_text=True)
    links = [(parse_qs(split.query), split.fragment) for split in
             (urlsplit(href.replace("&amp;", "&")) for href in re.findall(r'href="(/routing\?[^"]+)"', second))]
    assert ({"page": ["2"], "more_time": ["3"]}, "ext") in links  # the requests' pager, the queue's page kept
    assert ({"page": ["2"], "more_time": ["1"]}, "ext") in links
    assert ({"page": ["1"], "more_time": ["2"]}, "") in links  # the queue's pager, the requests' page kept
