from __future__ import annotations

from flask import Blueprint, abort, render_template

from council.accounts.models import current_members
from council.councils.models import Council
from council.councils.operations import tree
from council.extensions import db

bp = Blueprint("councils", __name__, url_prefix="/councils")


@bp.get("/")
def index():
    return render_template("councils/index.html", roots=tree())


@bp.get("/<int:council_id>")
def show(council_id: int):
    council = db.session.get(Council, council_id) or abort(404)
    return render_template("councils/show.html", council=council, members=current_members(council))
