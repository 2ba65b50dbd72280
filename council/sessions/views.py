from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from council.accounts.models import Account, MembershipRole
from council.calendar import clock
from council.councils.models import Council
from council.errors import DomainError, require
from council.extensions import db
from council.forms import EmptyForm, about, add_error, checked_form, whole_number
from council.posters import qr
from council.proposals.models import Proposal
from council.proposals.operations import can_view
from council.sessions import operations
from council.sessions.forms import CloseVoteForm, MinutesFileForm, MinutesForm, RulesForm, ScheduleForm
from council.sessions.models import AgendaItem, Candidate, Choice, Face, ItemKind, Session, SessionStatus
from council.uploads import storage
from council.uploads.images import process_image
from council.urls import external_url
from council.visibility import hidden_unless, refuse_unless

bp = Blueprint("sessions", __name__)


def load(session_id: int, manage: bool = False) -> Session:
    """The session, or 404; a session being prepared is its facilitators' only, as if it did not exist
    (council/visibility.py). With ``manage``, 403 for anyone else who sees it."""
    session = db.session.get(Session, session_id) or abort(404)
    can_manage = current_user.is_authenticated and current_user.can_facilitate(session.council)
    may_see = session.status is not SessionStatus.draft or can_manage
    if manage:
        refuse_unless(can_manage, may_see, _("Only a facilitator of this council can do that."))
    hidden_unless(may_see)
    return session


def load_item(session: Session, item_id: int) -> AgendaItem:
    return next((i for i in session.items if i.id == item_id), None) or abort(404)


def back(session: Session, anchor: str = ""):
    return redirect(url_for(".manage", session_id=session.id) + anchor)


# --- public ----------------------------------------------------------------------------------------

@bp.get("/councils/<int:council_id>/sessions")
def council_sessions(council_id: int):
    council = db.session.get(Council, council_id) or abort(404)
    return _sessions_page(council, RulesForm(formdata=None, obj=council))


def _sessions_page(council: Council, rules_form: RulesForm, status: int = 200):
    sessions = db.session.scalars(select(Session).where(Session.council_id == council.id)
                                  .order_by(Session.starts_at.desc())).all()
    can_manage = current_user.is_authenticated and current_user.can_facilitate(council)
    visible = [s for s in sessions if s.status is not SessionStatus.draft or can_manage]
    preparing = can_manage and request.args.get("show") == "draft"  # a facilitator's home page links here
    if preparing:
        visible = [s for s in visible if s.status is SessionStatus.draft]
    return render_template("sessions/list.html", council=council, sessions=visible, can_manage=can_manage,
                           preparing=preparing, form=EmptyForm(), rules_form=rules_form), status


@bp.post("/councils/<int:council_id>/rules")
@login_required
def rules(council_id: int):
    council = db.session.get(Council, council_id) or abort(404)
    require(current_user.can_facilitate(council), _("Only a facilitator of this council can do that."))
    form = RulesForm()
    if not form.validate_on_submit():
        return _sessions_page(council, form, 400)
    try:
        operations.set_rules(council, current_user, quorum_percent=form.quorum_percent.data,
                             majority_percent=form.majority_percent.data)
    except DomainError as refused:
        db.session.rollback()
        add_error(form, refused.field, refused.message)
        return _sessions_page(council, form, 400)
    db.session.commit()
    flash(_("The council's voting rules are saved."), "success")
    return redirect(url_for(".council_sessions", council_id=council.id))


@bp.get("/sessions/<int:session_id>")
def show(session_id: int):
    session = load(session_id)
    can_manage = current_user.is_authenticated and current_user.can_facilitate(session.council)
    is_member = current_user.is_authenticated and any(a.account_id == current_user.id for a in session.attendance)
    return render_template("sessions/show.html", session=session, can_manage=can_manage, is_member=is_member,
                           feedback=operations.feedback_summary(session) if can_manage else None)


# --- facilitator -----------------------------------------------------------------------------------

