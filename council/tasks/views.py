from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from council.calendar import clock
from council.errors import DomainError, require
from council.extensions import db
from council.forms import EmptyForm, about, add_error, checked_form, whole_number
from council.paging import asked_page
from council.proposals.models import Proposal
from council.proposals.operations import can_view
from council.tasks import operations, queries
from council.tasks.forms import (
    ExtensionForm,
    ProgressForm,
    RateForm,
    RedispatchForm,
    ReplyForm,
    ReturnForm,
    WithdrawForm,
)
from council.tasks.models import Grade, RatingValue, Task
from council.units.models import Unit
from council.uploads import storage
from council.uploads.images import process_image
from council.visibility import hidden_unless, refuse_unless

bp = Blueprint("tasks", __name__)


def load_task(task_id: int) -> Task:
    """A unit's staff see their own unit's tasks; the office that routes the idea sees them all."""
    task = db.session.get(Task, task_id) or abort(404)
    hidden_unless(current_user.serves_unit(task.unit) or operations.can_route(task.proposal, current_user))
    return task


# The address's name for the page of the units' requests for more time, the routing page's second list.
MORE_TIME = "more_time"


@bp.get("/routing")
@login_required
def routing():
    require(current_user.is_coordinator or bool(current_user.councils_as("facilitator")),
            _("This page is for the district coordinating office."))
    listed = queries.routing_queue(current_user, asked_page())
    asking = queries.waiting_extensions(asked_page(MORE_TIME)) if current_user.is_coordinator else None
    return render_template("tasks/routing.html", listed=listed, queue=listed.items, asking=asking,
                           more_time=MORE_TIME, form=EmptyForm(), returned=queries.returned_now(listed.items),
                           reopened_by=queries.reopenings(listed.items))


@bp.route("/ideas/<int:proposal_id>/route", methods=["GET", "POST"])
@login_required
def route(proposal_id: int):
    proposal = db.session.get(Proposal, proposal_id) or abort(404)
    refuse_unless(operations.can_route(proposal, current_user), can_view(proposal, current_user),
                  _("Only the coordinating office can do that."))
    error = error_field = None
    if request.method == "POST":
        checked_form()
        lead = db.session.get(Unit, request.form.get("lead", type=whole_number) or 0)
        co_units = list(db.session.scalars(select(Unit).where(Unit.id.in_(request.form.getlist("co",
                                                                                              type=whole_number)))))
        try:
            operations.route(proposal, current_user, lead=lead, co_units=co_units, note=request.form.get("note", ""))
        except DomainError as refused:
            db.session.rollback()
            error, error_field = refused.message, refused.field
        else:
            db.session.commit()
            flash(_("The idea is on its way to the units."), "success")
            return redirect(url_for("proposals.show", proposal_id=proposal.id))
    suggested = operations.suggested_units(proposal)
    others = [u for u in db.session.scalars(select(Unit).where(Unit.is_active.is_(True)).order_by(Unit.id))
              if u.routable and u not in suggested]
    return render_template("tasks/route.html", proposal=proposal, suggested=suggested, others=others,
                           tasks=operations.tasks_of(proposal), error=error, error_field=error_field, form=EmptyForm(),
                           reopened_by=queries.reopening(proposal),
                           needs_lead=operations.needs_routing(proposal) or proposal.state.value != "routed",
                           chosen_lead=request.form.get("lead", type=whole_number),
                           chosen_co=request.form.getlist("co", type=whole_number)), 400 if error else 200


# The forms of a task page: a refused one is shown again with its error beside the field and the words typed.
TASK_FORMS = {"reply": ReplyForm, "extension": ExtensionForm, "progress": ProgressForm, "return": ReturnForm,
              "withdraw": WithdrawForm, "redispatch": RedispatchForm}


def _task_forms(action: str | None = None) -> dict:
    forms = {name: cls() if name == action else cls(formdata=None) for name, cls in TASK_FORMS.items()}
    forms["reply"].grade.choices = [(g.value, g.label) for g in Grade]
    return forms


