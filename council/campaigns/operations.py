"""Every rule of a campaign: who organises it, its phases, entries, review, guardian consent, votes, the blind
jury and the published formula. No request, no form, no commit: views and the command do those.

Functions that depend on the day take ``today`` so tests and demo data can place a campaign in time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from council.accounts.models import Account, ChildProfile, ConsentMethod, MembershipRole
from council.accounts.operations import coordinators, ensure_can_act, facilitators_of
from council.audit.models import Event
from council.audit.operations import record
from council.calendar import clock
from council.campaigns.models import (
    NEXT_PHASE,
    PHASE_DATE,
    TEXT_KINDS,
    Campaign,
    CampaignJuror,
    CampaignVote,
    Entry,
    EntryState,
    JuryScore,
    Phase,
    age_label,
)
from council.claims import AlreadyChanged, claim, hold
from council.councils.models import Council
from council.db import insert_once, move_count
from council.errors import DomainError, require
from council.exports import Archive, Table
from council.extensions import db
from council.notifications.operations import notify
from council.uploads import storage

P = Phase
MARK_MAX = 10


class IllegalPhase(DomainError):
    pass


# --- who may do what -------------------------------------------------------------------------------

def councils_to_organise(actor: Account) -> list[Council | None]:
    """Where this adult may open a campaign: None stands for the whole district (the coordinating office);
    facilitators open campaigns in the councils they run and the councils below them."""
    if not actor.is_authenticated or actor.is_child:
        return []
    places: list[Council | None] = [None] if actor.is_coordinator else []
    seen: set[int] = set()
    for held in actor.councils_as(MembershipRole.facilitator):
        stack = [held]
        while stack:
            council = stack.pop(0)
            if council.id not in seen:
                seen.add(council.id)
                places.append(council)
                stack.extend(council.children)
    return places


def may_open_at(actor: Account, council: Council | None) -> bool:
    if not actor.is_authenticated or actor.is_child:
        return False
    return actor.is_coordinator if council is None else actor.can_facilitate(council)


def can_organise(campaign: Campaign, actor: Account) -> bool:
    return may_open_at(actor, campaign.council)


def is_juror(campaign: Campaign, actor: Account) -> bool:
    return actor.is_authenticated and any(j.account_id == actor.id for j in campaign.jurors)


def reviewed_by_name(campaign: Campaign, account: Account) -> bool:
    """Whether ``account`` checked an entry of this campaign (approved or declined it): the organisers' list shows
    each work with its child's nickname, so whoever checked the entries knows who made them and cannot be one of
    the campaign's blind jurors."""
    return account.is_authenticated and db.session.scalar(select(Entry.id).where(
        Entry.campaign_id == campaign.id, Entry.reviewed_by_id == account.id).limit(1)) is not None


def blind_jurors(campaign: Campaign) -> list[Account]:
    """The jurors who may score: those who never checked the entries by name (``reviewed_by_name``, for all the
    jurors in one statement)."""
    reviewers = set(db.session.scalars(select(Entry.reviewed_by_id).where(
        Entry.campaign_id == campaign.id, Entry.reviewed_by_id.is_not(None)).distinct()))
    return [j.account for j in campaign.jurors if j.account_id not in reviewers]


def _named_review_refusal(name: str) -> str:
    return _("“%(name)s” checked this campaign's entries and saw the children's names, so they cannot be on its "
             "blind jury. Choose a juror who has not seen the entries.", name=name)


def may_see(campaign: Campaign, actor: Account) -> bool:
    return campaign.phase is not P.draft or can_organise(campaign, actor)


def is_eligible(campaign: Campaign, child: Account) -> bool:
    """District campaigns are for every child; a council's campaign for the children of its area."""
    if not child.is_child:
        return False
    if campaign.council is None:
        return True
    home = child.child_profile.home_council if child.child_profile else None
    return home is not None and campaign.council.contains(home)


def may_submit_for(actor: Account, child: Account) -> bool:
    """The child themself, or a teacher (or facilitator) of the child's home council."""
    if actor.id == child.id:
        return True
    home = child.child_profile.home_council if child.child_profile else None
    return home is not None and not actor.is_child and actor.can_teach_in(home)


def may_edit(entry: Entry, actor: Account) -> bool:
    return actor.is_authenticated and (actor.id in (entry.author_id, entry.submitted_by_id)
                                       or may_submit_for(actor, entry.author))


