"""Pages for campaigns, entries, votes, jury scores."""

from __future__ import annotations

import click
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from council.accounts.models import Account, ConsentMethod
from council.accounts.operations import (
    can_act,
    children_in_reach,
    ensure_can_act,
    find_children_in_reach,
    has_children_in_reach,
)
from council.calendar import clock
from council.campaigns import operations
from council.campaigns.forms import CampaignForm, ConsentForm, EntryForm, ReviewForm
from council.campaigns.models import (
    NEXT_PHASE,
    RESULT_PHASES,
    TEXT_KINDS,
    Campaign,
    CampaignKind,
    Entry,
    EntryState,
    Phase,
)
from council.councils.models import Council
from council.errors import DomainError, require
from council.exports import zip_response
from council.extensions import db, limiter
from council.forms import EmptyForm, about, add_error, checked_form, error_summary, whole_number
from council.paging import asked_words
from council.uploads import storage
from council.uploads.images import process_image

bp = Blueprint("campaigns", __name__)


def load(campaign_id: int) -> Campaign:
    campaign = operations.find_campaign(campaign_id) or abort(404)
    if not operations.may_see(campaign, current_user):
        abort(404)
    return campaign


def load_organised(campaign_id: int) -> Campaign:
    campaign = load(campaign_id)
    require(operations.can_organise(campaign, current_user), _("Only the campaign's organisers can open this page."))
    return campaign


def load_entry(entry_id: int) -> Entry:
    """The entry, or 404 for anyone it is not shown to, as for a missing id (council/visibility.py)."""
    entry = db.session.get(Entry, entry_id) or abort(404)
    if not operations.may_see_entry(entry, current_user):
        abort(404)
    return entry


def refused_on(form, refused: DomainError) -> str:
    """An operation's refusal beside the field it is about; the message above the form names every field."""
    add_error(form, refused.field, refused.message)
    return error_summary(form)


# --- campaigns -------------------------------------------------------------------------------------

@bp.get("/campaigns/")
def index():
    campaigns = list(db.session.scalars(select(Campaign).order_by(Campaign.results_from.desc(), Campaign.id.desc())))
    visible = [c for c in campaigns if operations.may_see(c, current_user)]
    current = [c for c in visible if c.phase not in RESULT_PHASES]
    finished = [c for c in visible if c.phase in RESULT_PHASES]
    return render_template("campaigns/index.html", current=current, finished=finished,
                           can_open=bool(operations.councils_to_organise(current_user)))


def _place_choices() -> list[tuple[str, str]]:
    return [("" if c is None else str(c.id), _("The whole district") if c is None else c.display_name)
            for c in operations.councils_to_organise(current_user)]


def _settings(form: CampaignForm) -> dict:
    return {
        "kind": CampaignKind(form.kind.data), "title": form.title.data, "rules": form.rules.data.strip(),
        "prizes": (form.prizes.data or "").strip(), "age_groups": operations.parse_age_groups(form.age_groups.data),
        "reviewing_from": form.reviewing_from.data, "voting_from": form.voting_from.data,
        "judging_from": form.judging_from.data, "results_from": form.results_from.data,
        "entries_per_child": form.entries_per_child.data, "votes_per_child": form.votes_per_child.data,
        "jury_weight": form.jury_weight.data, "rubric": operations.parse_rubric(form.rubric.data),
        "winners_per_group": form.winners_per_group.data,
    }


