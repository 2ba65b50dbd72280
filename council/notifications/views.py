from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from council.extensions import db
from council.notifications import operations

bp = Blueprint("notifications", __name__)


@bp.get("/notifications")
@login_required
def index():
    return render_template("notifications/index.html", notifications=operations.recent(current_user),
                           text_of=operations.text_of, links=operations.LINKS)


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
