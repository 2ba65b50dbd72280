"""The supervision figures, against data built by hand with known answers (DESIGN §6)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from council.accounts.models import SystemRole
from council.accounts.operations import add_unit_staff
from council.calendar.operations import add_workdays, workdays_between
from council.extensions import db
from council.proposals import operations as ideas
from council.proposals.models import Proposal, ProposalState
from council.tasks import operations, stats
from council.tasks.models import Grade, RatingValue, Task
from council.tasks.stats import Period, UnitFigures, ranking, unit_figures
from council.units.models import Unit
from tests.conftest import kept_world

ZHOUCUN = ZoneInfo("Asia/Shanghai")
SUMMARY = "路灯已经修好了，晚上放学回家的路亮堂堂的。"
_titles = itertools.count(1)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A moment on a Zhoucun date."""
    return datetime.combine(day, time(hour, minute), ZHOUCUN)


class World:
    """A coordinator, a child author and a supporter, and two units with one staff member each."""

    def __init__(self, make):
        district, _street, _street_b, community, _community_b = make.tree()
        self.council = district
        self.coordinator = make.adult("coord", system_role=SystemRole.coordinator)
        self.author = make.child(community, username="author", nickname="小作者", real_name="李真名")
        self.fan = make.child(community, username="fan", nickname="小粉丝", real_name="赵真名")
        self.x, self.y = make.unit("区教育和体育局"), make.unit("周村交警大队")
        self.staff = {}
        for unit, username in ((self.x, "staff_x"), (self.y, "staff_y")):
            person = make.adult(username)
            add_unit_staff(person, unit, starts_on=date(2020, 1, 1))
            self.staff[unit.id] = person
        db.session.commit()

    def adopted(self) -> Proposal:
        proposal = ideas.start_draft(self.author, self.council)
        ideas.save_draft(proposal, self.author, title=f"学校门口的路灯{next(_titles)}", problem="路灯不亮。",
                         idea="修好路灯。")
        ideas.choose_topic(proposal, self.author, None)
        ideas.submit(proposal, self.author)
        ideas.publish(proposal, self.coordinator)
        ideas.support(proposal, self.fan)
        # Shortcut: the council's vote is tested in tests/sessions; here adoption is taken as given.
        proposal.state = ProposalState.adopted
        return proposal

    def send(self, unit: Unit, sent: datetime | None, *, co: tuple[Unit, ...] = ()) -> list[Task]:
        """A new adopted idea routed to ``unit`` as lead (and ``co`` as co-units) at ``sent``."""
        return operations.route(self.adopted(), self.coordinator, lead=unit, co_units=list(co), now=sent)

    def acknowledge(self, task: Task, when: datetime | None) -> None:
        operations.acknowledge(task, self.staff[task.unit_id], now=when)

    def reply(self, task: Task, grade: Grade, when: datetime | None) -> None:
        operations.reply(task, self.staff[task.unit_id], grade=grade, summary=SUMMARY, now=when,
                         reason="这条路归省里管，区里不能修。" if grade is Grade.D else "")


@kept_world
def world(make):
    return World(make)


@dataclass
class March:
    world: World
    x_tasks: list[Task]
    y_tasks: list[Task]
    withdrawn: Task
    last_year: Task


SENT_X = date(2026, 3, 2)  # a Monday
SENT_Y = date(2026, 3, 3)
ON_TIME_REPLY = date(2026, 3, 20)
LATE_REPLY = date(2026, 4, 1)


def build_march(world: World) -> March:
    """Unit X: six tasks sent 2026-03-02, due to be acknowledged by 2026-03-05 and answered by 2026-03-30.
    Five acknowledged on time (03-04), one late (03-09). Answers: A, A, B, C on time (03-20), D late (04-01);
    the sixth is still open, with an extension to 04-10. A seventh task is taken back by the office, and one more
    was sent on 2025-12-30. Ratings: the first A idea 满意 twice, the second A 基本满意, B 不满意, D 不满意.

    Unit Y: three tasks sent 2026-03-03: one answered A on time, one sent back, one never acknowledged."""
    x = [world.send(world.x, at(SENT_X))[0] for _ in range(6)]
    for task in x[:5]:
        world.acknowledge(task, at(date(2026, 3, 4)))
    world.acknowledge(x[5], at(date(2026, 3, 9)))
    for task, grade in zip(x[:4], (Grade.A, Grade.A, Grade.B, Grade.C), strict=True):
        world.reply(task, grade, at(ON_TIME_REPLY))
    world.reply(x[4], Grade.D, at(LATE_REPLY))
    operations.request_extension(x[5], world.staff[world.x.id], date(2026, 4, 10), "要等预算批下来。")
    operations.decide_extension(x[5], world.coordinator, approve=True)

    operations.rate(x[0].proposal, world.fan, RatingValue.satisfied)  # the supporter first: the author's closes it
    operations.rate(x[0].proposal, world.author, RatingValue.satisfied)
    operations.rate(x[1].proposal, world.author, RatingValue.partly)
    operations.rate(x[2].proposal, world.author, RatingValue.not_satisfied)  # reopens the idea
    operations.rate(x[4].proposal, world.fan, RatingValue.not_satisfied)

    [withdrawn] = world.send(world.x, at(SENT_X))
    operations.withdraw(withdrawn, world.coordinator, "派错了单位。")
    [last_year] = world.send(world.x, at(date(2025, 12, 30)))

    y = [world.send(world.y, at(SENT_Y))[0] for _ in range(3)]
    world.acknowledge(y[0], at(date(2026, 3, 4)))
    world.reply(y[0], Grade.A, at(ON_TIME_REPLY))
    operations.send_back(y[1], world.staff[world.y.id], "这不是交警的事。", now=at(date(2026, 3, 4)))
    db.session.commit()
    return March(world, x, y, withdrawn, last_year)