@bp.route("/councils/<int:council_id>/sessions/new", methods=["GET", "POST"])
@login_required
def schedule(council_id: int):
    council = db.session.get(Council, council_id) or abort(404)
    require(current_user.can_facilitate(council), _("Only a facilitator of this council can do that."))
    form = ScheduleForm()
    if form.validate_on_submit():
        local = clock.zone()
        starts_at = form.starts_at.data.replace(tzinfo=local)
        session = operations.schedule(council, current_user, title=form.title.data, starts_at=starts_at,
                                      place=form.place.data, online=form.online.data)
        db.session.commit()
        flash(_("The session is planned. Now put ideas on its agenda."), "success")
        return redirect(url_for(".manage", session_id=session.id))
    return render_template("sessions/new.html", council=council, form=form), 400 if form.errors else 200


@bp.get("/sessions/<int:session_id>/manage")
@login_required
def manage(session_id: int):
    return _manage_page(load(session_id, manage=True))


@bp.get("/sessions/<int:session_id>/screen")
@login_required
def screen(session_id: int):
    """The projector's page, opened by the facilitator: the item in large type, who is present, a QR code to the
    ballot page, the count of those who voted, then the tally. It asks for ``screen.json`` every second."""
    session = load(session_id, manage=True)
    ballot = external_url("sessions.ballot", session_id=session.id)
    return render_template("sessions/screen.html", session=session, ballot=ballot, Choice=Choice,
                           code=qr.svg(ballot, _("QR code of the ballot page")))


@bp.get("/sessions/<int:session_id>/screen.json")
@login_required
def screen_json(session_id: int):
    state = operations.screen_state(load(session_id, manage=True))
    for item in state["items"]:
        item["picture"] = url_for("proposals.thumbnail", key=item["picture"]) if item["picture"] else None
    response = jsonify(state)
    response.headers["Cache-Control"] = "no-store"
    return response


ELECTION_ROLES = (MembershipRole.chair, MembershipRole.vice_chair, MembershipRole.rotating_chair)


def _manage_page(session: Session, refused=None, failed_item: int | None = None):
    """The facilitator's page. ``refused``: a form with something typed in it that was refused, shown again with
    what was typed and why (``failed_item``: the agenda item whose closing form it is)."""
    forms = {"minutes": MinutesForm(formdata=None, obj=session), "files": MinutesFileForm(formdata=None),
             "close_vote": CloseVoteForm(formdata=None)}
    if refused is not None:
        forms[{MinutesForm: "minutes", MinutesFileForm: "files", CloseVoteForm: "close_vote"}[type(refused)]] = refused
    members = operations.members_on(session.council, operations.session_day(session))
    return render_template(
        "sessions/manage.html", session=session, form=EmptyForm(), candidates=operations.agenda_candidates(session),
        members=members, minutes_form=forms["minutes"], file_form=forms["files"], close_form=forms["close_vote"],
        failed_item=failed_item, choices=list(Choice), election_roles=list(ELECTION_ROLES),
        present=[a.account for a in session.attendance if a.present], has_voted=operations.has_voted,
    ), 400 if refused is not None else 200


def _act(session: Session, anchor: str, action, message: str | None = None, form=None, item: int | None = None):
    """Run one operation; a refusal is shown on the page, never a 500: one about a field of ``form`` (what was
    typed) with that form again, the reason beside the field; any other (the item or session moved on) as a message
    above the page, which may no longer show the form."""
    if form is not None and not form.validate_on_submit():
        return _manage_page(session, form, item)
    try:
        action()
    except DomainError as refused:
        db.session.rollback()
        if form is not None and refused.field is not None:
            add_error(form, refused.field, refused.message)
            return _manage_page(session, form, item)
        flash(refused.message, "error")
        return back(session, anchor)
    db.session.commit()
    if message:
        flash(message, "success")
    return back(session, anchor)


