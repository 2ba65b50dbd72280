"""The JSON API a unit's own system uses to work its tasks, at /api/v1/unit, with one bearer token per unit;
and the page where the coordinating office issues and revokes those tokens.

Items use Open311 GeoReport v2 names where they fit, so a government case-handling system can map them
without a guide; the platform's own fields sit beside them. Every change goes through the same
``council.tasks.operations`` as the website, acted by the unit's integration account."""

from __future__ import annotations

from datetime import datetime, time
from functools import wraps

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from council.api.pagination import paginated
from council.calendar import clock
from council.errors import DomainError, require
from council.extensions import csrf, db
from council.tasks import operations, tokens
from council.tasks.models import OPEN_STATES, Grade, Task, TaskState, UnitToken
from council.units.models import Unit

# No url_prefix: the token page lives outside the API's path, so the API writes its own.
bp = Blueprint("unit_api", __name__)

API = "/api/v1/unit"
SERVICE_NAME = "儿童建议"  # Open311 service_name: data for other systems, the same in every language
CLOSE_OF_BUSINESS = time(18)


class InvalidInput(DomainError):
    status = 400


# --- authentication ----------------------------------------------------------------------------------

def _unauthorised():
    challenge = 'Bearer realm="unit-api"'
    if request.headers.get("Authorization"):
        challenge += ', error="invalid_token"'  # RFC 6750: a credential was sent but does not open anything
    response = jsonify({"error": {"status": 401, "message": _(
        "A valid unit token is needed, sent in the header “Authorization: Bearer <token>”.")}})
    response.status_code = 401
    response.headers["WWW-Authenticate"] = challenge
    return response


def token_required(view):
    """Passes the request's live token to the view, or answers 401.

    Such a view trusts the bearer token only, never the session cookie, so a forged cross-site request
    gains nothing: it is exempt from CSRF, while the token page of this blueprint stays protected."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        token = tokens.authenticate(request.headers.get("Authorization"))
        if token is None:
            return _unauthorised()
        return view(token, *args, **kwargs)

    return csrf.exempt(wrapper)


def load_task(token: UnitToken, task_id: int) -> Task:
    """Another unit's task does not exist, as far as this token can tell."""
    task = db.session.get(Task, task_id)
    if task is None or task.unit_id != token.unit_id:
        abort(404)
    return task


# --- items ---------------------------------------------------------------------------------------------

def _status_notes(task: Task) -> str | None:
    if task.state is TaskState.replied:
        return task.summary
    if task.state is TaskState.returned:
        return task.return_reason
    return task.updates[-1].text if task.updates else None


def request_json(task: Task) -> dict:
    """One task as an Open311 service request. The children's words only, never who they are."""
    proposal = task.proposal
    zone = clock.zone()
    updated = max([task.updated_at, *(u.created_at for u in task.updates)])
    public = proposal.is_public
    return {
        "service_request_id": task.id,
        "status": "open" if task.state in OPEN_STATES else "closed",
        "status_notes": _status_notes(task),
        "agency_responsible": task.unit.name,
        "service_name": SERVICE_NAME,
        "description": "\n\n".join(text for text in (proposal.problem, proposal.idea) if text) if public else "",
        "address": (proposal.place or None) if public else None,
        "requested_datetime": task.dispatched_at.isoformat(),
        "expected_datetime": datetime.combine(task.reply_due, CLOSE_OF_BUSINESS, zone).isoformat(),
        "updated_datetime": updated.isoformat(),
        "state": task.state.value,
        "role": task.role.value,
        "acknowledge_due": task.acknowledge_due.isoformat(),
        "reply_due": task.reply_due.isoformat(),
        "grade": task.grade.value if task.grade else None,
        "proposal_id": proposal.id,
        "title": proposal.title,
    }


def json_fields(*required: str, optional: tuple[str, ...] = ()) -> dict[str, str]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput(_("Send a JSON object, with the header “Content-Type: application/json”."))
    fields = {}
    for name in (*required, *optional):
        value = body.get(name)
        if value is None and name in required:
            raise InvalidInput(_("The field “%(name)s” is missing.", name=name))
        if value is not None and not isinstance(value, str):
            raise InvalidInput(_("The field “%(name)s” must be text.", name=name))
        fields[name] = value or ""
    return fields


# --- reading -------------------------------------------------------------------------------------------

