"""Browser journeys: the app served on a loopback port, driven by Playwright in Debian's Chromium.

Set COUNCIL_REQUIRE_BROWSER=1 (CI does) and a browser test that cannot run fails instead of skipping."""

from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import make_server

from tests.browser import axe

REQUIRE_BROWSER = os.environ.get("COUNCIL_REQUIRE_BROWSER") == "1"
# Debian's headless build of Chromium first (package chromium-headless-shell, the same Chromium without the
# windowed browser around it: the journeys cost about half the browser's CPU with it), then Debian's chromium.
CHROMIUM_CANDIDATES = [os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium-headless-shell", "/usr/bin/chromium",
                       shutil.which("chromium")]
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
        message = "Debian's Chromium is not installed (apt-get install chromium-headless-shell)"
        if REQUIRE_BROWSER:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_FLAGS)
        yield KeptPhones(browser)
        browser.close()


class KeptPhones:
    """The worker's browser, whose contexts (a person's phone: cookies, storage, one page) are kept from one test to
    the next. A context's first page costs Chromium a renderer process of its own, and axe's first run there about
    twice a later one (about 0.3 s of CPU a person, measured in docs/testing.md); a kept page keeps both.

    ``new_context(**options)`` hands out a context given back earlier with the same options, or a new one. Its
    ``close()`` gives it back as a new one is: its first page on about:blank with no listener a test added, the
    origin's storage, the cookies and the permissions cleared, the viewport as asked. Each test's server has a port
    (an origin) of its own, so nothing the browser cached is met again. A context that is not as it was built
    (another page open, a script added to each page, a setting the reset does not know) is closed instead."""

    def __init__(self, browser):
        self.browser = browser
        self.free: dict[str, list[KeptContext]] = {}

    def __getattr__(self, name):
        return getattr(self.browser, name)

    def new_context(self, **options) -> KeptContext:
        free = self.free.setdefault(repr(sorted(options.items())), [])
        return free.pop() if free else KeptContext(self, options, free)


# Page methods whose setting outlives a navigation: a page on which a test called one is not handed out again.
LASTING = ("add_init_script", "emulate_media", "expose_binding", "expose_function", "route", "route_from_har",
           "set_default_navigation_timeout", "set_default_timeout", "set_extra_http_headers", "add_locator_handler")
# What a test may use of a kept context; anything else it asks for makes the context one that is closed at the end.
KEPT_USES = frozenset({"request", "pages", "cookies", "add_cookies"})


class KeptContext:
    """A Playwright BrowserContext as ``KeptPhones`` hands it out (see there); its pages are Playwright's own."""

    def __init__(self, phones: KeptPhones, options: dict, free: list):
        self.options, self.free = options, free  # free: where it goes back, among those with the same options
        self.context = phones.browser.new_context(**options)
        self.page = self.context.new_page()
        self.listeners: list[tuple[str, object]] = []
        self.spoiled = self.handed = False
        for name in ("on", "once"):
            setattr(self.page, name, self._listening(getattr(self.page, name)))
        for name in LASTING:
            setattr(self.page, name, self._spoiling(getattr(self.page, name)))

    def _listening(self, add):
        def listen(event, handler):
            self.listeners.append((event, handler))
            return add(event, handler)
        return listen

    def _spoiling(self, method):
        def spoil(*args, **kwargs):
            self.spoiled = True
            return method(*args, **kwargs)
        return spoil

    def __getattr__(self, name):
        if name not in KEPT_USES:
            self.spoiled = True
        return getattr(self.context, name)

    def new_page(self):
        if self.handed:
            self.spoiled = True
            return self.context.new_page()
        self.handed = True
        return self.page

    def close(self) -> None:
        page = self.page
        if self.spoiled or page.is_closed() or self.context.pages != [page]:
            self.context.close()
            return
        try:
            for event, handler in self.listeners:
                page.remove_listener(event, handler)  # also a ``once`` listener that fired (test_kept_phones.py)
            if page.url.startswith("http"):
                page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
            page.goto("about:blank")
            self.context.clear_cookies()
            self.context.clear_permissions()
            page.set_viewport_size(self.options.get("viewport", {"width": 1280, "height": 720}))
        except PlaywrightError:
            self.context.close()
            return
        self.listeners.clear()
        self.handed = False
        self.free.append(self)


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
    yield from _serve(app)


