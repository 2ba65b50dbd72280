"""Every page against every role: what each may open. A new route without an entry here fails."""

import pytest
from sqlalchemy import select

from council.extensions import db
from council.proposals.models import Proposal
from tests.access import campaigns, indicators, privacy, reports, rosters, stats
from tests.accounts.test_views import DEMO_PASSWORD

FEATURES = (rosters, privacy, reports, campaigns, indicators, stats)  # each feature's own rows, in tests/access/

PUBLIC = ["/", "/councils/", "/plan/", "/plan/tasks/27", "/units/", "/privacy", "/login", "/ideas/",
          "/api/v1/plan", "/api/v1/councils", "/api/v1/units", "/api/v1/proposals", "/healthz"]
ACCOUNTS = ["admin", "coordinator", "facilitator", "facilitator2", "facilitator_community", "teacher",
            "unit_edu", "unit_traffic", "child", "member", "child_waiting", "teen"]
CHILDREN = {"child", "member", "child_waiting", "teen"}
EVERYONE = set(ACCOUNTS)
FACILITATORS = {"facilitator", "facilitator2", "facilitator_community"}
# Pages for signed-in accounts: who gets 200; everyone else signed in gets 403.
ROLE_PAGES = {
    "/me": EVERYONE,
    "/my/ideas": EVERYONE,
    "/notifications": EVERYONE,
    "/teacher": {"teacher", "admin"} | FACILITATORS,
    "/facilitator": FACILITATORS,
    "/moderation": FACILITATORS | {"coordinator", "admin"},
    "/moderation/words": {"coordinator", "admin"},
    "/routing": FACILITATORS | {"coordinator", "admin"},
    "/coordinator/calendar": {"coordinator", "admin"},
    "/supervision": {"coordinator", "admin"},
    "/supervision/export.csv": {"coordinator", "admin"},
    "/supervision/export.xlsx": {"coordinator", "admin"},
    "/desk": {"unit_edu", "unit_traffic"},
    "/coordinator": {"coordinator", "admin"},
    "/admin": {"admin"},
    "/ideas/new": CHILDREN,
    "/ideas/new/for-children": {"teacher"} | FACILITATORS,
}
REDIRECTS = {"/ideas/new": EVERYONE - CHILDREN}  # adults are sent on to the page for writing for children

# Object pages, on demo ideas: {title: {path: (who gets 200, what other accounts get, what a visitor gets)}}
OBJECT_PAGES = {
    "午休时间太短了": {  # submitted by 小海豚 (member) in the 大街 demo school
        "/ideas/{id}": ({"member", "facilitator", "coordinator", "admin"}, 404, 404),
        "/moderation/{id}": ({"facilitator", "coordinator", "admin"}, 403, 302),
        "/api/v1/proposals/{id}": (set(), 404, 404),
    },
    "操场的篮球架太高": {  # sent back to 小海豚
        "/ideas/{id}/step/1": ({"member"}, 403, 302),
    },
    "公园里的秋千坏了": {  # public
        "/ideas/{id}": (EVERYONE, 200, 200),
        "/api/v1/proposals/{id}": (EVERYONE, 200, 200),
    },
}


# Council and session pages, on the demo school council and its first closed session.
COUNCIL_PAGES = {
    "/councils/{council}/members": ({"facilitator", "coordinator", "admin"}, 403, 302),
    "/councils/{council}/sessions/new": ({"facilitator", "coordinator", "admin"}, 403, 302),
    "/councils/{council}/sessions": (EVERYONE, 200, 200),
    "/sessions/{session}": (EVERYONE, 200, 200),
    "/sessions/{session}/manage": ({"facilitator", "coordinator", "admin"}, 403, 302),
    "/sessions/{session}/vote": (EVERYONE, 200, 302),
    "/sessions/{session}/feedback": (EVERYONE, 200, 302),
    "/api/v1/councils/{council}/sessions": (EVERYONE, 200, 200),
    "/api/v1/sessions/{session}": (EVERYONE, 200, 200),
}