@bp.route("/campaigns/new", methods=["GET", "POST"])
@login_required
def new():
    choices = _place_choices()
    require(bool(choices), _("Only the coordinating office and facilitators open campaigns."))
    form = CampaignForm()
    form.council.choices = choices
    error = None
    if request.method == "GET":
        from datetime import timedelta

        today = clock.today()
        form.reviewing_from.data, form.voting_from.data = today + timedelta(days=28), today + timedelta(days=35)
        form.judging_from.data, form.results_from.data = today + timedelta(days=42), today + timedelta(days=49)
    elif form.validate_on_submit():
        council = db.session.get(Council, int(form.council.data)) if form.council.data else None
        try:
            campaign = operations.create_campaign(current_user, council, jurors=operations.find_jurors(
                form.jurors.data), **_settings(form))
        except DomainError as refused:
            db.session.rollback()
            error = refused_on(form, refused)
        else:
            db.session.commit()
            flash(_("The campaign is saved as a draft. Check it, then open it for entries."), "success")
            return redirect(url_for(".show", campaign_id=campaign.id))
    else:
        error = error_summary(form)
    return render_template("campaigns/form.html", form=form, error=error, campaign=None), 400 if error else 200


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@login_required
def edit(campaign_id: int):
    campaign = load_organised(campaign_id)
    require(campaign.phase in (Phase.draft, Phase.open, Phase.reviewing, Phase.voting),
            _("Once the jury has started, the rules and the formula cannot change."), DomainError)
    form = CampaignForm(obj=campaign) if request.method == "GET" else CampaignForm()
    form.council.choices = [("" if campaign.council is None else str(campaign.council_id), campaign.scope_name)]
    error = None
    if request.method == "GET":
        form.council.data = form.council.choices[0][0]
        form.kind.data = campaign.kind.value
        form.age_groups.data = ", ".join(f"{a}-{b}" for a, b in campaign.age_groups)
        form.rubric.data = operations.rubric_text(campaign.rubric)
        form.jurors.data = ", ".join(j.account.username for j in campaign.jurors)
    elif form.validate_on_submit():
        try:
            operations.update_campaign(campaign, current_user, jurors=operations.find_jurors(form.jurors.data),
                                       **_settings(form))
        except DomainError as refused:
            db.session.rollback()
            error = refused_on(form, refused)
        else:
            db.session.commit()
            flash(_("The campaign is saved."), "success")
            return redirect(url_for(".show", campaign_id=campaign.id))
    else:
        error = error_summary(form)
    return render_template("campaigns/form.html", form=form, error=error, campaign=campaign), 400 if error else 200


@bp.get("/campaigns/<int:campaign_id>")
def show(campaign_id: int):
    campaign = load(campaign_id)
    gallery = operations.contest_entries(campaign) if campaign.phase is not Phase.draft else []
    mine = operations.entries_of(campaign, current_user) if current_user.is_authenticated else []
    return render_template(
        "campaigns/show.html", campaign=campaign, gallery=gallery, mine=mine, form=EmptyForm(),
        organiser=operations.can_organise(campaign, current_user), juror=operations.is_juror(campaign, current_user),
        next_phase=NEXT_PHASE[campaign.phase], entries_open=operations.entries_open(campaign),
        voting_open=operations.voting_open(campaign), may_vote=operations.may_vote(campaign, current_user),
        my_votes=operations.my_votes(campaign, current_user),
        votes_left=campaign.votes_per_child - operations.votes_used(campaign, current_user)
        if current_user.is_authenticated else 0,
        can_enter=_can_enter(campaign), votes_public=campaign.phase in RESULT_PHASES,
        dates=operations.phase_dates(campaign),
    )


def _can_enter(campaign: Campaign) -> bool:
    if not current_user.is_authenticated or not operations.entries_open(campaign):
        return False
    if current_user.is_child:
        return operations.is_eligible(campaign, current_user)
    return has_children_in_reach(current_user, within=campaign.council)  # is_eligible's rule, asked in SQL


def _children_for(campaign: Campaign, words: str = "") -> tuple[list[Account], int]:
    """The children an entry may come from: the child themself; for an adult, the first of the eligible children in
    reach that ``words`` finds (of how many), and a child sent with the form if eligible and in reach."""
    if current_user.is_child:
        return [current_user], 1
    children, total = find_children_in_reach(current_user, words, within=campaign.council)
    sent = request.form.get("child", type=int) if request.method == "POST" else None
    if sent and all(child.id != sent for child in children):
        children += children_in_reach(current_user, ids=[sent], within=campaign.council)
    return [c for c in children if operations.is_eligible(campaign, c)], total


@bp.get("/campaigns/<int:campaign_id>/phase")
@login_required
def confirm_phase(campaign_id: int):
    """No phase can be undone: the organiser first reads what moving on will do, then confirms (the POST below)."""
    campaign = load_organised(campaign_id)
    return render_template("campaigns/phase.html", campaign=campaign, step=operations.next_step(campaign),
                           form=EmptyForm())


@bp.post("/campaigns/<int:campaign_id>/phase")
@login_required
def phase(campaign_id: int):
    campaign = load_organised(campaign_id)
    checked_form()
    to = Phase(request.form.get("to", "")) if request.form.get("to") in Phase.__members__ else None
    require(to is not None, _("Choose the next phase."), DomainError)
    if campaign.phase is to:  # the confirmation sent twice: the first one moved it
        flash(_("The campaign is now: %(phase)s.", phase=campaign.phase.label), "success")
        return redirect(url_for(".show", campaign_id=campaign.id))
    try:
        operations.move_on(campaign, current_user, to)
    except DomainError as refused:
        db.session.rollback()
        flash(refused.message, "error")
    else:
        db.session.commit()
        flash(_("The campaign is now: %(phase)s.", phase=campaign.phase.label), "success")
    return redirect(url_for(".show", campaign_id=campaign.id))


