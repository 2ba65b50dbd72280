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
