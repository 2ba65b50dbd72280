"""Imports every model so that Alembic, the seed and the shell see all tables."""

from council.accounts.models import Account, ChildProfile, GuardianConsent, Membership
from council.accounts.welcome import WelcomeLink
from council.audit.models import Event
from council.calendar.models import CalendarDay
from council.campaigns.models import *  # noqa: F403
from council.councils.models import Council
from council.districts.models import DistrictProfile
from council.indicators.models import *  # noqa: F403
from council.notifications.models import Notification
from council.plan.models import Plan, PlanAction, PlanArea, PlanTask, PlanTaskSuccessor
from council.privacy.models import *  # noqa: F403
from council.proposals.models import (
    Attachment,
    Proposal,
    ProposalAuthor,
    ProposalEdit,
    ScreeningWord,
    SearchTerm,
    Support,
)
from council.reports.models import *  # noqa: F403
from council.rosters.models import *  # noqa: F403
from council.sessions.models import (
    AgendaItem,
    Attendance,
    Ballot,
    BallotReceipt,
    Candidate,
    Feedback,
    MinutesFile,
    Session,
)
from council.setup.models import SetupImport
from council.tasks.models import Rating, Reminder, Task, TaskPhoto, TaskUpdate, UnitToken
from council.units.models import Unit, UnitStaff
from council.uploads.models import StoredFile

__all__ = [
    "Account", "Attachment", "ChildProfile", "Council", "Event", "GuardianConsent", "Membership", "Notification",
    "Plan", "PlanAction", "PlanArea", "PlanTask", "Proposal", "ProposalAuthor", "ProposalEdit", "ScreeningWord",
    "SearchTerm", "StoredFile", "Support", "Unit", "UnitStaff", "AgendaItem", "Attendance", "Ballot",
    "BallotReceipt", "Candidate", "Feedback", "MinutesFile", "Session", "CalendarDay", "Rating", "Reminder", "Task",
    "TaskPhoto", "TaskUpdate", "UnitToken", "SetupImport", "WelcomeLink",
    "DistrictProfile", "PlanTaskSuccessor",
]