def may_record_consent(entry: Entry, actor: Account) -> bool:
    """A teacher or facilitator of the child's home council records what the guardian said."""
    if not actor.is_authenticated or actor.is_child:
        return False
    home = entry.author.child_profile.home_council if entry.author.child_profile else None
    return (home is not None and actor.can_teach_in(home)) or can_organise(entry.campaign, actor)


def may_see_entry(entry: Entry, actor: Account) -> bool:
    if entry.is_public:
        return True
    if not actor.is_authenticated:
        return False
    return may_edit(entry, actor) or can_organise(entry.campaign, actor)


def file_allowed(stored, actor: Account) -> bool | None:
    """For the one file route (/files/<key>): None when the file is not a campaign entry's."""
    entry = db.session.scalar(select(Entry).where(Entry.file_id == stored.id))
    if entry is None:
        return None
    return may_see_entry(entry, actor)


def organisers(campaign: Campaign) -> list[Account]:
    return coordinators() if campaign.council is None else facilitators_of(campaign.council)


# --- the campaign and its settings -----------------------------------------------------------------

def parse_age_groups(text: str) -> list[list[int]]:
    """"6-8, 9-11, 12-14" → [[6, 8], [9, 11], [12, 14]]; groups may not overlap."""
    groups = []
    for part in (text or "").replace("，", ",").replace("\n", ",").split(","):
        part = part.strip().replace("–", "-").replace("—", "-").replace("~", "-")
        if not part:
            continue
        low, sep, high = part.partition("-")
        require(sep == "-" and low.strip().isdigit() and high.strip().isdigit(),
                _("Write the age groups like 6-8, 9-11, 12-14."), DomainError, field="age_groups")
        low_age, high_age = int(low), int(high)
        require(3 <= low_age <= high_age <= 18, _("Ages go from 3 to 18, the smaller number first."), DomainError,
                field="age_groups")
        groups.append([low_age, high_age])
    require(bool(groups), _("Write at least one age group, like 6-8."), DomainError, field="age_groups")
    groups.sort()
    for before, after in zip(groups, groups[1:], strict=False):
        require(before[1] < after[0], _("The age groups overlap. Each age may be in one group only."), DomainError,
                field="age_groups")
    return groups


def parse_rubric(text: str) -> list[dict]:
    """One criterion a line, "Creativity | 40" (the weight is optional and defaults to 1)."""
    rubric = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        name, sep, weight = line.replace("｜", "|").partition("|")
        name = name.strip()
        require(bool(name) and len(name) <= 60, _("Each criterion needs a short name (60 characters at most)."),
                DomainError, field="rubric")
        weight = weight.strip() if sep else "1"
        require(weight.isdigit() and 0 < int(weight) <= 100,
                _("A criterion's weight is a whole number from 1 to 100, like “Creativity | 40”."), DomainError,
                field="rubric")
        rubric.append({"name": name, "weight": int(weight)})
    require(bool(rubric), _("Write at least one criterion for the jury."), DomainError, field="rubric")
    require(len(rubric) <= 8, _("Eight criteria at most, so the jury can score with care."), DomainError,
            field="rubric")
    return rubric


def rubric_text(rubric: list[dict]) -> str:
    return "\n".join(f"{c['name']} | {c['weight']}" for c in rubric)


def find_jurors(names: str) -> list[Account]:
    """Usernames, one a line or separated by commas; each must be an active adult account."""
    from council.accounts.operations import find_account

    jurors: list[Account] = []
    for name in (names or "").replace("，", ",").replace("\n", ",").split(","):
        name = name.strip()
        if not name:
            continue
        account = find_account(name)
        require(account is not None and account.is_active,
                _("There is no account “%(name)s”.", name=name), DomainError, field="jurors")
        require(not account.is_child, _("Only adults can be on a jury: “%(name)s” is a child's account.",
                                         name=name), DomainError, field="jurors")
        if account not in jurors:
            jurors.append(account)
    return jurors


SETTINGS = ("kind", "title", "rules", "prizes", "age_groups", "reviewing_from", "voting_from", "judging_from",
            "results_from", "entries_per_child", "votes_per_child", "jury_weight", "rubric", "winners_per_group")


