"""Pages for class rosters, child sign-in codes, online consent invitations, and an adult's own password."""

from __future__ import annotations

from datetime import datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from council.accounts import operations as accounts
from council.accounts.models import ConsentDecision, MembershipRole
from council.accounts.passwords import MIN_LENGTH, WeakPassword, change_password
from council.accounts.signing_in import start_session
from council.calendar import clock
from council.claims import AlreadyChanged
from council.councils.models import Council
from council.errors import DomainError, require
from council.exports import Table, table_response
from council.extensions import db, limiter
from council.forms import EmptyForm, add_error, checked_form
from council.rosters import importing, operations, pictures
from council.rosters.forms import (
    ClassForm,
    GuardianCodeForm,
    GuardianConsentForm,
    KidsClassForm,
    PasswordForm,
    UploadForm,
)
from council.rosters.models import ChildSignIn, ClassGroup
from council.templating import render_recorded
from council.visibility import hidden_unless

bp = Blueprint("rosters", __name__)

CLASS_COOKIE = "kids_class"
# The example class list teachers fill in; the import reads these column names (council/rosters/importing.py).
TEMPLATE = Table(["姓名", "昵称", "出生年份"], [["王小明", "小星星", 2017], ["李晓雨", "", 2016]])


@bp.app_template_global()
def picture(index: int, size: int = 48, labelled: bool = False):
    return pictures.svg(index, size=size, labelled=labelled)


@bp.app_template_global()
def picture_label(index: int) -> str:
    return pictures.label(index)


def _failed(response) -> bool:
    return request.method == "POST" and response.status_code != 302


def _not_found(response) -> bool:
    return response.status_code not in (200, 302)


def _class_key() -> str:
    return "kids-class:" + operations.normalise_code(request.view_args.get("code", ""))


# --- teachers: classes, imports, cards ------------------------------------------------------------------

def _may_keep_classes(account) -> bool:
    return account.is_admin or account.is_coordinator or bool(
        account.councils_as(MembershipRole.teacher, MembershipRole.facilitator))


def load_class(class_id: int) -> ClassGroup:
    group = db.session.get(ClassGroup, class_id) or abort(404)
    hidden_unless(operations.can_manage(current_user, group))  # a class of children: private, even its id
    return group


@bp.route("/classes", methods=["GET", "POST"])
@login_required
def classes():
    require(_may_keep_classes(current_user), _("This page is for teachers."))
    form = ClassForm()
    councils = operations.councils_for_classes(current_user)
    form.council.choices = [SelectChoice(c.id, c.display_name) for c in councils]
    if form.validate_on_submit():
        council = db.session.get(Council, form.council.data)
        try:
            group = operations.create_class(current_user, council, form.name.data, school=form.school.data)
        except DomainError as refused:
            form.name.errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("The class %(name)s is ready. Now import its list of children.", name=group.name), "success")
            return redirect(url_for(".show", class_id=group.id))
    return render_template("rosters/classes.html", groups=operations.classes_for(current_user), form=form,
                           has_councils=bool(councils)), 400 if form.errors else 200


@bp.get("/classes/template.csv")
@login_required
def template_csv():
    require(_may_keep_classes(current_user), _("This page is for teachers."))
    return table_response("class-list.csv", TEMPLATE)


@bp.get("/classes/<int:class_id>")
@login_required
def show(class_id: int):
    group = load_class(class_id)
    sign_ins = operations.children_of(group, with_details=True)
    accounts.viewed_child_data(current_user, [s.account for s in sign_ins], view="class_roster")
    return render_recorded("rosters/class.html", group=group, sign_ins=sign_ins, form=EmptyForm(),
                           upload=UploadForm(formdata=None), locked=operations.class_locked(group),
                           needs_consent=operations.needs_consent, error=None, shown=clock.now().isoformat())


@bp.post("/classes/<int:class_id>/import")
@login_required
def upload(class_id: int):
    group = load_class(class_id)
    form = UploadForm()
    error = None
    if not form.validate_on_submit():
        error = _("Please choose the file again.")
    elif not (form.roster.data and form.roster.data.filename):
        error = _("Choose the file with the class list.")
    else:
        try:
            pending = operations.preview_import(group, current_user, form.roster.data.filename,
                                                form.roster.data.read())
        except DomainError as refused:
            db.session.rollback()
            error = refused.message
        else:
            db.session.commit()
            return redirect(url_for(".preview", class_id=group.id, token=pending.token))
    add_error(form, "roster", error)  # beside the file field too, which it is about
    sign_ins = operations.children_of(group, with_details=True)
    accounts.viewed_child_data(current_user, [s.account for s in sign_ins], view="class_roster")
    return render_recorded("rosters/class.html", group=group, sign_ins=sign_ins, form=EmptyForm(),
                           upload=form, locked=operations.class_locked(group),
                           needs_consent=operations.needs_consent, error=error, shown=clock.now().isoformat()), 400