# --- entries ---------------------------------------------------------------------------------------

def _stored_picture(form: EntryForm):
    upload = form.picture.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    with about("picture"):
        processed = process_image(upload.stream, max_bytes=current_app.config["IMAGE_MAX_BYTES"])
    return storage.store_image(processed, current_user)


@bp.route("/campaigns/<int:campaign_id>/enter", methods=["GET", "POST"])
@login_required
def enter(campaign_id: int):
    campaign = load(campaign_id)
    require(current_user.is_child or has_children_in_reach(current_user, within=campaign.council),
            _("Entries come from children, or from a teacher for a child of their class."))
    words = asked_words()
    children, total = _children_for(campaign, words)
    form = EntryForm()
    form.child.choices = [(c.id, c.display_name) for c in children]
    if current_user.is_child:
        del form.consent  # only an adult records the guardian's slip
    error = None
    if request.method == "POST":
        if not form.validate_on_submit():
            error = error_summary(form)
        else:
            author = current_user if current_user.is_child else next(
                (c for c in children if c.id == form.child.data), None)
            try:
                require(author is not None, _("Choose the child this work comes from."), DomainError, field="child")
                picture = _stored_picture(form)
                method = ConsentMethod(form.consent.data) if not current_user.is_child and form.consent.data else None
                entry = operations.submit_entry(campaign, current_user, author, title=form.title.data,
                                                description=form.description.data, text=form.text.data or "",
                                                file=picture, consent_method=method)
            except DomainError as refused:
                db.session.rollback()
                error = refused_on(form, refused)
            else:
                db.session.commit()
                flash(_("Your entry is sent! The organisers will check it soon."), "success")
                return redirect(url_for(".entry", entry_id=entry.id))
    return render_template("campaigns/enter.html", campaign=campaign, form=form, error=error, entry=None,
                           is_child=current_user.is_child, open=operations.entries_open(campaign),
                           eligible=not current_user.is_child or operations.is_eligible(campaign, current_user),
                           can_act=can_act(current_user), needs_picture=campaign.kind not in TEXT_KINDS,
                           shown=len(children), total=total, query=words), 400 if error else 200


@bp.route("/campaigns/entries/<int:entry_id>/edit", methods=["GET", "POST"])
@login_required
def edit_entry(entry_id: int):
    entry = load_entry(entry_id)
    require(operations.may_edit(entry, current_user), _("Only the child or their teacher can change this entry."))
    campaign = entry.campaign
    form = EntryForm(obj=entry) if request.method == "GET" else EntryForm()
    form.child.choices = [(entry.author_id, entry.author.display_name)]
    del form.consent  # recorded on the entry's page, never by editing it
    error = None
    if request.method == "POST":
        if not form.validate_on_submit():
            error = error_summary(form)
        else:
            try:
                operations.edit_entry(entry, current_user, title=form.title.data, description=form.description.data,
                                      text=form.text.data or "", file=_stored_picture(form))
            except DomainError as refused:
                db.session.rollback()
                error = refused_on(form, refused)
            else:
                db.session.commit()
                flash(_("Your entry is changed. The organisers will check it again."), "success")
                return redirect(url_for(".entry", entry_id=entry.id))
    return render_template("campaigns/enter.html", campaign=campaign, form=form, error=error, entry=entry,
                           is_child=True, open=operations.entries_open(campaign), can_act=True, eligible=True,
                           needs_picture=campaign.kind not in TEXT_KINDS), 400 if error else 200


@bp.get("/campaigns/entries/<int:entry_id>")
def entry(entry_id: int):
    entry = load_entry(entry_id)
    campaign = entry.campaign
    return render_template(
        "campaigns/entry.html", entry=entry, campaign=campaign, form=EmptyForm(),
        can_edit=operations.may_edit(entry, current_user) and operations.entries_open(campaign),
        organiser=operations.can_organise(campaign, current_user),
        voting_open=operations.voting_open(campaign), may_vote=operations.may_vote(campaign, current_user),
        voted=entry.id in operations.my_votes(campaign, current_user), votes_public=campaign.phase in RESULT_PHASES,
        flags=operations.flags(entry) if not entry.is_public else [],
        can_consent=not entry.has_consent and operations.may_record_consent(entry, current_user)
        and campaign.phase in (Phase.open, Phase.reviewing, Phase.voting), consent_form=ConsentForm(formdata=None))


