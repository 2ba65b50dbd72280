"""Words a nine-year-old understands (issue 19 item 3). Each state, grade, outcome, choice, rating and deadline
status has its words for children beside its label for adults, in the enum itself (council/db.py LabeledEnum);
every page a child or the public reads shows the children's words. A value without them fails here."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from council.extensions import db
from council.proposals.models import Proposal, ProposalState
from council.sessions.models import Choice, Outcome, SessionStatus
from council.tasks.models import DeadlineStatus, Grade, RatingValue, TaskState
from tests.accounts.test_views import DEMO_PASSWORD
from tests.test_access import PUBLIC

CHILD_FACING = (ProposalState, TaskState, Grade, Outcome, Choice, RatingValue, DeadlineStatus, SessionStatus)


@pytest.mark.parametrize("enum", CHILD_FACING, ids=lambda enum: enum.__name__)
def test_every_value_a_child_reads_has_words_for_children_in_both_languages(app, enum):
    for member in enum:
        assert member.has_child_words, f"{enum.__name__}.{member.name} has no words for children"
        with force_locale("zh_Hans_CN"):
            chinese = str(member.child_label)
        with force_locale("en"):
            english = str(member.child_label)
        assert re.search(r"[\u4e00-\u9fff]", chinese), f"{enum.__name__}.{member.name}: no Chinese: {chinese}"
        assert not re.search(r"[\u4e00-\u9fff]", english), f"{enum.__name__}.{member.name}: {english}"


# The adults' words for these values, which no page a child or the public reads shows (in Chinese).
ADULT_ONLY = ("A · 已解决", "B · 正在办理或已列入计划", "C · 以后再办", "D · 无法办理", "弃权", "已办结",
              "承办单位已退回")


def _child_and_public_pages() -> list[str]:
    from council.sessions.models import Session
    from council.units.models import Unit

    ideas = [f"/ideas/{p.id}" for p in db.session.scalars(select(Proposal)) if p.is_public]
    units = [f"/units/{u.id}" for u in db.session.scalars(select(Unit))]
    sessions = [f"/sessions/{s.id}" for s in db.session.scalars(select(Session))]
    return [p for p in PUBLIC if not p.startswith(("/api", "/healthz"))] + ideas + units + sessions + ["/sessions/"]


def test_no_page_a_child_or_the_public_reads_uses_the_adults_words(app, demo):
    pages = _child_and_public_pages()
    assert len(pages) > 30
    visitor = app.test_client()
    child = app.test_client()
    assert child.post("/login", data={"username": "child", "password": DEMO_PASSWORD}).status_code == 302
    found = []
    for path in pages + ["/me", "/my/ideas", "/notifications"]:
        for reader in (visitor, child) if not path.startswith(("/me", "/my", "/notif")) else (child,):
            response = reader.get(path)
            if response.status_code != 200 or response.mimetype != "text/html":  # a page, not a download
                continue
            text = response.get_data(as_text=True)
            found += [f"{path}: {words}" for words in ADULT_ONLY if words in text]
    assert found == [], "\n".join(found)


def test_the_idea_page_tells_a_child_a_returned_task_is_passed_on_and_keeps_the_units_reason_for_adults(
        app, demo):
    from council.tasks.models import Task

    task = db.session.scalars(select(Task).where(Task.state == TaskState.returned)).first()
    if task is None:  # the demo has none: send one back, as a unit would
        from council.accounts.operations import find_account
        from council.tasks import operations as tasks

        task = db.session.scalars(select(Task).where(Task.state == TaskState.dispatched)).first()
        staff = next(a for a in tasks.unit_staff(task.unit))
        tasks.send_back(task, staff, "这不归我们管，应由街道办理。")
        db.session.commit()
        assert find_account(staff.username) is not None
    author = task.proposal.authors[0]
    reader = app.test_client()
    reader.post("/login", data={"username": author.username, "password": DEMO_PASSWORD})
    page = reader.get(f"/ideas/{task.proposal_id}").get_data(as_text=True)
    assert "正在转给合适的单位" in page and task.return_reason not in page
    office = app.test_client()
    office.post("/login", data={"username": "coordinator", "password": DEMO_PASSWORD})
    assert task.return_reason in office.get(f"/ideas/{task.proposal_id}").get_data(as_text=True)
