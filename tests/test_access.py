"""Every page against every role: what each may open. A new route without an entry here fails."""

import collections

import pytest
from sqlalchemy import select

from council.extensions import db
from council.proposals.models import Proposal
from tests.access import campaigns, indicators, privacy, reports, rosters, stats
from tests.accounts.test_views import DEMO_PASSWORD
from tests.test_planner import statements

FEATURES = (rosters, privacy, reports, campaigns, indicators, stats)  # each feature's own rows, in tests/access/

PUBLIC = ["/", "/councils/", "/plan/", "/plan/tasks/27", "/plan/export.json", "/plan/export.xlsx", "/units/",
          "/privacy", "/login", "/ideas/",
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
    "/notifications/mail": EVERYONE - CHILDREN,
    "/teacher": {"teacher", "admin"} | FACILITATORS,
    "/facilitator": FACILITATORS,
    "/moderation": FACILITATORS | {"coordinator", "admin"},
    "/moderation/words": {"coordinator", "admin"},
    "/routing": FACILITATORS | {"coordinator", "admin"},
    "/coordinator/calendar": {"coordinator", "admin"},
    "/plan/preview": {"coordinator", "admin"},
    "/setup": {"coordinator", "admin"},
    "/setup/templates/councils.xlsx": {"coordinator", "admin"},
    "/setup/templates/adults.csv": {"coordinator", "admin"},
    "/accounts/adults": {"coordinator", "admin"},
    "/units/manage": {"coordinator", "admin"},
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

# Object pages, on demo ideas: {title: {path: (who gets 200, what other accounts get, what a visitor gets)}}. What
# other accounts get may differ by account: {account: status, "others": status}. An account that may not see the
# object gets 404, as for a missing id; one that sees it but may not open this page, 403 (council/visibility.py).
OBJECT_PAGES = {
    "午休时间太短了": {  # submitted by 小海豚 (member) in the 大街 demo school
        "/ideas/{id}": ({"member", "facilitator", "coordinator", "admin"}, 404, 404),
        "/moderation/{id}": ({"facilitator", "coordinator", "admin"}, {"member": 403, "others": 404}, 302),
        "/api/v1/proposals/{id}": (set(), 404, 404),
        "/ideas/{id}/poster": (set(), 404, 404),  # a poster is for public ideas only, even for its author
    },
    "操场的篮球架太高": {  # sent back to 小海豚
        "/ideas/{id}/step/1": ({"member"}, {"facilitator": 403, "coordinator": 403, "admin": 403, "others": 404},
                               302),
    },
    "公园里的秋千坏了": {  # public
        "/ideas/{id}": (EVERYONE, 200, 200),
        "/ideas/{id}/poster": (EVERYONE, 200, 200),
        "/api/v1/proposals/{id}": (EVERYONE, 200, 200),
    },
}


# Council and session pages, on the demo school council and its first closed session.
COUNCIL_PAGES = {
    "/councils/{council}/members": ({"facilitator", "coordinator", "admin"}, 403, 302),
    "/councils/{council}/sessions/new": ({"facilitator", "coordinator", "admin"}, 403, 302),
    "/councils/{council}/sessions": (EVERYONE, 200, 200),
    "/councils/{council}/poster": (EVERYONE, 200, 200),
    "/councils/{council}/idea-sheet": (EVERYONE, 200, 200),
    "/sessions/{session}": (EVERYONE, 200, 200),
    "/sessions/{session}/manage": ({"facilitator", "coordinator", "admin"}, 403, 302),
    "/sessions/{session}/screen": ({"facilitator", "coordinator", "admin"}, 403, 302),
    "/sessions/{session}/screen.json": ({"facilitator", "coordinator", "admin"}, 403, 302),
    "/sessions/{session}/vote": (EVERYONE, 200, 302),
    "/sessions/{session}/feedback": (EVERYONE, 200, 302),
    "/api/v1/councils/{council}/sessions": (EVERYONE, 200, 200),
    "/api/v1/sessions/{session}": (EVERYONE, 200, 200),
}


# Task pages, on the demo task of 区教育和体育局 (unit_edu) and the adopted 学校门口的路灯不亮.
TASK_PAGES = {
    "/tasks/{task}": ({"unit_edu", "coordinator", "admin"}, 404, 302),
    "/ideas/{idea}/route": ({"facilitator", "coordinator", "admin"}, 403, 302),
    "/children/{child}/consent": ({"teacher", "facilitator", "coordinator", "admin"}, 404, 302),
    "/units/{unit}/tokens": ({"coordinator", "admin"}, 403, 302),
    "/supervision/units/{unit}": ({"coordinator", "admin"}, 403, 302),
    "/api/v1/stats/units": (EVERYONE, 200, 200),
}


def expectations(username: str | None) -> dict[str, int]:
    """Every page of the matrix, on the demo, with the answer ``username`` (None: a visitor) must get."""
    from council.accounts.operations import find_account
    from council.councils.models import Council
    from council.sessions.models import Session
    from council.tasks.models import Task
    from council.units.models import Unit

    def answer(allowed, otherwise, visitor):
        if isinstance(otherwise, dict):
            otherwise = otherwise.get(username, otherwise["others"])
        return visitor if username is None else 200 if username in allowed else otherwise

    expected = {path: 200 for path in PUBLIC} if username is None else {}
    for path, allowed in ROLE_PAGES.items():
        expected[path] = 302 if username is None or username in REDIRECTS.get(path, ()) else (
            200 if username in allowed else 403)
    for title, pages in OBJECT_PAGES.items():
        proposal_id = db.session.scalar(select(Proposal.id).where(Proposal.title == title))
        expected |= {template.format(id=proposal_id): answer(*rule) for template, rule in pages.items()}
    school = db.session.scalar(select(Council).where(Council.code == "dajie-demo-school"))
    session_id = db.session.scalar(select(Session.id).where(Session.council_id == school.id))
    expected |= {template.format(council=school.id, session=session_id): answer(*rule)
                 for template, rule in COUNCIL_PAGES.items()}
    edu = db.session.scalar(select(Unit).where(Unit.name == "区教育和体育局"))
    task_id = db.session.scalar(select(Task.id).where(Task.unit_id == edu.id))
    idea_id = db.session.scalar(select(Proposal.id).where(Proposal.title == "学校门口的路灯不亮"))
    waiting = find_account("child_waiting")  # a child of the demo school
    expected |= {template.format(task=task_id, idea=idea_id, unit=edu.id, child=waiting.id): answer(*rule)
                 for template, rule in TASK_PAGES.items()}
    for feature in FEATURES:
        expected |= {path: answer(*rule) for path, rule in feature.pages().items()}
    return expected


# No page runs one statement (the same SQL) more than this in one request: a list that reads each of its rows again
# (a child's profile, a unit's council, one per row) shows here with the demo's handful of rows; tests/scale/
# test_query_counts.py checks the main pages with a thousand more. Three is the council tree's depth (a council's
# parents, read up the tree).
SAME_SQL_AT_MOST = 3


@pytest.mark.parametrize("username", [*ACCOUNTS, None])
def test_every_page_answers_each_account_as_expected(client, auth, demo, username):
    """One demo per account (seeding it per page would take many minutes); every wrong answer is listed. Each page
    it opens is also read by the language matrix's checks in Chinese, the platform's first language, as it is
    fetched (tests/test_languages.py reads the same pages in English): one request per page and account, not two.
    The statements each request runs are counted too (``SAME_SQL_AT_MOST``)."""
    from tests.test_assets import unnamed
    from tests.test_languages import NOT_PAGES, ZH, database_words, problems, seen

    expected = expectations(username)
    if username:
        auth.login(username, DEMO_PASSWORD)
    wrong = []
    words = database_words()
    for path, status in expected.items():
        with statements(db.engine) as seen_sql:
            response = client.get(path)
        repeated = [(n, sql[:80]) for sql, n in collections.Counter(seen_sql).items() if n > SAME_SQL_AT_MOST]
        if repeated:
            wrong.append(f"{path}: the same statement runs again per item shown: {repeated}")
        if response.status_code == 200 and response.mimetype == "text/html":
            html = response.get_data(as_text=True)
            if not NOT_PAGES.search(path):
                wrong += [f"{path}: {problem}" for problem in problems(seen(html), ZH, words)]
            wrong += [f"{path}: {address} does not name its file's content"
                      for address in unnamed(html, client.application.static_folder)]
        if response.status_code != status:
            wrong.append(f"{path}: {response.status_code}, expected {status}")
        elif status == 403 and path in ROLE_PAGES and "你不能打开这个页面" not in response.get_data(as_text=True):
            wrong.append(f"{path}: 403 without the explanation")
        elif status == 302 and username is None and path in ROLE_PAGES and "/login" not in response.headers["Location"]:
            wrong.append(f"{path}: a visitor is not sent to sign in")
    assert wrong == [], (username, wrong)


def test_every_route_is_covered_here(app):
    routes = {rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods and rule.endpoint != "static"}
    covered = set(PUBLIC) | set(ROLE_PAGES) | {
        "/councils/<int:council_id>", "/units/<int:unit_id>", "/plan/tasks/<int:no>", "/lang/<code>",
        # the demo has one version of the plan: earlier versions' pages and the office's mapping of their tasks
        # are opened by each role in tests/plan/test_plan_versions.py
        "/plan/versions/<int:version>", "/plan/versions/<int:version>/tasks/<int:no>",
        "/plan/versions/<int:version>/mapping",
        "/ideas/<int:proposal_id>", "/ideas/<int:proposal_id>/step/<int:no>", "/moderation/<int:proposal_id>",
        "/api/v1/proposals/<int:proposal_id>",
        "/files/<key>", "/files/<key>/thumb",  # tested with real uploads in tests/proposals/test_files.py
        "/ideas/<int:proposal_id>/poster",
        "/posters/<any(idea, campaign, council):kind>/<int:object_id>/qr.png",  # tests/test_posters.py
        *(t.replace("{council}", "<int:council_id>").replace("{session}", "<int:session_id>")
          for t in COUNCIL_PAGES),
        *(t.replace("{task}", "<int:task_id>").replace("{idea}", "<int:proposal_id>").replace(
            "{unit}", "<int:unit_id>").replace("{child}", "<int:child_id>") for t in TASK_PAGES),
        # token-only JSON for other government systems: tests/tasks/test_unit_api.py
        "/api/v1/unit/requests", "/api/v1/unit/requests/<int:task_id>",
        # the office's setup: every kind and format in tests/setup/test_views.py; a preview needs an upload there
        "/setup/templates/<any(councils, units, adults):kind>.<any(csv, xlsx):fmt>", "/setup/imports/<token>",
        # a set-password link: tests/accounts/test_welcome.py (an unknown one: 404 in both languages)
        "/welcome/<token>",
    }
    covered |= {rule for feature in FEATURES for rule in feature.RULES}
    assert routes - covered == set()