@bp.get("/my/entries")
@login_required
def mine():
    entries = list(db.session.scalars(select(Entry).where(or_(
        Entry.author_id == current_user.id, Entry.submitted_by_id == current_user.id)).order_by(Entry.id.desc())))
    return render_template("campaigns/mine.html", entries=entries)


# --- review and consent ----------------------------------------------------------------------------

@bp.get("/campaigns/<int:campaign_id>/review")
@login_required
def review(campaign_id: int):
    return _review_page(load_organised(campaign_id))


def _review_page(campaign: Campaign, failed: Entry | None = None, form: ReviewForm | None = None):
    """The organisers' list; ``failed``: the entry whose decline was refused, shown with the reason typed."""
    order = {EntryState.pending: 0, EntryState.approved: 1, EntryState.rejected: 2}
    entries = sorted(campaign.entries, key=lambda e: (order[e.state], e.id))
    return render_template("campaigns/review.html", campaign=campaign, entries=entries, flags=operations.flags,
                           juror=operations.is_juror(campaign, current_user),
                           form=form or ReviewForm(formdata=None), failed=failed,
                           consent_form=ConsentForm(formdata=None), standings=operations.standings(campaign)
                           if campaign.phase in (Phase.voting, Phase.judging) else None), 400 if failed else 200


@bp.post("/campaigns/entries/<int:entry_id>/review")
@login_required
def decide(entry_id: int):
    entry = load_entry(entry_id)
    require(operations.can_organise(entry.campaign, current_user), _("Only the campaign's organisers check entries."))
    form = ReviewForm()
    rejecting = request.form.get("action") == "reject"
    try:
        if not form.validate_on_submit():
            raise DomainError(" ".join(map(str, form.reason.errors)) or error_summary(form), "reason")
        if rejecting:
            operations.reject(entry, current_user, form.reason.data)
            message = _("The entry is declined. The child can read your reason.")
        else:
            operations.approve(entry, current_user)
            message = (_("The entry is approved and shown in the gallery.") if entry.has_consent else
                       _("The entry is approved. It stays hidden until the guardian's consent is recorded."))
    except DomainError as refused:
        db.session.rollback()
        if rejecting and refused.field == "reason":  # the reason typed stays in its box, what is wrong beside it
            form.reason.errors = [refused.message]
            return _review_page(entry.campaign, entry, form)
        flash(refused.message, "error")  # the entry moved on: its form may be gone from the page
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for(".review", campaign_id=entry.campaign_id) + f"#entry-{entry.id}")


@bp.post("/campaigns/entries/<int:entry_id>/consent")
@login_required
def consent(entry_id: int):
    entry = load_entry(entry_id)
    require(operations.may_record_consent(entry, current_user),
            _("A teacher or facilitator of the child's council records the guardian's answer."))
    form = ConsentForm()
    require(form.validate_on_submit(), _("Choose how the guardian answered."), DomainError)
    try:
        operations.record_consent(entry, current_user, display=bool(request.form.get("display")),
                                  use=bool(request.form.get("use")), method=ConsentMethod(form.method.data))
    except DomainError as refused:
        db.session.rollback()
        flash(refused.message, "error")
    else:
        db.session.commit()
        flash(_("The guardian's answer is recorded.") if entry.has_consent else
              _("The guardian's answer is recorded. Without both yeses the entry stays hidden."), "success")
    back = request.form.get("back")
    if back == "review" and operations.can_organise(entry.campaign, current_user):
        return redirect(url_for(".review", campaign_id=entry.campaign_id) + f"#entry-{entry.id}")
    return redirect(url_for(".entry", entry_id=entry.id))


# --- the vote --------------------------------------------------------------------------------------

def _voter_key() -> str:
    """Per child, not per address: a whole class votes from one school address."""
    return f"account:{current_user.get_id()}" if current_user.is_authenticated else get_remote_address()


