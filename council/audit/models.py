from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.calendar import clock
from council.db import BigID, UTCDateTime
from council.extensions import db

# How each kind of event reads in the record; later features add their own actions here.
ACTION_LABELS = {
    "account_created": _l("Account created"),
    "signed_in": _l("Signed in"),
    "signed_out": _l("Signed out"),
    "password_changed": _l("Password changed"),
    "sign_in_failed": _l("Sign-in failed"),
    "consent_recorded": _l("Guardian consent recorded"),
    "membership_added": _l("Council role given"),
    "unit_staff_added": _l("Unit staff added"),
    "council_created": _l("Council created"),
    "child_data_viewed": _l("Child's private details viewed"),
    "proposal_started": _l("Idea started"),
    "proposal_submitted": _l("Idea sent"),
    "proposal_resubmitted": _l("Idea sent again"),
    "proposal_published": _l("Idea made public"),
    "proposal_returned": _l("Idea sent back"),
    "proposal_rejected": _l("Idea not taken up"),
    "proposal_withdrawn": _l("Idea withdrawn"),
    "attachment_added": _l("Picture or voice note added"),
    "attachment_removed": _l("Picture or voice note removed"),
    "suggestion_accepted": _l("Suggested change taken"),
    "suggestion_declined": _l("Suggested change not taken"),
    "voice_transcribed": _l("Voice note written down"),
    "screening_word_added": _l("Word added to the list"),
    "screening_word_removed": _l("Word removed from the list"),
    "proposal_on_agenda": _l("Idea put on an agenda"),
    "proposal_removed_from_agenda": _l("Idea taken off an agenda"),
    "proposal_adopted": _l("Idea adopted"),
    "proposal_not_adopted": _l("Idea not adopted"),
    "proposal_deferred": _l("Idea deferred"),
    "proposal_forwarded": _l("Idea forwarded to the council above"),
    "proposal_arrived": _l("Forwarded idea arrived"),
    "session_scheduled": _l("Session scheduled"),
    "session_opened": _l("Session opened"),
    "session_closed": _l("Session closed"),
    "attendance_marked": _l("Attendance marked"),
    "vote_opened": _l("Vote opened"),
    "election_added": _l("Election added"),
    "election_decided": _l("Election decided"),
    "election_tied": _l("Election tied"),
    "minutes_saved": _l("Minutes saved"),
    "membership_ended": _l("Council term ended"),
    "council_rules_changed": _l("Council voting rules changed"),
    "proposal_routed": _l("Idea sent to units"),
    "proposal_answered": _l("Idea answered"),
    "proposal_reopened": _l("Idea reopened by its authors"),
    "proposal_closed": _l("Idea closed"),
    "task_dispatched": _l("Task sent to a unit"),
    "task_acknowledged": _l("Task acknowledged"),
    "task_returned": _l("Task sent back by the unit"),
    "task_started": _l("Work started"),
    "task_progress": _l("Progress posted"),
    "task_replied": _l("Task answered"),
    "task_withdrawn": _l("Task taken back"),
    "task_extension_requested": _l("More time asked for"),
    "task_extension_approved": _l("More time granted"),
    "task_extension_refused": _l("More time refused"),
    "answer_rated": _l("Answer rated"),
    "calendar_day_set": _l("Calendar date entered"),
    "calendar_day_removed": _l("Calendar date removed"),
    "calendar_year_completed": _l("A year's holidays marked complete"),
    "task_deadlines_recounted": _l("Deadlines counted again on the new calendar"),
    "unit_token_issued": _l("Unit API token issued"),
    "unit_token_revoked": _l("Unit API token revoked"),
}


# The enum whose values an event's ``from_state`` and ``to_state`` hold, by the event's action or else by its
# subject's table (a task's changes are recorded on its idea, a guardian's answer on the child's account); later
# features add their own, as with ACTION_LABELS. People see the enum's label (``Event.change``), never the value.
STATE_ENUMS: dict[str, type] = {}
# Actions whose ``reason`` is a member of an enum (the reason chosen for a report), not words someone wrote.
REASON_ENUMS: dict[str, type] = {}


def _state_enums() -> dict[str, type]:
    """The foundation's states (imported here when first asked for: their models come before this one), then
    those the features added."""
    from council.accounts.models import AccountKind, ConsentDecision, MembershipRole
    from council.calendar.models import DayKind
    from council.councils.models import Tier
    from council.proposals.models import ProposalState
    from council.sessions.models import SessionStatus
    from council.tasks.models import TaskState

    return {
        "accounts": AccountKind, "consent_recorded": ConsentDecision, "memberships": MembershipRole,
        "councils": Tier, "proposals": ProposalState, "council_sessions": SessionStatus, "calendar_days": DayKind,
        **dict.fromkeys(("task_dispatched", "task_acknowledged", "task_returned", "task_started", "task_replied",
                         "task_withdrawn"), TaskState),
    } | STATE_ENUMS


class Event(db.Model):
    """One append-only row per state change or audited view: the audit trail and each record's timeline."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_subject", "subject_type", "subject_id", "id"),)

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int | None]
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict] = mapped_column(JSON, default=dict)

    actor = relationship("Account")

    @property
    def label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    def state_label(self, value: str | None):
        """A state this event records, in its enum's words."""
        known = _state_enums()
        states = known.get(self.action) or known.get(self.subject_type)
        return states.label_of(value) if states is not None and value else (value or "")

    @property
    def reason_text(self):
        """The event's reason as people read it: the words someone wrote, or the label of the reason chosen."""
        states = REASON_ENUMS.get(self.action)
        return states.label_of(self.reason) if states is not None and self.reason else (self.reason or "")

    @property
    def change(self) -> str:
        """“Sent → Public”: the change of state, in the reader's language; empty if the event changed none."""
        before, after = self.state_label(self.from_state), self.state_label(self.to_state)
        return f"{before} → {after}" if before and after else f"→ {after}" if after else str(before)


class AppendOnlyError(RuntimeError):
    pass


@event.listens_for(Event, "before_update")
def _refuse_update(mapper, connection, target):
    raise AppendOnlyError("events are append-only")


@event.listens_for(Event, "before_delete")
def _refuse_delete(mapper, connection, target):
    raise AppendOnlyError("events are append-only")
