"""Browser journeys: the app served on a loopback port, driven by Playwright in Debian's Chromium.

Set COUNCIL_REQUIRE_BROWSER=1 (CI does) and a browser test that cannot run fails instead of skipping."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

REQUIRE_BROWSER = os.environ.get("COUNCIL_REQUIRE_BROWSER") == "1"
CHROMIUM_CANDIDATES = [os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")]
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def chromium_path() -> str | None:
    return next((p for p in CHROMIUM_CANDIDATES if p and os.path.exists(p)), None)


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skipped browser test is a failed one."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
    if REQUIRE_BROWSER and report.skipped and item.get_closest_marker("browser"):
        report.outcome = "failed"
        report.longrepr = f"browser test skipped while COUNCIL_REQUIRE_BROWSER=1: {report.longrepr}"


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if REQUIRE_BROWSER:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def buffered(app):
    """Read each response whole and close it before sending: when the browser drops a connection
    mid-file (it navigated on), the development server would otherwise leave the file open."""

    def wsgi(environ, start_response):
        result = app(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return [body]

    return wsgi


class Answering:
    """Counts the requests being answered, so that the end of a test can wait for the last one: a request still
    running then would use the app and its database after the test, while the next one is being set up."""

    def __init__(self, wsgi):
        self.wsgi = wsgi
        self.running = 0
        self.changed = threading.Condition()

    def __call__(self, environ, start_response):
        with self.changed:
            self.running += 1
        try:
            return self.wsgi(environ, start_response)
        finally:
            with self.changed:
                self.running -= 1
                self.changed.notify_all()

    def wait(self, timeout: float) -> None:
        with self.changed:
            self.changed.wait_for(lambda: self.running == 0, timeout)


@pytest.fixture
def live_server(app, demo):
    """The test app, with the demo data, served from a thread for the length of one test."""
    answering = Answering(buffered(app))
    server = make_server("127.0.0.1", 0, answering, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()  # no new request is taken
    answering.wait(timeout=30)
    server.server_close()
    thread.join(timeout=5)


def watch_errors(page) -> list[str]:
    """Collects script errors and failed sub-resources; a test ends by asserting the list is empty."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource") else None)
    # A page may answer 400 to a form with mistakes; a broken stylesheet, script or image may not.
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.request.resource_type != "document" else None)
    return errors


def signed_in(browser, live_server, username, *, english=True, password="zhoucun2026"):
    """A person on their own phone: a fresh context, signed in. Returns (context, page, errors)."""
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="en-US" if english else "zh-CN")
    page = context.new_page()
    errors = watch_errors(page)
    if english:
        page.goto(live_server + "/lang/en")
    page.goto(live_server + "/login")
    page.get_by_label("Username" if english else "用户名").fill(username)
    page.get_by_label("Password" if english else "密码").fill(password)
    page.get_by_role("button", name="Sign in" if english else "登录").click()
    return context, page, errors


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="zh-CN")
    page = context.new_page()
    errors = watch_errors(page)
    yield page
    call = getattr(request.node, "rep_call", None)
    if call is not None and call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert errors == [], f"the browser reported errors: {errors}"
