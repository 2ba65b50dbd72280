"""Each adult's home page says what waits for them, and every count is the number of rows of the list it links to
(issue 19 item 9): the facilitator's ideas to check, ideas sent again, help requests, reported items and sessions
being prepared; the unit's tasks due within three working days, overdue and come back; the office's ideas to route,
requests for more time and overdue tasks by unit."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from council.accounts.operations import find_account
from council.calendar import clock
from council.calendar.operations import add_workdays
from council.extensions import db
from council.proposals import operations as ideas
from council.proposals.models import ProposalState
from council.reports import operations as reports
from council.reports.models import FlagReason, HelpKind
from council.reports.targets import TARGETS
from council.sessions import operations as sessions
from council.tasks import operations as tasks
from council.tasks.models import Grade, RatingValue, Task
from council.units.models import Unit
from tests.accounts.test_views import DEMO_PASSWORD
from tests.scale.test_query_counts import queries_of

LINK = re.compile(r'<a href="([^"]+)">([^<]+)</a>')


def section(html: str, name: str) -> str:
    return html.split(f'aria-labelledby="{name}"', 1)[1].split("</section>", 1)[0]


def waiting(client) -> list[tuple[int, str, str]]:
    """The counts of the home page's "Waiting for you": (count, words, link)."""
    html = client.get(home(client)).get_data(as_text=True)
    found = [(int(re.match(r"\d+", words.strip()).group()), words.strip(), href.replace("&amp;", "&"))
             for href, words in LINK.findall(section(html, "waiting"))]
    assert found, html
    return found


HOMES = {}


def home(client) -> str:
    return HOMES[client]


def rows(client, href: str) -> int:
    """The rows of the list a count links to, as its reader sees them."""
    path, _, anchor = href.partition("#")
    response = client.get(path)
    assert response.status_code == 200, href
    main = response.get_data(as_text=True).split("<main", 1)[1]
    if path.startswith("/routing"):  # the queue, then the requests for more time (#ext)
        main = main.split('id="ext"', 1)[1] if anchor == "ext" else main.split('id="ext"', 1)[0]
        if anchor == "ext" and 'id="ext"' not in response.get_data(as_text=True):
            return 0
    if path.startswith("/supervision/"):
        return main.split("<tbody>", 1)[1].split("</tbody>", 1)[0].count("<tr>") if "<tbody>" in main else 0
    return main.count('class="idea-card')


@pytest.fixture
def signed_in(app, demo):
    app.config["DESK_PER_PAGE"] = 1000  # the whole list on one page, to count its rows

    def as_(username: str, page: str):
        client = app.test_client()
        client.set_cookie("lang", "en")
        assert client.post("/login", data={"username": username, "password": DEMO_PASSWORD}).status_code == 302
        HOMES[client] = page
        return client

    yield as_
    HOMES.clear()


def _idea(author, council, title):
    proposal = ideas.start_draft(author, council)
    ideas.save_draft(proposal, author, title=title, problem="楼道里的灯坏了。", idea="请修好楼道的灯。",
                     who_helps="小朋友们")
    ideas.choose_topic(proposal, author, None)
    ideas.submit(proposal, author)
    return proposal


@pytest.fixture
def facilitators_work(demo):
    """In 大街's reach: an idea sent back and sent again, a new one, a help request, a reported idea and a session
    being prepared."""
    facilitator, child, member = find_account("facilitator"), find_account("child"), find_account("member")
    school = child.child_profile.home_council
    again = _idea(child, school, "楼道的灯")
    ideas.return_to_author(again, facilitator, "请写清楚是哪一栋楼。")
    ideas.submit(again, child)
    _idea(child, school, "操场的秋千")
    reports.ask_for_help(child, HelpKind.adult, "我想找老师说说话。", "/ideas/", "desks-help-request-0001")
    public = _idea(child, school, "图书角的书太少")
    ideas.publish(public, facilitator)
    reports.flag(member, TARGETS["proposal"], public, FlagReason.unkind)
    sessions.schedule(school, facilitator, title="下个月的议事会", starts_at=clock.now() + timedelta(days=20),
                      place="活动室")
    db.session.commit()
    return again


def test_a_facilitators_counts_are_the_rows_of_the_lists_they_link_to(signed_in, facilitators_work):
    client = signed_in("facilitator", "/facilitator")
    counts = waiting(client)
    by_link = {href: n for n, _words, href in counts}
    assert by_link["/moderation"] >= 2 and by_link["/moderation?show=again"] == 1
    assert by_link["/help-requests"] >= 1 and by_link["/flags"] >= 1
    assert any(href.endswith("/sessions?show=draft") and n >= 1 for n, _w, href in counts)
    for n, words, href in counts:
        assert rows(client, href) == n, (words, href)
    listed = client.get("/moderation?show=again").get_data(as_text=True)
    assert "楼道的灯" in listed and "操场的秋千" not in listed

    ideas.publish(facilitators_work, find_account("facilitator"))  # checked: it no longer waits
    db.session.commit()
    assert {href: n for n, _w, href in waiting(client)}["/moderation?show=again"] == 0


def test_each_facilitator_counts_only_what_they_may_see(signed_in, facilitators_work):
    other = signed_in("facilitator2", "/facilitator")  # 丝绸路: none of 大街's ideas, requests or reports
    counts = {href: n for n, _w, href in waiting(other)}
    assert counts["/moderation?show=again"] == 0 and counts["/help-requests"] == 0 and counts["/flags"] == 0
    for href, n in counts.items():
        assert rows(other, href) == n, href