def _check_settings(values: dict) -> None:
    require(bool((values.get("title") or "").strip()), _("Give the campaign a title."), DomainError, field="title")
    require(bool((values.get("rules") or "").strip()), _("Write the rules in plain words for children."),
            DomainError, field="rules")
    dates = [values["reviewing_from"], values["voting_from"], values["judging_from"], values["results_from"]]
    require(all(d is not None for d in dates), _("Choose a date for each phase."), DomainError)
    require(all(a < b for a, b in zip(dates, dates[1:], strict=False)),
            _("The phases must follow each other: entries close, then voting, then the jury, then the results, "
              "each on a later day."), DomainError)
    require(1 <= values["entries_per_child"] <= 10, _("Entries per child: from 1 to 10."), DomainError,
            field="entries_per_child")
    require(1 <= values["votes_per_child"] <= 50, _("Votes per child: from 1 to 50."), DomainError,
            field="votes_per_child")
    require(0 <= values["jury_weight"] <= 100, _("The jury's share is a percentage from 0 to 100."), DomainError,
            field="jury_weight")
    require(1 <= values["winners_per_group"] <= 20, _("Winners per age group: from 1 to 20."), DomainError,
            field="winners_per_group")


def _set_jurors(campaign: Campaign, jurors: list[Account]) -> None:
    """The jury as named; a new juror who has already checked the entries by name is refused (``reviewed_by_name``)."""
    have = {j.account_id for j in campaign.jurors}
    for account in jurors:
        require(account.id in have or campaign.id is None or not reviewed_by_name(campaign, account),
                _named_review_refusal(account.username), DomainError, field="jurors")
    wanted = {a.id for a in jurors}
    campaign.jurors[:] = [j for j in campaign.jurors if j.account_id in wanted]
    have = {j.account_id for j in campaign.jurors}
    campaign.jurors.extend(CampaignJuror(account_id=a.id) for a in jurors if a.id not in have)


def create_campaign(actor: Account, council: Council | None, *, jurors: list[Account] = (), **values) -> Campaign:
    require(may_open_at(actor, council), _("Only the coordinating office opens district campaigns, and a "
                                           "council's facilitators open that council's campaigns."))
    _check_settings(values)
    campaign = Campaign(council=council, created_by_id=actor.id, phase=P.draft,
                        **{k: values[k] for k in SETTINGS})
    campaign.title = campaign.title.strip()
    db.session.add(campaign)
    _set_jurors(campaign, list(jurors))
    db.session.flush()
    record("campaign_created", campaign, actor=actor, council=council, to_state=P.draft, title=campaign.title)
    return campaign


def update_campaign(campaign: Campaign, actor: Account, *, jurors: list[Account] = (), **values) -> None:
    """Settings may change until the jury starts; from then on the published formula is fixed."""
    require(can_organise(campaign, actor), _("Only the campaign's organisers can change it."))
    require(campaign.phase in (P.draft, P.open, P.reviewing, P.voting),
            _("Once the jury has started, the rules and the formula cannot change."), IllegalPhase)
    _check_settings(values)
    if campaign.phase is not P.draft:
        require(values["age_groups"] == campaign.age_groups or not campaign.entries,
                _("Entries are already placed in the age groups, so the groups cannot change now."), DomainError)
    changed = [k for k in SETTINGS if getattr(campaign, k) != values[k]]
    for key in changed:
        setattr(campaign, key, values[key])
    _set_jurors(campaign, list(jurors))
    record("campaign_edited", campaign, actor=actor, council=campaign.council, changed=changed)


# --- phases ----------------------------------------------------------------------------------------

def find_campaign(campaign_id: int) -> Campaign | None:
    """The campaign with its entries, each with its author's home council and its stored file, read in a few
    statements for the whole gallery (not a few per entry)."""
    author = selectinload(Campaign.entries).selectinload(Entry.author)
    return db.session.get(Campaign, campaign_id, options=[
        author.joinedload(Account.child_profile).joinedload(ChildProfile.home_council),
        selectinload(Campaign.entries).selectinload(Entry.file)])


def contest_entries(campaign: Campaign) -> list[Entry]:
    """Approved entries a guardian allowed to be shown: the gallery, the vote, the jury and the results."""
    return [e for e in campaign.entries if e.state is EntryState.approved and e.has_consent]


def _not_ready(campaign: Campaign, to: Phase) -> str | None:
    if to is P.voting and any(e.state is EntryState.pending for e in campaign.entries):
        return _("Some entries are still waiting to be checked. Approve or decline each one before the vote.")
    if to is P.judging and not campaign.jurors:
        return _("Name at least one juror before the jury starts.")
    if to is P.judging and not blind_jurors(campaign):
        return _("Every juror has checked the entries and seen the children's names. Name at least one juror who "
                 "has not, before the jury starts.")
    if to is P.results:
        scored = {s.entry_id for s in db.session.scalars(select(JuryScore).join(Entry).where(
            Entry.campaign_id == campaign.id))}
        if any(e.id not in scored for e in contest_entries(campaign)):
            return _("Every entry needs at least one jury score before the results.")
    return None