@pytest.fixture
def empty_live_server(app):
    """The test app on an empty migrated database (no reference data, no demo: a district still to be set up, as
    tests/browser/test_other_district_journey.py does), served like ``live_server``."""
    yield from _serve(app)


def _serve(app):
    answering = Answering(buffered(app))
    server = make_server("127.0.0.1", 0, serving_axe(answering), threaded=True)
    # The loop looks for shutdown every 50 ms (socketserver's default, 0.5 s, kept every journey's end waiting).
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_port}"
    axe.SERVING.add(origin)
    yield origin
    axe.SERVING.discard(origin)
    server.shutdown()  # no new request is taken
    answering.wait(timeout=30)
    server.server_close()
    thread.join(timeout=5)


def serving_axe(wsgi):
    """The server also answers axe's script at ``axe.SCRIPT_PATH`` (no route of the app), cacheable, so that
    ``axe.load_axe`` loads it as a script of the page's own origin."""

    def answer(environ, start_response):
        if environ["PATH_INFO"] != axe.SCRIPT_PATH:
            return wsgi(environ, start_response)
        start_response("200 OK", [("Content-Type", "text/javascript; charset=utf-8"),
                                  ("Content-Length", str(len(axe.SCRIPT))), ("Cache-Control", "max-age=86400")])
        return [axe.SCRIPT]

    return answer


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


def open_menu(page) -> None:
    """On a phone the navigation, the account and the language are behind the header's menu button (a <details>)."""
    page.locator("header details.menu > summary").click()


def signed_in(browser, live_server, username, *, english=True, password="zhoucun2026"):
    """A person on their own phone: a fresh context, signed in, on the page the sign-in leads to. Returns (context,
    page, errors). The sign-in itself is the real one over HTTP (the form's CSRF token, POST /login, the session
    cookie), sent by the context's own request client, which shares the browser's cookies: the journeys do not
    draw the sign-in page again each time (tests/browser/test_smoke.py signs in through the page itself)."""
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="en-US" if english else "zh-CN")
    page = context.new_page()
    errors = watch_errors(page)
    if english:
        context.request.get(live_server + "/lang/en")  # the language cookie, as the menu's link sets it
    fields = {"username": username, "password": password}
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', context.request.get(live_server + "/login").text())
    if token:  # the form's token, where the app asks for one (the suite's app does not: WTF_CSRF_ENABLED)
        fields["csrf_token"] = token.group(1)
    answer = context.request.post(live_server + "/login", max_redirects=0, form=fields)
    assert answer.status == 302, f"{username} could not sign in: {answer.status}"
    page.goto(urljoin(live_server + "/login", answer.headers["location"]))
    return context, page, errors


def open_a_session_vote(fac, ideas, *, title, place, day) -> str:
    """A facilitator on a council's “plan a session” page (``fac``, in English) plans it for ``day`` with ``ideas``
    (their titles) on the agenda, opens it with every member present and opens the vote on each item, as the
    session page offers them; returns the session's address."""
    from playwright.sync_api import expect

    fac.get_by_label("Title").fill(title)
    fac.get_by_label("Date and time").fill(f"{day.isoformat()}T15:00")
    fac.get_by_label("Place").fill(place)
    fac.get_by_role("button", name="Plan it").click()
    for idea in ideas:
        fac.get_by_label(idea).check()
        fac.get_by_role("button", name="Add to the agenda").click()
    fac.get_by_role("button", name="Open the session").click()
    members = fac.locator("#attendance input[name=present]")
    for i in range(members.count()):
        members.nth(i).check()
    fac.get_by_role("button", name="Save who is here").click()
    expect(fac.get_by_text("Enough members are here to vote.")).to_be_visible()
    for _ in ideas:
        with fac.expect_navigation():
            fac.get_by_role("button", name="Open the vote").first.click()
    return fac.url.split("/manage")[0]


@pytest.fixture
def drawing(tmp_path):
    """A child's drawing as a PNG file on disk, for the wizard's picture step."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), "white")
    ImageDraw.Draw(image).ellipse((200, 120, 440, 360), outline="red", width=12)
    path = tmp_path / "drawing.png"
    image.save(path)
    return path


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
        context.spoiled = True  # not handed out again
    context.close()
    assert errors == [], f"the browser reported errors: {errors}"
