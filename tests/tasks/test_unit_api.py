"""The units' token API at /api/v1/unit and the coordinating office's token page."""

from __future__ import annotations

import hashlib
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from council.accounts.models import Account, SystemRole
from council.accounts.operations import add_unit_staff
from council.audit.models import Event
from council.extensions import db
from council.proposals import operations as ideas
from council.proposals.models import ProposalState
from council.tasks import operations, tokens
from council.tasks.models import Grade, Task, TaskState, TaskUpdate, UnitToken
from council.units.models import UnitStaff
from tests.conftest import kept_world

SUMMARY = "我们已经把学校门口的路灯修好了，现在晚上放学回家的路很亮了。"  # 30 characters
OPEN311 = {"service_request_id", "status", "status_notes", "agency_responsible", "service_name", "description",
           "requested_datetime", "expected_datetime", "updated_datetime"}
PLATFORM = {"state", "role", "acknowledge_due", "reply_due", "grade", "proposal_id", "title"}


class Desk:
    """A community idea from one child, published and adopted; two units with a staff member each."""

    def __init__(self, make):
        _district, _street_a, _street_b, self.community, _community_b = make.tree()
        self.author = make.child(self.community, username="xiaohong_k", nickname="小红花", real_name="李小红")
        self.facilitator = make.adult("fac", role="facilitator", council=self.community)
        self.coordinator = make.adult("coord", system_role=SystemRole.coordinator)
        self.unit = make.unit("区住房城乡建设局")
        self.other_unit = make.unit("区教育和体育局")
        self.staff = make.adult("staff")
        add_unit_staff(self.staff, self.unit, starts_on=date(2020, 1, 1))
        db.session.commit()

    def task(self, unit=None, title="学校门口的路灯") -> Task:
        proposal = ideas.start_draft(self.author, self.community)
        ideas.save_draft(proposal, self.author, step=7, title=title, problem="路灯不亮，晚上看不见路。",
                         place="学校门口", idea="请把路灯修好。", who_helps="小朋友")
        ideas.choose_topic(proposal, self.author, None)
        ideas.submit(proposal, self.author)
        ideas.publish(proposal, self.facilitator)
        # Adoption by the council's vote is covered by tests/sessions; here it is taken as given.
        proposal.state = ProposalState.adopted
        [task] = operations.route(proposal, self.coordinator, lead=unit or self.unit)
        db.session.commit()
        return task

    def token(self, unit=None) -> str:
        _row, plain = tokens.issue_token(unit or self.unit, "城建局办件系统", self.coordinator)
        db.session.commit()
        return plain


@kept_world
def desk(make):
    return Desk(make)


def bearer(plain: str) -> dict:
    return {"Authorization": f"Bearer {plain}"}


def url(task: Task, action: str | None = None) -> str:
    return f"/api/v1/unit/requests/{task.id}" + (f"/{action}" if action else "")


def error_of(response) -> dict:
    return response.get_json()["error"]


# --- authentication ----------------------------------------------------------------------------------

