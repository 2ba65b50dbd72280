from __future__ import annotations

import sys
import threading

import cachetools
from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import joinedload

from council.accounts.models import MembershipRole
from council.accounts.operations import can_act, children_in_reach, find_children_in_reach
from council.calendar import clock
from council.councils.models import Council, Tier
from council.councils.operations import subtree
from council.errors import DomainError, require
from council.extensions import cache, db
from council.forms import EmptyForm, about, add_error, checked_form
from council.i18n import locale_name
from council.loading import preload_known, prepared
from council.paging import asked_page, asked_words
from council.plan.queries import current_plan, current_task, current_tasks, is_current
from council.proposals import cards, operations, queries, rescue
from council.proposals.diff import inline_diff
from council.proposals.forms import (
    IdeaForm,
    OnBehalfForm,
    PlaceForm,
    ProblemForm,
    ReasonForm,
    RejectForm,
    StartForm,
    TopicForm,
    TranscriptionForm,
    UploadForm,
    WhoForm,
    WordForm,
)
from council.proposals.models import (
    EDITABLE_STATES,
    TEXT_FIELDS,
    Attachment,
    EditStatus,
    Proposal,
    ProposalEdit,
    ProposalState,
    RejectReason,
)
from council.proposals.screening import mask
from council.proposals.timeline import now_and_next, timeline
from council.sessions.operations import can_forward
from council.templating import MB, kept_macro
from council.uploads import storage
from council.uploads.audio import process_voice
from council.uploads.images import process_image
from council.visibility import hidden_unless, refuse_unless

bp = Blueprint("proposals", __name__)

# The list's filter form (proposals/_filters.html) kept per worker: one per language and choice of filters, a
# typed search word being one (council/templating.py: kept_macro).
KEPT_FILTER_FORMS_BYTES = 8 * MB
PUBLIC_STATES_IN_ORDER = tuple(sorted(queries.PUBLIC_STATES, key=list(ProposalState).index))


@bp.record_once
def _keep_filter_form(state) -> None:
    state.app.jinja_env.globals["idea_filters"] = kept_macro(state.app, "proposals/_filters.html", "idea_filters",
                                                             KEPT_FILTER_FORMS_BYTES)


@bp.before_request
def keep_words_of_a_lapsed_session():
    """Runs before login_required sends the child to sign in: their words are kept for afterwards."""
    if not current_user.is_authenticated:
        rescue.stash()