@kept_world
def march(world):
    return build_march(world)


def figures_of(unit: Unit, start=date(2026, 1, 1), end=date(2026, 12, 31), today=date(2026, 4, 15)) -> UnitFigures:
    return next(f for f in unit_figures(start, end, today) if f.unit.id == unit.id)


def test_the_march_deadlines_are_counted_in_working_days(march):
    task = march.x_tasks[0]
    assert task.acknowledge_due == add_workdays(SENT_X, 3) == date(2026, 3, 5)
    assert task.reply_due == add_workdays(SENT_X, 20) == date(2026, 3, 30)
    assert [t.acknowledged_late for t in march.x_tasks] == [False] * 5 + [True]
    assert [t.replied_late for t in march.x_tasks[:5]] == [False] * 4 + [True]


def test_a_ranked_unit_has_every_figure_counted_by_hand(march):
    x = figures_of(march.world.x)
    # 03-02 → 03-20 is 14 working days; 03-02 → 04-01 is 22 (no holiday in March 2026).
    assert workdays_between(SENT_X, ON_TIME_REPLY) == 14 and workdays_between(SENT_X, LATE_REPLY) == 22
    assert x == UnitFigures(unit=march.world.x, dispatched=6, acknowledged_on_time=5, replied=5, replied_on_time=4,
                            resolved=3, ratings=5, satisfied=2, partly=1, open_overdue=1, very_overdue=0,
                            avg_workdays_to_reply=pytest.approx((4 * 14 + 22) / 5), returns=0, extensions=1)
    assert x.ranked
    assert x.response_rate == pytest.approx(5 / 6)
    assert x.on_time_rate == pytest.approx(4 / 5)
    assert x.resolution_rate == pytest.approx(3 / 5)
    assert x.satisfaction_rate == pytest.approx(2 / 5)


def test_a_unit_under_the_minimum_gets_its_counts_but_no_rates(march):
    y = figures_of(march.world.y)
    assert (y.dispatched, y.acknowledged_on_time, y.replied, y.replied_on_time, y.resolved, y.returns) == (
        3, 1, 1, 1, 1, 0 + 1)
    assert not y.ranked
    assert (y.response_rate, y.on_time_rate, y.resolution_rate, y.satisfaction_rate) == (None, None, None, None)


def test_the_minimum_comes_from_the_configuration(app, march):
    app.config["SUPERVISION_MIN_TASKS"] = 3
    y = figures_of(march.world.y)
    assert y.ranked and y.response_rate == pytest.approx(1 / 3) and y.on_time_rate == 1.0
    assert y.satisfaction_rate is None  # ranked, but nobody rated Y's answer: nothing to divide by


def test_tasks_taken_back_by_the_office_are_not_counted(march):
    assert figures_of(march.world.x).dispatched == 6
    listed = stats.unit_tasks(march.world.x, date(2026, 1, 1), date(2026, 12, 31))
    assert march.withdrawn not in listed and len(listed) == 6


def test_tasks_sent_before_the_period_are_left_out(march):
    assert figures_of(march.world.x).dispatched == 6
    assert figures_of(march.world.x, start=None, end=None).dispatched == 7
    assert figures_of(march.world.x, start=date(2025, 12, 1), end=date(2025, 12, 31)).dispatched == 1


def test_overdue_counts_depend_on_the_day_asked(march):
    world = march.world
    very_x, very_y = add_workdays(SENT_X, 40), add_workdays(SENT_Y, 40)
    assert (very_x, very_y) == (date(2026, 4, 28), date(2026, 4, 29))  # after the Qingming days off, 04-04 to 04-06

    def overdue(today):
        return [(f.open_overdue, f.very_overdue) for f in (figures_of(world.x, today=today),
                                                           figures_of(world.y, today=today))]

    # Y's unacknowledged task is due to be acknowledged by 03-06; X's open task has until 04-10 after its extension.
    assert overdue(date(2026, 3, 6)) == [(0, 0), (0, 0)]
    assert overdue(date(2026, 3, 9)) == [(0, 0), (1, 0)]
    assert overdue(date(2026, 4, 10)) == [(0, 0), (1, 0)]
    assert overdue(date(2026, 4, 13)) == [(1, 0), (1, 0)]
    assert overdue(date(2026, 4, 29)) == [(1, 1), (1, 0)]
    assert overdue(date(2026, 4, 30)) == [(1, 1), (1, 1)]


