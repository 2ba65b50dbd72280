from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from council.errors import require
from council.extensions import db
from council.notifications import operations
from council.notifications.forms import chosen, delivery_form

bp = Blueprint("notifications", __name__)


@bp.get("/notifications")
@login_required
def index():
    return render_template("notifications/index.html", threads=operations.threads(current_user),
                           text_of=operations.text_of, links=operations.LINKS)


@bp.route("/notifications/mail", methods=["GET", "POST"])
@login_required
def mail():
    """An adult's choice per kind of message: a mail at once, one mail a day, or none."""
    require(not current_user.is_child, _("Mail is for adults."))
    form = delivery_form(operations.deliveries(current_user), request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        changed = operations.choose_deliveries(current_user, chosen(form))
        db.session.commit()
        flash(_("Saved: %(n)s choices changed.", n=changed) if changed else _("Nothing changed."), "success")
        return redirect(url_for(".mail"))
    return render_template("notifications/mail.html", form=form, always=operations.ALWAYS_AT_ONCE,
                           kinds=operations.ADULT_KINDS, has_email=bool(current_user.email)), \
        400 if form.errors else 200


@bp.post("/notifications/read")
@login_required
def read():
    operations.mark_all_read(current_user)
    db.session.commit()
    return redirect(url_for(".index"))


@bp.app_context_processor
def bell():
    """The unread count beside the bell on every page."""
    if current_user.is_authenticated:
        return {"unread_notifications": operations.unread_count(current_user)}
    return {"unread_notifications": 0}
