from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select

from council.errors import require
from council.extensions import db
from council.forms import add_error
from council.plan import files
from council.plan.models import PlanTask
from council.plan.queries import current_plan

bp = Blueprint("plan", __name__, url_prefix="/plan")


@bp.get("/")
def index():
    plan = current_plan() or abort(404)
    actions = [action for area in plan.areas for action in area.actions]
    counts = {"areas": len(plan.areas), "actions": len(actions), "tasks": sum(len(a.tasks) for a in actions)}
    return render_template("plan/index.html", plan=plan, counts=counts)


@bp.get("/tasks/<int:no>")
def task(no: int):
    task = db.session.scalar(select(PlanTask).where(PlanTask.no == no)) or abort(404)
    return render_template("plan/task.html", task=task)


class PlanFileForm(FlaskForm):
    plan_file = FileField(_l("The plan file (.json, .xlsx, .yaml, or the official text as .txt)"))


@bp.route("/preview", methods=["GET", "POST"])
@login_required
def load():
    """The office reads a plan file and sees what it holds before anything changes: the counts, every task with
    its lead units found among the units (unknown names listed, never guessed), its targets, and the problems.
    Nothing is changed here: applying a plan as a new version comes with plan versions (the command line says the
    same: ``flask --app council plan load FILE``)."""
    require(current_user.is_coordinator, _("This page is for the district coordinating office."))
    form = PlanFileForm()
    found = None
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
    return render_template("plan/load.html", form=form, preview=found), 400 if form.errors else 200