@bp.app_errorhandler(CSRFError)
def csrf_failed(error):
    if rescue.stash():
        flash(_("This page was open for a long time. We kept what you wrote — please sign in again."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("errors/error.html", status=400, title=_("The request could not be understood"),
                           message=_("This page was open for a long time. Please go back, reload it and try again.")
                           ), 400

# The wizard: each step names its form, its fields and the question it asks.
STEPS = [
    {"no": 1, "key": "problem", "form": ProblemForm, "title": _l("What is the problem?"), "icon": "alert-triangle"},
    {"no": 2, "key": "place", "form": PlaceForm, "title": _l("Where is it?"), "icon": "building-community"},
    {"no": 3, "key": "idea", "form": IdeaForm, "title": _l("What is your idea?"), "icon": "bulb"},
    {"no": 4, "key": "who", "form": WhoForm, "title": _l("Who would it help?"), "icon": "users"},
    {"no": 5, "key": "pictures", "form": UploadForm, "title": _l("Pictures and voice"), "icon": "photo"},
    {"no": 6, "key": "topic", "form": TopicForm, "title": _l("Pick a topic"), "icon": "list-details"},
    {"no": 7, "key": "check", "form": None, "title": _l("Check and send"), "icon": "send"},
]
# The five areas of Zhoucun's plan in words and pictures a child knows, by the area's name; another district's plan
# (council/districts) shows its areas by their own names.
AREA_WORDS = {
    "完善儿童友好社会政策": ("scale", _l("Rules that care about children")),
    "提升儿童友好公共服务": ("stethoscope", _l("School, health and care for little ones")),
    "加强儿童友好权利保障": ("shield-heart", _l("Protecting and helping children")),
    "拓展儿童友好成长空间": ("trees", _l("Parks, streets and places to play")),
    "优化儿童友好发展环境": ("home-heart", _l("Families, neighbours and safety")),
}
OTHER = "other"
CHECK = next(s["no"] for s in STEPS if s["key"] == "check")
PICTURES = next(s for s in STEPS if s["key"] == "pictures")


def load(proposal_id: int, need: str = "view", options=()) -> Proposal:
    """The idea, or 404; then as ``allowed_or_abort``."""
    return allowed_or_abort(db.session.get(Proposal, proposal_id, options=options) or abort(404), need)


def allowed_or_abort(proposal: Proposal, need: str = "view") -> Proposal:
    """404 (as for a missing id) unless the signed-in account may see the idea; then 403 with the reason unless
    it may do ``need`` with it (council/visibility.py)."""
    may_see = operations.can_view(proposal, current_user)
    if need == "edit":
        refuse_unless(operations.is_author(proposal, current_user), may_see,
                      _("Only the people who wrote this idea can do that."))
    elif need == "moderate":
        refuse_unless(operations.can_moderate(proposal, current_user), may_see,
                      _("Only a facilitator of this council can do that."))
    else:
        hidden_unless(may_see)
    return proposal


# --- public -------------------------------------------------------------------------------------

@bp.get("/ideas/")
def index():
    filters = queries.Filters.from_args(request.args)
    page = queries.public_page(filters, page=request.args.get("page", 1, type=int), after=request.args.get("after"))
    councils, areas = filter_choices(locale_name())
    chosen = db.session.get(Council, filters.council) if filters.council else None  # read already by the list
    if chosen is not None and chosen.id not in dict(councils):  # a community's list, reached from its page
        councils += ((chosen.id, chosen.display_name),)
    return render_template("proposals/index.html", page=page, filters=filters,
                           council_options=options(tuple(councils), filters.council),
                           area_options=options(tuple(areas), filters.area),
                           tiers=tuple(Tier), states=PUBLIC_STATES_IN_ORDER)


def filter_choices(locale: str) -> tuple[tuple[tuple[int, str], ...], tuple[tuple[int, str], ...]]:
    """The council and topic choices of the list's filters, in the reader's language: reference data, read once
    every five minutes rather than on every page view. The councils are the district and its towns and streets:
    a district has hundreds of communities and schools (a city thousands), too many for a list a child can use
    on a phone; each of them links to its own ideas from its council page. Kept under a plain key (Flask-Caching's
    ``memoize`` inspected the function's signature on every call: a tenth of the list's own time)."""
    key = f"filter-choices:{locale}"
    choices = cache.get(key)
    if choices is None:
        councils = tuple((c.id, c.display_name) for c in db.session.scalars(
            select(Council).where(Council.tier.in_([Tier.district, Tier.town])).order_by(Council.path)))
        plan = current_plan()
        choices = councils, tuple((area.no, area.display_name) for area in (plan.areas if plan else []))
        cache.set(key, choices, timeout=300)
    return choices


@cachetools.cached(cachetools.LRUCache(maxsize=4 * MB, getsizeof=sys.getsizeof), lock=threading.Lock())
def options(choices: tuple[tuple[int, str], ...], selected: int | None) -> Markup:
    """The ``<option>`` elements of a filter, built once per choice list and selection: a district has hundreds of
    councils, and the page would otherwise escape every name on every view."""
    return Markup("").join(Markup('<option value="{}"{}>{}</option>').format(value, Markup(" selected")
                                                                             if value == selected else "", name)
                           for value, name in choices)


def _shown_statement():
    """The idea with what its page shows of it in the same statement: its councils and task, and whether it has
    changed words or pictures at all (most ideas have neither, and then those lists cost no statement)."""
    return (select(Proposal, exists().where(ProposalEdit.proposal_id == Proposal.id),
                   exists().where(Attachment.proposal_id == Proposal.id))
            .where(Proposal.id == bindparam("id"))
            .options(joinedload(Proposal.current_council), joinedload(Proposal.council),
                     joinedload(Proposal.plan_task)))


def load_shown(proposal_id: int) -> Proposal:
    """The idea for its page, or 404: one kept statement (council/loading.py), then each of its lists it has in
    one more, instead of one statement per relationship as the template reaches it."""
    row = db.session.execute(prepared("idea-shown", _shown_statement), {"id": proposal_id}).first() or abort(404)
    proposal, has_edits, has_attachments = row
    preload_known(has_edits, [proposal], Proposal.edits)
    preload_known(has_attachments, [proposal], Proposal.attachments, Attachment.file)
    return allowed_or_abort(proposal)


@bp.get("/ideas/<int:proposal_id>")
def show(proposal_id: int):
    return idea_page(proposal_id)


def idea_page(proposal_id: int, *, rate_form=None, status: int = 200):
    """The idea's page; ``rate_form``: a child's refused rating (council/tasks), shown again with its reason."""
    proposal = load_shown(proposal_id)
    is_author = operations.is_author(proposal, current_user)
    private = is_author or operations.can_moderate(proposal, current_user)
    who, following = now_and_next(proposal)
    return render_template(
        "proposals/show.html", proposal=proposal, author_names=cards.authors_of(proposal),
        steps=timeline(proposal, private=private), private=private,
        now=who, next=following, is_author=is_author, can_forward=can_forward(proposal),
        supported=operations.has_supported(proposal, current_user),
        can_support=current_user.is_authenticated and current_user.is_child
        and proposal.state in operations.SUPPORTABLE and not operations.is_author(proposal, current_user),
        can_moderate=operations.can_moderate(proposal, current_user),
        edits=[(e, inline_diff(e.original, e.edited)) for e in proposal.edits], field_labels=field_labels(),
        rate_form=rate_form, **answer_context(proposal),
    ), status


def answer_context(proposal: Proposal) -> dict:
    """What the units did with the idea, and the children's rating form (from the tasks feature)."""

    from council.tasks import operations as tasks
    from council.tasks.models import RatingValue, TaskState

    shown = [t for t in tasks.tasks_of(proposal, with_answers=True) if t.state is not TaskState.withdrawn]
    return {"units_answer": shown, "today": clock.today(), "can_rate": tasks.may_rate(proposal, current_user)
            and tasks.my_rating(proposal, current_user) is None, "my_rating": tasks.my_rating(proposal, current_user),
            "rating_values": list(RatingValue), "can_route_it": tasks.can_route(proposal, current_user)
            and tasks.needs_routing(proposal)}


@bp.post("/ideas/<int:proposal_id>/support")
@login_required
def support(proposal_id: int):
    proposal = load(proposal_id)
    checked_form()
    if request.form.get("action") == "remove":
        operations.unsupport(proposal, current_user)
        message = _("You no longer support this idea.")
    else:
        operations.support(proposal, current_user)
        message = _("Thank you! You support this idea.")
    supports = proposal.support_count  # as the database counted it (move_count), read before the commit expires it
    db.session.commit()
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"supports": supports, "supported": operations.has_supported(proposal, current_user)})
    flash(message, "success")
    return redirect(url_for(".show", proposal_id=proposal_id))


