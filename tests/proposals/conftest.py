
from council.extensions import db
from council.proposals import operations
from council.proposals.models import ProposalState
from tests.conftest import kept_world


class World:
    """district → streets A and B → a community under each; facilitators, a teacher, children."""

    def __init__(self, make):
        self.make = make
        self.district, self.street_a, self.street_b, self.community_a, self.community_b = make.tree()
        self.author = make.child(self.community_a, username="author", nickname="小作者")
        self.other_child = make.child(self.community_a, username="reader", nickname="小读者")
        self.sibling_child = make.child(self.community_b, username="sibling", nickname="乙社区的孩子")
        self.waiting_child = make.child(self.community_a, username="waiting", consent=False)
        self.facilitator = make.adult("fac_a", role="facilitator", council=self.community_a, email="fa@example.org")
        self.street_facilitator = make.adult("fac_street", role="facilitator", council=self.street_a)
        self.sibling_facilitator = make.adult("fac_b", role="facilitator", council=self.community_b)
        self.teacher = make.adult("teacher_a", role="teacher", council=self.community_a)
        from council.accounts.models import SystemRole

        self.coordinator = make.adult("coord", system_role=SystemRole.coordinator)
        db.session.commit()

    def draft(self, author=None, council=None, **fields):
        author = author or self.author
        proposal = operations.start_draft(author, council or self.community_a)
        values = {"title": "秋千坏了", "problem": "链子断了。", "place": "小区门口",
                  "idea": "请修好。", "who_helps": "小朋友"} | fields
        operations.save_draft(proposal, author, step=7, **values)
        operations.choose_topic(proposal, author, None)
        db.session.commit()
        return proposal

    def submitted(self, **fields):
        proposal = self.draft(**fields)
        db.session.flush()
        operations.submit(proposal, self.author)
        db.session.commit()
        return proposal

    def published(self, moderator=None, **fields):
        proposal = self.submitted(**fields)
        operations.publish(proposal, moderator or self.facilitator)
        db.session.commit()
        return proposal


@kept_world
def world(make):
    return World(make)


__all__ = ["ProposalState"]
