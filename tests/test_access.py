"""Every page against every role: what each may open."""

import pytest

from tests.accounts.test_views import DEMO_PASSWORD

PUBLIC = ["/", "/councils/", "/plan/", "/plan/tasks/27", "/units/", "/privacy", "/login",
          "/api/v1/plan", "/api/v1/councils", "/api/v1/units", "/healthz"]
ROLE_PAGES = {
    "/me": {"child", "member", "child_waiting", "teen", "teacher", "facilitator", "unit_edu", "coordinator", "admin"},
    "/teacher": {"teacher", "facilitator", "facilitator2", "facilitator_community", "admin"},
    "/facilitator": {"facilitator", "facilitator2", "facilitator_community"},
    "/desk": {"unit_edu", "unit_traffic"},
    "/coordinator": {"coordinator", "admin"},
    "/admin": {"admin"},
}
ACCOUNTS = ["admin", "coordinator", "facilitator", "facilitator2", "facilitator_community", "teacher",
            "unit_edu", "unit_traffic", "child", "member", "child_waiting", "teen"]


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
        if path == "/me":
            continue  # every signed-in account has a page of its own
        response = client.get(path)
        expected = 200 if username in allowed else 403
        assert response.status_code == expected, (username, path)
        if expected == 403:
            assert "你不能打开这个页面" in response.get_data(as_text=True)


def test_every_route_is_covered_here(app):
    """A new page must be added to this matrix."""
    routes = {rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods and rule.endpoint != "static"}
    covered = set(PUBLIC) | set(ROLE_PAGES) | {"/councils/<int:council_id>", "/units/<int:unit_id>",
                                                "/plan/tasks/<int:no>", "/lang/<code>"}
    assert routes - covered == set()