@bp.get("/files/<key>")
@bp.get("/files/<key>/thumb", endpoint="thumbnail")
def file(key: str):
    from flask import send_file

    from council.uploads.models import StoredFile

    stored = db.session.scalar(select(StoredFile).where(StoredFile.key == key)) or abort(404)
    attachment = db.session.scalar(select(Attachment).where(Attachment.file_id == stored.id))
    if attachment is None:
        from council.campaigns.operations import file_allowed
        from council.tasks.operations import photo_allowed

        # Each kind of file has its rule where its owner lives; None: not that kind of file.
        rule = next((answer for answer in (file_allowed(stored, current_user), photo_allowed(stored, current_user))
                     if answer is not None), None)
        allowed = rule if rule is not None else (
            current_user.is_authenticated and stored.uploaded_by_id == current_user.id)
    else:
        proposal = attachment.proposal
        private_view = operations.is_author(proposal, current_user) or operations.can_moderate(proposal, current_user)
        # A child's voice is personal: only the authors and facilitators hear it, even on a public idea.
        allowed = private_view or (proposal.is_public and stored.kind.value == "image")
    if not allowed:
        abort(404)
    response = send_file(storage.path_of(stored, thumbnail=request.endpoint.endswith("thumbnail")),
                         mimetype=stored.content_type, max_age=3600)
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


