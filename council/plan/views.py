from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from wtforms import HiddenField, StringField

from council.errors import DomainError, require
from council.exports import XLSX, attachment
from council.extensions import db
from council.forms import DateField, EmptyForm, add_error
from council.loading import prepared
from council.plan import files, operations
from council.plan.models import Plan, PlanAction, PlanArea, PlanTask, PlanTaskSuccessor
from council.plan.queries import (
    current_plan,
    current_plan_id,
    current_task,
    current_task_ids,
    current_task_of,
    current_tasks,
    plan_of_version,
    versions,
)

bp = Blueprint("plan", __name__, url_prefix="/plan")


def _current_id() -> int | None:
    """The current plan's id, read once per request."""
    if "current_plan_id" not in g:
        g.current_plan_id = db.session.scalar(prepared(None, lambda: select(current_plan_id())))
    return g.current_plan_id


def _task_plans() -> dict[int, tuple[int, bool]]:
    """Every plan task's id → its plan's version and whether that is the current plan, read once per request with
    one statement (a plan has some forty tasks), so a list of indicators or ideas links its tasks without a
    statement each."""
    if "plan_task_plans" not in g:
        g.plan_task_plans = {task_id: (version, bool(current)) for task_id, version, current in db.session.execute(
            prepared(None, lambda: select(PlanTask.id, Plan.version, (Plan.id == current_plan_id()).label("current"))
                     .join(PlanAction, PlanAction.id == PlanTask.action_id)
                     .join(PlanArea, PlanArea.id == PlanAction.area_id).join(Plan, Plan.id == PlanArea.plan_id)))}
    return g.plan_task_plans


@bp.app_template_global()
def plan_task_url(task: PlanTask) -> str:
    """A task's page: the current plan's at /plan/tasks/<no>, an earlier version's under its version (an idea
    tagged with an earlier task links there)."""
    version, current = _task_plans()[task.id]
    if current:
        return url_for("plan.task", no=task.no)
    return url_for("plan.version_task", version=version, no=task.no)


def _counts(plan: Plan) -> dict:
    actions = [action for area in plan.areas for action in area.actions]
    return {"areas": len(plan.areas), "actions": len(actions), "tasks": sum(len(a.tasks) for a in actions)}


@bp.get("/")
def index():
    plan = current_plan() or abort(404)
    return render_template("plan/index.html", plan=plan, counts=_counts(plan),
                           earlier=[p for p in versions() if p.id != plan.id], current=None)


@bp.get("/versions/<int:version>")
def version(version: int):
    """An earlier version, read only, saying it is not the current one; the current version is /plan/."""
    plan = plan_of_version(version) or abort(404)
    if plan.id == _current_id():
        return redirect(url_for(".index"))
    current = db.session.get(Plan, _current_id())
    return render_template("plan/index.html", plan=plan, counts=_counts(plan), earlier=[], current=current)


@bp.get("/tasks/<int:no>")
def task(no: int):
    task = current_task(no) or abort(404)
    return render_template("plan/task.html", task=task, plan=task.action.area.plan, successor=None, current=None)


@bp.get("/versions/<int:version>/tasks/<int:no>")
def version_task(version: int, no: int):
    """A task of an earlier version, with the current task it continues in when the office has mapped it."""
    plan = plan_of_version(version) or abort(404)
    if plan.id == _current_id():
        return redirect(url_for(".task", no=no))
    task = next((t for area in plan.areas for action in area.actions for t in action.tasks if t.no == no), None)
    task = task or abort(404)
    successor_id = current_task_of(task.id)
    return render_template("plan/task.html", task=task, plan=plan, current=db.session.get(Plan, _current_id()),
                           successor=db.session.get(PlanTask, successor_id) if successor_id else None)


# --- the plan as a file: public data, like the pages ------------------------------------------------------

def _file_name(plan: Plan, extension: str) -> str:
    return f"plan-v{plan.version}.{extension}"


@bp.get("/export.json")
def export_json():
    """The current plan as JSON in the shape of council/static/schemas/plan.schema.json."""
    plan = current_plan() or abort(404)
    return attachment(files.document_json(files.plan_document(plan)), "application/json", _file_name(plan, "json"))


@bp.get("/export.xlsx")
def export_xlsx():
    """The current plan's tasks as a sheet (written by council/exports.py)."""
    plan = current_plan() or abort(404)
    return attachment(files.plan_workbook(plan), XLSX, _file_name(plan, "xlsx"))


# --- the office: read a file, apply it, map the old tasks ---------------------------------------------------

class PlanFileForm(FlaskForm):
    plan_file = FileField(_l("The plan file (.json, .xlsx, .yaml, or the official text as .txt)"))


class ApplyForm(FlaskForm):
    """Applying a previewed document: the document as the preview read it, signed with the application's secret so
    that what is applied is exactly what the office saw, and the plan's title, number and date to confirm or give
    (the official text and a sheet may lack them)."""

    document = HiddenField()
    title = StringField(_l("Title of the plan"))
    document_no = StringField(_l("Document number (optional)"))
    issued_on = DateField(_l("Date of issue"))


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="plan-document")


def _apply_form(document: dict) -> ApplyForm:
    issued = document.get("issued_on")
    try:
        issued_on = date.fromisoformat(issued) if issued else None
    except ValueError:
        issued_on = None
    return ApplyForm(formdata=None, document=_signer().dumps(document), title=document.get("title") or "",
                     document_no=document.get("document_no") or "", issued_on=issued_on)


