"""Imports every model so that Alembic, the seed and the shell see all tables."""

from council.accounts.models import Account, ChildProfile, GuardianConsent, Membership
from council.audit.models import Event
from council.councils.models import Council
from council.plan.models import Plan, PlanAction, PlanArea, PlanTask
from council.units.models import Unit, UnitStaff

__all__ = [
    "Account", "ChildProfile", "Council", "Event", "GuardianConsent", "Membership",
    "Plan", "PlanAction", "PlanArea", "PlanTask", "Unit", "UnitStaff",
]