# --- writing an idea ----------------------------------------------------------------------------

@bp.route("/ideas/new", methods=["GET", "POST"])
@login_required
def new():
    if not current_user.is_child:
        return redirect(url_for(".new_on_behalf"))
    drafts = queries.open_drafts(current_user)
    form = StartForm()
    choices = operations.councils_for(current_user)
    form.council.choices = [(c.id, c.display_name) for c in choices]
    if request.method == "GET" and choices:
        # A council's poster ("扫码提建议") opens the wizard with that council chosen, when the child belongs to it.
        asked = request.args.get("council", type=int)
        form.council.data = asked if asked in {c.id for c in choices} else choices[0].id
    if can_act(current_user) and form.validate_on_submit():
        council = db.session.get(Council, form.council.data)
        proposal = operations.start_draft(current_user, council)
        db.session.commit()
        return redirect(url_for(".step", proposal_id=proposal.id, no=1))
    return render_template("proposals/new.html", form=form, drafts=drafts, can_act=can_act(current_user))


@bp.route("/ideas/new/for-children", methods=["GET", "POST"])
@login_required
def new_on_behalf():
    require(bool(current_user.councils_as(MembershipRole.teacher, MembershipRole.facilitator)),
            _("Only teachers can write ideas for children."))
    words = asked_words()
    children, total = find_children_in_reach(current_user, words)  # with whether each may act, shown beside them
    form = OnBehalfForm()
    councils = {c.id: c for held in current_user.councils_as(MembershipRole.teacher, MembershipRole.facilitator)
                for c in [held, *held.ancestors()]}
    form.council.choices = [(c.id, c.display_name) for c in councils.values()]
    chosen_ids = request.form.getlist("children", type=int)
    error = None
    if form.validate_on_submit():
        chosen = children_in_reach(current_user, ids=chosen_ids)
        if not chosen:
            error = _("Choose the children this idea comes from.")
        else:
            proposal = operations.start_draft(current_user, councils[form.council.data], authors=chosen)
            db.session.commit()
            return redirect(url_for(".step", proposal_id=proposal.id, no=1))
    return render_template("proposals/new_on_behalf.html", form=form, children=children, total=total, query=words,
                           chosen_ids=chosen_ids, error=error, can_act=can_act), 400 if error else 200


def field_labels() -> dict[str, str]:
    return {"title": _("Name"), "problem": _("Problem"), "place": _("Place"), "idea": _("Idea"),
            "who_helps": _("Who it helps")}


def _step_form(step: dict, proposal: Proposal):
    cls = step["form"]
    if cls is None:
        return None
    form = cls(obj=proposal if request.method == "GET" else None)
    if step["key"] == "place":
        choices = {c.id: c for author in proposal.authors for c in operations.councils_for(author)}
        choices.setdefault(proposal.council_id, proposal.council)
        form.council.choices = [(c.id, c.display_name) for c in choices.values()]
        if request.method == "GET":
            form.council.data = proposal.council_id
    if step["key"] == "topic":
        form.task.choices = [(str(t.no), t.display_title) for t in db.session.scalars(current_tasks())] + [
            (OTHER, _("Something else"))]
        if request.method == "GET" and proposal.topic_chosen:
            # a task of an earlier version of the plan is not among the choices: the child chooses again
            task = proposal.plan_task
            form.task.data = OTHER if task is None else str(task.no) if is_current(task.action.area.plan) else None
    return form