def _move(campaign: Campaign, to: Phase, actor: Account | None, *, by_date: bool, today: date | None = None) -> None:
    """The one place a campaign changes phase: claimed in the database first (council/claims.py), so of two moves
    at the same moment (two taps, two organisers, the daily command) one goes through and the other changes
    nothing. The event keeps the district's day the phase began (``on``), which the campaign's page shows
    (``phase_dates``)."""
    before = campaign.phase
    claim(campaign, Campaign.phase, before, to)
    if to is P.results:
        publish_results(campaign)
    record("campaign_phase", campaign, actor=actor, council=campaign.council, from_state=before, to_state=to,
           by_date=by_date, on=(today or clock.today()).isoformat())


@dataclass(frozen=True)
class NextStep:
    """What moving a campaign on by hand will do, for the organiser to confirm first (no step can be undone)."""

    to: Phase
    date_field: str | None  # the date the new phase begins on (``PHASE_DATE``), which becomes today if it is later
    planned: date | None  # that date as planned
    today: date
    problem: str | None  # why it cannot move yet, if so

    @property
    def early(self) -> bool:
        return self.planned is not None and self.planned > self.today


def phase_dates(campaign: Campaign) -> dict[str, date]:
    """The dates the campaign's page shows for its phases (``PHASE_DATE``): as planned, and for each phase already
    begun the district's day it began, read from the event log (``campaign_phase``). A phase moved on early ends
    that day, so the page tells the dates as they were; the plan itself stays as the organiser set it."""
    dates = {field: getattr(campaign, field) for field in PHASE_DATE.values()}
    if campaign.id is None:
        return dates
    began = db.session.execute(select(Event.to_state, Event.created_at, Event.data).where(
        Event.subject_type == Campaign.__tablename__, Event.subject_id == campaign.id,
        Event.action == "campaign_phase").order_by(Event.id))
    for to_state, at, data in began:
        field = PHASE_DATE.get(Phase(to_state)) if to_state in Phase._value2member_map_ else None
        if field is not None:
            dates[field] = date.fromisoformat(data["on"]) if (data or {}).get("on") else clock.local_day(at)
    return dates


def next_step(campaign: Campaign, today: date | None = None) -> NextStep | None:
    """The campaign's next phase and what moving to it now changes; None at the end of the path."""
    to = NEXT_PHASE[campaign.phase]
    if to is None:
        return None
    field = PHASE_DATE.get(to)
    return NextStep(to=to, date_field=field, planned=getattr(campaign, field) if field else None,
                    today=today or clock.today(), problem=_not_ready(campaign, to))


def move_on(campaign: Campaign, actor: Account, to: Phase, *, today: date | None = None) -> None:
    """The organiser moves the campaign to its next phase by hand (earlier than its date, or to open it). Moved
    early, the phase that ends ends today: the new phase's date becomes the district's today, so the campaign's
    page tells the dates as they were."""
    require(can_organise(campaign, actor), _("Only the campaign's organisers can change its phase."))
    require(NEXT_PHASE[campaign.phase] is to,
            _("The campaign is “%(phase)s” now, so it cannot become “%(to)s”.", phase=campaign.phase.label,
              to=to.label), IllegalPhase)
    step = next_step(campaign, today)
    require(step.problem is None, step.problem or "", IllegalPhase)
    _move(campaign, to, actor, by_date=False, today=step.today)


def advance_by_date(campaign: Campaign, today: date) -> list[Phase]:
    """Every phase whose date has come, in order; stops where a phase is not ready (the organiser is needed)."""
    moved = []
    while True:
        to = NEXT_PHASE[campaign.phase]
        field = PHASE_DATE.get(to) if to else None
        if campaign.phase is P.draft or field is None or getattr(campaign, field) > today:
            return moved
        if _not_ready(campaign, to) is not None:
            return moved
        try:
            _move(campaign, to, None, by_date=True, today=today)
        except AlreadyChanged:  # an organiser (or another run) moved it a moment ago: theirs is the move
            db.session.refresh(campaign)
            return moved
        moved.append(to)


def advance_all(today: date | None = None) -> int:
    today = today or clock.today()
    running = db.session.scalars(select(Campaign).where(Campaign.phase.in_(
        [P.open, P.reviewing, P.voting, P.judging])).order_by(Campaign.id))
    return sum(len(advance_by_date(c, today)) for c in running)


