from datetime import date

from council.accounts.models import MembershipRole
from council.accounts.operations import add_membership
from council.calendar import clock
from council.extensions import db
from council.proposals import operations as ideas
from council.sessions import operations
from tests.conftest import kept_world


class Council:
    """A community council with five members on a current term, a facilitator and public ideas."""

    def __init__(self, make, members=5):
        self.make = make
        self.district, self.street, self.street_b, self.community, self.community_b = make.tree()
        self.facilitator = make.adult("fac", role="facilitator", council=self.community)
        self.street_facilitator = make.adult("fac_street", role="facilitator", council=self.street)
        self.district_facilitator = make.adult("fac_district", role="facilitator", council=self.district)
        self.outsider = make.adult("fac_b", role="facilitator", council=self.community_b)
        self.members = []
        for i in range(members):
            child = make.child(self.community, username=f"m{i}", nickname=f"议事员{i}")
            add_membership(child, self.community, MembershipRole.member, starts_on=date(2020, 9, 1))
            self.members.append(child)
        self.author = make.child(self.community, username="author", nickname="小作者")
        self.supporter = make.child(self.community, username="fan", nickname="小粉丝")
        self.former = make.child(self.community, username="former", nickname="往届")
        add_membership(self.former, self.community, MembershipRole.member, starts_on=date(2019, 9, 1),
                       ends_on=date(2020, 8, 31))
        db.session.commit()

    def idea(self, title="秋千坏了"):
        proposal = ideas.start_draft(self.author, self.community)
        ideas.save_draft(proposal, self.author, title=title, problem="问题", idea="想法")
        ideas.choose_topic(proposal, self.author, None)
        ideas.submit(proposal, self.author)
        ideas.publish(proposal, self.facilitator)
        ideas.support(proposal, self.supporter)
        db.session.commit()
        return proposal

    def session(self, *proposals, present=None, secret=False, open_votes=True):
        session = operations.schedule(self.community, self.facilitator, title="秋季议事会议",
                                      starts_at=clock.now())
        items = [operations.add_to_agenda(session, p, self.facilitator) for p in proposals]
        operations.open_session(session, self.facilitator)
        here = self.members if present is None else present
        operations.mark_attendance(session, self.facilitator, {m.id for m in here})
        if open_votes:
            for item in items:
                operations.open_vote(item, self.facilitator, secret=secret)
        db.session.commit()
        return session, items

    def vote(self, item, choices):
        from council.sessions.models import Choice

        for member, value in zip(self.members, choices, strict=False):
            if value:
                operations.cast(item, member, choice=Choice(value))
        db.session.commit()


@kept_world
def council(make):
    return Council(make)