@bp.route("/ideas/<int:proposal_id>/step/<int:no>", methods=["GET", "POST"])
@login_required
def step(proposal_id: int, no: int):
    proposal = load(proposal_id, "edit")
    if proposal.state not in EDITABLE_STATES:
        flash(_("This idea has been sent, so it cannot be changed now."), "info")
        return redirect(url_for(".show", proposal_id=proposal.id))
    step = next((s for s in STEPS if s["no"] == no), None) or abort(404)
    form = _step_form(step, proposal)
    status = 200
    if request.method == "POST" and step["key"] not in ("pictures", "check"):
        _save(step, form, proposal)
        db.session.commit()
        if (jump := jump_to(proposal)) is not None:
            return redirect(url_for(".step", proposal_id=proposal.id, no=jump))
        going_back = "back" in request.form
        if going_back or (form.validate() and _step_complete(step, proposal, form)):
            return redirect(_after_step(proposal, no, going_back))
        status = 400
    return _step_page(proposal, step, form, status)


def jump_to(proposal: Proposal) -> int | None:
    """The step a child chose by its number above the form (``go=3``), once what this step holds is saved: any step
    up to the one after the furthest reached, as the numbers offer. A step is left this way without its checks."""
    go = request.form.get("go", "")
    if go.isdigit() and 1 <= int(go) <= min(len(STEPS), proposal.wizard_step + 1):
        return int(go)
    return None


def returning_to_check() -> bool:
    """The child came from the check page to change one part (its Edit links add ``?then=check``)."""
    return request.args.get("then") == "check"


def _after_step(proposal: Proposal, no: int, going_back: bool) -> str:
    """Where a step's button leads once the step is saved: the step before or the next one; straight back to the
    check page for a child who came from it to change one part, not step by step through the rest."""
    if going_back:
        return url_for(".step", proposal_id=proposal.id, no=max(no - 1, 1))
    return url_for(".step", proposal_id=proposal.id, no=CHECK if returning_to_check() else no + 1)


def _step_page(proposal: Proposal, step: dict, form, status: int = 200, upload_form: UploadForm | None = None):
    """A step of the wizard; on the pictures step, ``upload_form`` is a refused upload shown with its reason."""
    plan = current_plan() if step["key"] == "topic" else None
    if step["key"] == "pictures" and upload_form is None:
        upload_form = UploadForm(formdata=None)
    return render_template(
        "proposals/step.html", proposal=proposal, step=step, steps=STEPS, form=form, plan=plan,
        area_words=AREA_WORDS, upload_form=upload_form, returning=returning_to_check(),
        problems=operations.problems(proposal) if step["key"] == "check" else {},
        flags=operations.flags(proposal) if step["key"] == "check" else {},
        field_labels=field_labels(), submit_form=EmptyForm(),
        suggestions=[(e, inline_diff(e.original, e.edited)) for e in proposal.edits
                     if e.status is EditStatus.suggested],
    ), status


def _save(step: dict, form, proposal: Proposal) -> None:
    key = step["key"]
    if key == "topic":
        value = form.task.data
        if value == OTHER:
            operations.choose_topic(proposal, current_user, None)
        elif value and value.isdigit():
            task = current_task(int(value))
            if task is not None:
                operations.choose_topic(proposal, current_user, task)
        operations.save_draft(proposal, current_user, step=step["no"])
        return
    fields = {name: request.form.get(name) for name in TEXT_FIELDS if name in request.form}
    operations.save_draft(proposal, current_user, step=step["no"], **fields)
    if key == "place" and form.council.data:
        council = db.session.get(Council, form.council.data)
        if council is not None:
            operations.choose_council(proposal, current_user, council)


