from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import joinedload

from council.accounts import operations, sessions
from council.accounts.forms import LoginForm, LogoutForm
from council.accounts.signing_in import start_session
from council.calendar import clock
from council.extensions import db, limiter, login_manager
from council.loading import prepared
from council.visibility import hidden_unless

bp = Blueprint("accounts", __name__)


def _signed_in_account():
    from council.accounts.models import Account, AccountSession, Membership, UnitStaff

    open_session = exists().where(AccountSession.account_id == Account.id, AccountSession.key == bindparam("key"),
                                  AccountSession.ended_at.is_(None))
    return (select(Account).where(Account.id == bindparam("id"), Account.active.is_(True), open_session)
            .options(joinedload(Account.memberships).joinedload(Membership.council),
                     joinedload(Account.unit_roles).joinedload(UnitStaff.unit)))


@login_manager.user_loader
def load_user(account_id: str):
    """The signed-in account with its roles (council memberships, unit posts), which every page asks about for its
    menu and permissions: one statement, kept built (``loading.prepared``), instead of one per relationship. Only
    while the session the cookie names is open and the account is switched on (council/accounts/sessions.py)."""
    number, _sep, key = account_id.partition(":")
    if not number.isdigit() or not key:
        return None
    account = db.session.execute(prepared("signed-in-account", _signed_in_account),
                                 {"id": int(number), "key": key}).unique().scalar()
    if account is not None:
        account.session_key = key
    return account


login_manager.login_view = "accounts.login"


@login_manager.unauthorized_handler
def unauthorized():
    flash(_("Please sign in first."), "info")
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


@bp.before_app_request
def end_idle_child_sessions():
    """A child's session on a shared classroom tablet ends after CHILD_IDLE_MINUTES without a request: the next
    child who picks the tablet up does not find it signed in. The request then goes on as a visitor's (a wizard's
    words are kept for after signing in, council/proposals/rescue.py)."""
    if request.endpoint in (None, "static") or not current_user.is_authenticated or not current_user.is_child:
        return
    now = int(clock.now().timestamp())
    seen = session.get("seen")
    if seen is not None and now - seen > current_app.config["CHILD_IDLE_MINUTES"] * 60:
        sessions.end_session(current_user, sessions.IDLE)
        db.session.commit()
        logout_user()
        session.pop("seen", None)
        flash(_("You were signed out because nobody used this page for a while. Sign in again to go on."), "info")
        return
    if seen is None or now - seen >= 60:  # the cookie changes once a minute at most
        session["seen"] = now


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
    everywhere = request.form.get("everywhere") == "1" and not current_user.is_child
    operations.signed_out(current_user, everywhere=everywhere)
    db.session.commit()
    logout_user()
    flash(_("You are signed out on every device.") if everywhere else _("You are signed out. See you soon!"),
          "success")
    if request.form.get("not_me") == "1":  # a shared tablet: back to the class's pictures for the next child
        return redirect(url_for("rosters.kids"))
    return redirect(url_for("public.home"))


@bp.route("/children/<int:child_id>/consent", methods=["GET", "POST"])
@login_required
def consent(child_id: int):
    """A teacher records what a guardian decided, on the versioned consent text shown on the page."""
    from wtforms import SelectChoice

    from council.accounts.forms import ConsentForm
    from council.accounts.models import Account, ConsentDecision, ConsentMethod
    from council.errors import DomainError

    child = db.session.get(Account, child_id)
    if child is None or not child.is_child or child.child_profile is None:  # no profile: data deleted
        abort(404)
    hidden_unless(current_user.can_see_child_private_data(child))  # a child's existence is private too
    form = ConsentForm()
    form.method.choices = [SelectChoice(m.value, m.label) for m in ConsentMethod]
    form.decision.choices = [SelectChoice(d.value, d.label) for d in ConsentDecision]
    if request.method == "GET":
        latest = child.child_profile.latest_consent
        form.replaces.data = str(latest.id if latest else 0)
    if form.validate_on_submit():
        try:
            operations.record_consent(child, guardian_name=form.guardian_name.data, relation=form.relation.data,
                                      method=ConsentMethod(form.method.data),
                                      decision=ConsentDecision(form.decision.data), actor=current_user,
                                      replaces=int(form.replaces.data) if (form.replaces.data or "").isdigit() else 0)
        except DomainError as refused:
            db.session.rollback()
            latest = child.child_profile.latest_consent  # shown in the list below; the next try replaces it
            form.replaces.data = str(latest.id if latest else 0)
            form.guardian_name.errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("The guardian's answer for %(name)s is recorded.", name=child.display_name), "success")
            return redirect(url_for("dashboards.teacher"))
    operations.viewed_child_data(current_user, [child], view="consent")
    db.session.commit()
    return render_template("accounts/consent.html", child=child, form=form,
                           under_age=operations.may_be_under_consent_age(child)), 400 if form.errors else 200
