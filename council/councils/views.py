from __future__ import annotations

from typing import NamedTuple

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from council.accounts import operations as accounts
from council.accounts.models import CHILD_ROLES, Account, Membership, current_members
from council.calendar import clock
from council.councils.forms import EndTermForm, MemberForm
from council.councils.models import Council
from council.councils.operations import name_tree
from council.errors import DomainError, require
from council.extensions import db
from council.paging import asked_words
from council.templating import render_recorded

bp = Blueprint("councils", __name__, url_prefix="/councils")


@bp.get("/")
def index():
    return render_template("councils/index.html", roots=name_tree())


@bp.get("/<int:council_id>")
def show(council_id: int):
    council = db.session.get(Council, council_id) or abort(404)
    # The councils directly below, with how many each has under it: one statement, however big the district.
    return render_template("councils/show.html", council=council, members=current_members(council),
                           below=name_tree(below=council))


def _facilitated(council_id: int) -> Council:
    council = db.session.get(Council, council_id) or abort(404)
    require(current_user.can_facilitate(council), _("Only this council's facilitators can change its members."))
    return council


def _child_label(child: Account) -> str:
    # Facilitators may see the class, which tells apart two children with the same nickname; never the real name.
    class_name = child.child_profile.class_name
    if not class_name:
        return child.display_name
    return _("%(nickname)s (%(class_name)s)", nickname=child.display_name, class_name=class_name)


class Choosing(NamedTuple):
    """The add-a-member form with the children it offers: the first of those the search (``words``) finds in the
    council's area, of ``total``; a child sent with the form is offered too if they are in the area."""

    form: MemberForm
    children: list[Account]
    total: int
    words: str


def _member_form(council: Council, **kwargs) -> Choosing:
    words = asked_words()
    children, total = accounts.find_children_of_area(council, words)
    sent = request.form.get("child", type=int) if request.method == "POST" else None
    if sent and all(child.id != sent for child in children):
        children += accounts.children_of_area(council, ids=[sent])
    form = MemberForm(**kwargs)
    form.child.choices = [(0, _("Choose a child"))] + [(c.id, _child_label(c)) for c in children]
    return Choosing(form, children, total, words)


def _members_page(council: Council, choosing: Choosing, end_forms: dict[int, EndTermForm] | None = None):
    form, children = choosing.form, choosing.children
    accounts.viewed_child_data(current_user, children, view="council_members")  # the choices show each class
    today = clock.today()
    history = accounts.membership_history(council)
    end_forms = end_forms or {}
    for membership in history:
        if membership.ends_on is None or membership.ends_on >= today:
            end_forms.setdefault(membership.id, EndTermForm(formdata=None, prefix=f"end-{membership.id}"))
    failed = bool(form.errors) or any(f.errors for f in end_forms.values())
    return render_recorded("councils/members.html", council=council, form=form, end_forms=end_forms,
                           members=current_members(council), history=history, today=today,
                           shown=len(children), total=choosing.total, query=choosing.words), 400 if failed else 200


@bp.route("/<int:council_id>/members", methods=["GET", "POST"])
@login_required
def members(council_id: int):
    council = _facilitated(council_id)
    choosing = _member_form(council)
    form = choosing.form
    if form.validate_on_submit():
        child = db.session.get(Account, form.child.data)
        try:
            accounts.add_membership(child, council, form.role.data, starts_on=form.starts_on.data,
                                    ends_on=form.ends_on.data, actor=current_user)
        except DomainError as refused:
            form.form_errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("%(nickname)s is now on the council as %(role)s.", nickname=child.display_name,
                    role=form.role.data.label), "success")
            return redirect(url_for(".members", council_id=council.id))
    return _members_page(council, choosing)


@bp.post("/<int:council_id>/members/<int:membership_id>/end")
@login_required
def end_member(council_id: int, membership_id: int):
    council = _facilitated(council_id)
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.council_id != council.id or membership.role not in CHILD_ROLES:
        abort(404)
    form = EndTermForm(prefix=f"end-{membership.id}")
    if form.validate_on_submit():
        try:
            accounts.end_membership(membership, current_user, on=form.ends_on.data)
        except DomainError as refused:
            form.ends_on.errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("The term of %(nickname)s ends on %(day)s. It stays in the history.",
                    nickname=membership.account.display_name, day=format_date(membership.ends_on)), "success")
            return redirect(url_for(".members", council_id=council.id))
    return _members_page(council, _member_form(council, formdata=None), {membership.id: form})