def _step_complete(step: dict, proposal: Proposal, form) -> bool:
    """Required parts a child can fill in later with a voice note are checked here, not by the form."""
    if step["key"] == "problem" and not proposal.problem and not proposal.voices:
        form.problem.errors.append(_("Tell us what the problem is. If writing is hard, you can record your voice "
                                     "in step 5 and leave this empty."))
        return "skip" in request.form
    if step["key"] == "idea" and not proposal.idea and not proposal.voices:
        form.idea.errors.append(_("Tell us your idea. If writing is hard, you can record your voice in step 5."))
        return "skip" in request.form
    return True


@bp.post("/ideas/<int:proposal_id>/autosave")
@login_required
def autosave(proposal_id: int):
    """Called by autosave.js while a child types; keeps the words even if the tab is closed."""
    proposal = load(proposal_id, "edit")
    fields = {name: request.form.get(name) for name in TEXT_FIELDS if name in request.form}
    operations.save_draft(proposal, current_user, **fields)
    db.session.commit()
    return "", 204


@bp.post("/ideas/<int:proposal_id>/attachments")
@login_required
def upload(proposal_id: int):
    """Adds a picture or a voice note. The step's Back and Next buttons post here too (``go``), so that what the
    child chose but did not add yet goes along instead of being dropped; with nothing chosen they just move on."""
    proposal = load(proposal_id, "edit")
    form = UploadForm()
    pictures = PICTURES
    jump = jump_to(proposal)
    go = request.form.get("go") if request.form.get("go") in ("back", "next") or jump is not None else None
    if not form.validate_on_submit():
        return _step_page(proposal, pictures, None, 400, upload_form=form)
    config = current_app.config
    added = 0
    try:
        if form.picture.data and form.picture.data.filename:
            with about("picture"):
                processed = process_image(form.picture.data.stream, max_bytes=config["IMAGE_MAX_BYTES"])
            operations.attach(proposal, current_user, storage.store_image(processed, current_user),
                              form.description.data or "")
            added += 1
        if form.voice.data and form.voice.data.filename:
            with about("voice"):
                processed = process_voice(form.voice.data.stream, max_bytes=config["VOICE_MAX_BYTES"],
                                          max_seconds=config["VOICE_MAX_SECONDS"])
            operations.attach(proposal, current_user, storage.store_voice(processed, current_user))
            added += 1
        require(bool(added) or go is not None, _("Choose a picture or record a voice note first."), DomainError,
                field="picture")
    except DomainError as refused:
        db.session.rollback()
        add_error(form, refused.field, refused.message)
        return _step_page(proposal, pictures, None, 400, upload_form=form)
    db.session.commit()
    if added:
        flash(_("Added to your idea."), "success")
    if jump is not None:
        return redirect(url_for(".step", proposal_id=proposal.id, no=jump))
    if go is not None:
        return redirect(_after_step(proposal, pictures["no"], go == "back"))
    return redirect(url_for(".step", proposal_id=proposal.id, no=pictures["no"],
                            then="check" if returning_to_check() else None))


@bp.post("/ideas/<int:proposal_id>/attachments/<int:attachment_id>/delete")
@login_required
def remove_attachment(proposal_id: int, attachment_id: int):
    proposal = load(proposal_id, "edit")
    attachment = next((a for a in proposal.attachments if a.id == attachment_id), None) or abort(404)
    checked_form()
    operations.remove_attachment(attachment, current_user)
    db.session.commit()
    flash(_("Removed."), "success")
    return redirect(url_for(".step", proposal_id=proposal.id, no=PICTURES["no"],
                            then="check" if returning_to_check() else None))


