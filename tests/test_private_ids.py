"""Ids tell nothing (council/visibility.py): for every GET and POST route with an id in its path, an account that
may not see the object gets exactly what a missing id (999999) gets: the same status and the same page, but for the
path in it. Otherwise anyone could count the drafts, children or help requests of the district by trying ids.

A new route with an id fails ``test_every_route_with_an_id_is_listed`` until it has an entry in ROUTES: a
``Private`` case (which demo object, by its key in ``ids``, and the accounts, None for a visitor, that may not
see it) or ``Public`` with the reason its objects are no secret. The objects and form data are those of the access
matrices (tests/test_access.py, tests/test_access_posts.py), plus a campaign and a session still being prepared."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

import pytest

from council.calendar import clock
from council.extensions import db
from tests.accounts.test_views import DEMO_PASSWORD
from tests.conftest import kept_world
from tests.test_access_posts import CAMPAIGN_FORM, POSTS, ROSTER_CSV, Case, form_data

MISSING = 999999


@dataclass(frozen=True)
class Private:
    path: str  # formatted with ``ids``
    hide: str  # the key in ``ids`` of the private object: the missing path has MISSING in its place
    blind: tuple[str | None, ...]  # accounts that may not see the object; None: a visitor
    data: dict | None = None  # for a POST: the form (as in tests/test_access_posts.py); None: that file's, if any


@dataclass(frozen=True)
class Public:
    why: str


VISITOR = None
NOT_THE_SCHOOL = ("facilitator2", "facilitator_community", "unit_edu")  # no adult role in the demo school
DRAFT_IDEA = (VISITOR, "teen", "member", "teacher", "child_waiting") + NOT_THE_SCHOOL  # child's draft
SENT_IDEA = (VISITOR, "child", "teen", "teacher") + NOT_THE_SCHOOL  # member's idea, waiting to be screened
CHILD = (VISITOR, "child", "teen") + NOT_THE_SCHOOL  # a child of the demo school
SCHOOL_PREPARING = (VISITOR, "teacher", "member", "child") + NOT_THE_SCHOOL  # the school's draft session/campaign
HIDDEN_ENTRY = (VISITOR, "child", "teen", "kid02") + NOT_THE_SCHOOL
OFFICE_ONLY = (VISITOR, "facilitator", "teacher", "unit_edu", "child")  # refused before the id is looked up

ROUTES: dict[str, Private | Public] = {
    # --- ideas: not public, they exist for their authors and the facilitators who screen them only ---
    "/ideas/<int:proposal_id>": Private("/ideas/{draft}", "draft", DRAFT_IDEA),
    "/ideas/<int:proposal_id>/poster": Private("/ideas/{draft}/poster", "draft", DRAFT_IDEA),
    "/posters/<any(idea, campaign, council):kind>/<int:object_id>/qr.png": Private(
        "/posters/idea/{draft}/qr.png", "draft", DRAFT_IDEA),
    "/ideas/<int:proposal_id>/step/<int:no>": Private("/ideas/{draft}/step/1", "draft", DRAFT_IDEA,
                                                      {"title": "改掉了"}),
    "/ideas/<int:proposal_id>/autosave": Private("/ideas/{draft}/autosave", "draft", DRAFT_IDEA),
    "/ideas/<int:proposal_id>/attachments": Private("/ideas/{draft}/attachments", "draft", DRAFT_IDEA),
    "/ideas/<int:proposal_id>/attachments/<int:attachment_id>/delete": Private(
        "/ideas/{draft}/attachments/1/delete", "draft", DRAFT_IDEA),
    "/ideas/<int:proposal_id>/attachments/<int:attachment_id>/transcription": Private(
        "/ideas/{submitted}/attachments/1/transcription", "submitted", SENT_IDEA),
    "/ideas/<int:proposal_id>/submit": Private("/ideas/{draft}/submit", "draft", DRAFT_IDEA),
    "/ideas/<int:proposal_id>/withdraw": Private("/ideas/{submitted}/withdraw", "submitted", SENT_IDEA),
    "/ideas/<int:proposal_id>/suggestions/<int:edit_id>": Private(
        "/ideas/{returned}/suggestions/{edit}", "returned", SENT_IDEA),
    "/ideas/<int:proposal_id>/support": Private("/ideas/{submitted}/support", "submitted", SENT_IDEA),
    "/ideas/<int:proposal_id>/forward": Private("/ideas/{submitted}/forward", "submitted", SENT_IDEA),
    "/ideas/<int:proposal_id>/route": Private("/ideas/{submitted}/route", "submitted", SENT_IDEA),
    "/ideas/<int:proposal_id>/rate": Private("/ideas/{submitted}/rate", "submitted", SENT_IDEA),
    "/moderation/<int:proposal_id>": Private("/moderation/{submitted}", "submitted", SENT_IDEA),
    "/moderation/<int:proposal_id>/publish": Private("/moderation/{submitted}/publish", "submitted", SENT_IDEA),
    "/moderation/<int:proposal_id>/return": Private("/moderation/{submitted}/return", "submitted", SENT_IDEA),
    "/moderation/<int:proposal_id>/reject": Private("/moderation/{submitted}/reject", "submitted", SENT_IDEA),
    "/api/v1/proposals/<int:proposal_id>": Private("/api/v1/proposals/{draft}", "draft", DRAFT_IDEA),
    "/flags/<target_type>/<int:target_id>": Private("/flags/proposal/{submitted}", "submitted", SENT_IDEA,
                                                    {"reason": "unkind"}),
    "/flags/<target_type>/<int:target_id>/keep": Private("/flags/proposal/{submitted}/keep", "submitted", SENT_IDEA),
    "/flags/<target_type>/<int:target_id>/remove": Private("/flags/proposal/{submitted}/remove", "submitted",
                                                           SENT_IDEA, {"reason": "写了全名"}),
    # --- a unit's task: its staff and the office that routes it ---
    "/tasks/<int:task_id>": Private("/tasks/{edu_task}", "edu_task", (VISITOR, "unit_traffic", "teacher", "child",
                                                                      "facilitator2")),
    "/tasks/<int:task_id>/<action>": Private("/tasks/{edu_task}/acknowledge", "edu_task",
                                             (VISITOR, "unit_traffic", "teacher", "child", "facilitator2"), {}),
    "/api/v1/unit/requests/<int:task_id>": Private("/api/v1/unit/requests/{edu_task}", "edu_task",
                                                   (VISITOR, "unit_traffic", "unit_edu")),  # no token: 401 alike
    "/api/v1/unit/requests/<int:task_id>/acknowledge": Private(
        "/api/v1/unit/requests/{edu_task}/acknowledge", "edu_task", (VISITOR, "unit_edu")),
    "/api/v1/unit/requests/<int:task_id>/progress": Private(
        "/api/v1/unit/requests/{edu_task}/progress", "edu_task", (VISITOR, "unit_edu")),
    "/api/v1/unit/requests/<int:task_id>/reply": Private(
        "/api/v1/unit/requests/{edu_task}/reply", "edu_task", (VISITOR, "unit_edu")),
    "/api/v1/unit/requests/<int:task_id>/return": Private(
        "/api/v1/unit/requests/{edu_task}/return", "edu_task", (VISITOR, "unit_edu")),
    # --- children, their classes, their guardians' requests, their help requests ---
    "/children/<int:child_id>/consent": Private("/children/{child_waiting}/consent", "child_waiting", CHILD),
    "/children/<int:child_id>/data-requests/new": Private("/children/{kid09}/data-requests/new", "kid09", CHILD),
    "/privacy/requests/<int:request_id>": Private("/privacy/requests/{deletion_request}", "deletion_request",
                                                  CHILD + ("kid09",)),
    "/privacy/requests/<int:request_id>/export.zip": Private(
        "/privacy/requests/{deletion_request}/export.zip", "deletion_request", CHILD + ("kid09",)),
    "/privacy/requests/<int:request_id>/carry-out": Private(
        "/privacy/requests/{deletion_request}/carry-out", "deletion_request", CHILD + ("kid09",)),
    "/privacy/requests/<int:request_id>/refuse": Private(
        "/privacy/requests/{deletion_request}/refuse", "deletion_request", CHILD + ("kid09",)),
    "/help-requests/<int:request_id>": Private("/help-requests/{help_request}", "help_request",
                                               CHILD + ("teacher", "member")),
    "/help-requests/<int:request_id>/seen": Private("/help-requests/{help_request}/seen", "help_request",
                                                    CHILD + ("teacher", "member")),
    "/help-requests/<int:request_id>/close": Private("/help-requests/{help_request}/close", "help_request",
                                                     CHILD + ("teacher", "member")),
    "/classes/<int:class_id>": Private("/classes/{class_id}", "class_id", CHILD + ("kid01",)),
    "/classes/<int:class_id>/cards": Private("/classes/{class_id}/cards", "class_id", CHILD + ("kid01",)),
    "/classes/<int:class_id>/import": Private("/classes/{class_id}/import", "class_id", CHILD + ("kid01",),
                                              {"roster": (ROSTER_CSV, "class.csv")}),
    "/classes/<int:class_id>/imports/<token>": Private("/classes/{class_id}/imports/{import_token}", "class_id",
                                                       CHILD + ("kid01",)),
    "/classes/<int:class_id>/reset": Private("/classes/{class_id}/reset", "class_id", CHILD + ("kid01",)),
    "/classes/<int:class_id>/children/<int:sign_in_id>/<action>": Private(
        "/classes/{class_id}/children/{kid01_sign_in}/consent-link", "class_id", CHILD + ("kid01",)),
    # --- a campaign being prepared, and entries not shown to the public ---
    "/campaigns/<int:campaign_id>": Private("/campaigns/{draft_campaign}", "draft_campaign", SCHOOL_PREPARING),
    "/campaigns/<int:campaign_id>/poster": Private("/campaigns/{draft_campaign}/poster", "draft_campaign",
                                                   SCHOOL_PREPARING),
    "/campaigns/<int:campaign_id>/edit": Private("/campaigns/{draft_campaign}/edit", "draft_campaign",
                                                 SCHOOL_PREPARING, CAMPAIGN_FORM | {"council": "{school}"}),
    "/campaigns/<int:campaign_id>/enter": Private("/campaigns/{draft_campaign}/enter", "draft_campaign",
                                                  SCHOOL_PREPARING, {"title": "画", "description": "一幅画。"}),
    "/campaigns/<int:campaign_id>/export.zip": Private("/campaigns/{draft_campaign}/export.zip", "draft_campaign",
                                                       SCHOOL_PREPARING),
    "/campaigns/<int:campaign_id>/jury": Private("/campaigns/{draft_campaign}/jury", "draft_campaign",
                                                 SCHOOL_PREPARING),
    "/campaigns/<int:campaign_id>/jury/<code>": Private("/campaigns/{draft_campaign}/jury/A-01", "draft_campaign",
                                                        SCHOOL_PREPARING, {"mark-0": "10", "mark-1": "10"}),
    "/campaigns/<int:campaign_id>/phase": Private("/campaigns/{draft_campaign}/phase", "draft_campaign",
                                                  SCHOOL_PREPARING, {"to": "open"}),
    "/campaigns/<int:campaign_id>/results": Private("/campaigns/{draft_campaign}/results", "draft_campaign",
                                                    SCHOOL_PREPARING),
    "/campaigns/<int:campaign_id>/review": Private("/campaigns/{draft_campaign}/review", "draft_campaign",
                                                   SCHOOL_PREPARING),
    "/api/v1/campaigns/<int:campaign_id>": Private("/api/v1/campaigns/{draft_campaign}", "draft_campaign",
                                                   SCHOOL_PREPARING),
    "/campaigns/entries/<int:entry_id>": Private("/campaigns/entries/{pending_entry}", "pending_entry",
                                                 HIDDEN_ENTRY),
    "/campaigns/entries/<int:entry_id>/certificate": Private("/campaigns/entries/{pending_entry}/certificate",
                                                             "pending_entry", HIDDEN_ENTRY),
    "/campaigns/entries/<int:entry_id>/edit": Private("/campaigns/entries/{pending_entry}/edit", "pending_entry",
                                                      HIDDEN_ENTRY),
    "/campaigns/entries/<int:entry_id>/review": Private("/campaigns/entries/{pending_entry}/review",
                                                        "pending_entry", HIDDEN_ENTRY),
    "/campaigns/entries/<int:entry_id>/consent": Private("/campaigns/entries/{waiting_entry}/consent",
                                                         "waiting_entry", HIDDEN_ENTRY),
    "/campaigns/entries/<int:entry_id>/vote": Private("/campaigns/entries/{pending_entry}/vote", "pending_entry",
                                                      HIDDEN_ENTRY),
    # --- a session being prepared ---
    "/sessions/<int:session_id>": Private("/sessions/{draft_session}", "draft_session", SCHOOL_PREPARING),
    "/api/v1/sessions/<int:session_id>": Private("/api/v1/sessions/{draft_session}", "draft_session",
                                                 SCHOOL_PREPARING),
    "/sessions/<int:session_id>/manage": Private("/sessions/{draft_session}/manage", "draft_session",
                                                 SCHOOL_PREPARING),
    "/sessions/<int:session_id>/screen": Private("/sessions/{draft_session}/screen", "draft_session",
                                                 SCHOOL_PREPARING),
    "/sessions/<int:session_id>/screen.json": Private("/sessions/{draft_session}/screen.json", "draft_session",
                                                 SCHOOL_PREPARING),
    "/sessions/<int:session_id>/vote": Private("/sessions/{draft_session}/vote", "draft_session", SCHOOL_PREPARING),
    "/sessions/<int:session_id>/feedback": Private("/sessions/{draft_session}/feedback", "draft_session",
                                                   SCHOOL_PREPARING, {"face": "happy"}),
    "/sessions/<int:session_id>/<action>": Private("/sessions/{draft_session}/open", "draft_session",
                                                   SCHOOL_PREPARING, {}),
    "/sessions/<int:session_id>/agenda": Private("/sessions/{draft_session}/agenda", "draft_session",
                                                 SCHOOL_PREPARING, {"proposal_id": "{public}"}),
    "/sessions/<int:session_id>/elections": Private("/sessions/{draft_session}/elections", "draft_session",
                                                    SCHOOL_PREPARING, {"role": "chair", "candidates": "{member}"}),
    "/sessions/<int:session_id>/items/<int:item_id>/<action>": Private(
        "/sessions/{draft_session}/items/{voting_item}/open", "draft_session", SCHOOL_PREPARING, {}),
    "/sessions/<int:session_id>/items/<int:item_id>/ballot": Private(
        "/sessions/{draft_session}/items/{voting_item}/ballot", "draft_session", SCHOOL_PREPARING,
        {"choice": "for"}),
    # --- the office's own: refused before the id is looked up, the same answer for every id ---
    "/indicators/reports/<int:report_id>/<action>": Private("/indicators/reports/{waiting_report}/confirm",
                                                            "waiting_report", OFFICE_ONLY + ("unit_traffic",), {}),
    "/moderation/words/<int:word_id>/delete": Private("/moderation/words/{word}/delete", "word", OFFICE_ONLY),
    "/coordinator/calendar/<int:day_id>/delete": Private("/coordinator/calendar/{day}/delete", "day", OFFICE_ONLY),
    "/units/<int:unit_id>/tokens/<int:token_id>/revoke": Private("/units/{edu_unit}/tokens/{token}/revoke", "token",
                                                                 OFFICE_ONLY),
    "/accounts/<int:account_id>/welcome-link": Private("/accounts/{teacher_account}/welcome-link", "teacher_account",
                                                       OFFICE_ONLY, {}),
    # --- public: everyone may know these exist ---
    "/councils/<int:council_id>": Public("councils are listed for everyone"),
    "/councils/<int:council_id>/poster": Public("councils are public: their poster invites every child"),
    "/councils/<int:council_id>/idea-sheet": Public("councils are public: a blank paper sheet"),
    "/councils/<int:council_id>/members": Public("councils are public; their facilitators' page says who may"),
    "/councils/<int:council_id>/members/<int:membership_id>/end": Public("a council's members are public"),
    "/councils/<int:council_id>/rules": Public("councils are public"),
    "/councils/<int:council_id>/sessions": Public("councils are public; sessions being prepared are left out"),
    "/councils/<int:council_id>/sessions/new": Public("councils are public"),
    "/api/v1/councils/<int:council_id>/sessions": Public("councils are public"),
    "/units/<int:unit_id>": Public("units are listed for everyone"),
    "/units/<int:unit_id>/tokens": Public("units are public; the page is the office's"),
    "/units/<int:unit_id>/switch": Public("units are public; the button is the office's"),
    "/supervision/units/<int:unit_id>": Public("units are public; the page is the office's"),
    "/plan/tasks/<int:no>": Public("the plan is public"),
    "/plan/versions/<int:version>": Public("the plan is public, every version of it"),
    "/plan/versions/<int:version>/tasks/<int:no>": Public("the plan is public, every version of it"),
    "/plan/versions/<int:version>/mapping": Public("the plan's versions are public; the page is the office's"),
    "/plan/indicators/<int:indicator_id>": Public("the plan's indicators are public"),
    "/plan/indicators/<int:indicator_id>/reports": Public("the plan's indicators are public"),
    "/report/<int:year>": Public("a year"),
    "/report/<int:year>.pdf": Public("a year"),
    "/coordinator/calendar/years/<int:year>/complete": Public("a year"),
    "/kids/<code>/<int:sign_in_id>": Public("a child's tile on the class's sign-in page, reached by the class code"),
}


def test_every_route_with_an_id_is_listed(app):
    with_ids = {rule.rule for rule in app.url_map.iter_rules() if "<int:" in rule.rule}
    assert with_ids - set(ROUTES) == set(), "add these routes to tests/test_private_ids.py"
    assert set(ROUTES) - with_ids == set(), "these entries name routes that no longer exist"


@kept_world
def ids(demo_targets) -> dict[str, int | str]:
    """The access matrices' demo objects, and a campaign, a session, a screening word, a calendar day and a unit
    token of the office's (once per worker and hour)."""
    from datetime import date, timedelta

    from council.accounts.operations import find_account
    from council.calendar import operations as calendar
    from council.campaigns import operations as campaigns
    from council.campaigns.models import CampaignKind
    from council.councils.models import Council
    from council.proposals import operations as ideas
    from council.sessions import operations as sessions
    from council.tasks import tokens
    from council.units.models import Unit

    found = dict(demo_targets)
    facilitator, coordinator = find_account("facilitator"), find_account("coordinator")
    school = db.session.get(Council, found["school"])
    today = clock.today()
    campaign = campaigns.create_campaign(
        facilitator, school, jurors=[facilitator, find_account("teacher")], kind=CampaignKind.slogan,
        title="还在准备", rules="写一句口号。", prizes="", age_groups=[[6, 17]],
        reviewing_from=today + timedelta(days=10), voting_from=today + timedelta(days=20),
        judging_from=today + timedelta(days=30), results_from=today + timedelta(days=40), entries_per_child=1,
        votes_per_child=3, jury_weight=50, rubric=[{"name": "创意", "weight": 100}], winners_per_group=3)
    draft_session = sessions.schedule(school, facilitator, title="准备中的会议",
                                      starts_at=clock.now() + timedelta(days=7), place="活动室")
    word = ideas.add_screening_word("坏词", coordinator)
    day = calendar.set_day(date(today.year + 1, 10, 8), False, "调休", coordinator)
    token, _plain = tokens.issue_token(db.session.get(Unit, found["edu_unit"]), "系统", coordinator)
    db.session.commit()
    return found | {"draft_campaign": campaign.id, "draft_session": draft_session.id, "word": word.id,
                    "day": day.id, "token": token.id}