def test_the_period_is_counted_in_zhoucun_dates(world):
    late_march = world.send(world.x, at(date(2026, 3, 31), 23, 30))[0]  # 15:30 UTC on 03-31
    early_april = world.send(world.x, at(date(2026, 4, 1), 0, 30))[0]  # 16:30 UTC, still 03-31 in UTC
    db.session.commit()
    assert {t.dispatched_at.astimezone(UTC).date() for t in (late_march, early_april)} == {date(2026, 3, 31)}
    march, april = Period(2026, 3), Period(2026, 4)
    assert figures_of(world.x, march.start, march.end).dispatched == 1
    assert figures_of(world.x, april.start, april.end).dispatched == 1
    assert stats.unit_tasks(world.x, april.start, april.end) == [early_april]


def test_every_unit_that_answered_an_idea_shares_its_ratings(world):
    lead, co = world.send(world.x, at(SENT_X), co=(world.y,))
    world.acknowledge(lead, at(date(2026, 3, 3)))
    world.acknowledge(co, at(date(2026, 3, 3)))
    world.reply(lead, Grade.A, at(date(2026, 3, 10)))
    world.reply(co, Grade.B, at(date(2026, 3, 10)))
    only_x = world.send(world.x, at(SENT_X), co=(world.y,))
    operations.send_back(only_x[1], world.staff[world.y.id], "不归我们管。", now=at(date(2026, 3, 3)))
    world.acknowledge(only_x[0], at(date(2026, 3, 3)))
    world.reply(only_x[0], Grade.A, at(date(2026, 3, 10)))  # the last active task answered: the idea is answered
    operations.rate(lead.proposal, world.fan, RatingValue.partly)
    operations.rate(lead.proposal, world.author, RatingValue.satisfied)
    operations.rate(only_x[0].proposal, world.author, RatingValue.satisfied)
    db.session.commit()
    x, y = figures_of(world.x), figures_of(world.y)
    assert (x.ratings, x.satisfied, x.partly) == (3, 2, 1)
    assert (y.ratings, y.satisfied, y.partly) == (2, 1, 1)  # Y sent the second idea back: not its answer


def test_the_figures_take_three_queries_whatever_the_number_of_units(march):
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        figures = unit_figures(date(2026, 1, 1), date(2026, 12, 31), date(2026, 4, 15))
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(figures) == 2 and len(statements) == 3


def test_no_task_in_the_period_means_no_figures(march):
    assert unit_figures(date(2026, 6, 1), date(2026, 6, 30), date(2026, 7, 1)) == []


def fake(name: str, unit_id: int, dispatched: int, acknowledged: int, replied: int, on_time: int) -> UnitFigures:
    return UnitFigures(unit=Unit(id=unit_id, name=name), dispatched=dispatched, acknowledged_on_time=acknowledged,
                       replied=replied, replied_on_time=on_time)


def test_ranking_goes_by_on_time_rate_then_response_rate_and_puts_small_units_last(app):
    units = [
        fake("unranked-b", 1, 4, 4, 4, 4),  # perfect, but only four tasks
        fake("tie-d", 2, 6, 6, 5, 4),  # 80 % on time, 100 % response
        fake("best-a", 3, 5, 5, 5, 5),  # 100 %, 100 %
        fake("no-answer-e", 4, 5, 5, 0, 0),  # ranked, nothing answered yet
        fake("tie-c", 5, 12, 12, 10, 8),  # 80 %, 100 %: shares third place with tie-d
        fake("second-b", 6, 10, 6, 5, 5),  # 100 % on time, 60 % response
        fake("unranked-a", 7, 2, 0, 0, 0),
    ]
    ordered = ranking(units)
    assert [f.unit.name for f in ordered] == ["best-a", "second-b", "tie-c", "tie-d", "no-answer-e",
                                              "unranked-a", "unranked-b"]
    assert stats.places(ordered) == {3: 1, 6: 2, 5: 3, 2: 3, 4: 5}


@pytest.mark.parametrize(("args", "expected"), [
    ({}, Period(2026)),
    ({"year": "2025"}, Period(2025)),
    ({"year": "2025", "month": "2"}, Period(2025, 2)),
    ({"year": "1999", "month": "13"}, Period(2026)),
    ({"year": "x", "month": "x"}, Period(2026)),
    ({"year": "2030"}, Period(2026)),
])
def test_the_period_comes_from_the_query_string(args, expected):
    assert Period.from_args(args, date(2026, 11, 29)) == expected


def test_a_period_knows_its_first_and_last_day():
    assert (Period(2028, 2).start, Period(2028, 2).end, Period(2028, 2).label) == (
        date(2028, 2, 1), date(2028, 2, 29), "2028-02")
    assert (Period(2026).start, Period(2026).end, Period(2026).label) == (date(2026, 1, 1), date(2026, 12, 31), "2026")