# Task pages, on the demo task of 区教育和体育局 (unit_edu) and the adopted 学校门口的路灯不亮.
TASK_PAGES = {
    "/tasks/{task}": ({"unit_edu", "coordinator", "admin"}, 403, 302),
    "/ideas/{idea}/route": ({"facilitator", "coordinator", "admin"}, 403, 302),
    "/children/{child}/consent": ({"teacher", "facilitator", "coordinator", "admin"}, 403, 302),
    "/units/{unit}/tokens": ({"coordinator", "admin"}, 403, 302),
    "/supervision/units/{unit}": ({"coordinator", "admin"}, 403, 302),
    "/api/v1/stats/units": (EVERYONE, 200, 200),
}


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_open_for_visitors(client, demo, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", list(ROLE_PAGES))
def test_role_pages_send_visitors_to_sign_in(client, demo, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("username", ACCOUNTS)
def test_role_pages_open_only_for_their_roles(client, auth, demo, username):
    auth.login(username, DEMO_PASSWORD)
    for path, allowed in ROLE_PAGES.items():
        response = client.get(path)
        expected = 302 if username in REDIRECTS.get(path, ()) else 200 if username in allowed else 403
        assert response.status_code == expected, (username, path)
        if expected == 403:
            assert "你不能打开这个页面" in response.get_data(as_text=True)


@pytest.mark.parametrize("username", [*ACCOUNTS, None])
def test_object_pages_check_who_is_asking(client, auth, demo, username):
    if username:
        auth.login(username, DEMO_PASSWORD)
    for title, pages in OBJECT_PAGES.items():
        proposal_id = db.session.scalar(select(Proposal.id).where(Proposal.title == title))
        for template, (allowed, otherwise, visitor) in pages.items():
            path = template.format(id=proposal_id)
            expected = visitor if username is None else 200 if username in allowed else otherwise
            assert client.get(path).status_code == expected, (username, path)


@pytest.mark.parametrize("username", [*ACCOUNTS, None])
def test_council_and_session_pages_check_who_is_asking(client, auth, demo, username):
    from council.councils.models import Council
    from council.sessions.models import Session

    school = db.session.scalar(select(Council).where(Council.code == "dajie-demo-school"))
    session_id = db.session.scalar(select(Session.id).where(Session.council_id == school.id))
    if username:
        auth.login(username, DEMO_PASSWORD)
    for template, (allowed, otherwise, visitor) in COUNCIL_PAGES.items():
        path = template.format(council=school.id, session=session_id)
        expected = visitor if username is None else 200 if username in allowed else otherwise
        assert client.get(path).status_code == expected, (username, path)


@pytest.mark.parametrize("username", [*ACCOUNTS, None])
def test_task_pages_check_who_is_asking(client, auth, demo, username):
    from council.tasks.models import Task
    from council.units.models import Unit

    edu = db.session.scalar(select(Unit).where(Unit.name == "区教育和体育局"))
    task_id = db.session.scalar(select(Task.id).where(Task.unit_id == edu.id))
    idea_id = db.session.scalar(select(Proposal.id).where(Proposal.title == "学校门口的路灯不亮"))
    from council.accounts.operations import find_account

    waiting = find_account("child_waiting")  # a child of the demo school
    if username:
        auth.login(username, DEMO_PASSWORD)
    for template, (allowed, otherwise, visitor) in TASK_PAGES.items():
        path = template.format(task=task_id, idea=idea_id, unit=edu.id, child=waiting.id)
        expected = visitor if username is None else 200 if username in allowed else otherwise
        assert client.get(path).status_code == expected, (username, path)


@pytest.mark.parametrize("username", [*ACCOUNTS, None])
def test_feature_pages_check_who_is_asking(client, auth, demo, username):
    pages = {path: expected for feature in FEATURES for path, expected in feature.pages().items()}
    if username:
        auth.login(username, DEMO_PASSWORD)
    for path, (allowed, otherwise, visitor) in pages.items():
        expected = visitor if username is None else 200 if username in allowed else otherwise
        assert client.get(path).status_code == expected, (username, path)


def test_every_route_is_covered_here(app):
    routes = {rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods and rule.endpoint != "static"}
    covered = set(PUBLIC) | set(ROLE_PAGES) | {
        "/councils/<int:council_id>", "/units/<int:unit_id>", "/plan/tasks/<int:no>", "/lang/<code>",
        "/ideas/<int:proposal_id>", "/ideas/<int:proposal_id>/step/<int:no>", "/moderation/<int:proposal_id>",
        "/api/v1/proposals/<int:proposal_id>",
        "/files/<key>", "/files/<key>/thumb",  # tested with real uploads in tests/proposals/test_files.py
        *(t.replace("{council}", "<int:council_id>").replace("{session}", "<int:session_id>")
          for t in COUNCIL_PAGES),
        *(t.replace("{task}", "<int:task_id>").replace("{idea}", "<int:proposal_id>").replace(
            "{unit}", "<int:unit_id>").replace("{child}", "<int:child_id>") for t in TASK_PAGES),
        # token-only JSON for other government systems: tests/tasks/test_unit_api.py
        "/api/v1/unit/requests", "/api/v1/unit/requests/<int:task_id>",
    }
    covered |= {rule for feature in FEATURES for rule in feature.RULES}
    assert routes - covered == set()