# The parts of a page that change from one request to the next whatever the id: the CSRF token (signed with the
# time) and the moment a page was shown.
VOLATILE = [re.compile(r'(name="csrf_token" value=")[^"]*'), re.compile(r'(name="shown" value=")[^"]*'),
            re.compile(r'(name="csrf-token" content=")[^"]*')]


def answer(client, method: str, path: str, data: dict | None) -> tuple[int, str, str]:
    response = client.open(path, method=method, data=data)
    body = response.get_data(as_text=True) if response.mimetype.startswith(("text/", "application/json")) else (
        f"<{response.mimetype}, {len(response.data)} bytes>")
    location = response.headers.get("Location", "")
    for form in {path, quote(path), quote(path, safe="")}:
        body, location = body.replace(form, "<path>"), location.replace(form, "<path>")
    for volatile in VOLATILE:
        body = volatile.sub(r"\1…", body)
    return response.status_code, location, body


def the_form(rule: str, entry: Private, found: dict) -> dict:
    data = entry.data
    if data is None:
        case = POSTS.get(rule)
        data = case.data if isinstance(case, Case) else {}
    return form_data(Case(entry.path, (), data), found)


def accounts() -> list[str | None]:
    named = {who for entry in ROUTES.values() if isinstance(entry, Private) for who in entry.blind}
    return sorted(named - {None}) + [None]


@pytest.mark.parametrize("username", accounts())
def test_an_object_you_may_not_see_answers_as_a_missing_id_does(app, client, auth, demo, ids, username):
    found = ids
    methods = {rule.rule: rule.methods & {"GET", "POST"} for rule in app.url_map.iter_rules()}
    if username:
        auth.login(username, DEMO_PASSWORD)
    differences, seen = [], 0
    for rule, entry in ROUTES.items():
        if not isinstance(entry, Private) or username not in entry.blind:
            continue
        real = entry.path.format(**found)
        missing = entry.path.format(**found | {entry.hide: MISSING})
        for method in sorted(methods[rule]):
            client.get("/privacy")  # a page that shows (and so clears) any message left from before
            data = the_form(rule, entry, found) if method == "POST" else None
            got = answer(client, method, real, data)
            data = the_form(rule, entry, found) if method == "POST" else None
            expected = answer(client, method, missing, data)
            seen += 1
            if got != expected:
                differences.append(f"{method} {real}: {got[0]} {got[1]}, a missing id: {expected[0]} {expected[1]}"
                                   + ("" if got[0] != expected[0] else " (the pages differ)"))
    assert seen, "no route for this account"
    assert differences == [], f"{username}:\n" + "\n".join(differences)
