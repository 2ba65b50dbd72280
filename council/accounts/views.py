from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from council.accounts import operations
from council.accounts.forms import LoginForm, LogoutForm
from council.accounts.signing_in import start_session
from council.extensions import db, limiter, login_manager
from council.loading import prepared

bp = Blueprint("accounts", __name__)


def _signed_in_account():
    from council.accounts.models import Account, Membership, UnitStaff

    return (select(Account).where(Account.id == bindparam("id"))
            .options(joinedload(Account.memberships).joinedload(Membership.council),
                     joinedload(Account.unit_roles).joinedload(UnitStaff.unit)))


@login_manager.user_loader
def load_user(account_id: str):
    """The signed-in account with its roles (council memberships, unit posts), which every page asks about for its
    menu and permissions: one statement, kept built (``loading.prepared``), instead of one per relationship."""
    try:
        key = int(account_id)
    except ValueError:
        return None
    return db.session.execute(prepared("signed-in-account", _signed_in_account), {"id": key}).unique().scalar()


login_manager.login_view = "accounts.login"


@login_manager.unauthorized_handler
def unauthorized():
    flash(_("Please sign in first."), "info")
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def _failed(response) -> bool:
    return request.method == "POST" and response.status_code != 302


def _typed_username() -> str:
    return "account:" + (request.form.get("username") or "").strip().lower()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_ACCOUNT_LIMIT"], key_func=_typed_username, methods=["POST"],
               deduct_when=_failed)
@limiter.limit(lambda: current_app.config["SIGN_IN_ADDRESS_LIMIT"], methods=["POST"], deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for(operations.landing_endpoint(current_user)))
    form = LoginForm(next=request.args.get("next", ""))
    error = None
    if form.validate_on_submit():
        account = operations.authenticate(form.username.data, form.password.data)
        if account is None:
            error = _("That username and password do not match. Check them and try again.")
        elif not account.is_active:
            error = _("This account is switched off. Ask your teacher or facilitator for help.")
        else:
            return start_session(account, form.next.data)
        db.session.commit()  # the failed attempt is on the record
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/login.html", form=form, error=error), status


@bp.post("/logout")
@login_required
def logout():
    if not LogoutForm().validate_on_submit():
        flash(_("Please press the sign-out button again."), "error")
        return redirect(url_for("public.home"))
    operations.signed_out(current_user)
    db.session.commit()
    logout_user()
    flash(_("You are signed out. See you soon!"), "success")
    return redirect(url_for("public.home"))


@bp.route("/children/<int:child_id>/consent", methods=["GET", "POST"])
@login_required
def consent(child_id: int):
    """A teacher records what a guardian decided, on the versioned consent text shown on the page."""
    from wtforms import SelectChoice

    from council.accounts.forms import ConsentForm
    from council.accounts.models import Account, ConsentDecision, ConsentMethod
    from council.errors import DomainError, require

    child = db.session.get(Account, child_id)
    if child is None or not child.is_child or child.child_profile is None:  # no profile: data deleted
        abort(404)
    require(current_user.can_see_child_private_data(child), _("You may only record consent for your own children."))
    form = ConsentForm()
    form.method.choices = [SelectChoice(m.value, m.label) for m in ConsentMethod]
    form.decision.choices = [SelectChoice(d.value, d.label) for d in ConsentDecision]
    if form.validate_on_submit():
        try:
            operations.record_consent(child, guardian_name=form.guardian_name.data, relation=form.relation.data,
                                      method=ConsentMethod(form.method.data),
                                      decision=ConsentDecision(form.decision.data), actor=current_user)
        except DomainError as refused:
            form.guardian_name.errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("The guardian's answer for %(name)s is recorded.", name=child.display_name), "success")
            return redirect(url_for("dashboards.teacher"))
    operations.viewed_child_data(current_user, [child], view="consent")
    db.session.commit()
    return render_template("accounts/consent.html", child=child, form=form,
                           under_age=operations.may_be_under_consent_age(child)), 400 if form.errors else 200