@bp.post("/sessions/<int:session_id>/agenda")
@login_required
def add_item(session_id: int):
    session = load(session_id, manage=True)
    checked_form()
    proposal = db.session.get(Proposal, request.form.get("proposal_id", type=whole_number) or 0)

    def add():
        require(proposal is not None, _("Choose an idea to put on the agenda."), DomainError)
        operations.add_to_agenda(session, proposal, current_user)
    return _act(session, "#agenda", add, _("The idea is on the agenda."))


@bp.post("/sessions/<int:session_id>/elections")
@login_required
def add_election(session_id: int):
    session = load(session_id, manage=True)
    checked_form()
    role = next((r for r in ELECTION_ROLES if r.value == request.form.get("role")), None)
    ids = request.form.getlist("candidates", type=whole_number)
    people = list(db.session.scalars(select(Account).where(Account.id.in_(ids)))) if ids else []

    def add():
        require(role is not None, _("Choose the role to elect."), DomainError)
        operations.add_election(session, current_user, role, people)
    return _act(session, "#agenda", add, _("The election is on the agenda."))


@bp.post("/sessions/<int:session_id>/items/<int:item_id>/<action>")
@login_required
def item_action(session_id: int, item_id: int, action: str):
    session = load(session_id, manage=True)
    item = load_item(session, item_id)
    checked_form()
    close_form = CloseVoteForm() if action == "close" else None
    actions = {
        "remove": (lambda: operations.remove_from_agenda(item, current_user), _("Taken off the agenda.")),
        "open": (lambda: operations.open_vote(item, current_user, secret=bool(request.form.get("secret"))),
                 _("Voting is open. Members can vote on their own devices now.")),
        "close": (lambda: operations.close_vote(item, current_user, reason=close_form.reason.data),
                  _("The vote is counted.")),
        "defer": (lambda: operations.defer(item, current_user, request.form.get("reason")),
                  _("Deferred to another session.")),
        "runoff": (lambda: operations.runoff(item, current_user), _("A run-off is on the agenda.")),
        "hands": (lambda: operations.record_show_of_hands(item, current_user, _hands(item)),
                  _("The show of hands is recorded.")),
    }
    if action not in actions:
        abort(404)
    call, message = actions[action]
    return _act(session, f"#item-{item.id}", call, message, form=close_form, item=item.id)


def _hands(item: AgendaItem) -> dict[int, Choice]:
    """The form's radio buttons, one per present member: ``hand_<account id>`` = for/against/abstain."""
    return {row.account_id: Choice(value) for row in item.session.attendance
            if (value := request.form.get(f"hand_{row.account_id}")) in Choice._value2member_map_}


@bp.post("/sessions/<int:session_id>/<action>")
@login_required
def session_action(session_id: int, action: str):
    session = load(session_id, manage=True)
    checked_form()
    form = {"minutes": MinutesForm, "files": MinutesFileForm}.get(action, lambda: None)()
    actions = {
        "open": (lambda: operations.open_session(session, current_user), _("The session is open. Mark who is here.")),
        "attendance": (lambda: operations.mark_attendance(session, current_user,
                                                          set(request.form.getlist("present", type=whole_number))),
                       _("Attendance is saved.")),
        "close": (lambda: operations.close_session(session, current_user, minutes=request.form.get("minutes")),
                  _("The session is closed. Members can now say if they felt heard.")),
        "minutes": (lambda: operations.save_minutes(session, current_user, form.minutes.data or ""),
                    _("The minutes are saved.")),
        "files": (lambda: _add_minutes_file(session, form), _("The file is added to the minutes.")),
    }
    if action not in actions:
        abort(404)
    call, message = actions[action]
    return _act(session, "", call, message, form=form)


def _add_minutes_file(session: Session, form: MinutesFileForm) -> None:
    from council.sessions.models import MinutesFile

    upload = form.file.data
    require(upload is not None and bool(upload.filename), _("Choose a picture first."), DomainError, field="file")
    with about("file"):
        processed = process_image(upload.stream, max_bytes=current_app.config["IMAGE_MAX_BYTES"])
    stored = storage.store_image(processed, current_user)
    session.files.append(MinutesFile(file=stored, description=form.description.data or ""))


