"""An idea's story in plain words, built from the event log: what happened, who has it, what comes next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from council.audit.models import Event
from council.councils.models import Council
from council.extensions import db
from council.i18n import english_requested
from council.loading import prepared
from council.privacy.anonymous import child_name
from council.proposals.models import Proposal, ProposalState

S = ProposalState

# Sentences for the timeline. %(who)s is a nickname or a role, never an adult's or a child's real name.
SENTENCES = {
    "proposal_started": _l("%(who)s started writing it."),
    "proposal_submitted": _l("%(who)s sent it to %(council)s."),
    "proposal_resubmitted": _l("%(who)s changed it and sent it again."),
    "proposal_published": _l("The facilitator of %(council)s made it public."),
    "proposal_returned": _l("The facilitator of %(council)s sent it back: %(reason)s"),
    "proposal_rejected": _l("The facilitator of %(council)s did not take it up: %(reason)s"),
    "proposal_withdrawn": _l("%(who)s withdrew it."),
    "voice_transcribed": _l("A facilitator wrote down the voice note."),
    "suggestion_accepted": _l("%(who)s took a suggested change."),
    "suggestion_declined": _l("%(who)s kept their own words."),
    "proposal_on_agenda": _l("%(council)s put it on the agenda of a session."),
    "proposal_removed_from_agenda": _l("%(council)s took it off the agenda for now."),
    "proposal_adopted": _l("The members of %(council)s voted and adopted it: %(for)s for, %(against)s against, "
                           "%(abstain)s abstained."),
    "proposal_not_adopted": _l("The members of %(council)s voted and did not adopt it: %(reason)s"),
    "proposal_deferred": _l("%(council)s did not decide on it yet; it will come up again."),
    "proposal_forwarded": _l("%(council)s sent it on to the council above."),
    "proposal_arrived": _l("It arrived at %(council)s, where children can support it again."),
    "proposal_routed": _l("The coordinating office sent it to the units responsible."),
    "task_dispatched": _l("%(unit)s received your idea."),
    "task_acknowledged": _l("%(unit)s confirmed it has your idea and is working on it."),
    "task_returned": _l("%(unit)s said it is not theirs to do; the coordinating office will find the right unit."),
    "task_progress": _l("%(unit)s told us what it has done: %(text)s"),
    "task_replied": _l("%(unit)s answered."),
    "task_extension_approved": _l("%(unit)s was given more time, until %(until)s."),
    "task_deadlines_recounted": _l("The district's holidays for the next year are now known, so %(unit)s's answer "
                                   "date was counted again: %(until)s."),
    "proposal_answered": _l("Every unit has answered. Now the children can say if they are happy with it."),
    "proposal_reopened": _l("The children were not happy with the answer, so it goes to the units again."),
    "proposal_closed": _l("It is finished."),
}
# Steps only the authors and facilitators see: the conversation before the idea went public.
PRIVATE = {"proposal_started", "proposal_returned", "proposal_resubmitted", "suggestion_accepted",
           "suggestion_declined", "task_returned"}


@dataclass(frozen=True)
class Step:
    when: datetime
    text: str
    state: str | None


def _who(event: Event, proposal: Proposal) -> str:
    actor = event.actor
    if actor is None:
        return str(_l("The platform"))
    if actor.is_child:
        return child_name(actor, proposal.council, start=True)  # erased: "A child of …"
    if proposal.on_behalf and actor.id == proposal.created_by_id:
        return str(_l("The teacher"))
    return str(_l("A facilitator"))


def _until(data: dict) -> str:
    """The date a unit now answers by, as the reader says it: an extension's, or a recounted reply date."""
    until = data.get("until") or (data.get("after") or {}).get("reply_due")
    return format_date(date.fromisoformat(until), "long") if until else ""


def timeline(proposal: Proposal, *, private: bool) -> list[Step]:
    events = list(db.session.scalars(prepared("idea-timeline", lambda: select(Event).where(
        Event.subject_type == "proposals", Event.subject_id == bindparam("proposal"))
        .options(joinedload(Event.actor)).order_by(Event.id)), {"proposal": proposal.id}))
    # The idea's own councils are loaded already; only a council it passed through needs reading.
    councils = {c.id: c for c in (proposal.council, proposal.current_council)}
    missing = {e.council_id for e in events if e.council_id} - councils.keys()
    if missing:
        councils |= {c.id: c for c in db.session.scalars(select(Council).where(Council.id.in_(missing)))}
    steps = []
    for event in events:
        sentence = SENTENCES.get(event.action)
        if sentence is None or (event.action in PRIVATE and not private):
            continue
        council = councils.get(event.council_id) or proposal.current_council
        data = event.data or {}
        tally = data.get("tally") or {}
        unit = data.get("unit_en") if data.get("unit_en") and english_requested() else data.get("unit", "")
        steps.append(Step(event.created_at, str(sentence) % {
            "who": _who(event, proposal), "council": council.display_name, "reason": event.reason or "",
            "for": tally.get("for", 0), "against": tally.get("against", 0), "abstain": tally.get("abstain", 0),
            "unit": unit, "text": data.get("text", ""), "until": _until(data)},
            event.to_state if event.action.startswith("proposal_") else None))
    return steps


def now_and_next(proposal: Proposal) -> tuple[str, str]:
    """Who has the idea now, and what happens next — for the status box on the idea page."""
    council = proposal.current_council.display_name
    table = {
        S.draft: (_l("You are still writing it."), _l("When it is ready, send it to the facilitator.")),
        S.submitted: (_l("The facilitator of %(council)s is reading it."),
                      _l("The facilitator will make it public, or tell you what to change.")),
        S.returned: (_l("It is back with you."), _l("Change what the facilitator asked, then send it again.")),
        S.published: (_l("It is public in %(council)s."),
                      _l("Children can support it. The council will talk about it at a meeting.")),
        S.rejected: (_l("Nobody: it was not taken up."), _l("You can read why below, and write a new idea.")),
        S.withdrawn: (_l("Nobody: it was withdrawn."), _l("Nothing more will happen to it.")),
        S.on_agenda: (_l("%(council)s has it on its meeting agenda."), _l("The council members will vote on it.")),
        S.adopted: (_l("%(council)s adopted it."), _l("It goes to the units responsible, who must answer.")),
        S.not_adopted: (_l("%(council)s did not adopt it."), _l("You can read why below.")),
        S.forwarded: (_l("It was forwarded to the council above."), _l("The council above will talk about it.")),
        S.routed: (_l("The responsible units have it."), _l("They must answer by their due date.")),
        S.answered: (_l("The units have answered."), _l("The children who raised it say if they are satisfied.")),
        S.reopened: (_l("The coordinating office has it again."), _l("It will be sent back to the units.")),
        S.closed: (_l("It is finished."), _l("Thank you for your idea!")),
    }
    who, following = table[proposal.state]
    return str(who) % {"council": council}, str(following) % {"council": council}
