"""Campaigns (征集活动): LOGO, drawing, lyrics and slogan calls for children's work, their entries, public votes
and blind jury scores."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.accounts.models import Account, ConsentMethod
from council.audit.models import ACTION_LABELS, STATE_ENUMS
from council.calendar import clock
from council.councils.models import Council
from council.db import LabeledEnum, UTCDateTime, enum_column
from council.extensions import db
from council.notifications.operations import TEXTS
from council.uploads.models import StoredFile

__all__ = ["Campaign", "CampaignJuror", "CampaignVote", "Entry", "JuryScore"]


class CampaignKind(LabeledEnum):
    logo = "logo", _l("LOGO")
    drawing = "drawing", _l("Drawing")
    lyrics = "lyrics", _l("Song lyrics")
    slogan = "slogan", _l("Slogan")
    other = "other", _l("Other")


# Kinds whose entries are words, so a picture is optional; the others need a picture.
TEXT_KINDS = frozenset({CampaignKind.lyrics, CampaignKind.slogan})


class Phase(LabeledEnum):
    draft = "draft", _l("Being prepared")
    open = "open", _l("Open for entries")
    reviewing = "reviewing", _l("Entries being checked")
    voting = "voting", _l("Children are voting")
    judging = "judging", _l("The jury is scoring")
    results = "results", _l("Results")
    archived = "archived", _l("Archived")


P = Phase
# The one path a campaign travels: each phase has exactly one next phase, and no way back.
NEXT_PHASE: dict[Phase, Phase | None] = {
    P.draft: P.open, P.open: P.reviewing, P.reviewing: P.voting, P.voting: P.judging, P.judging: P.results,
    P.results: P.archived, P.archived: None,
}
# The campaign's date field on which each phase begins by itself (`flask campaigns advance`). Opening and
# archiving are done by hand: a draft is opened when its organiser says it is ready.
PHASE_DATE = {P.reviewing: "reviewing_from", P.voting: "voting_from", P.judging: "judging_from",
              P.results: "results_from"}
PUBLIC_PHASES = frozenset(set(Phase) - {P.draft})
RESULT_PHASES = frozenset({P.results, P.archived})


class EntryState(LabeledEnum):
    pending = "pending", _l("Waiting to be checked")
    approved = "approved", _l("Approved")
    rejected = "rejected", _l("Not accepted")


STATE_ENUMS.update({"campaigns": Phase, "campaign_entries": EntryState})
ACTION_LABELS.update({
    "campaign_created": _l("Campaign created"),
    "campaign_edited": _l("Campaign changed"),
    "campaign_phase": _l("Campaign moved to its next phase"),
    "campaign_exported": _l("Campaign entries exported"),
    "entry_submitted": _l("Campaign entry sent"),
    "entry_edited": _l("Campaign entry changed"),
    "entry_approved": _l("Campaign entry approved"),
    "entry_rejected": _l("Campaign entry not accepted"),
    "entry_consent": _l("Guardian consent for a campaign entry recorded"),
    "entry_scored": _l("Jury score given"),
})

TEXTS.update({
    "entry_approved": _l("Your entry “%(title)s” for “%(campaign)s” was approved."),
    "entry_approved_waiting": _l("Your entry “%(title)s” for “%(campaign)s” was approved. It will be shown to "
                                 "everyone once your guardian has said yes to it."),
    "entry_rejected": _l("Your entry “%(title)s” for “%(campaign)s” was not accepted: %(reason)s"),
    "entry_to_review": _l("A new entry “%(title)s” for “%(campaign)s” is waiting to be checked."),
    "campaign_results": _l("The results of “%(campaign)s” are out. Go and have a look!"),
})


class Campaign(db.Model):
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[CampaignKind] = mapped_column(enum_column(CampaignKind))
    # None: the district coordinating office's campaign, open to every child of the district.
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    rules: Mapped[str] = mapped_column(Text)  # in plain words, for children
    prizes: Mapped[str] = mapped_column(Text, default="")
    age_groups: Mapped[list] = mapped_column(JSON)  # [[6, 8], [9, 11], …]: ages reached this year
    phase: Mapped[Phase] = mapped_column(enum_column(Phase), default=Phase.draft, index=True)
    reviewing_from: Mapped[date]
    voting_from: Mapped[date]
    judging_from: Mapped[date]
    results_from: Mapped[date]
    entries_per_child: Mapped[int] = mapped_column(default=1)
    votes_per_child: Mapped[int] = mapped_column(default=3)
    jury_weight: Mapped[int] = mapped_column(default=70)  # percent; the public vote has the rest
    rubric: Mapped[list] = mapped_column(JSON)  # [{"name": "创意", "weight": 40}, …]
    winners_per_group: Mapped[int] = mapped_column(default=3)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now, onupdate=clock.now)

    council: Mapped[Council | None] = relationship()
    created_by: Mapped[Account] = relationship()
    jurors: Mapped[list[CampaignJuror]] = relationship(cascade="all, delete-orphan", order_by="CampaignJuror.id")
    entries: Mapped[list[Entry]] = relationship(back_populates="campaign", order_by="Entry.id")

    @property
    def public_weight(self) -> int:
        return 100 - self.jury_weight

    @property
    def scope_name(self) -> str:
        from flask_babel import gettext as _

        return self.council.display_name if self.council else _("the whole district")

    def age_group_labels(self) -> list[str]:
        return [age_label(group) for group in self.age_groups]


def age_label(group) -> str:
    return f"{group[0]}–{group[1]}"


class CampaignJuror(db.Model):
    """An adult on the campaign's jury."""

    __tablename__ = "campaign_jurors"
    __table_args__ = (UniqueConstraint("campaign_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)

    account: Mapped[Account] = relationship()


class Entry(db.Model):
    """A child's work. Public (gallery, votes, results) only once approved *and* a guardian said yes to showing
    it and to the district's use of a winning work."""

    __tablename__ = "campaign_entries"
    __table_args__ = (UniqueConstraint("campaign_id", "code"), Index("ix_campaign_entries_author", "campaign_id",
                                                                     "author_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))  # the child, or a teacher for them
    code: Mapped[str] = mapped_column(String(12))  # neutral, for the jury: "A-07"
    age_group: Mapped[str] = mapped_column(String(16))  # "9–11", fixed when sent
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(300))  # also the picture's alt text
    text: Mapped[str] = mapped_column(Text, default="")  # lyrics or slogan
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    state: Mapped[EntryState] = mapped_column(enum_column(EntryState), default=EntryState.pending)
    reason: Mapped[str | None] = mapped_column(Text)  # why not accepted, written for the child
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    consent_display: Mapped[bool] = mapped_column(default=False)
    consent_use: Mapped[bool] = mapped_column(default=False)
    consent_method: Mapped[ConsentMethod | None] = mapped_column(enum_column(ConsentMethod))
    consent_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    votes: Mapped[int] = mapped_column(default=0)  # moves with the vote rows, in the same transaction
    jury_score: Mapped[float | None]  # 0–100, fixed when the results are published
    final_score: Mapped[float | None]
    rank: Mapped[int | None]  # place in its age group, fixed when the results are published
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now, onupdate=clock.now)

    campaign: Mapped[Campaign] = relationship(back_populates="entries")
    author: Mapped[Account] = relationship(foreign_keys=[author_id])
    submitted_by: Mapped[Account] = relationship(foreign_keys=[submitted_by_id])
    file: Mapped[StoredFile | None] = relationship()

    @property
    def thumb_size(self) -> tuple[int, int]:
        """The thumbnail's width and height, as the upload pipeline shrank it (for the img attributes)."""
        from council.uploads.images import THUMB_SIZE, _target_size

        if self.file is None or not self.file.width or not self.file.height:
            return THUMB_SIZE, THUMB_SIZE
        return _target_size(self.file.width, self.file.height, THUMB_SIZE)

    @property
    def has_consent(self) -> bool:
        return self.consent_display and self.consent_use

    @property
    def is_public(self) -> bool:
        return (self.state is EntryState.approved and self.has_consent
                and self.campaign.phase in PUBLIC_PHASES)

    @property
    def is_winner(self) -> bool:
        return (self.campaign.phase in RESULT_PHASES and self.rank is not None
                and self.rank <= self.campaign.winners_per_group)


class CampaignVote(db.Model):
    __tablename__ = "campaign_votes"
    __table_args__ = (UniqueConstraint("entry_id", "account_id"),
                      Index("ix_campaign_votes_voter", "campaign_id", "account_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("campaign_entries.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)


class JuryScore(db.Model):
    """One juror's marks for one entry: 0–10 per rubric criterion; ``total`` is their weighted mean on 0–100."""

    __tablename__ = "campaign_jury_scores"
    __table_args__ = (UniqueConstraint("entry_id", "juror_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("campaign_entries.id"), index=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    marks: Mapped[list] = mapped_column(JSON)  # one 0–10 mark per rubric criterion, in rubric order
    total: Mapped[float]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now, onupdate=clock.now)
