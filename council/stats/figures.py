"""The public statistics of the children's ideas (issue: transparency). Pure reads: nothing here writes.

How ideas are counted:

- An idea counts in the year it was first sent to a facilitator (``submitted_at``, Zhoucun date): a cohort, like
  the units' figures. Drafts never count; ideas still being checked, sent back or not taken up count as *raised*.
- *Public* ideas are those anyone can read now (``Proposal.is_public``: a public state, not hidden by reports).
- *Adopted* means a council voted the idea through at some point (``adopted_at``, dated with its first
  ``proposal_adopted`` event), whatever happened after; *routed* means it was sent to responsible units
  (``routed_at``); *answered* means the units' answer reached the children; *closed* means the children closed it.
- The adoption rate is adopted ÷ public ideas of the cohort: an idea a facilitator did not take up never came
  before a council.
- A council filter counts the ideas raised in that council and every council below it; the tier of an idea is
  the tier of the council where it was raised.
- Satisfaction: children's ratings given in the year (satisfied ÷ all ratings).
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func, select

from council.calendar import clock
from council.councils.models import Council, Tier
from council.db import count_where
from council.extensions import db
from council.indicators.operations import current_indicators
from council.loading import rows
from council.plan.models import PlanArea, PlanTask
from council.plan.queries import current_plan, current_task_ids, lineage
from council.proposals.models import Proposal, ProposalState
from council.tasks.models import Rating, RatingValue

FIRST_YEAR = 2020


@dataclass(frozen=True)
class Scope:
    """A year and, optionally, a council (with every council below it)."""

    year: int
    council: Council | None = None

    @classmethod
    def from_args(cls, args, today: date) -> Scope:
        """Unusable values fall back to this year and the whole district: a statistics page always shows."""
        year = args.get("year", type=int)
        if year is None or not FIRST_YEAR <= year <= today.year:
            year = today.year
        council_id = args.get("council", type=int)
        council = db.session.get(Council, council_id) if council_id else None
        return cls(year, council)

    def instant(self, day: date) -> datetime:
        zone = clock.zone()
        return datetime.combine(day, time(), zone).astimezone(UTC)

    @property
    def start(self) -> datetime:
        return self.instant(date(self.year, 1, 1))

    @property
    def end(self) -> datetime:
        return self.instant(date(self.year + 1, 1, 1))

    def month_bounds(self) -> list[tuple[datetime, datetime]]:
        starts = [self.instant(date(self.year, m, 1)) for m in range(1, 13)] + [self.end]
        return list(zip(starts, starts[1:], strict=False))

    def conditions(self) -> list:
        return [Proposal.submitted_at >= self.start, Proposal.submitted_at < self.end, *self.within()]

    def within(self) -> list:
        """The scope's councils, apart from its dates: none for the whole district."""
        if self.council is None:
            return []
        return [Proposal.council_id.in_(select(Council.id).where(Council.path.startswith(self.council.path)))]


PUBLIC = Proposal.is_public  # a public state and not hidden by children's reports (council/reports)
ADOPTED = Proposal.was_adopted  # adopted_at, dated with its first proposal_adopted event (MILESTONES)
ROUTED = Proposal.routed_at.is_not(None)
ANSWERED = Proposal.answered_at.is_not(None)
CLOSED = Proposal.state == ProposalState.closed


@dataclass
class Totals:
    raised: int = 0
    public: int = 0
    adopted: int = 0
    routed: int = 0
    answered: int = 0
    closed: int = 0

    @property
    def adoption_rate(self) -> float | None:
        return self.adopted / self.public if self.public else None


@dataclass
class Row:
    """One bar of a chart and one line of its table."""

    key: str
    label: str
    value: int
    extra: dict = field(default_factory=dict)


@dataclass
class Cube:
    """The year's ideas counted once, grouped by council and plan task, and by month: every figure and chart of the
    statistics page is a sum over these, so the ideas are read in one pass instead of one per chart, and the groups
    (8,000 at a hundred thousand ideas) are summed in one pass too (``__post_init__``)."""

    scope: Scope
    groups: list[tuple]  # (council_id, plan_task_id, raised, public, adopted, routed, answered, closed)
    months: list[int]  # the ideas raised in each month, January first
    raised_by_council: collections.Counter = field(init=False)
    adopted_by_council: collections.Counter = field(init=False)
    raised_by_task: collections.Counter = field(init=False)

    def __post_init__(self) -> None:
        raised_by_council, adopted_by_council, raised_by_task = (collections.Counter(), collections.Counter(),
                                                                  collections.Counter())
        for council_id, task_id, raised, _public, adopted, *_rest in self.groups:
            raised_by_council[council_id] += raised
            adopted_by_council[council_id] += adopted
            raised_by_task[task_id] += raised
        self.raised_by_council, self.adopted_by_council, self.raised_by_task = \
            raised_by_council, adopted_by_council, raised_by_task

    def totals(self) -> Totals:
        columns = list(zip(*self.groups, strict=True))[2:]  # raised, public, adopted, routed, answered, closed
        return Totals(*map(sum, columns)) if columns else Totals()