@bp.route("/classes/<int:class_id>/imports/<token>", methods=["GET", "POST"])
@login_required
def preview(class_id: int, token: str):
    group = load_class(class_id)
    pending = operations.find_import(group, token) or abort(404)
    error = None
    if request.method == "POST":
        checked_form()
        try:
            created = operations.run_import(pending, current_user)
        except operations.AlreadyImported as done:
            db.session.rollback()
            flash(done.message, "info")
            return redirect(url_for(".show", class_id=group.id))
        except DomainError as refused:
            db.session.rollback()
            error = refused.message
        else:
            db.session.commit()
            flash(_("%(n)s children are in the class now. Print their sign-in cards next.", n=len(created)),
                  "success")
            return redirect(url_for(".show", class_id=group.id))
    return render_template("rosters/preview.html", group=group, pending=pending, form=EmptyForm(), error=error,
                           problem_text=importing.problem_text), 400 if error else 200


@bp.get("/classes/<int:class_id>/cards")
@login_required
def cards(class_id: int):
    group = load_class(class_id)
    sign_ins = operations.children_of(group, with_details=True)
    only = request.args.get("child", type=int)
    if only:
        sign_ins = [s for s in sign_ins if s.id == only]
    slips = operations.slip_codes([s.account for s in sign_ins], current_user)
    cards = [(s, operations.picture_code(s), slips[s.account_id]) for s in sign_ins]
    accounts.viewed_child_data(current_user, [s.account for s in sign_ins], view="sign_in_cards")
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    return render_recorded("rosters/cards.html", group=group, cards=cards, kids_url=base + url_for(".kids"),
                           consent_url=base + url_for(".guardian_code"), pretty_code=operations.pretty_code)


def _sign_in(group: ClassGroup, sign_in_id: int) -> ChildSignIn:
    sign_in = db.session.get(ChildSignIn, sign_in_id)
    if sign_in is None or sign_in.class_id != group.id:
        abort(404)
    return sign_in


@bp.post("/classes/<int:class_id>/reset")
@login_required
def reset_class(class_id: int):
    group = load_class(class_id)
    checked_form()
    operations.reset_class(group, current_user)
    db.session.commit()
    flash(_("The class can sign in again."), "success")
    return redirect(url_for(".show", class_id=group.id))


def _shown_at() -> datetime | None:
    """When the page the button was on was shown (its hidden ``shown`` field), or None."""
    try:
        shown = datetime.fromisoformat(request.form.get("shown", ""))
    except ValueError:
        return None
    return shown if shown.tzinfo is not None else None


@bp.post("/classes/<int:class_id>/children/<int:sign_in_id>/<action>")
@login_required
def child_action(class_id: int, sign_in_id: int, action: str):
    group = load_class(class_id)
    sign_in = _sign_in(group, sign_in_id)
    checked_form()
    name = sign_in.account.display_name
    if action == "reset":
        operations.reset_child(sign_in, current_user)
        message = _("%(name)s can sign in with their pictures again.", name=name)
    elif action == "code":
        operations.issue_picture_code(sign_in, current_user)
        message = _("%(name)s has a new picture code. Print the new card; the old one no longer works.", name=name)
    elif action == "consent-link":
        require(operations.needs_consent(sign_in.account),
                _("%(name)s does not need a guardian's consent now.", name=name), DomainError)
        try:
            operations.issue_invitation(sign_in.account, current_user, shown_at=_shown_at())
        except AlreadyChanged as refused:  # a second tap: the first one made the new slip
            db.session.rollback()
            flash(refused.message, "error")
            return redirect(url_for(".show", class_id=group.id))
        message = _("A new consent slip for %(name)s is ready; the old one no longer works.", name=name)
    else:
        abort(404)
    db.session.commit()
    flash(message, "success")
    if action == "reset":
        return redirect(url_for(".show", class_id=group.id))
    return redirect(url_for(".cards", class_id=group.id, child=sign_in.id))


# --- children: class code, own tile, picture code ------------------------------------------------------

