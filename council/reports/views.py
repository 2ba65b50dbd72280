"""Pages for help requests and content flags."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from council.errors import DomainError, require
from council.extensions import db, limiter
from council.forms import EmptyForm, checked_form
from council.reports import operations
from council.reports.forms import CloseHelpForm, FlagForm, HelpForm, RemoveForm
from council.reports.models import HELP_ICONS, FlagReason, FlagStatus, HelpKind, HelpRequest
from council.urls import safe_next
from council.visibility import hidden_unless, refuse_unless

bp = Blueprint("reports", __name__)


def _help_key() -> str:
    """Per account when signed in (a class shares one school address); per address for visitors."""
    if current_user.is_authenticated:
        return f"help:account:{current_user.id}"
    return f"help:address:{request.remote_addr}"


def _sent(response) -> bool:
    return response.status_code == 302


@bp.app_context_processor
def reporting():
    return {"flag_context": flag_context}


def flag_context(target_type: str, item) -> dict:
    """What the idea page (or any flaggable item's page) shows about flags, for the person looking."""
    target = operations.target_of(target_type)
    mine = operations.my_flag(target_type, item.id, current_user)
    can_review = operations.can_review(target, item, current_user)
    review = operations.latest_review(target_type, item.id) if target.is_hidden(item) else None
    return {
        "target": target, "item": item, "hidden": target.is_hidden(item), "mine": mine,
        "can_flag": mine is None and operations.may_flag(target, item, current_user),
        "can_review": can_review,
        "open": len(operations.open_flags(target_type, item.id)) if can_review else 0,
        "removed": review if review is not None and review.decision is FlagStatus.removed else None,
    }


# --- asking for help ----------------------------------------------------------------------------

@bp.route("/help", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["HELP_REQUEST_LIMIT"], key_func=_help_key, methods=["POST"],
               deduct_when=_sent)
def help():
    form = HelpForm()
    if request.method == "GET":
        form.page.data = operations.clean_path(request.args.get("from"))
        form.key.data = secrets.token_urlsafe(24)
    if form.validate_on_submit():
        try:
            operations.ask_for_help(current_user, HelpKind(form.kind.data), form.message.data or "",
                                    form.page.data, form.key.data)
        except DomainError as refused:
            db.session.rollback()
            form.kind.errors.append(refused.message)
            form.key.data = secrets.token_urlsafe(24)
        else:
            db.session.commit()
            return redirect(url_for(".sent", back=form.page.data or None))
    return render_template("reports/help.html", form=form, icons=HELP_ICONS,
                           kinds=list(HelpKind)), 400 if form.errors else 200


@bp.get("/help/sent")
def sent():
    back = request.args.get("back")
    return render_template("reports/sent.html", back=safe_next(back) if back else None)


@bp.get("/help/mine")
@login_required
def mine():
    return render_template("reports/mine.html", requests=operations.mine(current_user), icons=HELP_ICONS)


# --- the facilitators' inbox --------------------------------------------------------------------

def _require_inbox_reader() -> None:
    require(current_user.is_coordinator or bool(current_user.councils_as("facilitator")),
            _("This page is for council facilitators."))


def load_request(request_id: int) -> HelpRequest:
    help_request = db.session.get(HelpRequest, request_id) or abort(404)
    hidden_unless(operations.can_handle(help_request, current_user))  # a child's message: private, even its id
    return help_request


@bp.get("/help-requests")
@login_required
def inbox():
    _require_inbox_reader()
    show_closed = request.args.get("show") == "all"
    return render_template("reports/inbox.html", requests=operations.inbox(current_user, show_closed=show_closed),
                           show_closed=show_closed, icons=HELP_ICONS)


@bp.get("/help-requests/<int:request_id>")
@login_required
def show(request_id: int):
    help_request = load_request(request_id)
    operations.viewed(help_request, current_user)
    db.session.commit()
    return _request_page(help_request)


def _request_page(help_request: HelpRequest, close_form=None, status=200):
    return render_template("reports/request.html", help_request=help_request, icons=HELP_ICONS, form=EmptyForm(),
                           close_form=close_form or CloseHelpForm(formdata=None)), status


@bp.post("/help-requests/<int:request_id>/seen")
@login_required
def seen(request_id: int):
    help_request = load_request(request_id)
    checked_form()
    if help_request.status.value == "open":  # a second tap changes nothing
        operations.mark_seen(help_request, current_user)
        db.session.commit()
        flash(_("Marked as seen. The child is told that an adult has seen it."), "success")
    return redirect(url_for(".show", request_id=help_request.id))


@bp.post("/help-requests/<int:request_id>/close")
@login_required
def close(request_id: int):
    help_request = load_request(request_id)
    if help_request.status.value == "closed":  # a second tap: it is already closed
        return redirect(url_for(".show", request_id=help_request.id))
    form = CloseHelpForm()
    if not form.validate_on_submit():
        return _request_page(help_request, close_form=form, status=400)
    operations.close(help_request, current_user, form.note.data)
    db.session.commit()
    flash(_("Closed. The child can read your note."), "success")
    return redirect(url_for(".inbox"))


# --- flags --------------------------------------------------------------------------------------

def load_target(target_type: str, target_id: int):
    target = operations.target_of(target_type) or abort(404)
    item = target.get(target_id) or abort(404)
    return target, item


@bp.route("/flags/<target_type>/<int:target_id>", methods=["GET", "POST"])
@login_required
def flag(target_type: str, target_id: int):
    """A small page of its own, so a mistake in the form keeps what was typed, without JavaScript."""
    target, item = load_target(target_type, target_id)
    if operations.my_flag(target.type, item.id, current_user) is not None:  # a second tap
        flash(_("You have already told us. Thank you!"), "info")
        return redirect(target.url(item) if target.is_flaggable(item) else url_for(target.list_endpoint))
    if not target.is_flaggable(item):
        abort(404)  # not public: whether it exists is nobody else's business
    require(operations.may_flag(target, item, current_user),
            _("This is your own. If you want it gone, you can withdraw it."))
    form = FlagForm()
    if form.validate_on_submit():
        try:
            operations.flag(current_user, target, item, FlagReason(form.reason.data), form.note.data or "")
        except DomainError as refused:
            db.session.rollback()
            form.reason.errors.append(refused.message)
        else:
            db.session.commit()
            if target.is_hidden(item):
                flash(_("Thank you for telling us. It is hidden now, until an adult has checked it."), "success")
                return redirect(url_for(target.list_endpoint))
            flash(_("Thank you for telling us. An adult will check it."), "success")
            return redirect(target.url(item))
    icons = {reason.value: reason.icon for reason in FlagReason}
    return render_template("reports/flag.html", form=form, target=target, item=item, reason_icons=icons), \
        400 if form.errors else 200


@bp.get("/flags")
@login_required
def flags():
    _require_inbox_reader()
    return render_template("reports/flags.html", queue=operations.review_queue(current_user), form=EmptyForm(),
                           remove_form=RemoveForm(formdata=None), failed=None)


def _reviewed(target_type: str, target_id: int):
    target, item = load_target(target_type, target_id)
    refuse_unless(operations.can_review(target, item, current_user), target.is_visible(item, current_user),
                  _("Only a facilitator of this council can do that."))
    return target, item


@bp.post("/flags/<target_type>/<int:target_id>/keep")
@login_required
def keep(target_type: str, target_id: int):
    target, item = _reviewed(target_type, target_id)
    checked_form()
    if not operations.open_flags(target.type, item.id):  # a second tap: already decided
        return redirect(url_for(".flags"))
    operations.keep(current_user, target, item, request.form.get("reason", "")[:1000])
    db.session.commit()
    flash(_("Kept. “%(title)s” is public again.", title=target.title(item)), "success")
    return redirect(url_for(".flags"))


@bp.post("/flags/<target_type>/<int:target_id>/remove")
@login_required
def remove(target_type: str, target_id: int):
    target, item = _reviewed(target_type, target_id)
    if not operations.open_flags(target.type, item.id):  # a second tap: already decided
        return redirect(url_for(".flags"))
    form = RemoveForm()
    if not form.validate_on_submit():
        return render_template("reports/flags.html", queue=operations.review_queue(current_user), form=EmptyForm(),
                               remove_form=form, failed=(target.type, item.id)), 400
    operations.remove(current_user, target, item, form.reason.data)
    db.session.commit()
    flash(_("Taken down. The authors can read your reason."), "success")
    return redirect(url_for(".flags"))