@bp.get(f"{API}/requests")
@token_required
def list_requests(token: UnitToken):
    """This unit's tasks, newest first. Filters: status=open|closed; page, per_page."""
    query = select(Task).where(Task.unit_id == token.unit_id)
    status = request.args.get("status")
    if status == "open":
        query = query.where(Task.state.in_(OPEN_STATES))
    elif status == "closed":
        query = query.where(Task.state.not_in(OPEN_STATES))
    elif status:
        raise InvalidInput(_("The status filter is “open” or “closed”."))
    query = query.options(selectinload(Task.proposal), selectinload(Task.unit), selectinload(Task.updates))
    body = paginated(query.order_by(Task.dispatched_at.desc(), Task.id.desc()), request_json)
    db.session.commit()  # the token's last use
    return jsonify(body)


@bp.get(f"{API}/requests/<int:task_id>")
@token_required
def show_request(token: UnitToken, task_id: int):
    task = load_task(token, task_id)
    body = request_json(task)
    db.session.commit()  # the token's last use
    return jsonify(body)


# --- changing ------------------------------------------------------------------------------------------

def _act(token: UnitToken, task_id: int, change, status: int = 200):
    """Load, parse, operate as the unit's integration account, commit once, answer with the task."""
    task = load_task(token, task_id)
    try:
        change(task, tokens.service_account(task.unit))
    except DomainError as refused:
        db.session.rollback()
        # The operations refuse bad input with a plain DomainError; to an API client that is a 400.
        # Subclasses keep their status: an illegal transition 409, a permission 403.
        if type(refused) is DomainError:
            raise InvalidInput(refused.message) from refused
        raise
    db.session.commit()
    return jsonify(request_json(task)), status


@bp.post(f"{API}/requests/<int:task_id>/acknowledge")
@token_required
def acknowledge(token: UnitToken, task_id: int):
    return _act(token, task_id, operations.acknowledge)


@bp.post(f"{API}/requests/<int:task_id>/progress")
@token_required
def progress(token: UnitToken, task_id: int):
    def change(task, actor):
        operations.post_progress(task, actor, json_fields("status_notes")["status_notes"])

    return _act(token, task_id, change, 201)


@bp.post(f"{API}/requests/<int:task_id>/reply")
@token_required
def reply(token: UnitToken, task_id: int):
    def change(task, actor):
        fields = json_fields("grade", "summary", optional=("reply_text", "reason"))
        grade = next((g for g in Grade if g.value == fields["grade"].strip().upper()), None)
        if grade is None:
            raise InvalidInput(_("The grade is one of %(grades)s.", grades=", ".join(g.value for g in Grade)))
        operations.reply(task, actor, grade=grade, summary=fields["summary"], reply_text=fields["reply_text"],
                         reason=fields["reason"])

    return _act(token, task_id, change)


@bp.post(f"{API}/requests/<int:task_id>/return")
@token_required
def send_back(token: UnitToken, task_id: int):
    def change(task, actor):
        operations.send_back(task, actor, json_fields("reason")["reason"])

    return _act(token, task_id, change)


# --- the coordinating office's token page -------------------------------------------------------------

class TokenForm(FlaskForm):
    name = StringField(_l("Name of the system that will use it"), validators=[
        DataRequired(_l("Name the system that will use the token.")), Length(max=tokens.NAME_MAX)],
        description=_l("For example, the unit's case-handling system. Only the coordinating office sees it."))


def load_unit(unit_id: int) -> Unit:
    require(current_user.is_coordinator, _("Only the coordinating office can do that."))
    return db.session.get(Unit, unit_id) or abort(404)


@bp.route("/units/<int:unit_id>/tokens", methods=["GET", "POST"], endpoint="tokens")
@login_required
def token_page(unit_id: int):
    unit = load_unit(unit_id)
    form = TokenForm()
    issued, error = None, None
    if form.validate_on_submit():
        try:
            issued = tokens.issue_token(unit, form.name.data, current_user)
        except DomainError as refused:
            db.session.rollback()
            error = refused.message
        else:
            db.session.commit()
            form = TokenForm(formdata=None)
    failed = request.method == "POST" and issued is None
    response = make_response(render_template(
        "tasks/tokens.html", unit=unit, unit_tokens=tokens.tokens_of(unit), form=form, issued=issued, error=error,
        api_url=url_for(".list_requests", _external=True)), 400 if failed else 200)
    if issued:
        response.headers["Cache-Control"] = "no-store"  # the only page that ever holds the plain token
    return response


@bp.post("/units/<int:unit_id>/tokens/<int:token_id>/revoke")
@login_required
def revoke(unit_id: int, token_id: int):
    unit = load_unit(unit_id)
    token = db.session.get(UnitToken, token_id)
    if token is None or token.unit_id != unit.id:
        abort(404)
    try:
        tokens.revoke_token(token, current_user)
    except DomainError as refused:
        db.session.rollback()
        flash(refused.message, "error")
    else:
        db.session.commit()
        flash(_("The token “%(name)s” no longer works.", name=token.name), "success")
    return redirect(url_for(".tokens", unit_id=unit.id))
