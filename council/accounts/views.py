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
from council.paging import asked_words
from council.templating import render_recorded
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
    return render_recorded("accounts/consent.html", child=child, form=form,
                           under_age=operations.may_be_under_consent_age(child)), 400 if form.errors else 200


# --- set-password links (council/accounts/welcome.py) ---------------------------------------------------------

def _unusable(response) -> bool:
    return response.status_code not in (200, 302)


@bp.route("/welcome/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_ADDRESS_LIMIT"], methods=["POST"], deduct_when=_failed)
@limiter.limit(lambda: current_app.config.get("GUARDIAN_CODE_LIMIT", "10 per minute;50 per hour"),
               methods=["GET", "POST"], deduct_when=_unusable)  # links tried at random
def welcome(token: str):
    """The adult opens the link from the office, chooses a password twice and is signed in. Reachable without
    signing in; a link that cannot be used says why and what to do."""
    from flask_babel import force_locale

    from council.accounts import welcome as links
    from council.accounts.forms import WelcomeForm
    from council.accounts.passwords import MIN_LENGTH, WeakPassword
    from council.forms import add_error
    from council.i18n import locale_for

    link = links.find_link(token)
    state = links.link_state(link)
    if state != links.OPEN:
        return _link_closed(state)
    account = link.account
    with force_locale(locale_for(account)):  # the adult's language, as on their pages once signed in
        form = WelcomeForm()
        if form.validate_on_submit():
            try:
                links.redeem(token, password=form.password.data, again=form.again.data)
            except links.LinkUnusable as gone:  # the other of two taps, or the link ended meanwhile
                db.session.rollback()
                return _link_closed(gone.state)
            except WeakPassword as refused:
                db.session.rollback()
                add_error(form, refused.field, refused.message)
            else:
                response = start_session(account)
                flash(_("Your password is set. Next time, sign in with your username %(username)s and this "
                        "password.", username=account.username), "success")
                return response
        return render_template("accounts/welcome.html", form=form, account=account, link=link,
                               min_length=MIN_LENGTH), 400 if request.method == "POST" else 200


def _link_closed(state: str):
    from council.accounts import welcome as links

    return render_template("accounts/welcome_closed.html", message=links.unusable_message(state)), (
        404 if state == links.UNKNOWN else 410)


@bp.app_template_global()
def welcome_qr(url: str):
    """The QR code of a set-password link, for its printed sheet (accounts/_welcome_sheet.html)."""
    from council.posters import qr

    return qr.svg(url, _("QR code of the set-password link"))


@bp.get("/accounts/adults")
@login_required
def adults():
    """The office finds an adult (by name, username or e-mail) and gives them a new set-password link."""
    from sqlalchemy.orm import selectinload

    from council.accounts import welcome as links
    from council.accounts.models import Account, AccountKind, Membership, UnitStaff
    from council.errors import require
    from council.forms import EmptyForm

    require(current_user.is_coordinator, _("This page is for the district coordinating office."))
    query = asked_words()
    found, total = operations.search_accounts(
        select(Account).where(Account.kind == AccountKind.adult), query, Account.username, Account.display_name,
        Account.email, order_by=(Account.display_name, Account.id),
        options=[selectinload(Account.memberships).joinedload(Membership.council),
                 selectinload(Account.unit_roles).joinedload(UnitStaff.unit)])
    return render_template("accounts/adults.html", adults=found, total=total, query=query, form=EmptyForm(),
                           pending=links.pending_accounts(found),
                           may_issue={a.id for a in found if links.may_issue(current_user, a) and a.active})


@bp.post("/accounts/<int:account_id>/welcome-link")
@login_required
def welcome_link(account_id: int):
    """A new set-password link for one adult, shown once on a sheet to print (or, with ``mail``, mailed)."""
    from council.accounts import welcome as links
    from council.accounts.models import Account
    from council.errors import DomainError, require
    from council.forms import checked_form

    require(current_user.is_coordinator, _("Only the district office may give an adult a set-password link."))
    account = db.session.get(Account, account_id)
    if account is None or account.is_child:
        abort(404)
    back = url_for(".adults", q=request.form.get("q") or None)
    mail = request.form.get("mail") == "1"
    try:
        checked_form()
        require(not mail or bool(account.email), _("%(name)s has no e-mail address. Print the link instead.",
                                                   name=account.display_name), DomainError)
        url = links.issue_link(account, actor=current_user, mail=mail)
    except DomainError as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return redirect(back)
    link = links.live_link(account)
    db.session.commit()
    if mail:
        flash(_("A new set-password link is on its way to %(name)s by mail. Earlier links no longer work.",
                name=account.display_name), "success")
        return redirect(back)
    return render_template("accounts/welcome_sheet.html", sheets=[(account, url, link.expires_on)], back=back)
