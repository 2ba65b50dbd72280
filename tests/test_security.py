import re

from tests.accounts.test_views import DEMO_PASSWORD


def test_pages_forbid_inline_script_framing_and_sniffing(client, reference):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_no_page_loads_anything_from_outside(client, auth, demo):
    pages = ["/", "/councils/", "/plan/", "/units/", "/login", "/privacy"]
    auth.login("admin", DEMO_PASSWORD)
    pages += ["/admin"]
    for path in pages:
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r'(src|href)="(https?:)?//', html), path
        assert "<script>" not in html and " style=" not in html, path


def test_session_cookie_is_httponly_and_samesite(client, auth, make):
    make.adult("cookie")
    from council.extensions import db

    db.session.commit()
    response = auth.login("cookie")
    cookie = response.headers.get("Set-Cookie")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_wrong_passwords_are_throttled_per_account_with_a_clear_message(own_app, make, app):
    from council.extensions import db as database

    make.adult("target")
    database.session.commit()
    throttled = own_app(SIGN_IN_ACCOUNT_LIMIT="3 per minute", RATELIMIT_ENABLED=True)
    client = throttled.test_client()
    statuses = [client.post("/login", data={"username": "target", "password": "guess"}).status_code
                for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    refused = client.post("/login", data={"username": "target", "password": "correct horse battery"})
    assert refused.status_code == 429  # even the right password waits: the guesser must not learn it
    assert "Too many tries" in refused.get_data(as_text=True) or "太多" in refused.get_data(as_text=True)
    other = client.post("/login", data={"username": "someone-else", "password": "guess"})
    assert other.status_code == 400  # another account is not locked by these tries


def test_good_sign_ins_do_not_use_up_the_limit(own_app, make):
    from council.extensions import db as database

    make.adult("regular")
    database.session.commit()
    throttled = own_app(SIGN_IN_ACCOUNT_LIMIT="2 per minute", RATELIMIT_ENABLED=True)
    for _ in range(4):
        client = throttled.test_client()
        assert client.post("/login", data={"username": "regular", "password": "correct horse battery"}
                           ).status_code == 302


def test_https_responses_carry_hsts(client, reference):
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_a_visitor_reading_public_pages_is_given_no_cookie(client, demo):
    """Reading needs no session: a visitor (a child on a shared tablet too) leaves nothing behind, and shared
    caches may keep the answers."""
    from sqlalchemy import select

    from council.extensions import db
    from council.proposals.models import Proposal

    idea = db.session.scalar(select(Proposal.id).where(Proposal.is_public).order_by(Proposal.id))
    for path in ("/", "/ideas/", f"/ideas/{idea}", "/councils/", "/stats", "/api/v1/proposals"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers, path