@bp.post("/ideas/<int:proposal_id>/submit")
@login_required
def submit(proposal_id: int):
    proposal = load(proposal_id, "edit")
    checked_form()
    if proposal.state is ProposalState.submitted:  # a second click: it is already on its way
        return redirect(url_for(".show", proposal_id=proposal.id))
    try:
        operations.submit(proposal, current_user)
    except DomainError as refused:
        flash(refused.message, "error")
        return redirect(url_for(".step", proposal_id=proposal.id, no=7))
    db.session.commit()
    flash(_("Sent! A facilitator will read your idea soon."), "success")
    return redirect(url_for(".show", proposal_id=proposal_id))  # by the address: nothing read after the commit


@bp.post("/ideas/<int:proposal_id>/withdraw")
@login_required
def withdraw(proposal_id: int):
    proposal = load(proposal_id, "edit")
    checked_form()
    operations.withdraw(proposal, current_user, request.form.get("reason"))
    db.session.commit()
    flash(_("The idea is withdrawn."), "success")
    return redirect(url_for(".mine"))


@bp.post("/ideas/<int:proposal_id>/suggestions/<int:edit_id>")
@login_required
def answer_suggestion(proposal_id: int, edit_id: int):
    proposal = load(proposal_id, "edit")
    edit = db.session.get(ProposalEdit, edit_id)
    if edit is None or edit.proposal_id != proposal.id:
        abort(404)
    checked_form()
    operations.accept_suggestion(edit, current_user, request.form.get("answer") == "accept")
    db.session.commit()
    return redirect(url_for(".step", proposal_id=proposal.id, no=7))


@bp.get("/my/ideas")
@login_required
def mine():
    return render_template("proposals/mine.html", proposals=queries.mine(current_user))


# --- facilitators -------------------------------------------------------------------------------

@bp.get("/moderation")
@login_required
def queue():
    held = current_user.councils_as(MembershipRole.facilitator)
    require(bool(held) or current_user.is_coordinator, _("This page is for council facilitators."))
    again = request.args.get("show") == "again"
    listed = queries.waiting_for(current_user, asked_page(), again=again)
    return render_template("proposals/queue.html", listed=listed, proposals=listed.items, again=again,
                           flags={p.id: operations.flags(p) for p in listed.items})


@bp.get("/moderation/<int:proposal_id>")
@login_required
def review(proposal_id: int):
    proposal = load(proposal_id, "moderate")
    return _review_page(proposal)


def _review_page(proposal, reason_form=None, reject_form=None, status=200, *, word_errors=None,
                 transcription_form=None, transcribing=None):
    """The facilitator's page. A refused form comes back with what was typed: the words of the publish and
    send-back forms (``word_errors``: edit_title or suggest_idea → why), a voice note's transcription."""
    flags = operations.flags(proposal)
    reject_form = reject_form or RejectForm(formdata=None)
    _reject_choices(reject_form, proposal)
    return render_template(
        "proposals/review.html", proposal=proposal, flags=flags,
        masked={field: mask(getattr(proposal, field), found) for field, found in flags.items()},
        reason_form=reason_form or ReasonForm(formdata=None), reject_form=reject_form, form=EmptyForm(),
        field_labels=field_labels(), transcription_form=transcription_form or TranscriptionForm(formdata=None),
        typed=request.form if status != 200 else {}, word_errors=word_errors or {}, transcribing=transcribing,
    ), status


def _reject_choices(form, proposal):
    form.kind.choices = [(r.value, r.label) for r in RejectReason]
    councils = subtree(proposal.current_council.ancestors()[0]) if proposal.current_council.parent else [
        proposal.current_council]
    form.suggested_council.choices = [(0, "—")] + [(c.id, c.display_name) for c in councils
                                                    if c.id != proposal.current_council_id]


@bp.post("/moderation/<int:proposal_id>/publish")
@login_required
def publish(proposal_id: int):
    proposal = load(proposal_id, "moderate")
    checked_form()
    if proposal.state is ProposalState.published:
        return redirect(url_for(".show", proposal_id=proposal.id))
    edits = {f: request.form.get(f"edit_{f}") for f in TEXT_FIELDS if request.form.get(f"edit_{f}") is not None}
    try:
        operations.publish(proposal, current_user, edits=edits)
    except DomainError as refused:
        db.session.rollback()
        if refused.field is None:
            raise
        return _review_page(proposal, status=400, word_errors={f"edit_{refused.field}": refused.message})
    db.session.commit()
    flash(_("The idea is now public."), "success")
    return redirect(url_for(".queue"))