def _task_page(task: Task, forms: dict, failed: str | None = None):
    return render_template("tasks/show.html", task=task, today=clock.today(), form=EmptyForm(),
                           reply_form=forms["reply"], extension_form=forms["extension"],
                           progress_form=forms["progress"], return_form=forms["return"],
                           withdraw_form=forms["withdraw"], redispatch_form=forms["redispatch"], failed=failed,
                           context=queries.task_context(task, current_user),
                           is_staff=current_user.serves_unit(task.unit),
                           can_route=operations.can_route(task.proposal, current_user)), 400 if failed else 200


@bp.get("/tasks/<int:task_id>")
@login_required
def show(task_id: int):
    return _task_page(load_task(task_id), _task_forms())


def _reply(task: Task, form: ReplyForm) -> None:
    photos = []
    if form.photo.data and form.photo.data.filename:
        with about("photo"):
            processed = process_image(form.photo.data.stream, max_bytes=current_app.config["IMAGE_MAX_BYTES"])
        photos.append((storage.store_image(processed, current_user), form.photo_description.data or ""))
    operations.reply(task, current_user, grade=Grade(form.grade.data), summary=form.summary.data,
                     reply_text=form.reply_text.data, reason=form.reason.data, photos=photos)


@bp.post("/tasks/<int:task_id>/<action>")
@login_required
def act(task_id: int, action: str):
    task = load_task(task_id)
    forms = _task_forms(action if action in TASK_FORMS else None)
    form = forms.get(action)
    text = request.form.get("text") or request.form.get("reason") or ""
    actions = {
        "acknowledge": (lambda: operations.acknowledge(task, current_user),
                        _("Acknowledged. The children can see it.")),
        "return": (lambda: operations.send_back(task, current_user, text),
                   _("Sent back to the coordinating office with your reason.")),
        "progress": (lambda: operations.post_progress(task, current_user, text), _("Progress posted.")),
        "reply": (lambda: _reply(task, form), _("Your answer is sent. The children will rate it.")),
        "extension": (lambda: operations.request_extension(task, current_user, form.until.data, form.reason.data),
                      _("The coordinating office will decide on more time.")),
        "approve": (lambda: operations.decide_extension(task, current_user, approve=True),
                    _("More time granted; the children see the new date.")),
        "refuse": (lambda: operations.decide_extension(task, current_user, approve=False),
                   _("More time refused.")),
        "withdraw": (lambda: operations.withdraw(task, current_user, text), _("The task is taken back.")),
        "redispatch": (lambda: operations.redispatch(task, current_user, form.note.data),
                       _("The task is with the unit again, with your note.")),
    }
    if action not in actions:
        abort(404)
    if form is None:
        checked_form()
    elif not form.validate_on_submit():
        return _task_page(task, forms, failed=action)
    call, message = actions[action]
    try:
        call()
    except DomainError as refused:
        db.session.rollback()
        if form is not None and refused.field is not None:  # what was typed stays, the reason beside its field
            add_error(form, refused.field, refused.message)
            return _task_page(task, forms, failed=action)
        flash(refused.message, "error")
        return redirect(url_for(".show", task_id=task_id) + f"#{action}")
    db.session.commit()
    flash(message, "success")
    if action in ("approve", "refuse"):
        return redirect(url_for(".routing"))
    return redirect(url_for(".show", task_id=task_id))  # by the address: nothing read after the commit


@bp.post("/ideas/<int:proposal_id>/rate")
@login_required
def rate(proposal_id: int):
    proposal = db.session.get(Proposal, proposal_id) or abort(404)
    hidden_unless(can_view(proposal, current_user))
    form = RateForm()
    form.value.choices = [(v.value, v.label) for v in RatingValue]
    if not form.validate_on_submit():  # the idea's page again, the answer chosen and the words typed kept
        from council.proposals.views import idea_page

        return idea_page(proposal.id, rate_form=form, status=400)
    try:
        operations.rate(proposal, current_user, RatingValue(form.value.data), form.comment.data or "")
    except operations.AlreadyRated:  # a second tap: the first one counts
        db.session.rollback()
        return redirect(url_for("proposals.show", proposal_id=proposal.id))
    db.session.commit()
    flash(_("Thank you for telling us what you think!"), "success")
    return redirect(url_for("proposals.show", proposal_id=proposal.id))