@pytest.mark.parametrize("header", [None, "Bearer not-a-token", "Basic dXNlcjpwYXNz", "Bearer ", "token"])
def test_requests_without_a_valid_token_are_unauthorised(client, desk, header):
    desk.token()
    response = client.get("/api/v1/unit/requests", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert error_of(response)["status"] == 401


def test_a_revoked_token_no_longer_works(client, desk):
    task = desk.task()
    plain = desk.token()
    assert client.get("/api/v1/unit/requests", headers=bearer(plain)).status_code == 200
    tokens.revoke_token(db.session.scalar(select(UnitToken)), desk.coordinator)
    db.session.commit()
    response = client.post(url(task, "acknowledge"), headers=bearer(plain))
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    db.session.refresh(task)
    assert task.state is TaskState.dispatched


def test_changes_without_a_token_are_unauthorised_and_change_nothing(client, desk):
    task = desk.task()
    assert client.post(url(task, "acknowledge")).status_code == 401
    db.session.refresh(task)
    assert task.state is TaskState.dispatched


# --- reading -----------------------------------------------------------------------------------------

def test_list_shows_only_the_units_own_tasks_in_open311_shape(client, desk):
    own = desk.task()
    desk.task(unit=desk.other_unit, title="操场的秋千")
    response = client.get("/api/v1/unit/requests", headers=bearer(desk.token()))
    assert response.status_code == 200
    body = response.get_json()
    assert (body["page"], body["pages"], body["total"]) == (1, 1, 1)
    [item] = body["items"]
    assert item.keys() >= OPEN311 | PLATFORM
    assert item["service_request_id"] == own.id
    assert item["status"] == "open" and item["state"] == "dispatched" and item["role"] == "lead"
    assert item["agency_responsible"] == "区住房城乡建设局"
    assert item["service_name"] == "儿童建议"
    assert item["description"] == "路灯不亮，晚上看不见路。\n\n请把路灯修好。"
    assert item["title"] == "学校门口的路灯" and item["proposal_id"] == own.proposal_id
    assert item["reply_due"] == own.reply_due.isoformat()
    assert item["expected_datetime"] == f"{own.reply_due.isoformat()}T18:00:00+08:00"
    assert item["requested_datetime"].endswith("+00:00") and item["grade"] is None
    text = response.get_data(as_text=True)
    for private in ("小红花", "李小红", "xiaohong_k", "三年级"):
        assert private not in text


def test_the_list_filters_by_status_and_records_the_tokens_use(client, desk):
    first, second = desk.task(), desk.task(title="操场的秋千")
    operations.acknowledge(first, desk.staff)
    operations.send_back(second, desk.staff, "这是教育局的事。")
    db.session.commit()
    headers = bearer(desk.token())
    opened = client.get("/api/v1/unit/requests?status=open", headers=headers).get_json()["items"]
    closed = client.get("/api/v1/unit/requests?status=closed", headers=headers).get_json()["items"]
    assert [i["service_request_id"] for i in opened] == [first.id]
    assert [(i["service_request_id"], i["status_notes"]) for i in closed] == [(second.id, "这是教育局的事。")]
    assert client.get("/api/v1/unit/requests?status=maybe", headers=headers).status_code == 400
    assert db.session.scalar(select(UnitToken.last_used_at)) is not None


def test_one_request_reads_like_a_list_item(client, desk):
    task = desk.task()
    headers = bearer(desk.token())
    [listed] = client.get("/api/v1/unit/requests", headers=headers).get_json()["items"]
    assert client.get(url(task), headers=headers).get_json() == listed


@pytest.mark.parametrize("method, action", [("get", None), ("post", "acknowledge"), ("post", "progress"),
                                            ("post", "reply"), ("post", "return")])
def test_another_units_task_is_not_found(client, desk, method, action):
    theirs = desk.task(unit=desk.other_unit)
    response = getattr(client, method)(url(theirs, action), headers=bearer(desk.token()), json={})
    assert response.status_code == 404
    db.session.refresh(theirs)
    assert theirs.state is TaskState.dispatched


# --- changing ----------------------------------------------------------------------------------------

def test_acknowledging_acts_as_the_units_integration_account(client, desk):
    task = desk.task()
    response = client.post(url(task, "acknowledge"), headers=bearer(desk.token()))
    assert response.status_code == 200
    assert response.get_json()["state"] == "acknowledged"
    db.session.refresh(task)
    assert task.state is TaskState.acknowledged and task.acknowledged_at is not None
    event = db.session.scalar(select(Event).where(Event.action == "task_acknowledged"))
    assert event.actor.username == f"unit-api-{desk.unit.id}"
    assert event.actor.display_name == "区住房城乡建设局 系统接口"
    assert event.actor.serves_unit(desk.unit) and not event.actor.is_coordinator


def test_a_second_acknowledge_is_refused_by_the_state_machine(client, desk):
    task = desk.task()
    headers = bearer(desk.token())
    client.set_cookie("lang", "en")
    assert client.post(url(task, "acknowledge"), headers=headers).status_code == 200
    again = client.post(url(task, "acknowledge"), headers=headers)
    assert again.status_code == 409
    assert error_of(again)["message"] == ("This task is “Received by the unit” now, "
                                          "so it cannot become “Received by the unit”.")


def test_progress_is_posted_and_the_integration_account_is_reused(client, desk):
    task = desk.task()
    headers = bearer(desk.token())
    client.post(url(task, "acknowledge"), headers=headers)
    response = client.post(url(task, "progress"), headers=headers, json={"status_notes": "已经找好施工队。"})
    assert response.status_code == 201
    assert response.get_json()["status_notes"] == "已经找好施工队。"
    assert response.get_json()["state"] == "in_progress"
    update = db.session.scalar(select(TaskUpdate))
    assert update.text == "已经找好施工队。"
    integration = db.session.scalars(select(Account).where(Account.username.startswith("unit-api-"))).all()
    assert [a.id for a in integration] == [update.author_id]
    assert db.session.scalar(select(func.count(UnitStaff.id)).where(UnitStaff.account_id == update.author_id)) == 1


def test_progress_before_acknowledging_is_a_conflict(client, desk):
    task = desk.task()
    response = client.post(url(task, "progress"), headers=bearer(desk.token()), json={"status_notes": "开始了。"})
    assert response.status_code == 409


def test_an_answer_graded_a_answers_the_idea(client, desk):
    task = desk.task()
    headers = bearer(desk.token())
    client.post(url(task, "acknowledge"), headers=headers)
    response = client.post(url(task, "reply"), headers=headers,
                           json={"grade": "A", "summary": SUMMARY, "reply_text": "详细答复。"})
    assert response.status_code == 200
    item = response.get_json()
    assert (item["state"], item["status"], item["grade"], item["status_notes"]) == ("replied", "closed", "A", SUMMARY)
    db.session.refresh(task)
    assert task.grade is Grade.A and task.reply_text == "详细答复。"
    assert task.proposal.state is ProposalState.answered


def test_a_too_short_answer_is_bad_input_and_changes_nothing(client, desk):
    task = desk.task()
    headers = bearer(desk.token())
    client.post(url(task, "acknowledge"), headers=headers)
    response = client.post(url(task, "reply"), headers=headers, json={"grade": "A", "summary": "修好了。"})
    assert response.status_code == 400
    assert error_of(response)["message"]
    db.session.refresh(task)
    assert task.state is TaskState.acknowledged and task.grade is None and task.summary is None
    assert task.proposal.state is ProposalState.routed


def test_grade_d_needs_a_reason(client, desk):
    task = desk.task()
    headers = bearer(desk.token())
    client.set_cookie("lang", "en")
    client.post(url(task, "acknowledge"), headers=headers)
    response = client.post(url(task, "reply"), headers=headers, json={"grade": "D", "summary": SUMMARY})
    assert response.status_code == 400
    assert error_of(response)["message"] == "Explain why it is not possible."
    db.session.refresh(task)
    assert task.state is TaskState.acknowledged


@pytest.mark.parametrize("action, kwargs, field", [
    ("progress", {"data": "not json", "content_type": "application/json"}, None),
    ("progress", {"data": "status_notes=hello"}, None),
    ("progress", {"json": ["a list"]}, None),
    ("progress", {"json": {}}, "status_notes"),
    ("progress", {"json": {"status_notes": 5}}, "status_notes"),
    ("reply", {"json": {"summary": SUMMARY}}, "grade"),
    ("reply", {"json": {"grade": "E", "summary": SUMMARY}}, None),
    ("return", {"json": {"why": "不归我们管"}}, "reason"),
])
def test_bad_bodies_are_refused_with_a_clear_message(client, desk, action, kwargs, field):
    task = desk.task()
    if action != "return":
        operations.acknowledge(task, desk.staff)
        db.session.commit()
    client.set_cookie("lang", "en")
    response = client.post(url(task, action), headers=bearer(desk.token()), **kwargs)
    assert response.status_code == 400
    message = error_of(response)["message"]
    assert message and (field is None or f"“{field}”" in message)


def test_a_unit_sends_back_a_task_with_its_reason(client, desk):
    task = desk.task()
    headers = bearer(desk.token())
    response = client.post(url(task, "return"), headers=headers, json={"reason": "这是教育局的事。"})
    assert response.status_code == 200
    assert response.get_json()["state"] == "returned" and response.get_json()["status"] == "closed"
    db.session.refresh(task)
    assert task.state is TaskState.returned and task.return_reason == "这是教育局的事。"
    assert client.post(url(task, "return"), headers=headers, json={"reason": "again"}).status_code == 409


def test_sending_back_without_a_reason_is_bad_input(client, desk):
    task = desk.task()
    response = client.post(url(task, "return"), headers=bearer(desk.token()), json={"reason": "  "})
    assert response.status_code == 400


# --- the token page ------------------------------------------------------------------------------------

def _shown_token(page: str) -> str:
    return re.search(r'id="new-token" type="text" value="([^"]+)"', page).group(1)


def test_the_coordinator_issues_a_token_shown_once(client, auth, desk):
    task = desk.task()
    auth.login("coord")
    path = f"/units/{desk.unit.id}/tokens"
    assert client.get(path).status_code == 200
    response = client.post(path, data={"name": "城建局办件系统"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    plain = _shown_token(response.get_data(as_text=True))
    row = db.session.scalar(select(UnitToken))
    assert (row.name, row.unit_id, row.revoked) == ("城建局办件系统", desk.unit.id, False)
    assert row.token_hash == hashlib.sha256(plain.encode()).hexdigest() != plain
    event = db.session.scalar(select(Event).where(Event.action == "unit_token_issued"))
    assert event.actor_id == desk.coordinator.id
    assert plain not in str(event.data) and row.token_hash not in str(event.data)
    again = client.get(path).get_data(as_text=True)
    assert plain not in again and "城建局办件系统" in again
    assert client.get(url(task), headers=bearer(plain)).status_code == 200


def test_a_token_needs_a_name(client, auth, desk):
    auth.login("coord")
    assert client.post(f"/units/{desk.unit.id}/tokens", data={"name": " "}).status_code == 400
    assert db.session.scalar(select(func.count(UnitToken.id))) == 0


def test_the_coordinator_revokes_a_token(client, auth, desk):
    plain = desk.token()
    row = db.session.scalar(select(UnitToken))
    auth.login("coord")
    response = client.post(f"/units/{desk.unit.id}/tokens/{row.id}/revoke")
    assert response.status_code == 302
    db.session.refresh(row)
    assert row.revoked
    assert db.session.scalar(select(Event.actor_id).where(Event.action == "unit_token_revoked")) == desk.coordinator.id
    assert client.get("/api/v1/unit/requests", headers=bearer(plain)).status_code == 401
    assert client.post(f"/units/{desk.other_unit.id}/tokens/{row.id}/revoke").status_code == 404


@pytest.mark.parametrize("who", ["staff", "xiaohong_k", "fac"])
def test_the_token_page_is_for_the_coordinating_office_only(client, auth, desk, who):
    desk.token()
    row = db.session.scalar(select(UnitToken))
    auth.login(who)
    path = f"/units/{desk.unit.id}/tokens"
    assert client.get(path).status_code == 403
    assert client.post(path, data={"name": "偷偷的系统"}).status_code == 403
    assert client.post(f"{path}/{row.id}/revoke").status_code == 403
    assert db.session.scalar(select(func.count(UnitToken.id))) == 1 and not row.revoked


def test_the_token_page_asks_visitors_to_sign_in(client, desk):
    assert client.get(f"/units/{desk.unit.id}/tokens").status_code == 302


def test_the_api_is_exempt_from_csrf_but_the_token_page_is_not(app, client, auth, desk):
    task = desk.task()
    plain = desk.token()
    auth.login("coord")
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(url(task, "acknowledge"), headers=bearer(plain)).status_code == 200
    assert client.post(f"/units/{desk.unit.id}/tokens", data={"name": "伪造的请求"}).status_code == 400
    row = db.session.scalar(select(UnitToken))
    assert client.post(f"/units/{desk.unit.id}/tokens/{row.id}/revoke").status_code == 400
    assert db.session.scalar(select(func.count(UnitToken.id))) == 1 and not row.revoked