def cube(scope: Scope) -> Cube:
    """Two statements, each reading only ix_proposals_statistics: the groups, and the twelve months as twelve
    ranges of that index (grouping by a month computed per idea took three times as long as everything else).
    Both are read as plain rows (``loading.rows``): the ORM's row processing of 8,000 groups cost more than summing
    them."""
    groups = rows(
        select(Proposal.council_id, Proposal.plan_task_id, func.count(Proposal.id), count_where(PUBLIC),
               count_where(ADOPTED), count_where(ROUTED), count_where(ANSWERED), count_where(CLOSED))
        .where(*scope.conditions()).group_by(Proposal.council_id, Proposal.plan_task_id)).all()
    months = rows(select(*(
        select(func.count(Proposal.id)).where(Proposal.submitted_at >= start, Proposal.submitted_at < end,
                                              *scope.within())
        .scalar_subquery() for start, end in scope.month_bounds()))).one()
    return Cube(scope, [tuple(row) for row in groups], [int(n) for n in months])


def totals(scope: Scope) -> Totals:
    """The headline figures alone, in one aggregate (the home page needs no more than these)."""
    row = db.session.execute(
        select(func.count(Proposal.id), count_where(PUBLIC), count_where(ADOPTED), count_where(ROUTED),
               count_where(ANSWERED), count_where(CLOSED)).where(*scope.conditions())).one()
    return Totals(*row)  # counts: integers, never NULL


def by_tier(data: Cube) -> list[Row]:
    by_council = data.raised_by_council
    tiers = dict(db.session.execute(select(Council.id, Council.tier).where(Council.id.in_(list(by_council)))).all())
    counts: collections.Counter = collections.Counter()
    for council_id, n in by_council.items():
        counts[tiers[council_id]] += n
    return [Row(tier.value, str(tier.label), counts.get(tier, 0)) for tier in Tier]


def by_council(data: Cube, limit: int = 12) -> list[Row]:
    """The councils with the most ideas raised, most first (ties by name)."""
    counts, adopted = data.raised_by_council, data.adopted_by_council
    councils = {c.id: c for c in db.session.scalars(select(Council).where(Council.id.in_(list(counts))))}
    ordered = sorted(counts, key=lambda cid: (-counts[cid], councils[cid].name))[:limit]
    return [Row(str(cid), councils[cid].display_name, counts[cid], {"adopted": adopted[cid], "council": councils[cid]})
            for cid in ordered]


def by_area(data: Cube) -> list[Row]:
    """Ideas by the plan area of their task; ideas with no task (or "other") come last."""
    by_task = data.raised_by_task
    plan = current_plan()
    areas = plan.areas if plan else []
    area_of = {task.id: area.id for area in areas for action in area.actions for task in action.tasks}
    continues_in = current_task_ids()  # an earlier version's task counts under the current task it continues in
    counts: collections.Counter = collections.Counter()
    for task_id, n in by_task.items():
        if task_id is not None:
            counts[area_of.get(continues_in.get(task_id))] += n
    rows = [Row(str(area.no), area.display_name, counts.get(area.id, 0), {"no": area.no}) for area in areas]
    rows.append(Row("none", _("No plan task"), by_task.get(None, 0)))
    return rows


def by_month(data: Cube) -> list[Row]:
    """Ideas raised in each month of the year."""
    year = data.scope.year
    return [Row(f"{year}-{m:02d}", format_date(date(year, m, 1), "MMM"), n) for m, n in enumerate(data.months, start=1)]


@dataclass
class Satisfaction:
    ratings: int = 0
    satisfied: int = 0
    partly: int = 0

    @property
    def rate(self) -> float | None:
        return self.satisfied / self.ratings if self.ratings else None


def satisfaction(scope: Scope) -> Satisfaction:
    conditions = [Rating.created_at >= scope.start, Rating.created_at < scope.end]
    query = select(func.count(Rating.id), count_where(Rating.value == RatingValue.satisfied),
                   count_where(Rating.value == RatingValue.partly)).where(*conditions)
    if scope.council is not None:
        query = query.join(Proposal, Proposal.id == Rating.proposal_id).where(Proposal.council_id.in_(
            select(Council.id).where(Council.path.startswith(scope.council.path))))
    return Satisfaction(*(int(v or 0) for v in db.session.execute(query).one()))