@bp.route("/preview", methods=["GET", "POST"])
@login_required
def load():
    """The office reads a plan file and sees what it holds before anything changes: the counts, every task with
    its lead units found among the units (unknown names listed, never guessed), its targets, and the problems.
    Reading changes nothing; a clean preview offers to apply the document as a new version (``apply``)."""
    require(current_user.is_coordinator, _("This page is for the district coordinating office."))
    form = PlanFileForm()
    found = apply_form = None
    already = False
    if request.method == "POST":
        upload = form.plan_file.data
        if not form.validate_on_submit():
            add_error(form, "plan_file", _("Please choose the file again."))
        elif upload is None or not upload.filename:
            add_error(form, "plan_file", _("Choose the plan file."))
        else:
            try:
                found = files.preview(files.read_plan(upload.filename, upload.read()))
            except files.PlanFileError as refused:
                for problem in refused.problems:
                    add_error(form, "plan_file", problem)
    if found is not None and not found.problems:
        already = operations.is_current_document(found.document)
        apply_form = None if already else _apply_form(found.document)
    return render_template("plan/load.html", form=form, preview=found, apply_form=apply_form,
                           already=already), 400 if form.errors else 200


@bp.post("/apply")
@login_required
def apply():
    """Apply the previewed document as the new current version, then on to mapping the old version's tasks."""
    require(current_user.is_coordinator, _("This page is for the district coordinating office."))
    form = ApplyForm()
    valid = form.validate_on_submit()
    document = None
    try:
        document = _signer().loads(form.document.data or "")
    except BadSignature:
        add_error(form, None, _("This is not the plan that was read. Please read the file again."))
    if document is not None and valid:
        # the form's fields, filled from the file, stand for its title, number and date
        document = operations.with_details(dict(document, title=None, document_no=None, issued_on=None),
                                           title=form.title.data, document_no=form.document_no.data,
                                           issued_on=form.issued_on.data)
        for name, problem in operations.detail_problems(document):
            add_error(form, name, problem)
    if document is not None and valid and not form.errors:
        try:
            previous = current_plan()
            plan = operations.apply_document(document, actor=current_user)
        except operations.AlreadyCurrent as refused:
            db.session.rollback()
            flash(refused.message, "info")
            return redirect(url_for(".index"))
        except files.PlanFileError as refused:
            db.session.rollback()
            for problem in refused.problems:
                add_error(form, None, problem)
        else:
            db.session.commit()
            flash(_("Version %(version)s is now the current plan. Say which of the earlier tasks continue in its "
                    "tasks.", version=plan.version), "success")
            if previous is None:
                return redirect(url_for(".index"))
            return redirect(url_for(".mapping", version=previous.version))
    elif document is not None and not form.errors:
        add_error(form, None, _("Please press the button again."))
    found = files.preview(document) if document is not None else None
    return render_template("plan/load.html", form=PlanFileForm(formdata=None), preview=found, apply_form=form,
                           already=False), 400


@bp.route("/versions/<int:version>/mapping", methods=["GET", "POST"])
@login_required
def mapping(version: int):
    """The office says, for each task of an earlier version, which task of the current plan continues it. The
    form starts from what was saved, or else from the current task with the same number and title (a
    suggestion, applied only when the office saves)."""
    require(current_user.is_coordinator, _("This page is for the district coordinating office."))
    old = plan_of_version(version) or abort(404)
    if old.id == _current_id():
        flash(_("This is the current plan: its tasks continue in themselves."), "info")
        return redirect(url_for(".index"))
    new_tasks = list(db.session.scalars(current_tasks()))
    old_tasks = [t for area in old.areas for action in area.actions for t in action.tasks]
    continues_in = current_task_ids()
    saved = set(db.session.scalars(select(PlanTaskSuccessor.old_task_id).where(
        PlanTaskSuccessor.old_task_id.in_([t.id for t in old_tasks]))))
    suggested = operations.suggested_successors(old)
    chosen = {t.id: continues_in.get(t.id) if t.id in saved else getattr(suggested.get(t.id), "id", None)
              for t in old_tasks}
    form, error = EmptyForm(), None
    if request.method == "POST":
        valid = {str(t.id) for t in new_tasks}
        sent = {t.id: request.form.get(f"task-{t.id}", "") for t in old_tasks}
        wrong = [t for t in old_tasks if sent[t.id] and sent[t.id] not in valid]
        if not form.validate_on_submit():
            error = _("Please press the button again.")
        elif wrong:
            error = _("Choose a task of the current plan for task %(no)s.", no=wrong[0].no)
        else:
            try:
                changed = operations.map_tasks(old, {k: int(v) if v else None for k, v in sent.items()},
                                               actor=current_user)
            except DomainError as refused:
                db.session.rollback()
                error = refused.message
            else:
                db.session.commit()
                flash(_("The mapping is saved (%(n)s changed).", n=changed), "success")
                return redirect(url_for(".version", version=old.version))
        chosen = {k: int(v) if v in valid else None for k, v in sent.items()}
    current = db.session.get(Plan, _current_id())
    return render_template("plan/mapping.html", plan=old, current=current, old_tasks=old_tasks, new_tasks=new_tasks,
                           chosen=chosen, saved_ids=saved, suggested=suggested, form=form,
                           error=error), 400 if error else 200
