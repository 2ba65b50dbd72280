"""The page each role lands on after signing in, showing what that role can do today and what waits for it.

Each figure of what waits is counted by the database with the very statement of the list it links to (a few COUNT
queries, whatever the numbers), so a figure and its list never disagree."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from council.accounts import operations as accounts
from council.accounts.models import Account, Membership, MembershipRole
from council.audit.models import Event
from council.calendar import clock
from council.councils.models import Council
from council.councils.operations import subtree, tree
from council.errors import require
from council.extensions import db
from council.paging import asked_words
from council.proposals.queries import waiting_count
from council.reports.operations import inbox_count, review_count
from council.sessions import operations as sessions
from council.tasks.queries import FILTERS, desk_waiting, extensions_count, overdue_by_unit, routing_count
from council.templating import MB, kept_macro, render_recorded
from council.units.models import Unit, UnitStaff
from council.units.queries import led_tasks

bp = Blueprint("dashboards", __name__)

# Desk rows kept per worker (council/templating.py: kept_macro): a few pages of every unit's desk, in both languages
# (a row is about 2 KB in memory).
KEPT_DESK_ROWS_BYTES = 16 * MB


@bp.record_once
def _keep_desk_parts(state) -> None:
    parts = "dashboards/_desk_parts.html"
    state.app.jinja_env.globals.update(desk_row=kept_macro(state.app, parts, "desk_row", KEPT_DESK_ROWS_BYTES),
                                       desk_filters=kept_macro(state.app, parts, "desk_filters", MB),
                                       plan_links=kept_macro(state.app, parts, "plan_links", 2 * MB))


def allowed_if(check, message):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            require(check(current_user), message())
            return view(*args, **kwargs)

        return wrapped

    return decorator


@bp.get("/me")
@login_required
def me():
    account = current_user
    return render_template(
        "dashboards/me.html",
        account=account,
        can_act=accounts.can_act(account),
        needs_consent=accounts.may_be_under_consent_age(account),
        memberships=account.current_memberships(),
        votes_waiting=sessions.waiting_votes(account),
    )


@bp.get("/teacher")
@allowed_if(lambda a: bool(a.councils_as(MembershipRole.teacher, MembershipRole.facilitator)) or a.is_admin,
            lambda: _("This page is for teachers."))
def teacher():
    words = asked_words()
    children, total = accounts.find_children_in_reach(current_user, words)
    accounts.viewed_child_data(current_user, children, view="teacher_roster")  # the children shown, and only they
    return render_recorded("dashboards/teacher.html", children=children, total=total, query=words,
                           councils=current_user.councils_as(MembershipRole.teacher, MembershipRole.facilitator))


@bp.get("/facilitator")
@allowed_if(lambda a: bool(a.councils_as(MembershipRole.facilitator)),
            lambda: _("This page is for council facilitators."))
def facilitator():
    held = current_user.councils_as(MembershipRole.facilitator)
    preparing = sessions.being_prepared(held)
    waiting = {"screen": waiting_count(current_user), "again": waiting_count(current_user, again=True),
               "help": inbox_count(current_user), "flags": review_count(current_user)}
    return render_template("dashboards/facilitator.html", trees=[(c, subtree(c)) for c in held], waiting=waiting,
                           preparing=preparing)


@bp.get("/desk")
@allowed_if(lambda a: bool(a.current_units()), lambda: _("This page is for staff of a responsible unit."))
def desk():
    from council.tasks.queries import desk as inbox

    units = current_user.current_units()
    show = request.args.get("show") if request.args.get("show") in FILTERS else "open"
    today = clock.today()
    plan_tasks = tuple((t.no, t.display_title) for t in sorted({t.no: t for unit in units for t in led_tasks(unit)}
                                                               .values(), key=lambda t: t.no))
    per_page = current_app.config["DESK_PER_PAGE"]
    page = max(request.args.get("page", 1, type=int), 1)
    waiting = desk_waiting(units, today, also=show)  # the head's figures and this filter's total, counted at once
    total = waiting[show]
    pages = max((total + per_page - 1) // per_page, 1)
    page = min(page, pages)  # an old link past the end shows the last page, not "nothing here"
    tasks, total = inbox(units, show, today, page=page, per_page=per_page, total=total)  # the most urgent first
    return render_template("dashboards/desk.html", units=units, tasks=tasks, total=total, page=page, pages=pages,
                           show=show, today=today, plan_tasks=plan_tasks, waiting=waiting,
                           soon_days=current_app.config["REMIND_BEFORE_WORKDAYS"])


@bp.get("/coordinator")
@allowed_if(lambda a: a.is_coordinator, lambda: _("This page is for the district coordinating office."))
def coordinator():
    events = db.session.scalars(select(Event).options(joinedload(Event.actor)).order_by(Event.id.desc()).limit(20))
    councils_by_tier = dict(db.session.execute(select(Council.tier, func.count()).group_by(Council.tier)).all())
    units = db.session.scalars(select(Unit).order_by(Unit.id))
    return render_template("dashboards/coordinator.html", events=list(events), roots=tree(),
                           councils_by_tier=councils_by_tier, units=list(units), today=clock.today(),
                           to_route=routing_count(current_user), extensions=extensions_count(),
                           overdue=overdue_by_unit(clock.today()))


@bp.get("/admin")
@allowed_if(lambda a: a.is_admin, lambda: _("This page is for administrators."))
def admin():
    words = asked_words()
    found, total = accounts.search_accounts(
        select(Account), words, Account.username, Account.display_name,
        order_by=(Account.kind, Account.username), options=[  # each row's roles, read for all at once
            joinedload(Account.memberships).joinedload(Membership.council),
            joinedload(Account.unit_roles).joinedload(UnitStaff.unit)])
    return render_template("dashboards/admin.html", accounts=found, total=total, query=words,
                           units=db.session.scalar(select(func.count(Unit.id))))
