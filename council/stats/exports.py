"""The tables the coordinating office downloads (CSV or Excel) and the public open-data CSV of ideas.

Only public facts and nicknames leave through here: no real name, school class or birth year of a child."""

from __future__ import annotations

from datetime import date

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from council.districts import current as current_district
from council.exports import Table, table_response
from council.extensions import db
from council.proposals.models import Proposal, ProposalAuthor
from council.stats import figures
from council.tasks import stats as unit_stats
from council.tasks.models import Task

DATASETS = {"ideas": _l("Ideas"), "tasks": _l("Tasks sent to units"), "units": _l("Unit figures")}


def _day(value) -> str:
    return value.date().isoformat() if value else ""


def _idea_rows(query) -> list[list]:
    ideas = db.session.scalars(query.options(
        selectinload(Proposal.council), selectinload(Proposal.current_council), selectinload(Proposal.plan_task),
        selectinload(Proposal.author_links).selectinload(ProposalAuthor.account)))
    return [[p.id, p.title, str(p.state.label), p.council.display_name, str(p.council.tier.label),
             p.current_council.display_name, p.plan_task.no if p.plan_task else "", _day(p.submitted_at),
             _day(p.published_at), "1" if p.was_adopted else "0", _day(p.answered_at), p.support_count,
             "、".join(a.account.display_name for a in p.author_links if not p.on_behalf)]
            for p in ideas]


def _idea_header() -> list[str]:
    return [_("Idea no."), _("Title"), _("State"), _("Raised in"), _("Tier"), _("Now with"), _("Plan task"),
            _("Sent on"), _("Public since"), _("Adopted"), _("Answered on"), _("Supporters"), _("Nicknames")]


def public_ideas():
    query = select(Proposal).where(Proposal.is_public).order_by(Proposal.id)  # not hidden by reports
    header = [*_idea_header(), _("Address")]
    rows = [[*row, url_for("proposals.show", proposal_id=row[0], _external=True)] for row in _idea_rows(query)]
    return table_response(f"{current_district().code or 'council'}-ideas.csv", Table(header, rows))


def _task_table(scope: figures.Scope) -> tuple[list[str], list[list]]:
    tasks = db.session.scalars(
        select(Task).join(Proposal, Proposal.id == Task.proposal_id).where(*scope.conditions())
        .order_by(Task.id).options(selectinload(Task.unit), selectinload(Task.proposal)))
    header = [_("Task"), _("Idea"), _("Idea title"), _("Unit"), _("Role"), _("State"), _("Round"), _("Sent on"),
              _("Acknowledge by"), _("Answer by"), _("Answered on"), _("Answered late"), _("Grade"),
              _("Extensions")]
    rows = [[t.id, t.proposal_id, t.proposal.title, t.unit.display_name, str(t.role.label), str(t.state.label),
             t.round, _day(t.dispatched_at), t.acknowledge_due.isoformat(), t.reply_due.isoformat(),
             _day(t.replied_at), "" if t.replied_late is None else ("1" if t.replied_late else "0"),
             str(t.grade.label) if t.grade else "", t.extensions] for t in tasks]
    return header, rows


def _unit_table(scope: figures.Scope, today: date) -> tuple[list[str], list[list]]:
    units = unit_stats.ranking(unit_stats.unit_figures(date(scope.year, 1, 1), date(scope.year, 12, 31), today))
    places = unit_stats.places(units)

    def fraction(value):
        return "" if value is None else round(value, 4)

    header = [_("Rank"), _("Unit"), _("Tasks sent"), _("Acknowledged on time"), _("Answered"),
              _("Answered on time"), _("Response rate"), _("On-time rate"), _("Resolution rate"),
              _("Satisfaction rate")]
    rows = [[places.get(f.unit.id, ""), f.unit.display_name, f.dispatched, f.acknowledged_on_time, f.replied,
             f.replied_on_time, fraction(f.response_rate), fraction(f.on_time_rate), fraction(f.resolution_rate),
             fraction(f.satisfaction_rate)] for f in units]
    return header, rows


def download(dataset: str, fmt: str, scope: figures.Scope, today: date):
    if dataset == "ideas":
        header, rows = _idea_header(), _idea_rows(select(Proposal).where(*scope.conditions()).order_by(Proposal.id))
    elif dataset == "tasks":
        header, rows = _task_table(scope)
    else:
        header, rows = _unit_table(scope, today)
    suffix = f"-{scope.council.code}" if scope.council else ""
    name = f"{dataset}-{scope.year}{suffix}.{fmt}"
    return table_response(name, Table(header, rows, title=f"{DATASETS[dataset]} {scope.year}"))
