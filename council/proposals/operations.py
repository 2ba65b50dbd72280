"""Every rule and state change of an idea (proposal), before a council decides on it.

No request, no form, no commit here: views load, check, call one of these, commit once."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from council.accounts.models import Account
from council.accounts.operations import children_in_reach, ensure_can_act, nearest_facilitators
from council.audit.operations import record
from council.calendar import clock
from council.claims import claim
from council.councils.models import Council
from council.db import insert_once, move_count
from council.errors import DomainError, require
from council.extensions import db
from council.notifications.operations import notify
from council.plan.models import PlanTask
from council.proposals import search
from council.proposals.models import (
    EDITABLE_STATES,
    MILESTONES,
    TEXT_FIELDS,
    TRANSITIONS,
    Attachment,
    EditStatus,
    Proposal,
    ProposalAuthor,
    ProposalEdit,
    ProposalState,
    RejectReason,
    ScreeningWord,
    Support,
)
from council.proposals.screening import screen
from council.uploads.models import StoredFile

S = ProposalState
# What a complete idea needs, and how long each part may be.
LIMITS = {"title": 80, "problem": 2000, "place": 200, "idea": 2000, "who_helps": 1000}
REQUIRED = ("title", "problem", "idea")
SUPPORTABLE = (S.published, S.on_agenda)


class IllegalTransition(DomainError):
    pass


def move(proposal: Proposal, to: ProposalState, actor: Account | None, *, reason: str | None = None,
         action: str | None = None, also: dict | None = None, **data) -> None:
    """The one place an idea changes state: checks the edge, claims it in the database (so of two taps at the same
    moment one moves the idea and the other is refused before any side effect) with the columns that change with
    it (``also``: a date) in the same statement, records the event, and dates a milestone (``MILESTONES``) the
    first time the idea reaches it."""
    if to not in TRANSITIONS[proposal.state]:
        raise IllegalTransition(_("This idea is “%(state)s” now, so it cannot become “%(to)s”.",
                                  state=proposal.state.label, to=to.label))
    before, action, now = proposal.state, action or f"proposal_{to.value}", clock.now()
    values = dict(also or {})
    milestone = MILESTONES.get(action)
    if milestone and getattr(proposal, milestone) is None:
        values[milestone] = now
    claim(proposal, Proposal.state, before, to, state_reason=reason, **values)
    event = record(action, proposal, actor=actor, council=proposal.current_council, from_state=before, to_state=to,
                   reason=reason, **data)
    event.created_at = now  # the same instant as a milestone it dates


# --- who may do what ----------------------------------------------------------------------------

def is_author(proposal: Proposal, account: Account) -> bool:
    """Whether ``account`` wrote ``proposal`` or is among its authors (read from the idea's author links, without
    loading the authors' accounts; a link not yet flushed is matched by its account)."""
    return account.is_authenticated and (proposal.created_by_id == account.id or any(
        link.account_id == account.id if link.account_id is not None else link.account is account
        for link in proposal.author_links))


def can_moderate(proposal: Proposal, account: Account) -> bool:
    return account.is_authenticated and account.can_facilitate(proposal.current_council)


def can_view(proposal: Proposal, account: Account) -> bool:
    return proposal.is_public or is_author(proposal, account) or can_moderate(proposal, account)


def _require_author(proposal: Proposal, actor: Account) -> None:
    require(is_author(proposal, actor), _("Only the people who wrote this idea can do that."))


def _require_moderator(proposal: Proposal, actor: Account) -> None:
    require(can_moderate(proposal, actor), _("Only a facilitator of this council can do that."))


def councils_for(account: Account) -> list[Council]:
    """Where a child may raise an idea: their own council and those above it."""
    home = account.child_profile.home_council if account.child_profile else None
    if home is None:
        return []
    return [home, *reversed(home.ancestors())]


# --- drafts and the wizard ----------------------------------------------------------------------

def start_draft(actor: Account, council: Council, *, authors: list[Account] | None = None) -> Proposal:
    """A child starts an idea for themselves; a teacher starts one for one child or a whole class."""
    if actor.is_child:
        ensure_can_act(actor)
        require(council in councils_for(actor), _("You can raise an idea in your own council or the ones above it."))
        authors = [actor]
    else:
        require(bool(authors), _("Choose the children this idea comes from."), DomainError)
        reach = {c.id for c in children_in_reach(actor, ids=[child.id for child in authors])}
        require(all(child.id in reach for child in authors), _("You can only write for children in your classes."))
        for child in authors:
            ensure_can_act(child)
        require(actor.can_teach_in(council) or any(council in councils_for(c) for c in authors),
                _("You can only raise ideas in your own councils."))
    proposal = Proposal(council=council, current_council=council, created_by=actor, on_behalf=not actor.is_child)
    proposal.author_links = [ProposalAuthor(account=child, position=i) for i, child in enumerate(authors)]
    db.session.add(proposal)
    record("proposal_started", proposal, actor=actor, council=council, to_state=S.draft)
    return proposal


def _kept_length(name: str) -> int:
    """How much of a too-long part a draft keeps: twice the limit, so the child can shorten it, but never more
    than its column holds (a title is VARCHAR(80): PostgreSQL refuses a longer one)."""
    column_length = getattr(Proposal.__table__.c[name].type, "length", None)
    return min(LIMITS[name] * 2, column_length or LIMITS[name] * 2)


def save_draft(proposal: Proposal, actor: Account, *, step: int | None = None, **fields) -> None:
    """Keep whatever was typed, valid or not: a child's words are never lost."""
    _require_author(proposal, actor)
    require(proposal.state in EDITABLE_STATES, _("This idea has been sent and cannot be changed now."),
            IllegalTransition)
    for name, value in fields.items():
        if name in TEXT_FIELDS and value is not None:
            setattr(proposal, name, value.strip()[:_kept_length(name)])
    if step is not None:
        proposal.wizard_step = max(proposal.wizard_step, step)


def choose_topic(proposal: Proposal, actor: Account, task: PlanTask | None) -> None:
    _require_author(proposal, actor)
    require(proposal.state in EDITABLE_STATES, _("This idea has been sent and cannot be changed now."),
            IllegalTransition)
    proposal.plan_task = task
    proposal.topic_chosen = True


def choose_council(proposal: Proposal, actor: Account, council: Council) -> None:
    _require_author(proposal, actor)
    allowed = {c.id for author in proposal.authors for c in councils_for(author)}
    require(council.id in allowed, _("You can raise an idea in your own council or the ones above it."))
    proposal.council = proposal.current_council = council


def attach(proposal: Proposal, actor: Account, stored: StoredFile, description: str = "") -> Attachment:
    _require_author(proposal, actor)
    require(proposal.state in EDITABLE_STATES, _("This idea has been sent and cannot be changed now."),
            IllegalTransition)
    limit = current_app.config["ATTACHMENTS_PER_IDEA"]
    require(len(proposal.attachments) < limit,
            _("An idea can have at most %(n)s pictures and voice notes.", n=limit), DomainError)
    attachment = Attachment(file=stored, description=description.strip()[:200])
    proposal.attachments.append(attachment)
    record("attachment_added", proposal, actor=actor, council=proposal.current_council, kind=stored.kind.value)
    return attachment


def remove_attachment(attachment: Attachment, actor: Account) -> None:
    proposal = attachment.proposal
    _require_author(proposal, actor)
    require(proposal.state in EDITABLE_STATES, _("This idea has been sent and cannot be changed now."),
            IllegalTransition)
    proposal.attachments.remove(attachment)
    record("attachment_removed", proposal, actor=actor, council=proposal.current_council)


def problems(proposal: Proposal) -> dict[str, str]:
    """What still stops the idea being sent, per field, in words a child understands."""
    found = {}
    messages = {
        "title": _("Give your idea a short name."),
        "problem": _("Tell us what the problem is."),
        "idea": _("Tell us your idea."),
    }
    for field in REQUIRED:
        if not (getattr(proposal, field) or "").strip() and not (field != "title" and proposal.voices):
            found[field] = messages[field]
    for field, limit in LIMITS.items():
        if len(getattr(proposal, field) or "") > limit:
            found[field] = _("This part is too long. Please keep it under %(n)s characters.", n=limit)
    if not proposal.topic_chosen:
        found["topic"] = _("Pick a topic, or choose “Something else”.")
    return found


def screening_words() -> list[ScreeningWord]:
    return list(db.session.scalars(select(ScreeningWord).order_by(ScreeningWord.word)))


def blocked_words() -> list[str]:
    return [entry.word for entry in screening_words()]


def add_screening_word(word: str, actor: Account) -> ScreeningWord:
    require(actor.is_coordinator, _("Only the coordinating office keeps the word list."))
    word = (word or "").strip()
    require(bool(word), _("Write a word."), DomainError)
    require(db.session.scalar(select(ScreeningWord.id).where(ScreeningWord.word == word)) is None,
            _("This word is already on the list."), DomainError)
    entry = ScreeningWord(word=word, added_by_id=actor.id)
    db.session.add(entry)
    record("screening_word_added", entry, actor=actor, word=word)
    return entry


def remove_screening_word(word_id: int, actor: Account) -> None:
    require(actor.is_coordinator, _("Only the coordinating office keeps the word list."))
    entry = db.session.get(ScreeningWord, word_id)
    if entry is not None:
        record("screening_word_removed", entry, actor=actor, word=entry.word)
        db.session.delete(entry)


def flags(proposal: Proposal):
    """Personal data or listed words in each field, for the facilitator and for the child."""
    words = blocked_words()
    return {field: found for field in TEXT_FIELDS if (found := screen(getattr(proposal, field) or "", words))}


# --- transitions --------------------------------------------------------------------------------

def submit(proposal: Proposal, actor: Account) -> None:
    _require_author(proposal, actor)
    for child in proposal.authors:
        ensure_can_act(child)
    missing = problems(proposal)
    require(not missing, " ".join(missing.values()), DomainError)
    resubmitted = proposal.state is S.returned
    move(proposal, S.submitted, actor, action="proposal_resubmitted" if resubmitted else "proposal_submitted",
         also={"submitted_at": clock.now()})
    notify(proposal.authors, "proposal_submitted", proposal, title=proposal.title)
    notify(screeners(proposal.current_council), "proposal_to_screen", proposal, title=proposal.title,
           council=proposal.current_council.name)


def screeners(council: Council) -> list[Account]:
    """The facilitators who will see the idea first: the council's own, or the nearest council above's."""
    return nearest_facilitators(council)


def _check_lengths(texts: dict[str, str] | None) -> None:
    """A facilitator's changed or suggested words keep to the limits the child's words keep to; a refusal names
    the part (``field``: title, problem, …)."""
    for field, text in (texts or {}).items():
        if field in LIMITS:
            require(len((text or "").strip()) <= LIMITS[field], _(
                "This part is too long. Please keep it under %(n)s characters.", n=LIMITS[field]), DomainError,
                field=field)


def publish(proposal: Proposal, actor: Account, *, edits: dict[str, str] | None = None) -> None:
    """Make the idea public. A facilitator's changes are stored beside the child's words, never over them."""
    _require_moderator(proposal, actor)
    if proposal.state is not S.submitted:
        raise IllegalTransition(_("This idea is “%(state)s” now, so it cannot become “%(to)s”.",
                                  state=proposal.state.label, to=S.published.label))
    _check_lengths(edits)
    for field, new_text in (edits or {}).items():
        new_text = (new_text or "").strip()
        if field in TEXT_FIELDS and new_text and new_text != getattr(proposal, field):
            proposal.edits.append(ProposalEdit(field=field, original=getattr(proposal, field), edited=new_text,
                                               status=EditStatus.applied, edited_by=actor))
            setattr(proposal, field, new_text)
    move(proposal, S.published, actor, also={"published_at": clock.now()},
         edited_fields=sorted((edits or {}).keys() & set(TEXT_FIELDS)))
    search.index(proposal)
    notify(proposal.authors, "proposal_published", proposal, title=proposal.title)


def return_to_author(proposal: Proposal, actor: Account, reason: str, *,
                     suggestions: dict[str, str] | None = None) -> None:
    _require_moderator(proposal, actor)
    reason = (reason or "").strip()
    require(bool(reason), _("Write the reason for the child: what should they change?"), DomainError,
            field="reason")
    _check_lengths(suggestions)
    move(proposal, S.returned, actor, reason=reason)
    for field, new_text in (suggestions or {}).items():
        new_text = (new_text or "").strip()
        if field in TEXT_FIELDS and new_text and new_text != getattr(proposal, field):
            proposal.edits.append(ProposalEdit(field=field, original=getattr(proposal, field), edited=new_text,
                                               status=EditStatus.suggested, edited_by=actor))
    notify(proposal.authors, "proposal_returned", proposal, title=proposal.title, reason=reason)


def reject(proposal: Proposal, actor: Account, kind: RejectReason, note: str, *,
           duplicate_of: Proposal | None = None, suggested_council: Council | None = None) -> None:
    _require_moderator(proposal, actor)
    note = (note or "").strip()
    require(bool(note), _("Write the reason for the child."), DomainError)
    if kind is RejectReason.duplicate:
        require(duplicate_of is not None and duplicate_of.is_public and duplicate_of.id != proposal.id,
                _("Give the number of the public idea this one repeats."), DomainError)
    if kind is RejectReason.wrong_council:
        require(suggested_council is not None and suggested_council.id != proposal.current_council_id,
                _("Choose the council that should take this idea."), DomainError)
    move(proposal, S.rejected, actor, reason=note, reject_reason=kind.value,
         duplicate_of=getattr(duplicate_of, "id", None), suggested_council=getattr(suggested_council, "id", None))
    proposal.reject_reason = kind
    proposal.duplicate_of = duplicate_of if kind is RejectReason.duplicate else None
    proposal.suggested_council = suggested_council if kind is RejectReason.wrong_council else None
    notify(proposal.authors, "proposal_rejected", proposal, title=proposal.title, reason=note)


def withdraw(proposal: Proposal, actor: Account, reason: str | None = None) -> None:
    _require_author(proposal, actor)
    was_public = proposal.is_public
    move(proposal, S.withdrawn, actor, reason=(reason or "").strip() or None)
    if was_public:
        search.index_remove(proposal)


def accept_suggestion(edit: ProposalEdit, actor: Account, accept: bool) -> None:
    proposal = edit.proposal
    _require_author(proposal, actor)
    require(proposal.state is S.returned and edit.status is EditStatus.suggested,
            _("This suggestion has already been answered."), IllegalTransition)
    edit.status = EditStatus.accepted if accept else EditStatus.declined
    if accept:
        setattr(proposal, edit.field, edit.edited)
    record("suggestion_accepted" if accept else "suggestion_declined", proposal, actor=actor,
           council=proposal.current_council, field=edit.field)


def transcribe(attachment: Attachment, actor: Account, text: str) -> None:
    """A facilitator (or the teacher who submitted it) writes down what a voice note says; shown as such."""
    proposal = attachment.proposal
    require(can_moderate(proposal, actor) or (is_author(proposal, actor) and not actor.is_child),
            _("Only a facilitator or the teacher can write down a voice note."))
    require(attachment.file.kind.value == "voice", _("Only voice notes are written down."), DomainError)
    attachment.transcription = (text or "").strip() or None
    attachment.transcribed_by = actor
    record("voice_transcribed", proposal, actor=actor, council=proposal.current_council)
    if attachment.transcription:
        notify(proposal.authors, "voice_transcribed", proposal, title=proposal.title)


# --- supports -----------------------------------------------------------------------------------

def has_supported(proposal: Proposal, account: Account) -> bool:
    return account.is_authenticated and db.session.scalar(select(Support.id).where(
        Support.proposal_id == proposal.id, Support.account_id == account.id)) is not None


def supporters_of(proposal: Proposal) -> list[Account]:
    return list(db.session.scalars(select(Account).join(Support, Support.account_id == Account.id)
                                   .where(Support.proposal_id == proposal.id)))


def support(proposal: Proposal, actor: Account) -> bool:
    """Add the child's support once. Two clicks at the same moment still count once: the database's
    unique constraint decides, and the count moves in the same transaction as the row."""
    require(actor.is_child, _("Supporting ideas is for children."))
    ensure_can_act(actor)
    require(proposal.state in SUPPORTABLE, _("Only public ideas waiting for a decision can be supported."),
            IllegalTransition)
    require(not is_author(proposal, actor), _("You cannot support your own idea — but you can tell your friends!"),
            DomainError)
    if not insert_once(Support, proposal_id=proposal.id, account_id=actor.id):
        return False
    move_count(proposal, "support_count", 1)
    return True


def unsupport(proposal: Proposal, actor: Account) -> bool:
    require(actor.is_child, _("Supporting ideas is for children."))
    require(proposal.state in SUPPORTABLE, _("Only public ideas waiting for a decision can be supported."),
            IllegalTransition)
    deleted = db.session.execute(Support.__table__.delete().where(
        Support.proposal_id == proposal.id, Support.account_id == actor.id)).rowcount
    if deleted:
        move_count(proposal, "support_count", -1)
    return bool(deleted)

