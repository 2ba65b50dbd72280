"""Small factories: each makes one valid record with as few arguments as a test needs."""

from __future__ import annotations

import itertools
from datetime import date

from council.accounts import operations as accounts
from council.accounts.models import ConsentDecision, ConsentMethod, MembershipRole
from council.calendar import clock
from council.councils.models import CouncilKind
from council.councils.operations import create_council
from council.extensions import db
from council.units.models import Unit, UnitKind
from tests.conftest import PASSWORD

_counter = itertools.count(1)


class Factory:
    def council(self, kind=CouncilKind.district, parent=None, name=None):
        n = next(_counter)
        council = create_council(f"c{n}", name or f"测试议事会{n}", kind, parent)
        db.session.flush()
        return council

    def tree(self):
        """district → two streets → one community under each."""
        district = self.council(CouncilKind.district, name="区儿童议事会")
        street_a = self.council(CouncilKind.street, district, name="甲街道儿童议事会")
        street_b = self.council(CouncilKind.street, district, name="乙街道儿童议事会")
        community_a = self.council(CouncilKind.community, street_a, name="甲社区儿童议事会")
        community_b = self.council(CouncilKind.community, street_b, name="乙社区儿童议事会")
        return district, street_a, street_b, community_a, community_b

    def adult(self, username=None, role=None, council=None, system_role=None, **kwargs):
        username = username or f"adult{next(_counter)}"
        account = accounts.create_adult(username, PASSWORD, kwargs.pop("name", f"成人{username}"),
                                        system_role=system_role, **kwargs)
        if role is not None:
            accounts.add_membership(account, council, MembershipRole(role), starts_on=date(2020, 1, 1))
        db.session.flush()
        return account

    def child(self, council, username=None, age=10, consent=True, nickname=None, real_name="王小明", **kwargs):
        username = username or f"child{next(_counter)}"
        child = accounts.create_child(
            username, PASSWORD, nickname or f"小朋友{username}", real_name=real_name,
            birth_year=clock.today().year - age, home_council=council, class_name="三年级一班", **kwargs)
        db.session.flush()
        if consent:
            teacher = self.adult(role="teacher", council=council)
            accounts.record_consent(child, guardian_name="家长", relation="母亲", method=ConsentMethod.paper,
                                    decision=ConsentDecision.granted, actor=teacher)
        return child

    def unit(self, name=None):
        unit = Unit(name=name or f"测试单位{next(_counter)}", kind=UnitKind.department)
        db.session.add(unit)
        db.session.flush()
        return unit
