"""The help button, the help page, the facilitators' inbox and the reports queue, as people use them."""

import re

from sqlalchemy import func, select

from council.audit.models import Event
from council.extensions import db
from council.reports.models import ContentFlag, HelpRequest, HelpStatus
from tests.conftest import PASSWORD


def form_key(client, path="/help?from=/ideas/"):
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="key" type="hidden" value="([^"]+)"', page).group(1)


def test_the_help_button_is_on_every_page_for_children_and_visitors_not_for_adults(client, auth, world):
    idea = world.published()
    for path in ("/", "/ideas/", f"/ideas/{idea.id}"):
        assert f'href="/help?from={path}' in client.get(path).get_data(as_text=True)
    auth.login("author")
    assert 'href="/help?from=/me"' in client.get("/me").get_data(as_text=True)
    auth.logout()
    auth.login("fac_a")
    assert "/help?from=" not in client.get("/ideas/").get_data(as_text=True)


def test_a_child_sends_help_and_sees_it_on_their_page(client, auth, world):
    auth.login("author")
    key = form_key(client, "/help?from=/me")
    response = client.post("/help", data={"kind": "unsafe", "message": "有人欺负我", "page": "/me", "key": key})
    assert response.status_code == 302 and "/help/sent" in response.headers["Location"]
    sent = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "110" in sent and "12355" in sent
    again = client.post("/help", data={"kind": "unsafe", "message": "有人欺负我", "page": "/me", "key": key})
    assert again.status_code == 302
    assert db.session.scalar(select(func.count(HelpRequest.id))) == 1
    mine = client.get("/help/mine").get_data(as_text=True)
    assert "有人欺负我" in mine


def test_a_form_without_a_choice_keeps_the_words(client, world):
    key = form_key(client)
    response = client.post("/help", data={"message": "我的话", "page": "/ideas/", "key": key})
    assert response.status_code == 400
    assert "我的话" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(HelpRequest.id))) == 0


def test_a_visitor_can_ask_for_help(client, world):
    key = form_key(client)
    assert client.post("/help", data={"kind": "page", "page": "/ideas/", "key": key}).status_code == 302
    assert db.session.scalar(select(HelpRequest)).account_id is None


def test_help_is_throttled_per_account(own_app, make):
    from council.extensions import db as database

    child = make.child(make.council(), username="busy")
    database.session.commit()
    throttled = own_app(HELP_REQUEST_LIMIT="2 per hour", RATELIMIT_ENABLED=True)
    client = throttled.test_client()
    client.post("/login", data={"username": child.username, "password": PASSWORD})
    statuses = [client.post("/help", data={"kind": "adult", "key": f"key-{i:020d}"}).status_code for i in range(3)]
    assert statuses == [302, 302, 429]
    other = throttled.test_client()  # another child in the same classroom is not blocked
    assert other.post("/help", data={"kind": "adult", "key": "k" * 24}).status_code == 302


def test_the_facilitator_reads_marks_seen_and_closes(client, auth, world):
    auth.login("author")
    client.post("/help", data={"kind": "adult", "message": "请帮帮我", "key": form_key(client)})
    auth.logout()
    help_request = db.session.scalar(select(HelpRequest))
    auth.login("fac_a")
    inbox = client.get("/help-requests").get_data(as_text=True)
    assert f"/help-requests/{help_request.id}" in inbox and "请帮帮我" not in inbox  # the message only when opened
    assert "请帮帮我" in client.get(f"/help-requests/{help_request.id}").get_data(as_text=True)
    assert db.session.scalar(select(Event).where(Event.action == "child_data_viewed")).actor_id == world.facilitator.id
    client.post(f"/help-requests/{help_request.id}/seen")
    assert client.post(f"/help-requests/{help_request.id}/close", data={"note": ""}).status_code == 400
    client.post(f"/help-requests/{help_request.id}/close", data={"note": "老师明天找你聊。"})
    db.session.refresh(help_request)
    assert help_request.status is HelpStatus.closed
    auth.logout()
    auth.login("author")
    assert "老师明天找你聊。" in client.get("/help/mine").get_data(as_text=True)


def test_three_reports_hide_an_idea_from_list_page_search_and_api(client, auth, world, app):
    app.config["FLAG_HIDE_THRESHOLD"] = 3
    idea = world.published(title="公园的长椅坏了")
    for reader in world.readers:
        auth.login(reader.username)
        assert client.get(f"/flags/proposal/{idea.id}").status_code == 200
        client.post(f"/flags/proposal/{idea.id}", data={"reason": "unkind"})
        auth.logout()
    assert db.session.scalar(select(func.count(ContentFlag.id))) == 3
    assert "公园的长椅坏了" not in client.get("/ideas/").get_data(as_text=True)
    assert "公园的长椅坏了" not in client.get("/ideas/?q=长椅").get_data(as_text=True)
    assert client.get(f"/ideas/{idea.id}").status_code == 404
    assert client.get(f"/api/v1/proposals/{idea.id}").status_code == 404
    assert idea.id not in [p["id"] for p in client.get("/api/v1/proposals").get_json()["items"]]
    auth.login("author")
    client.set_cookie("lang", "en")  # the English sentence, whatever the Chinese catalog says
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Hidden while an adult checks it" in page
    auth.logout()
    auth.login("fac_a")
    assert "公园的长椅坏了" in client.get("/flags").get_data(as_text=True)
    client.post(f"/flags/proposal/{idea.id}/keep")
    auth.logout()
    assert "公园的长椅坏了" in client.get("/ideas/").get_data(as_text=True)
    assert client.get(f"/api/v1/proposals/{idea.id}").status_code == 200


def test_remove_needs_a_reason_and_the_author_reads_it(client, auth, world):
    idea = world.published(title="公园的长椅坏了")
    auth.login("reader")
    client.post(f"/flags/proposal/{idea.id}", data={"reason": "personal_info"})
    auth.logout()
    auth.login("fac_a")
    assert client.post(f"/flags/proposal/{idea.id}/remove", data={"reason": ""}).status_code == 400
    client.post(f"/flags/proposal/{idea.id}/remove", data={"reason": "里面写了一位同学的名字。"})
    auth.logout()
    assert client.get(f"/ideas/{idea.id}").status_code == 404
    auth.login("author")
    assert "里面写了一位同学的名字。" in client.get(f"/ideas/{idea.id}").get_data(as_text=True)


def test_a_report_without_a_reason_keeps_the_note(client, auth, world):
    idea = world.published()
    auth.login("reader")
    response = client.post(f"/flags/proposal/{idea.id}", data={"note": "我的说明"})
    assert response.status_code == 400 and "我的说明" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ContentFlag.id))) == 0