@bp.post("/moderation/<int:proposal_id>/return")
@login_required
def send_back(proposal_id: int):
    proposal = load(proposal_id, "moderate")
    form = ReasonForm()
    if not form.validate_on_submit():
        return _review_page(proposal, reason_form=form, status=400)
    suggestions = {f: request.form.get(f"suggest_{f}") for f in TEXT_FIELDS}
    try:
        operations.return_to_author(proposal, current_user, form.reason.data, suggestions=suggestions)
    except DomainError as refused:
        db.session.rollback()
        if refused.field is None:
            raise
        if refused.field in form:
            add_error(form, refused.field, refused.message)
            return _review_page(proposal, reason_form=form, status=400)
        return _review_page(proposal, reason_form=form, status=400,
                            word_errors={f"suggest_{refused.field}": refused.message})
    db.session.commit()
    flash(_("The idea went back to the child with your reason."), "success")
    return redirect(url_for(".queue"))


@bp.post("/moderation/<int:proposal_id>/reject")
@login_required
def reject(proposal_id: int):
    proposal = load(proposal_id, "moderate")
    form = RejectForm()
    _reject_choices(form, proposal)
    if not form.validate_on_submit():
        return _review_page(proposal, reject_form=form, status=400)
    duplicate = db.session.get(Proposal, form.duplicate_of.data) if form.duplicate_of.data else None
    council = db.session.get(Council, form.suggested_council.data) if form.suggested_council.data else None
    try:
        operations.reject(proposal, current_user, RejectReason(form.kind.data), form.note.data,
                          duplicate_of=duplicate, suggested_council=council)
    except DomainError as refused:
        form.note.errors.append(refused.message)
        return _review_page(proposal, reject_form=form, status=400)
    db.session.commit()
    flash(_("The child will read your reason."), "success")
    return redirect(url_for(".queue"))


@bp.route("/moderation/words", methods=["GET", "POST"])
@login_required
def words():
    require(current_user.is_coordinator, _("This page is for the district coordinating office."))
    form = WordForm()
    if form.validate_on_submit():
        try:
            operations.add_screening_word(form.word.data, current_user)
        except DomainError as refused:
            form.word.errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("Facilitators will now see this word marked."), "success")
            return redirect(url_for(".words"))
    return render_template("proposals/words.html", form=form, words=operations.screening_words(),
                           remove_form=EmptyForm()), 400 if form.errors else 200


@bp.post("/moderation/words/<int:word_id>/delete")
@login_required
def remove_word(word_id: int):
    require(current_user.is_coordinator, _("This page is for the district coordinating office."))
    checked_form()
    operations.remove_screening_word(word_id, current_user)
    db.session.commit()
    return redirect(url_for(".words"))


@bp.post("/ideas/<int:proposal_id>/attachments/<int:attachment_id>/transcription")
@login_required
def transcribe(proposal_id: int, attachment_id: int):
    proposal = load(proposal_id, "view")
    attachment = next((a for a in proposal.attachments if a.id == attachment_id), None) or abort(404)
    form = TranscriptionForm()
    if not form.validate_on_submit():
        if operations.can_moderate(proposal, current_user):  # the form is on the facilitator's page
            return _review_page(proposal, status=400, transcription_form=form, transcribing=attachment.id)
        raise DomainError(" ".join(map(str, form.transcription.errors)) or _("Please send the form again."))
    operations.transcribe(attachment, current_user, form.transcription.data)
    db.session.commit()
    flash(_("The voice note is written down."), "success")
    return redirect(request.referrer if request.referrer and request.referrer.startswith(request.host_url)
                    else url_for(".show", proposal_id=proposal.id))