@dataclass
class Coverage:
    """What children's ideas did with one task of the action plan."""

    task: PlanTask
    area: PlanArea  # the task's area, held here: the plan read with it is not kept after ``coverage`` returns
    ideas: int = 0
    adopted: int = 0
    answered: int = 0
    ratings: int = 0
    satisfied: int = 0
    targets: list[int] = field(default_factory=list)  # the task's active indicators, by id, in their order

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.ratings if self.ratings else None


def coverage(year: int | None = None) -> list[Coverage]:
    """Every task of the current plan with the public ideas tagged with it (all years, or one cohort year)."""
    plan = current_plan()
    if plan is None:
        return []
    tasks = [(task, area) for area in plan.areas for action in area.actions for task in action.tasks]
    conditions = [PUBLIC]
    if year is not None:
        scope = Scope(year)
        conditions += [Proposal.submitted_at >= scope.start, Proposal.submitted_at < scope.end]
    walk = lineage()  # ideas tagged with an earlier version's task count under the current task it continues in
    counts = {row[0]: row[1:] for row in db.session.execute(
        select(walk.c.current_id, func.count(Proposal.id), count_where(ADOPTED), count_where(ANSWERED))
        .select_from(Proposal)
        .join(walk, walk.c.task_id == Proposal.plan_task_id).where(*conditions).group_by(walk.c.current_id))}
    ratings = {row[0]: row[1:] for row in db.session.execute(
        select(walk.c.current_id, func.count(Rating.id), count_where(Rating.value == RatingValue.satisfied))
        .select_from(Proposal).join(walk, walk.c.task_id == Proposal.plan_task_id)
        .join(Rating, Rating.proposal_id == Proposal.id)
        .where(*conditions).group_by(walk.c.current_id))}
    targets: dict[int, list[int]] = {}
    for indicator in current_indicators():
        targets.setdefault(indicator.task_id, []).append(indicator.id)
    result = []
    for task, area in tasks:
        ideas, adopted, answered = counts.get(task.id, (0, 0, 0))
        n_ratings, satisfied = ratings.get(task.id, (0, 0))
        result.append(Coverage(task, area, int(ideas), int(adopted), int(answered), int(n_ratings), int(satisfied),
                               targets.get(task.id, [])))
    return result


def answered_query(scope: Scope | None = None):
    """The newest public ideas the units answered (in a cohort year, or of all time): the loop made visible."""
    query = select(Proposal).where(PUBLIC, ANSWERED)
    if scope is not None:
        query = query.where(*scope.conditions())
    return query.order_by(Proposal.answered_at.desc(), Proposal.id.desc())


def answered_ideas(scope: Scope | None = None, limit: int = 5) -> list[Proposal]:
    from council.proposals.queries import with_authors

    return list(db.session.scalars(with_authors(answered_query(scope)).limit(limit)).unique())


def answered_on_time(year: int, today: date) -> tuple[int, int]:
    """Units' answers given on time, of all answers, for the tasks sent in the year."""
    from council.tasks import stats as unit_stats

    units = unit_stats.unit_figures(date(year, 1, 1), date(year, 12, 31), today)
    return sum(f.replied_on_time for f in units), sum(f.replied for f in units)


@dataclass
class Participation:
    campaigns: int = 0
    entries: int = 0
    children: int = 0
    votes: int = 0


def campaign_participation(scope: Scope) -> Participation | None:
    """Campaigns whose entries closed in the year (the district's, or with a council filter those of the council
    and the councils below it), with the works sent, the children who sent them and the votes cast. None when
    there was no campaign, so the page leaves the section out."""
    from council.campaigns.models import Campaign, CampaignVote, Entry, Phase

    conditions = [Campaign.phase != Phase.draft, Campaign.reviewing_from >= date(scope.year, 1, 1),
                  Campaign.reviewing_from < date(scope.year + 1, 1, 1)]
    if scope.council is not None:
        conditions.append(Campaign.council_id.in_(
            select(Council.id).where(Council.path.startswith(scope.council.path))))
    ids = select(Campaign.id).where(*conditions)
    campaigns = db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    if not campaigns:
        return None
    entries, children = db.session.execute(
        select(func.count(Entry.id), func.count(func.distinct(Entry.author_id))).where(Entry.campaign_id.in_(ids))
    ).one()
    votes = db.session.scalar(select(func.count(CampaignVote.id)).where(CampaignVote.campaign_id.in_(ids))) or 0
    return Participation(campaigns, int(entries or 0), int(children or 0), int(votes))


def years_with_ideas(today: date) -> list[int]:
    first = db.session.scalar(select(func.min(Proposal.submitted_at)))
    start = max(FIRST_YEAR, first.year) if first else today.year
    return list(range(today.year, start - 1, -1))
