from datetime import UTC, date, datetime

from council.accounts.models import SystemRole
from council.accounts.operations import add_unit_staff
from council.extensions import db
from council.proposals import operations as ideas
from council.proposals.models import ProposalState
from council.tasks import operations
from tests.conftest import kept_world


def at(day: str, hour: int = 2) -> datetime:
    """A moment on a Zhoucun date (02:00 UTC is 10:00 in Zhoucun, the same date)."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


class Office:
    """A district with a coordinator, three units with one staff member each, and adopted ideas."""

    def __init__(self, make):
        self.make = make
        self.district, self.street, self.street_b, self.community, self.community_b = make.tree()
        self.coordinator = make.adult("coord", system_role=SystemRole.coordinator, email="coord@example.org")
        self.facilitator = make.adult("fac", role="facilitator", council=self.community)
        self.street_facilitator = make.adult("fac_street", role="facilitator", council=self.street)
        self.author = make.child(self.community, username="author", nickname="小作者")
        self.supporter = make.child(self.community, username="fan", nickname="小粉丝")
        self.units = [make.unit(name) for name in ("区教育和体育局", "周村交警大队", "区住房城乡建设局")]
        self.staff = []
        for i, unit in enumerate(self.units):
            person = make.adult(f"staff{i}", email=f"staff{i}@example.org")
            add_unit_staff(person, unit, starts_on=date(2020, 1, 1))
            self.staff.append(person)
        db.session.commit()

    def adopted(self, title="学校门口的路灯", council=None):
        council = council or self.district
        proposal = ideas.start_draft(self.author, council)
        ideas.save_draft(proposal, self.author, title=title, problem="路灯不亮。", idea="修好路灯。")
        ideas.choose_topic(proposal, self.author, None)
        ideas.submit(proposal, self.author)
        ideas.publish(proposal, self.coordinator)
        ideas.support(proposal, self.supporter)
        # Adoption itself is covered by tests/sessions; here the council's vote is taken as given.
        proposal.state = ProposalState.adopted
        db.session.commit()
        return proposal

    def routed(self, *, lead=0, co=(), now=None, title="学校门口的路灯"):
        proposal = self.adopted(title)
        operations.route(proposal, self.coordinator, lead=self.units[lead],
                         co_units=[self.units[i] for i in co], now=now)
        db.session.commit()
        return proposal


@kept_world
def office(make):
    return Office(make)
