"""The office's pages for setting up its district from spreadsheets: upload, preview, apply, links to print."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from council.councils.models import CouncilKind
from council.errors import DomainError, require
from council.exports import Table, table_response
from council.extensions import db
from council.forms import EmptyForm, add_error, checked_form
from council.setup import importing, operations
from council.setup.forms import SetupFilesForm
from council.setup.importing import AdultRole
from council.setup.models import KINDS, SetupImport
from council.units.models import UnitKind

bp = Blueprint("setup", __name__, url_prefix="/setup")

# The templates the office fills in, in the reader's language (the import reads both): the columns, and one example
# row with the words for kinds and roles in Chinese and in English.
TEMPLATES = {
    "councils": (("name", "kind", "town", "area"),
                 ["和平社区", ("社区", "community"), "大街街道", "和平路 1-20 号"]),
    "units": (("name", "name_en", "kind", "group", "contact"),
              ["区档案馆", "District Archives", ("部门", "department"), "", "王老师 0533-6412345"]),
    "adults": (("name", "phone", "email", "role", "council", "unit", "starts_on", "ends_on"),
               ["张丽", "138 0000 0000", "zhangli@example.cn", ("辅导员", "facilitator"), "和平社区", "", "2026-09-01",
                "2028-08-31"]),
}
TITLES = {"councils": _l("Councils"), "units": _l("Responsible units"), "adults": _l("Adults")}


def template_table(kind: str) -> Table:
    fields, example = TEMPLATES[kind]
    chinese = get_locale().language == "zh"
    header = [importing.COLUMNS[kind][name][0] if chinese else str(importing.FIELD_LABELS[name]) for name in fields]
    row = [cell[0 if chinese else 1] if isinstance(cell, tuple) else cell for cell in example]
    return Table(header, [row], title=str(TITLES[kind]))


def _office() -> None:
    require(operations.can_set_up(current_user), _("This page is for the district coordinating office."))


def _recent() -> list[SetupImport]:
    return list(db.session.scalars(select(SetupImport).order_by(SetupImport.id.desc()).limit(10)))


@bp.route("", methods=["GET", "POST"])
@login_required
def index():
    _office()
    form = SetupFilesForm()
    if request.method == "POST":
        uploads = {kind: form[kind].data for kind in KINDS
                   if form[kind].data is not None and getattr(form[kind].data, "filename", "")}
        if not form.validate_on_submit():
            add_error(form, None, _("Please choose the files again."))
        elif not uploads:
            add_error(form, "councils", _("Choose at least one file: councils, units or adults."))
        else:
            try:
                pending = operations.preview(current_user, {kind: (upload.filename, upload.read())
                                                            for kind, upload in uploads.items()})
            except DomainError as refused:
                db.session.rollback()
                add_error(form, refused.field if refused.field in KINDS else "councils", refused.message)
            else:
                db.session.commit()
                return redirect(url_for(".show", token=pending.token))
    return render_template("setup/index.html", form=form, imports=_recent()), 400 if form.errors or (
        form.form_errors) else 200


@bp.get("/templates/<any(councils, units, adults):kind>.<any(csv, xlsx):fmt>")
@login_required
def template(kind: str, fmt: str):
    _office()
    return table_response(f"setup-{kind}.{fmt}", template_table(kind))


def _show(pending: SetupImport, error: str | None = None, status: int = 200):
    return render_template("setup/preview.html", pending=pending, form=EmptyForm(), error=error, kinds=KINDS,
                           problem_text=importing.problem_text, change_value=change_value, field_label=field_label,
                           waiting=len(operations.waiting_accounts(pending)) if pending.applied_at else 0), status


@bp.route("/imports/<token>", methods=["GET", "POST"])
@login_required
def show(token: str):
    _office()
    pending = operations.find_import(token) or abort(404)
    if request.method == "GET":
        return _show(pending)
    checked_form()
    try:
        done = operations.apply(pending, current_user)
        db.session.commit()
    except operations.AlreadyApplied as again:
        db.session.rollback()
        flash(again.message, "info")
        return redirect(url_for(".show", token=token))
    except DomainError as refused:
        db.session.rollback()
        return _show(pending, refused.message, 400)
    except IntegrityError:  # another import created the same council, unit or username at the same moment
        db.session.rollback()
        return _show(pending, _("Another import added some of the same councils, units or people at the same "
                                "moment. Upload the files again to see what they do now; nothing was changed."), 409)
    return render_template("setup/applied.html", pending=pending, done=done, sheet=done.sheet, form=EmptyForm())


@bp.post("/imports/<token>/links")
@login_required
def links(token: str):
    _office()
    pending = operations.find_import(token) or abort(404)
    checked_form()
    sheet = operations.new_links(pending, current_user)
    db.session.commit()
    if not sheet:
        flash(_("Everyone of this import has set a password already."), "info")
        return redirect(url_for(".show", token=token))
    return render_template("setup/applied.html", pending=pending, done=None, sheet=sheet, form=EmptyForm())


def field_label(name: str) -> str:
    return str(importing.FIELD_LABELS[name])


def change_value(kind: str, field: str, value) -> str:
    """A value of a row or of a change as the office reads it: kinds and roles by their labels, days as dates."""
    if value in (None, ""):
        return "—"
    if field == "kind":
        enum = CouncilKind if kind == "councils" else UnitKind
        return str(enum.label_of(value))
    if field == "role":
        return str(AdultRole.label_of(value))
    if field in ("starts_on", "ends_on"):
        return format_date(date.fromisoformat(value))
    return str(value)
