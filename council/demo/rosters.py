"""Demo content for class rosters, child sign-in codes, online consent invitations; only on the first run."""

from __future__ import annotations

from sqlalchemy import select

from council.accounts import operations as accounts
from council.extensions import db
from council.rosters import operations
from council.rosters.models import ClassGroup

DEMO_CLASS_CODE = "DAJE47"
DEMO_PICTURE_CODE = [0, 3, 5]  # sun, tree, fish: the same for every demo child, as the README's demo accounts say
DEMO_CHILDREN = [f"kid{i:02d}" for i in range(1, 10)] + ["child_waiting"]


def seed_demo_rosters(councils) -> None:
    """One class in the 大街 demo school: kid01–kid09 and 小树苗 (whose guardian has not answered yet)."""
    if db.session.scalar(select(ClassGroup.id).where(ClassGroup.code == DEMO_CLASS_CODE)) is not None:
        return
    teacher = accounts.find_account("teacher")
    school = councils["dajie-demo-school"]
    group = ClassGroup(council=school, school=school.name, name="示例班级", teacher=teacher, code=DEMO_CLASS_CODE)
    db.session.add(group)
    for username in DEMO_CHILDREN:
        child = accounts.find_account(username)
        if child is not None:
            operations.enrol(group, child, code=list(DEMO_PICTURE_CODE))
    db.session.flush()