def _reopened_for(unit: Unit):
    """An idea the education bureau answered, its author not satisfied: routed to the bureau again (round 2)."""
    coordinator, child = find_account("coordinator"), find_account("child")
    proposal = _idea(child, _district(), "校门口的减速带")
    ideas.publish(proposal, coordinator)
    ideas.move(proposal, ProposalState.on_agenda, coordinator)
    ideas.move(proposal, ProposalState.adopted, coordinator)
    (task,) = tasks.route(proposal, coordinator, lead=unit)
    staff = find_account("unit_edu")
    tasks.acknowledge(task, staff)
    tasks.reply(task, staff, grade=Grade.C, summary="我们明年会在校门口装上减速带，请大家等一等，谢谢你们的建议！")
    tasks.rate(proposal, child, RatingValue.not_satisfied, "太慢了")
    assert proposal.state is ProposalState.reopened
    tasks.route(proposal, coordinator, lead=unit)
    return proposal


def _district():
    from council.councils.models import Council

    return db.session.scalar(select(Council).where(Council.parent_id.is_(None)))


def test_a_units_counts_are_the_rows_of_its_desk_filters(signed_in, demo):
    edu = db.session.scalar(select(Unit).where(Unit.name == "区教育和体育局"))
    _reopened_for(edu)
    coordinator, child = find_account("coordinator"), find_account("child")
    fresh = _idea(child, _district(), "放学路上没有红绿灯")
    ideas.publish(fresh, coordinator)
    ideas.move(fresh, ProposalState.on_agenda, coordinator)
    ideas.move(fresh, ProposalState.adopted, coordinator)
    tasks.route(fresh, coordinator, lead=edu)  # to acknowledge within three working days
    db.session.commit()

    client = signed_in("unit_edu", "/desk")
    counts = {href: n for n, _w, href in waiting(client)}
    assert set(counts) == {"/desk?show=soon", "/desk?show=overdue", "/desk?show=back"}
    assert counts["/desk?show=soon"] >= 2 and counts["/desk?show=overdue"] >= 1 and counts["/desk?show=back"] == 1
    for href, n in counts.items():
        assert rows(client, href) == n, href
    assert "校门口的减速带" in client.get("/desk?show=back").get_data(as_text=True)

    today = clock.today()
    soon = add_workdays(today, 3)  # the calendar's working days, as the desk counts them
    open_tasks = db.session.scalars(select(Task).where(Task.unit_id == edu.id)).all()
    expected = [t for t in open_tasks if t.state.value in ("dispatched", "acknowledged", "in_progress")
                and not t.is_overdue(today)
                and (t.acknowledge_due if t.state.value == "dispatched" else t.reply_due) <= soon]
    assert counts["/desk?show=soon"] == len(expected)
    assert counts["/desk?show=overdue"] == sum(t.is_overdue(today) for t in open_tasks)


def test_the_offices_counts_are_the_rows_of_the_lists_they_link_to(signed_in, demo):
    client = signed_in("coordinator", "/coordinator")
    counts = waiting(client)
    assert {href for _n, _w, href in counts} == {"/routing", "/routing#ext"}
    assert all(n >= 1 for n, _w, _h in counts)
    for n, words, href in counts:
        assert rows(client, href) == n, (words, href)

    html = client.get("/coordinator").get_data(as_text=True)
    by_unit = [(href.replace("&amp;", "&"), int(re.search(r"(\d+) overdue", words).group(1)))
               for href, words in LINK.findall(section(html, "overdue"))]
    assert by_unit, "the demo has overdue tasks"
    today = clock.today()
    overdue = db.session.scalars(select(Task)).all()
    assert sum(n for _h, n in by_unit) == sum(t.is_overdue(today) for t in overdue)
    for href, n in by_unit:
        assert href.endswith("?show=overdue")
        assert rows(client, href) == n, href


def test_the_home_pages_read_as_many_statements_whatever_waits(signed_in, demo):
    """No per-row loops: more ideas to check, to route and tasks overdue cost no more statements."""
    pages = {"facilitator": "/facilitator", "unit_edu": "/desk", "coordinator": "/coordinator"}
    clients = {name: signed_in(name, page) for name, page in pages.items()}
    for name, page in pages.items():
        queries_of(clients[name], page)  # statements kept per worker are built on the first call
    before = {name: queries_of(clients[name], page) for name, page in pages.items()}
    child, coordinator = find_account("child"), find_account("coordinator")
    edu = db.session.scalar(select(Unit).where(Unit.name == "区教育和体育局"))
    for i in range(4):
        _idea(child, child.child_profile.home_council, f"第{i}个想法")
        routed = _idea(child, _district(), f"第{i}件要办的事")
        ideas.publish(routed, coordinator)
        ideas.move(routed, ProposalState.on_agenda, coordinator)
        ideas.move(routed, ProposalState.adopted, coordinator)
        if i % 2:
            tasks.route(routed, coordinator, lead=edu, now=clock.now() - timedelta(days=30))
    db.session.commit()
    after = {name: queries_of(clients[name], page) for name, page in pages.items()}
    assert all(after[name] <= before[name] for name in pages), (before, after)