def entries_open(campaign: Campaign, today: date | None = None) -> bool:
    """Open phase, and its closing date not reached (even if the daily command has not run yet)."""
    return campaign.phase is P.open and (today or clock.today()) < campaign.reviewing_from


def voting_open(campaign: Campaign, today: date | None = None) -> bool:
    return campaign.phase is P.voting and (today or clock.today()) < campaign.judging_from


def judging_open(campaign: Campaign, today: date | None = None) -> bool:
    return campaign.phase is P.judging and (today or clock.today()) < campaign.results_from


# --- entries ---------------------------------------------------------------------------------------

def age_group_of(campaign: Campaign, child: Account, on: date) -> tuple[int, list[int]] | None:
    """By birth year: the age the child reaches this year."""
    age = on.year - child.child_profile.birth_year
    for index, group in enumerate(campaign.age_groups):
        if group[0] <= age <= group[1]:
            return index, group
    return None


def entries_of(campaign: Campaign, child: Account) -> list[Entry]:
    return [e for e in campaign.entries if e.author_id == child.id]


def _clean_words(title: str, description: str, text: str) -> tuple[str, str, str]:
    title, description, text = (title or "").strip(), (description or "").strip(), (text or "").strip()
    require(bool(title), _("Give your work a title."), DomainError, field="title")
    require(len(title) <= 100, _("The title is too long: 100 characters at most."), DomainError, field="title")
    require(bool(description), _("Say in one sentence what your work shows. People who cannot see the picture "
                                 "hear this sentence."), DomainError, field="description")
    require(len(description) <= 300, _("The description is too long: 300 characters at most."), DomainError,
            field="description")
    require(len(text) <= 5000, _("The text is too long: 5000 characters at most."), DomainError, field="text")
    return title, description, text


def _check_content(campaign: Campaign, text: str, has_file: bool) -> None:
    if campaign.kind in TEXT_KINDS:
        require(bool(text) or has_file, _("Write your words in the box."), DomainError, field="text")
    else:
        require(has_file, _("Add a photo of your work."), DomainError, field="picture")


def _next_code(campaign: Campaign, group_index: int) -> str:
    numbers = [int(code.split("-")[1]) for code in db.session.scalars(
        select(Entry.code).where(Entry.campaign_id == campaign.id))]
    letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[group_index % 26]
    return f"{letter}-{max(numbers, default=0) + 1:02d}"


def submit_entry(campaign: Campaign, actor: Account, author: Account, *, title: str, description: str,
                 text: str = "", file=None, consent_method: ConsentMethod | None = None,
                 today: date | None = None) -> Entry:
    """A child sends a work, or a teacher sends it for a child of their class (and may record the guardian's
    consent slip at once). ``file`` is a StoredFile from the upload pipeline."""
    today = today or clock.today()
    require(entries_open(campaign, today), _("This campaign is not taking entries now."), IllegalPhase)
    require(author.is_child, _("Entries come from children."), DomainError)
    require(may_submit_for(actor, author), _("Only the child or a teacher of the child's class can send an entry."))
    ensure_can_act(author)
    require(is_eligible(campaign, author), _("This campaign is for the children of %(place)s.",
                                             place=campaign.scope_name))
    placed = age_group_of(campaign, author, today)
    require(placed is not None, _("This campaign is for children aged %(groups)s.",
                                  groups=", ".join(campaign.age_group_labels())), DomainError)
    title, description, text = _clean_words(title, description, text)
    _check_content(campaign, text, file is not None)
    mine = [e for e in entries_of(campaign, author) if e.state is not EntryState.rejected]
    require(all(e.title != title for e in mine), _("This entry has already been sent."), DomainError)
    require(len(mine) < campaign.entries_per_child,
            _("Each child may send %(n)s entries to this campaign.", n=campaign.entries_per_child), DomainError)
    if file is not None and file.id is None:
        db.session.flush()
    entry = None
    for _attempt in range(5):  # two entries sent at the same moment may draw the same code; the database decides
        candidate = Entry(campaign_id=campaign.id, author_id=author.id, submitted_by_id=actor.id,
                          age_group=age_label(placed[1]), title=title, description=description, text=text,
                          file_id=file.id if file is not None else None, state=EntryState.pending,
                          code=_next_code(campaign, placed[0]))
        try:
            with db.session.begin_nested():
                db.session.add(candidate)
        except IntegrityError:
            continue
        entry = candidate
        break
    require(entry is not None, _("Many entries arrived at once. Please send yours again."), DomainError)
    db.session.expire(campaign, ["entries"])
    record("entry_submitted", entry, actor=actor, council=campaign.council, to_state=EntryState.pending,
           campaign=campaign.id, on_behalf=actor.id != author.id)
    if consent_method is not None and actor.id != author.id:
        record_consent(entry, actor, display=True, use=True, method=consent_method)
    notify(organisers(campaign), "entry_to_review", title=title, campaign=campaign.title)
    return entry


