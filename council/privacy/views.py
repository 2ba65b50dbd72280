"""Pages for guardians' data requests, the audit viewer and the privacy notices."""

from __future__ import annotations

import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from council.accounts.models import Account, MembershipRole
from council.accounts.operations import viewed_child_data
from council.councils.models import Council
from council.errors import DomainError, require
from council.exports import Table, table_response, zip_response
from council.extensions import db
from council.privacy import operations, queries
from council.privacy.anonymous import is_erased, public_authors
from council.privacy.forms import CarryOutForm, DataRequestForm, RefuseForm
from council.privacy.models import DataRequest, RequestChannel, RequestKind
from council.templating import render_recorded
from council.visibility import hidden_unless

bp = Blueprint("privacy", __name__)
bp.add_app_template_global(public_authors)


# --- privacy notices ---------------------------------------------------------------------------------

@bp.get("/privacy/children")
def children_notice():
    return render_template("privacy/children.html")


@bp.get("/privacy/guardians")
def guardians_notice():
    return render_template("privacy/guardians.html")


# --- guardians' requests -------------------------------------------------------------------------------

def _handles_requests(account) -> bool:
    return account.is_coordinator or bool(account.councils_as(MembershipRole.teacher, MembershipRole.facilitator))


def load_request(request_id: int) -> DataRequest:
    data_request = db.session.get(DataRequest, request_id) or abort(404)
    hidden_unless(operations.can_handle(current_user, data_request))  # its existence is private too
    return data_request


@bp.get("/privacy/requests")
@login_required
def requests():
    require(_handles_requests(current_user), _("This page is for teachers, facilitators and the coordinating office."))
    return render_template("privacy/requests.html", open_requests=operations.open_requests(current_user),
                           recent=operations.recent_requests(current_user))


@bp.route("/children/<int:child_id>/data-requests/new", methods=["GET", "POST"])
@login_required
def new_request(child_id: int):
    child = db.session.get(Account, child_id)
    if child is None or not child.is_child or is_erased(child):
        abort(404)
    hidden_unless(operations.can_record_for(current_user, child))  # a child's existence is private too
    form = DataRequestForm()
    if form.validate_on_submit():
        try:
            data_request = operations.record_request(
                child, current_user, kind=RequestKind(form.kind.data), requester_name=form.requester_name.data,
                relation=form.relation.data, channel=RequestChannel(form.channel.data), note=form.note.data or "")
        except DomainError as refused:
            db.session.rollback()
            form.kind.errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("The request for %(name)s is recorded.", name=child.display_name), "success")
            return redirect(url_for(".show_request", request_id=data_request.id))
    viewed_child_data(current_user, [child], view="data_request_new")
    return render_recorded("privacy/new_request.html", child=child, form=form,
                           earlier=operations.requests_of(child)), 400 if form.errors else 200


@bp.get("/privacy/requests/<int:request_id>")
@login_required
def show_request(request_id: int):
    data_request = load_request(request_id)
    child = data_request.child
    if not is_erased(child):
        viewed_child_data(current_user, [child], view="data_request")
    return render_recorded("privacy/request.html", data_request=data_request, child=child,
                           erased=is_erased(child), carry_form=CarryOutForm(formdata=None),
                           refuse_form=RefuseForm(formdata=None))


@bp.get("/privacy/requests/<int:request_id>/export.zip")
@login_required
def export_zip(request_id: int):
    data_request = load_request(request_id)
    data = operations.export_data(data_request, current_user)
    db.session.commit()
    return zip_response(f"child-{data_request.child_id}-data.zip", data, private=True)


@bp.post("/privacy/requests/<int:request_id>/carry-out")
@login_required
def carry_out(request_id: int):
    data_request = load_request(request_id)
    form = CarryOutForm()
    if form.validate_on_submit():
        operations.carry_out(data_request, current_user)  # a refusal (done twice, …) is a 409 with its reason
        db.session.commit()
        flash(_("The child's data is deleted.") if data_request.kind is RequestKind.deletion
              else _("The request is marked as done."), "success")
        return redirect(url_for(".show_request", request_id=data_request.id))
    return render_template("privacy/request.html", data_request=data_request, child=data_request.child,
                           erased=is_erased(data_request.child), carry_form=form,
                           refuse_form=RefuseForm(formdata=None)), 400


@bp.post("/privacy/requests/<int:request_id>/refuse")
@login_required
def refuse(request_id: int):
    data_request = load_request(request_id)
    form = RefuseForm()
    if form.validate_on_submit():
        operations.refuse(data_request, current_user, form.reason.data)
        db.session.commit()
        flash(_("The request is refused; tell the guardian why."), "success")
        return redirect(url_for(".show_request", request_id=data_request.id))
    return render_template("privacy/request.html", data_request=data_request, child=data_request.child,
                           erased=is_erased(data_request.child), carry_form=CarryOutForm(formdata=None),
                           refuse_form=form), 400


# --- the audit viewer -------------------------------------------------------------------------------

def _require_auditor() -> None:
    require(current_user.is_coordinator, _("The record is open to the coordinating office and the administrator."))


@bp.get("/audit")
@login_required
def audit():
    _require_auditor()
    filters = queries.AuditFilters.from_args(request.args)
    query = filters.query()
    before = request.args.get("before", type=int)
    if before:
        query = query.where(queries.Event.id < before)
    events = list(db.session.scalars(query.limit(queries.PAGE_SIZE + 1)))
    more = len(events) > queries.PAGE_SIZE
    events = events[:queries.PAGE_SIZE]
    councils = list(db.session.scalars(select(Council).order_by(Council.path)))
    return render_template("privacy/audit.html", events=events, filters=filters, councils=councils,
                           actions=queries.action_choices(), args=filters.args(),
                           older=events[-1].id if more else None, before=before,
                           council_names={c.id: c.display_name for c in councils})


@bp.get("/audit/export.csv")
@login_required
def audit_csv():
    _require_auditor()
    filters = queries.AuditFilters.from_args(request.args)
    councils = {c.id: c.name for c in db.session.scalars(select(Council))}
    header = [_("Entry no."), _("When (UTC)"), _("Username"), _("Who"), _("Action"), _("What"), _("Subject"),
              _("Subject id"), _("Council"), _("From"), _("To"), _("Reason"), _("Details")]
    rows = ([event.id, event.created_at.isoformat(), event.actor.username if event.actor else "",
             event.actor.display_name if event.actor else "", event.action, event.label, event.subject_type,
             event.subject_id, councils.get(event.council_id), str(event.state_label(event.from_state)),
             str(event.state_label(event.to_state)), str(event.reason_text) or None,
             json.dumps(event.data or {}, ensure_ascii=False, sort_keys=True)]
            for event in db.session.scalars(filters.query().limit(queries.CSV_LIMIT)))
    return table_response("events.csv", Table(header, list(rows)), private=True)