@bp.route("/kids", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_ADDRESS_LIMIT"], methods=["POST"], deduct_when=_failed)
def kids():
    form = KidsClassForm()
    if request.method == "GET":
        form.code.data = request.cookies.get(CLASS_COOKIE, "")
    error = None
    if form.validate_on_submit():
        group = operations.find_class(form.code.data)
        if group is None:
            error = _("We could not find a class with this code. Look at your card and try again.")
        else:
            response = redirect(url_for(".kids_class", code=group.code))
            if form.remember.data:
                response.set_cookie(CLASS_COOKIE, group.code, max_age=180 * 24 * 3600, httponly=True,
                                    samesite="Lax", secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
            else:
                response.delete_cookie(CLASS_COOKIE)
            return response
    status = 400 if request.method == "POST" else 200
    return render_template("rosters/kids.html", form=form, error=error), status


def _kids_group(code: str) -> ClassGroup:
    group = operations.find_class(code)
    if group is None:
        flash(_("We could not find a class with this code. Look at your card and try again."), "error")
        abort(make_response(redirect(url_for(".kids"))))
    return group


@bp.get("/kids/<code>")
def kids_class(code: str):
    group = _kids_group(code)
    tiles = [s for s in operations.children_of(group) if s.account.is_active]
    return render_template("rosters/kids_class.html", group=group, tiles=tiles,
                           locked=operations.class_locked(group))


@bp.route("/kids/<code>/<int:sign_in_id>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_ADDRESS_LIMIT"], methods=["POST"], deduct_when=_failed)
@limiter.limit(lambda: current_app.config.get("KIDS_CLASS_LIMIT", "30 per minute"), key_func=_class_key,
               methods=["POST"], deduct_when=_failed)
def kids_code(code: str, sign_in_id: int):
    group = _kids_group(code)
    sign_in = _sign_in(group, sign_in_id)
    error = None
    chosen = [request.form.get(f"p{n}", type=int) for n in (1, 2, 3)]
    if request.method == "POST":
        if not EmptyForm().validate_on_submit():
            error = _("Please tap your pictures again.")
        elif None in chosen:
            error = _("Tap one picture in each of the three rows.")
        else:
            try:
                account = operations.sign_in_with_pictures(group, sign_in, chosen)
            except operations.SignInRefused as refused:
                db.session.commit()  # the wrong try counts
                error = refused.message
            else:
                if not account.is_active:
                    error = _("This account is switched off. Ask your teacher or facilitator for help.")
                else:
                    return start_session(account)
    return render_template("rosters/kids_code.html", group=group, sign_in=sign_in, error=error,
                           chosen=chosen if error is None else [None, None, None], form=EmptyForm(),
                           count=pictures.COUNT), 400 if error else 200


# --- guardians: online consent ---------------------------------------------------------------------------

@bp.route("/guardian/consent", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config.get("GUARDIAN_CODE_LIMIT", "10 per minute;50 per hour"),
               methods=["POST"], deduct_when=_failed)
def guardian_code():
    form = GuardianCodeForm()
    error = None
    if form.validate_on_submit():
        code = operations.normalise_code(form.code.data)
        if operations.find_invitation(code) is None:
            error = _("This code does not work. Check it on the slip; if it still does not work, ask the teacher "
                      "for a new slip.")
        else:
            return redirect(url_for(".guardian_consent", token=code))
    return render_template("rosters/guardian_code.html", form=form, error=error), (
        400 if request.method == "POST" else 200)


@bp.route("/guardian/consent/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config.get("GUARDIAN_CODE_LIMIT", "10 per minute;50 per hour"),
               methods=["GET", "POST"], deduct_when=_not_found)
def guardian_consent(token: str):
    invitation = operations.find_invitation(token)
    state = operations.invitation_state(invitation)
    if state != "open":
        return render_template("rosters/guardian_closed.html", state=state), 404 if state == "unknown" else 410
    form = GuardianConsentForm()
    form.decision.choices = [SelectChoice(ConsentDecision.granted.value, _("Yes, I agree")),
                             SelectChoice(ConsentDecision.refused.value, _("No, I do not agree"))]
    if form.validate_on_submit():
        try:
            consent = operations.answer_invitation(invitation, guardian_name=form.guardian_name.data,
                                                   relation=form.relation.data,
                                                   decision=ConsentDecision(form.decision.data))
        except DomainError as refused:
            db.session.rollback()
            form.guardian_name.errors.append(refused.message)
        else:
            db.session.commit()
            return render_template("rosters/guardian_done.html", consent=consent, child=invitation.child)
    child = invitation.child
    return render_template("rosters/guardian_consent.html", form=form, child=child,
                           masked_name=_masked(child.child_profile.real_name)), 400 if form.errors else 200


def _masked(name: str) -> str:
    """王小明 → 王*明: enough for a guardian to recognise, not enough for a link that leaked."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


# --- adults: change my password ---------------------------------------------------------------------------

@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    require(not current_user.is_child, _("Children's passwords are set by their teacher."))
    form = PasswordForm()
    error = None
    if form.validate_on_submit():
        try:
            change_password(current_user, current=form.current.data, new=form.new.data, again=form.again.data)
        except WeakPassword as refused:
            error = refused.message
            add_error(form, refused.field, refused.message)
        else:
            db.session.commit()
            flash(_("Your password is changed. Use the new one next time you sign in."), "success")
            return redirect(url_for(accounts.landing_endpoint(current_user)))
    return render_template("rosters/password.html", form=form, error=error, min_length=MIN_LENGTH), (
        400 if request.method == "POST" else 200)