def edit_entry(entry: Entry, actor: Account, *, title: str, description: str, text: str = "", file=None,
               today: date | None = None) -> None:
    """Until entries close. A checked entry that changes is checked again."""
    require(may_edit(entry, actor), _("Only the child or their teacher can change this entry."))
    require(entries_open(entry.campaign, today), _("Entries can only be changed while the campaign is open."),
            IllegalPhase)
    ensure_can_act(entry.author)
    title, description, text = _clean_words(title, description, text)
    _check_content(entry.campaign, text, file is not None or entry.file is not None)
    before = entry.state
    entry.title, entry.description, entry.text = title, description, text
    if file is not None:
        entry.file = file
    entry.state, entry.reason = EntryState.pending, None
    record("entry_edited", entry, actor=actor, council=entry.campaign.council, from_state=before,
           to_state=EntryState.pending)


def flags(entry: Entry) -> list:
    """What looks like a phone number, ID number, address, e-mail or a listed word in the entry's words: shown to
    the organiser before approving, and to the child with the reason (DESIGN §7.4)."""
    from council.proposals.operations import blocked_words
    from council.proposals.screening import screen

    words = blocked_words()
    return [flag for text in (entry.title, entry.description, entry.text) for flag in screen(text or "", words)]


def approve(entry: Entry, actor: Account) -> None:
    _review(entry, actor, EntryState.approved, None)
    kind = "entry_approved" if entry.has_consent else "entry_approved_waiting"
    notify([entry.author], kind, title=entry.title, campaign=entry.campaign.title)


def reject(entry: Entry, actor: Account, reason: str) -> None:
    reason = (reason or "").strip()
    require(bool(reason), _("Write the reason for the child: they will read it."), DomainError, field="reason")
    _review(entry, actor, EntryState.rejected, reason)
    notify([entry.author], "entry_rejected", title=entry.title, campaign=entry.campaign.title, reason=reason)


def _review(entry: Entry, actor: Account, to: EntryState, reason: str | None) -> None:
    require(can_organise(entry.campaign, actor), _("Only the campaign's organisers check entries."))
    require(entry.campaign.phase in (P.open, P.reviewing),
            _("Entries are checked while the campaign is open or being checked."), IllegalPhase)
    require(entry.state is EntryState.pending, _("This entry has already been checked."), IllegalPhase)
    claim(entry, Entry.state, EntryState.pending, to, reason=reason, reviewed_by_id=actor.id,
          reviewed_at=clock.now())
    record(f"entry_{to.value}", entry, actor=actor, council=entry.campaign.council, from_state=EntryState.pending,
           to_state=to, reason=reason)


def record_consent(entry: Entry, actor: Account, *, display: bool, use: bool, method: ConsentMethod) -> bool:
    """What the guardian said on the consent slip: showing the work in public, and the district's use of a
    winning work. Both are needed before the entry is shown; either may be recorded as no. The entry's row is held
    first (council/claims.py): the answer already on record, from a tap a moment ago, is not recorded again
    (False)."""
    require(may_record_consent(entry, actor),
            _("A teacher or facilitator of the child's council records the guardian's answer."))
    require(entry.campaign.phase in (P.open, P.reviewing, P.voting),
            _("The guardian's answer can be recorded until the jury starts."), IllegalPhase)
    hold(entry)
    if entry.consent_at is not None and (entry.consent_display, entry.consent_use, entry.consent_method) == (
            display, use, method):
        return False
    entry.consent_display, entry.consent_use, entry.consent_method = display, use, method
    entry.consent_by_id, entry.consent_at = actor.id, clock.now()
    record("entry_consent", entry, actor=actor, council=entry.campaign.council, display=display, use=use,
           method=method.value)
    return True


# --- the public vote -------------------------------------------------------------------------------

