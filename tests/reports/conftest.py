
from council.extensions import db
from tests.conftest import kept_world
from tests.proposals.conftest import World


class Reports(World):
    """The proposals' world, plus more children to report things and a coordinator with an e-mail address."""

    def __init__(self, make):
        super().__init__(make)
        self.readers = [self.other_child, self.sibling_child,
                        make.child(self.community_a, username="reader3", nickname="小三")]
        self.coordinator.email = "coord@example.org"
        db.session.commit()


@kept_world
def world(make):
    return Reports(make)
