"""`flask --app council remind`, for cron: mails unit staff about tasks near or past due and the
coordinating office a daily digest. Each reminder is keyed, so running it twice sends nothing twice."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import select

from council.accounts.models import Account
from council.accounts.operations import coordinators
from council.calendar import clock
from council.calendar.operations import add_workdays
from council.campaigns.operations import advance_all
from council.db import insert_once
from council.extensions import db
from council.indicators.operations import digest_lines as indicator_digest
from council.notifications.operations import send_digests
from council.notifications.outbox import queue
from council.tasks.models import OPEN_STATES, Reminder, Task, TaskState
from council.tasks.operations import close_quiet_answers, deadline_estimated, unit_staff
from council.urls import external_url


def _claim(key: str) -> bool:
    """True the first time a key is seen; the unique constraint makes a parallel run harmless."""
    return insert_once(Reminder, key=key)


def _mail(to: Account, subject: str, body: str) -> None:
    """Into the outbox with the reminder keys, in the same transaction: sent by ``send-mail``, never twice."""
    if to.email:
        queue(to.email, subject, body, kind="reminder")


def reminder_kind(task: Task, today) -> str | None:
    soon = add_workdays(today, current_app.config["REMIND_BEFORE_WORKDAYS"])
    if task.is_very_overdue(today):
        return "very_overdue"
    if task.is_overdue(today):
        return "overdue"
    if task.state is TaskState.dispatched:
        return None
    return "due_soon" if task.reply_due <= soon else None


def remind(now: datetime | None = None) -> dict[str, int]:
    now = now or clock.now()
    today = clock.local_day(now)
    sent = {"tasks": 0, "digests": 0, "closed": len(close_quiet_answers(now))}
    advance_all(today)  # campaigns whose phase dates have come move on in the same daily run
    open_tasks = list(db.session.scalars(select(Task).where(Task.state.in_(OPEN_STATES)).order_by(Task.id)))
    for task in open_tasks:
        kind = reminder_kind(task, today)
        if kind is None or not _claim(f"task:{task.id}:{kind}:{task.reply_due.isoformat()}"):
            continue
        link = external_url("tasks.show", task_id=task.id)
        estimated = deadline_estimated(task)
        for person in unit_staff(task.unit):
            with force_locale(person.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
                due_soon = (_("Due soon: “%(title)s”, answer by %(date)s (estimated)", title=task.proposal.title,
                              date=format_date(task.reply_due, "long")) if estimated else
                            _("Due soon: “%(title)s”, answer by %(date)s", title=task.proposal.title,
                              date=format_date(task.reply_due, "long")))
                subject = {
                    "due_soon": due_soon,
                    "overdue": _("Overdue: “%(title)s”", title=task.proposal.title),
                    "very_overdue": _("Very overdue: “%(title)s”", title=task.proposal.title),
                }[kind]
                _mail(person, subject, subject + "\n\n" + link)
        sent["tasks"] += 1
    if _claim(f"digest:{today.isoformat()}"):
        overdue = [t for t in open_tasks if t.is_overdue(today)]
        very = [t for t in overdue if t.is_very_overdue(today)]
        estimated = {t.id for t in overdue if deadline_estimated(t)}
        for person in coordinators():
            with force_locale(person.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
                lines = [f"- {t.unit.display_name}: {t.proposal.title} ({format_date(t.reply_due, 'long')}"
                         + (", " + _("estimated") if t.id in estimated else "") + ")" for t in overdue]
                subject = _("Daily digest: %(open)s open tasks, %(overdue)s overdue, %(very)s very overdue",
                            open=len(open_tasks), overdue=len(overdue), very=len(very))
                _mail(person, subject, "\n".join([subject, "", *lines, *indicator_digest(today)]))
        sent["digests"] += 1
    sent["messages"] = send_digests(now, _claim)  # the adults who chose one mail a day for some messages
    db.session.commit()
    return sent