def votes_used(campaign: Campaign, child: Account) -> int:
    return db.session.scalar(select(func.count(CampaignVote.id)).where(
        CampaignVote.campaign_id == campaign.id, CampaignVote.account_id == child.id)) or 0


def my_votes(campaign: Campaign, child: Account) -> set[int]:
    if not child.is_authenticated:
        return set()
    return set(db.session.scalars(select(CampaignVote.entry_id).where(
        CampaignVote.campaign_id == campaign.id, CampaignVote.account_id == child.id)))


def may_vote(campaign: Campaign, actor: Account) -> bool:
    from council.accounts.operations import can_act

    return actor.is_authenticated and actor.is_child and can_act(actor) and is_eligible(campaign, actor)


def vote(entry: Entry, actor: Account, today: date | None = None) -> bool:
    """One vote per entry and child; parallel clicks count once (the unique constraint decides, and the counter
    moves in the same transaction as the vote row)."""
    campaign = entry.campaign
    require(actor.is_authenticated and actor.is_child, _("Voting is for children."))
    ensure_can_act(actor)
    require(is_eligible(campaign, actor), _("This campaign is for the children of %(place)s.",
                                            place=campaign.scope_name))
    require(voting_open(campaign, today), _("Voting is not open now."), IllegalPhase)
    require(entry.is_public, _("This entry is not in the vote."), DomainError)
    require(entry.author_id != actor.id, _("You cannot vote for your own work — but you can tell your friends!"),
            DomainError)
    # One child's votes queue behind each other (a row lock on PostgreSQL), so parallel taps on different works
    # cannot together pass the limit; the child's votes are read once, after it.
    db.session.execute(select(Account.id).where(Account.id == actor.id).with_for_update())
    mine = my_votes(campaign, actor)
    if entry.id in mine:
        return False
    require(len(mine) < campaign.votes_per_child,
            _("You have used all your %(n)s votes. Take one back to vote for another work.",
              n=campaign.votes_per_child), DomainError)
    if not insert_once(CampaignVote, campaign_id=campaign.id, entry_id=entry.id, account_id=actor.id):
        return False
    move_count(entry, "votes", 1)
    return True


def unvote(entry: Entry, actor: Account, today: date | None = None) -> bool:
    require(actor.is_authenticated and actor.is_child, _("Voting is for children."))
    require(voting_open(entry.campaign, today), _("Voting is not open now."), IllegalPhase)
    deleted = db.session.execute(CampaignVote.__table__.delete().where(
        CampaignVote.entry_id == entry.id, CampaignVote.account_id == actor.id)).rowcount
    if deleted:
        move_count(entry, "votes", -1)
    return bool(deleted)


# --- the blind jury and the published formula ------------------------------------------------------

def juror_total(rubric: list[dict], marks: list[int]) -> float:
    """A juror's weighted mean of the 0–10 marks, on 0–100."""
    weights = [c["weight"] for c in rubric]
    return sum(w * m for w, m in zip(weights, marks, strict=True)) / sum(weights) * 100 / MARK_MAX


def final_score(jury_weight: int, jury: float, votes: int, max_votes: int) -> float:
    """final = jury share × jury score (0–100) + public share × votes / most votes in the age group × 100."""
    public = votes / max_votes * 100 if max_votes else 0.0
    return (jury_weight * jury + (100 - jury_weight) * public) / 100


def my_scores(campaign: Campaign, juror: Account) -> dict[int, JuryScore]:
    return {s.entry_id: s for s in db.session.scalars(select(JuryScore).join(Entry).where(
        Entry.campaign_id == campaign.id, JuryScore.juror_id == juror.id))}


def score(entry: Entry, juror: Account, marks: list, today: date | None = None) -> JuryScore:
    """Marks 0–10 for each criterion; a juror may change them until the jury closes."""
    campaign = entry.campaign
    require(is_juror(campaign, juror), _("Only the campaign's jury scores entries."))
    require(not reviewed_by_name(campaign, juror), _("You checked this campaign's entries and saw the children's "
                                                     "names, so you cannot score them on the blind jury."))
    require(judging_open(campaign, today), _("The jury is not scoring now."), IllegalPhase)
    require(entry in contest_entries(campaign), _("This entry is not in the contest."), DomainError)
    require(len(marks) == len(campaign.rubric), _("Give a mark for every criterion."), DomainError)
    clean = []
    for index, mark in enumerate(marks):
        require(isinstance(mark, int) and 0 <= mark <= MARK_MAX, _("Each mark is a whole number from 0 to 10."),
                DomainError, field=f"mark-{index}")
        clean.append(mark)
    row = db.session.scalar(select(JuryScore).where(JuryScore.entry_id == entry.id, JuryScore.juror_id == juror.id))
    if row is None:
        row = JuryScore(entry_id=entry.id, juror_id=juror.id, marks=clean, total=0.0)
        db.session.add(row)
    row.marks, row.total = clean, round(juror_total(campaign.rubric, clean), 4)
    record("entry_scored", entry, actor=juror, council=campaign.council, total=row.total)
    return row