@bp.post("/campaigns/entries/<int:entry_id>/vote")
@limiter.limit(lambda: current_app.config.get("CAMPAIGN_VOTE_LIMIT", "20 per minute"), key_func=_voter_key)
@login_required
def vote(entry_id: int):
    entry = load_entry(entry_id)
    # Who may vote is decided here, so a refusal is a 403 (the operation's own refusals come back as a message).
    require(current_user.is_child, _("Voting is for children."))
    if request.form.get("action") != "remove":
        ensure_can_act(current_user)
        require(operations.is_eligible(entry.campaign, current_user),
                _("This campaign is for the children of %(place)s.", place=entry.campaign.scope_name))
    checked_form()
    campaign_id = entry.campaign_id  # read before the commit expires the entry
    try:
        if request.form.get("action") == "remove":
            operations.unvote(entry, current_user)
            message = _("Your vote is taken back. You can give it to another work.")
        else:
            operations.vote(entry, current_user)
            message = _("Thank you for your vote!")
    except DomainError as refused:
        db.session.rollback()
        flash(refused.message, "error")
    else:
        db.session.commit()
        flash(message, "success")
    if request.form.get("back") == "entry":
        return redirect(url_for(".entry", entry_id=entry_id))
    return redirect(url_for(".show", campaign_id=campaign_id) + f"#entry-{entry_id}")


# --- the blind jury --------------------------------------------------------------------------------

@bp.get("/campaigns/<int:campaign_id>/jury")
@login_required
def jury(campaign_id: int):
    campaign = load(campaign_id)
    require(operations.is_juror(campaign, current_user), _("This page is for the campaign's jury."))
    return _jury_page(campaign)


def _jury_page(campaign: Campaign, failed: dict | None = None):
    """``failed``: a work whose marks were refused (code, the mark the refusal is about, message, marks typed),
    shown again with the marks as typed and the reason beside them."""
    entries = sorted(operations.contest_entries(campaign), key=lambda e: e.code)
    return render_template("campaigns/jury.html", campaign=campaign, entries=entries, form=EmptyForm(),
                           scores=operations.my_scores(campaign, current_user), failed=failed,
                           judging_open=operations.judging_open(campaign),
                           named=operations.reviewed_by_name(campaign, current_user)), 400 if failed else 200


@bp.post("/campaigns/<int:campaign_id>/jury/<code>")
@login_required
def score(campaign_id: int, code: str):
    campaign = load(campaign_id)
    require(operations.is_juror(campaign, current_user), _("Only the campaign's jury scores entries."))
    entry = next((e for e in operations.contest_entries(campaign) if e.code == code), None) or abort(404)
    checked_form()
    names = [f"mark-{i}" for i in range(len(campaign.rubric))]
    marks = [request.form.get(name, type=whole_number) for name in names]  # None: not a whole number
    try:
        missing = next((name for name in names if not request.form.get(name, "").strip()), None)
        require(missing is None, _("Give a mark for every criterion."), DomainError, field=missing)
        operations.score(entry, current_user, marks)
    except DomainError as refused:
        db.session.rollback()
        return _jury_page(campaign, {"code": code, "field": refused.field, "message": refused.message,
                                     "marks": [request.form.get(name, "") for name in names]})
    else:
        db.session.commit()
        flash(_("Scores saved for %(code)s.", code=_("Work %(code)s", code=code)), "success")
    return redirect(url_for(".jury", campaign_id=campaign.id) + f"#work-{code}")


# --- results ---------------------------------------------------------------------------------------

@bp.get("/campaigns/<int:campaign_id>/results")
def results(campaign_id: int):
    campaign = load(campaign_id)
    if campaign.phase not in RESULT_PHASES:
        abort(404)
    return render_template("campaigns/results.html", campaign=campaign, winners=operations.winners(campaign))


@bp.get("/campaigns/entries/<int:entry_id>/certificate")
def certificate(entry_id: int):
    entry = load_entry(entry_id)
    if not entry.is_winner:
        abort(404)
    return render_template("campaigns/certificate.html", entry=entry, campaign=entry.campaign,
                           dates=operations.phase_dates(entry.campaign))


@bp.get("/campaigns/<int:campaign_id>/export.zip")
@login_required
def export(campaign_id: int):
    campaign = load_organised(campaign_id)
    data = operations.export_zip(campaign, current_user)
    db.session.commit()
    return zip_response(f"campaign-{campaign.id}.zip", data, private=True)  # nicknames: kept out of caches


# --- the daily command -----------------------------------------------------------------------------

@bp.cli.command("advance")
def advance_command() -> None:
    """Move every running campaign into the phases whose dates have come (safe to run as often as cron likes)."""
    moved = operations.advance_all()
    db.session.commit()
    click.echo(f"moved {moved} campaign phases")
