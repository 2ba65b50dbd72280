"""The unit sees what the child meant: the idea's words with the facilitator's changes beside the child's own, its
pictures (as the file route allows them), the council's vote, and in a later round the answer before with the
children's ratings, their 不满意 first. The office sees the same comment when it routes the reopened idea.
Children appear by nickname only."""

from __future__ import annotations

import io
import re

from PIL import Image

from council.calendar import clock
from council.extensions import db
from council.proposals import operations as ideas
from council.proposals.models import Attachment, ProposalState
from council.sessions.models import AgendaItem, ItemKind, ItemStatus, Outcome, Session, SessionStatus
from council.tasks import operations
from council.tasks.models import Grade, RatingValue
from council.uploads import storage
from council.uploads.images import process_image
from tests.conftest import PASSWORD

CHILD_WORDS = "学校门口的路灯坏了，晚上好黑我好怕。"
EDITED = "学校门口的路灯坏了，晚上放学时很黑。"
NOT_SATISFIED = "灯修了两天又不亮了。"
SUMMARY = "路灯已经修好了，晚上放学可以看清路了，谢谢你的建议！"
REAL_NAME = "王小明"  # the factory's real name of every child


def _as(app, username: str):
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    return client


def _status(client, path: str) -> int:
    response = client.get(path)
    response.close()  # a file sent is open until its answer is closed
    return response.status_code


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (200, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def adopted_with_context(office):
    """An idea whose problem a facilitator reworded before publishing, with a picture and the council's vote."""
    author = office.author
    proposal = ideas.start_draft(author, office.district)
    ideas.save_draft(proposal, author, title="学校门口的路灯", problem=CHILD_WORDS, place="实验小学门口",
                     idea="修好路灯。", who_helps="每天放学的同学")
    ideas.choose_topic(proposal, author, None)
    stored = storage.store_image(process_image(_png()), author)
    proposal.attachments.append(Attachment(file=stored, description="坏掉的路灯"))
    ideas.submit(proposal, author)
    ideas.publish(proposal, office.coordinator, edits={"problem": EDITED})
    ideas.support(proposal, office.supporter)
    session = Session(council=office.district, title="三月议事会议", starts_at=clock.now(),
                      status=SessionStatus.closed, created_by_id=office.coordinator.id)
    session.items.append(AgendaItem(kind=ItemKind.proposal, proposal=proposal, status=ItemStatus.decided,
                                    outcome=Outcome.adopted, votes_for=9, votes_against=1, votes_abstain=2))
    db.session.add(session)
    proposal.state = ProposalState.adopted  # the vote itself is covered by tests/sessions
    db.session.commit()
    return proposal, stored


def test_the_unit_reads_the_childs_words_the_change_the_picture_and_the_vote(app, office):
    proposal, stored = adopted_with_context(office)
    operations.route(proposal, office.coordinator, lead=office.units[0])
    db.session.commit()
    (task,) = operations.tasks_of(proposal)
    staff = _as(app, "staff0")
    page = staff.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert CHILD_WORDS in page and EDITED in page  # the child's own words beside the facilitator's
    assert "孩子写的是" in page and "辅导员改动后" in page
    assert "实验小学门口" in page and "每天放学的同学" in page  # the place and whom it helps
    assert f'src="/files/{stored.key}/thumb"' in page and 'alt="坏掉的路灯"' in page
    assert _status(staff, f"/files/{stored.key}/thumb") == 200  # and the file route lets the unit open it
    assert "三月议事会议" in page and re.search(r"赞成\s*9", page)
    assert REAL_NAME not in page
    # Hidden after reports: the unit still has its task, the pictures wait (the file route refuses them too).
    proposal.hidden_at = clock.now()
    db.session.commit()
    page = staff.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert stored.key not in page and "图片暂不显示" in page
    assert _status(staff, f"/files/{stored.key}/thumb") == 404


def test_a_reopened_idea_shows_the_not_satisfied_comment_first_to_the_office_and_the_unit(app, office):
    proposal, _stored = adopted_with_context(office)
    operations.route(proposal, office.coordinator, lead=office.units[0])
    (first,) = operations.tasks_of(proposal)
    operations.acknowledge(first, office.staff[0])
    operations.reply(first, office.staff[0], grade=Grade.A, summary=SUMMARY)
    operations.rate(proposal, office.supporter, RatingValue.partly, "比以前好一点。")
    operations.rate(proposal, office.author, RatingValue.not_satisfied, NOT_SATISFIED)
    db.session.commit()
    assert proposal.state is ProposalState.reopened

    coordinator = _as(app, "coord")
    queue = coordinator.get("/routing").get_data(as_text=True)
    assert NOT_SATISFIED in queue and "小作者" in queue
    route_page = coordinator.get(f"/ideas/{proposal.id}/route").get_data(as_text=True)
    assert "孩子们为什么不满意" in route_page and NOT_SATISFIED in route_page
    assert route_page.index(NOT_SATISFIED) < route_page.index('<form method="post" class="form">')  # above the form
    assert REAL_NAME not in queue + route_page

    operations.route(proposal, office.coordinator, lead=office.units[1], note="请交警大队看看。")
    db.session.commit()
    second = operations.tasks_of(proposal, 2)[0]
    page = _as(app, "staff1").get(f"/tasks/{second.id}").get_data(as_text=True)
    comment_at = page.index(NOT_SATISFIED)
    assert comment_at < page.index('id="idea-h"')  # first, before the idea itself
    assert "孩子们为什么不满意" in page[:comment_at]
    assert SUMMARY in page and "第1轮" in page  # the answer the children rated
    assert "比以前好一点。" in page and "小粉丝" in page and "小作者" in page
    assert page.index(NOT_SATISFIED, comment_at + 1) < page.index("比以前好一点。")  # 不满意 first in the list too
    assert REAL_NAME not in page


def test_a_first_round_task_has_no_earlier_answers(app, office):
    proposal = office.routed()
    (task,) = operations.tasks_of(proposal)
    page = _as(app, "staff0").get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "孩子们为什么不满意" not in page and "之前的答复" not in page and "孩子写的是" not in page