@dataclass
class Standing:
    entry: Entry
    jury: float  # mean of the jurors' totals, 0–100
    jurors: int
    votes: int
    final: float
    rank: int = 0


def standings(campaign: Campaign) -> dict[str, list[Standing]]:
    """The ranking per age group by the published formula; ties go to the higher jury score, then to the
    entry sent first."""
    totals: dict[int, list[float]] = {}
    for row in db.session.scalars(select(JuryScore).join(Entry).where(Entry.campaign_id == campaign.id)):
        totals.setdefault(row.entry_id, []).append(row.total)
    groups: dict[str, list[Standing]] = {label: [] for label in campaign.age_group_labels()}
    for entry in contest_entries(campaign):
        marks = totals.get(entry.id, [])
        jury = sum(marks) / len(marks) if marks else 0.0
        groups.setdefault(entry.age_group, []).append(Standing(entry, round(jury, 2), len(marks), entry.votes, 0.0))
    for rows in groups.values():
        most = max((s.votes for s in rows), default=0)
        for s in rows:
            s.final = round(final_score(campaign.jury_weight, s.jury, s.votes, most), 2)
        rows.sort(key=lambda s: (-s.final, -s.jury, s.entry.created_at, s.entry.id))
        for place, s in enumerate(rows, start=1):
            s.rank = place
    return groups


def publish_results(campaign: Campaign) -> None:
    """Fix the scores and places as they are now, so the results never move afterwards."""
    for rows in standings(campaign).values():
        for s in rows:
            s.entry.jury_score, s.entry.final_score, s.entry.rank = s.jury, s.final, s.rank
    notify([e.author for e in contest_entries(campaign)], "campaign_results", campaign=campaign.title)


def winners(campaign: Campaign) -> dict[str, list[Entry]]:
    groups: dict[str, list[Entry]] = {label: [] for label in campaign.age_group_labels()}
    for entry in sorted(contest_entries(campaign), key=lambda e: (e.rank or 0)):
        if entry.is_winner:
            groups.setdefault(entry.age_group, []).append(entry)
    return groups


# --- the organisers' export ------------------------------------------------------------------------

def export_header() -> list[str]:
    """The columns of the entries' table, in the organiser's language."""
    return [_("Entry code"), _("Title"), _("What the work shows"), _("Nickname"), _("Council"), _("Age group"),
            _("Votes"), _("Jury score"), _("Final score"), _("Rank"), _("Status"), _("Guardian consent"),
            _("File")]


def export_zip(campaign: Campaign, actor: Account) -> bytes:
    """The approved entries' stored files and one CSV of their details. Nickname and council only: prizes go
    through the child's council and teacher, who know the child, so no real name needs to leave the platform."""
    require(can_organise(campaign, actor), _("Only the campaign's organisers can download the entries."))
    live = {s.entry.id: s for rows in standings(campaign).values() for s in rows}
    rows = []
    with Archive() as archive:
        for entry in campaign.entries:
            if entry.state is not EntryState.approved:
                continue
            name = ""
            if entry.file is not None:
                name = f"{entry.code}.{entry.file.extension}"
                archive.add_file(storage.path_of(entry.file), f"entries/{name}")
            standing = live.get(entry.id)
            jury = entry.jury_score if entry.jury_score is not None else (standing.jury if standing else "")
            final = entry.final_score if entry.final_score is not None else (standing.final if standing else "")
            home = entry.author.child_profile.home_council if entry.author.child_profile else None
            rows.append([entry.code, entry.title, entry.description, entry.author.display_name,
                         home.name if home else "", entry.age_group, entry.votes, jury, final,
                         entry.rank or (standing.rank if standing else ""),
                         _("Winner") if entry.is_winner else str(entry.state.label),
                         _("Yes") if entry.has_consent else _("No"), name])
        archive.add_table("entries.csv", Table(export_header(), rows))
    record("campaign_exported", campaign, actor=actor, council=campaign.council, entries=len(live))
    return archive.getvalue()