@bp.post("/ideas/<int:proposal_id>/forward")
@login_required
def forward(proposal_id: int):
    proposal = db.session.get(Proposal, proposal_id) or abort(404)
    hidden_unless(can_view(proposal, current_user))
    checked_form()
    operations.forward(proposal, current_user)
    db.session.commit()
    flash(_("The idea went on to %(council)s.", council=proposal.current_council.display_name), "success")
    return redirect(url_for("proposals.show", proposal_id=proposal.id))


# --- members -------------------------------------------------------------------------------------

@bp.get("/sessions/<int:session_id>/vote")
@login_required
def ballot(session_id: int):
    session = load(session_id)
    items = [i for i in session.items if i.status.value == "voting"]
    return render_template("sessions/vote.html", session=session, items=items, form=EmptyForm(),
                           may_vote={i.id: operations.may_vote(i, current_user) for i in items},
                           voted={i.id: operations.has_voted(i, current_user) for i in items}, choices=list(Choice),
                           readable={i.id: i.proposal is not None and can_view(i.proposal, current_user)
                                     for i in items})


@bp.post("/sessions/<int:session_id>/items/<int:item_id>/ballot")
@login_required
def cast(session_id: int, item_id: int):
    """Two steps, both on the server: the ballot page's choice (``step=choose``) is answered with a page asking
    once to confirm it, which casts it; nothing is written before. A ballot is final."""
    session = load(session_id)
    item = load_item(session, item_id)
    checked_form()
    choosing = request.form.get("step") == "choose"
    # A member who voted is told so before choosing again; a ballot itself is counted once by the database, and a
    # second tap of "confirm" is told the same below (operations.cast refuses it).
    if choosing and operations.has_voted(item, current_user):
        flash(_("Your vote is already counted."), "info")
        return redirect(url_for(".ballot", session_id=session_id))
    choice = candidate = None
    if item.kind is ItemKind.election:
        candidate = db.session.get(Candidate, request.form.get("candidate", type=whole_number) or 0)
    else:
        value = request.form.get("choice")
        require(value in Choice._value2member_map_, _("Choose for, against or abstain."), DomainError)
        choice = Choice(value)
    if choosing:
        operations.check_ballot(item, current_user, choice=choice, candidate=candidate)
        response = make_response(render_template("sessions/confirm.html", session=session, item=item,
                                                 choice=choice, candidate=candidate, form=EmptyForm()))
        response.headers["Cache-Control"] = "no-store"  # a choice, secret perhaps, stays off a shared tablet
        return response
    try:
        operations.cast(item, current_user, choice=choice, candidate=candidate)
    except DomainError:
        db.session.rollback()
        if operations.has_voted(item, current_user):  # a second tap, or two at once: the first one counts
            flash(_("Your vote is already counted."), "info")
            return redirect(url_for(".ballot", session_id=session_id))
        raise
    db.session.commit()
    flash(_("Thank you! Your vote is counted."), "success")
    return redirect(url_for(".ballot", session_id=session_id))


@bp.route("/sessions/<int:session_id>/feedback", methods=["GET", "POST"])
@login_required
def feedback(session_id: int):
    session = load(session_id)
    if request.method == "POST":
        checked_form()
        value = request.form.get("face")
        require(value in Face._value2member_map_, _("Choose one of the faces."), DomainError)
        if operations.give_feedback(session, current_user, Face(value)):
            db.session.commit()
            flash(_("Thank you for telling us!"), "success")
        else:
            flash(_("You have already answered. Thank you!"), "info")
        return redirect(url_for(".show", session_id=session.id))
    return render_template("sessions/feedback.html", session=session, form=EmptyForm(), faces=list(Face))


