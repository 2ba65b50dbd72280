"""Every POST route against the wrong accounts: refused (403/404, never a success, never a 500) and the
database exactly as it was. A new POST route without an entry in POSTS fails.

How to add a route: a ``Case`` says which demo object to aim at (``path`` is formatted with the ids from
``demo_ids``), what a real form would send, and which signed-in accounts must be refused. Use ``Elsewhere``
only when the route has no object another account could reach, or is covered by a named test."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from sqlalchemy import func, select

from council.calendar import clock
from council.extensions import db
from tests.accounts.test_views import DEMO_PASSWORD
from tests.writes import WriteWatch


@dataclass(frozen=True)
class Case:
    path: str
    wrong: tuple[str, ...]
    data: dict = field(default_factory=dict)
    refused: frozenset[int] = frozenset({403, 404})  # a form shown again with its error (400) is a refusal too


@dataclass(frozen=True)
class Elsewhere:
    why: str


OUTSIDERS = ("facilitator2", "facilitator_community", "teacher", "child")  # none reaches the demo school's ideas
STRANGERS = ("child", "teen", "teacher", "facilitator2")  # not the author of member's ideas
UNIT_OTHERS = ("unit_traffic", "facilitator", "child")  # not 区教育和体育局
NOT_OFFICE = ("facilitator", "teacher", "unit_edu", "child")
NOT_THE_CLASS = ("facilitator2", "facilitator_community", "unit_edu", "child")  # the demo class is the school's
NOT_ORGANISER = ("facilitator2", "facilitator_community", "teacher", "unit_edu", "child")  # of the school's campaign
ROSTER_CSV = "\ufeff姓名,昵称,出生年份\n陌生人,小陌生,2016\n".encode()
SETUP_CSV = "名称,类型,所属镇街\n新社区,社区,大街街道\n".encode()


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (42, 157, 143)).save(buffer, "PNG")
    return buffer.getvalue()


CAMPAIGN_FORM = {
    "kind": "drawing", "title": "画画比赛", "rules": "画一幅画。", "prizes": "", "age_groups": "6-8, 9-11, 12-14",
    "reviewing_from": "2030-01-10", "voting_from": "2030-01-20", "judging_from": "2030-01-30",
    "results_from": "2030-02-10", "entries_per_child": "1", "votes_per_child": "3", "jury_weight": "70",
    "winners_per_group": "3", "rubric": "创意 | 50\n画面 | 50", "jurors": "facilitator2",
}

POSTS: dict[str, Case | Elsewhere] = {
    # --- accounts and notifications ---
    "/login": Elsewhere("signs in; tests/test_security.py and tests/accounts"),
    "/logout": Elsewhere("acts on the caller's own session only"),
    "/notifications/read": Elsewhere("marks the caller's own messages only; tests/proposals/test_views.py"),
    "/welcome/<token>": Elsewhere("a set-password link, no account; tests/accounts/test_welcome.py"),
    "/accounts/<int:account_id>/welcome-link": Case("/accounts/{teacher_account}/welcome-link", NOT_OFFICE),
    "/plan/preview": Case("/plan/preview", NOT_OFFICE, {"plan_file": (b'{"areas": []}', "plan.json")}),
    "/plan/apply": Case("/plan/apply", NOT_OFFICE, {"document": "x", "title": "新计划", "issued_on": "2026-03-01"}),
    "/plan/versions/<int:version>/mapping": Case("/plan/versions/1/mapping", NOT_OFFICE),
    "/setup": Case("/setup", NOT_OFFICE, {"councils": (SETUP_CSV, "councils.csv")}),
    "/setup/imports/<token>": Case("/setup/imports/{setup_token}", NOT_OFFICE),
    "/setup/imports/<token>/links": Case("/setup/imports/{setup_token}/links", NOT_OFFICE),
    "/notifications/mail": Elsewhere("the caller's own mail choices only; children refused in "
                                     "tests/notifications/test_threads.py"),
    "/children/<int:child_id>/consent": Case(
        "/children/{child_waiting}/consent", ("facilitator2", "facilitator_community", "unit_edu", "child", "teen"),
        {"guardian_name": "陌生人", "relation": "父亲", "method": "paper", "decision": "refused"}),
    # --- ideas: one child cannot touch another's draft by changing the id ---
    "/ideas/new": Case("/ideas/new", ("child_waiting",), {"council": "{school}"}, frozenset({200})),
    "/ideas/new/for-children": Case(
        "/ideas/new/for-children", ("unit_edu", "child", "facilitator2"),
        {"council": "{sichoulu}", "children": "{child}"}, frozenset({400, 403})),
    "/ideas/<int:proposal_id>/step/<int:no>": Case(
        "/ideas/{returned}/step/1", STRANGERS, {"title": "改掉了", "problem": "别人的字"}),
    "/ideas/<int:proposal_id>/autosave": Case("/ideas/{draft}/autosave", ("member", "teen", "teacher"),
                                              {"title": "改掉了"}),
    "/ideas/<int:proposal_id>/attachments": Case("/ideas/{draft}/attachments", ("member", "teen", "facilitator2"),
                                                 {"description": "一张图"}),
    "/ideas/<int:proposal_id>/attachments/<int:attachment_id>/delete": Case(
        "/ideas/{draft}/attachments/1/delete", ("member", "teen")),
    "/ideas/<int:proposal_id>/attachments/<int:attachment_id>/transcription": Case(
        "/ideas/{submitted}/attachments/1/transcription", ("child", "teen", "facilitator2"), {"transcription": "x"}),
    "/ideas/<int:proposal_id>/submit": Case("/ideas/{draft}/submit", ("member", "teen", "teacher", "facilitator2")),
    "/ideas/<int:proposal_id>/withdraw": Case("/ideas/{submitted}/withdraw", STRANGERS + ("facilitator",),
                                              {"reason": "不想要了"}),
    "/ideas/<int:proposal_id>/suggestions/<int:edit_id>": Case(
        "/ideas/{returned}/suggestions/{edit}", STRANGERS + ("facilitator",), {"answer": "accept"}),
    "/ideas/<int:proposal_id>/support": Case("/ideas/{submitted}/support", ("child", "teen"), {"action": "add"}),
    # --- screening: a sibling council's facilitator cannot screen this council's ideas ---
    "/moderation/<int:proposal_id>/publish": Case("/moderation/{submitted}/publish", OUTSIDERS),
    "/moderation/<int:proposal_id>/return": Case("/moderation/{submitted}/return", OUTSIDERS,
                                                 {"reason": "请再写清楚一点。"}),
    "/moderation/<int:proposal_id>/reject": Case("/moderation/{submitted}/reject", OUTSIDERS,
                                                 {"kind": "inappropriate", "note": "不合适。"}),
    "/moderation/words": Case("/moderation/words", ("facilitator", "teacher", "child"), {"word": "坏词"}),
    "/moderation/words/<int:word_id>/delete": Case("/moderation/words/1/delete", ("facilitator", "child")),
    # --- councils and sessions: a non-member cannot vote ---
    "/councils/<int:council_id>/members": Case(
        "/councils/{school}/members", ("facilitator2", "facilitator_community", "teacher", "member"),
        {"account": "{child}", "role": "member", "starts_on": "2026-09-01"}),
    "/councils/<int:council_id>/members/<int:membership_id>/end": Case(
        "/councils/{school}/members/{membership}/end", ("facilitator2", "teacher", "member"),
        {"ends_on": "2026-12-01"}),
    "/councils/<int:council_id>/rules": Case("/councils/{school}/rules", ("facilitator2", "teacher", "member"),
                                             {"quorum_percent": "10", "majority_percent": "10"}),
    "/councils/<int:council_id>/sessions/new": Case(
        "/councils/{school}/sessions/new", ("facilitator2", "facilitator_community", "teacher", "member"),
        {"title": "会议", "starts_at": "2026-12-01T10:00", "place": "活动室"}),
    "/sessions/<int:session_id>/<action>": Case("/sessions/{voting_session}/close", ("facilitator2", "member"),
                                                {"minutes": "结束"}),
    "/sessions/<int:session_id>/agenda": Case("/sessions/{voting_session}/agenda", ("facilitator2", "member"),
                                              {"proposal_id": "{public}"}),
    "/sessions/<int:session_id>/elections": Case("/sessions/{voting_session}/elections", ("facilitator2", "member"),
                                                 {"role": "chair", "candidates": "{member}"}),
    "/sessions/<int:session_id>/items/<int:item_id>/<action>": Case(
        "/sessions/{voting_session}/items/{voting_item}/close", ("facilitator2", "facilitator_community", "member")),
    "/sessions/<int:session_id>/items/<int:item_id>/ballot": Case(
        "/sessions/{voting_session}/items/{voting_item}/ballot", ("child", "teen", "facilitator"), {"choice": "for"}),
    "/sessions/<int:session_id>/feedback": Case("/sessions/{closed_session}/feedback", ("teen", "child"),
                                                {"face": "happy"}),
    "/ideas/<int:proposal_id>/forward": Case("/ideas/{adopted}/forward", ("facilitator2", "teacher", "member")),
    # --- units: a unit's staff cannot answer another unit's task ---
    "/ideas/<int:proposal_id>/route": Case("/ideas/{adopted}/route", ("facilitator2", "facilitator_community",
                                                                      "unit_edu", "child"), {"lead": "{edu_unit}"}),
    "/tasks/<int:task_id>/<action>": Case(
        "/tasks/{edu_task}/reply", UNIT_OTHERS,
        {"grade": "A", "summary": "我们已经办好了，谢谢你们的好建议，欢迎去看看。"}),
    "/ideas/<int:proposal_id>/rate": Case("/ideas/{answered}/rate", ("teen", "child_waiting", "facilitator"),
                                          {"value": "not_satisfied"}),
    "/units/<int:unit_id>/tokens": Case("/units/{edu_unit}/tokens", NOT_OFFICE, {"name": "系统"}),
    "/units/manage": Case("/units/manage", NOT_OFFICE, {"name": "区农业农村局", "name_en": "Agriculture Bureau",
                                                        "kind": "department"}),
    "/units/<int:unit_id>/switch": Case("/units/{edu_unit}/switch", NOT_OFFICE, {"on": "0"}),
    "/units/<int:unit_id>/tokens/<int:token_id>/revoke": Case("/units/{edu_unit}/tokens/1/revoke", NOT_OFFICE),
    "/coordinator/calendar": Case("/coordinator/calendar", NOT_OFFICE,
                                  {"day": "2030-10-01", "is_workday": "", "note": "国庆"}),
    "/coordinator/calendar/<int:day_id>/delete": Case("/coordinator/calendar/1/delete", NOT_OFFICE),
    "/coordinator/calendar/years/<int:year>/complete": Case("/coordinator/calendar/years/2031/complete", NOT_OFFICE),
    "/api/v1/unit/requests/<int:task_id>/acknowledge": Elsewhere("token only: tests/tasks/test_unit_api.py"),
    "/api/v1/unit/requests/<int:task_id>/progress": Elsewhere("token only: tests/tasks/test_unit_api.py"),
    "/api/v1/unit/requests/<int:task_id>/reply": Elsewhere("token only: tests/tasks/test_unit_api.py"),
    "/api/v1/unit/requests/<int:task_id>/return": Elsewhere("token only: tests/tasks/test_unit_api.py"),
    # --- help and reporting (council/reports) ---
    "/help": Elsewhere("open to everyone, child or visitor; tests/reports/test_views.py"),
    "/help-requests/<int:request_id>/seen": Case("/help-requests/{help_request}/seen", OUTSIDERS + ("unit_edu",)),
    "/help-requests/<int:request_id>/close": Case("/help-requests/{help_request}/close", OUTSIDERS + ("member",),
                                                  {"note": "好了"}),
    "/flags/<target_type>/<int:target_id>": Case("/flags/proposal/{submitted}", ("child", "teen", "facilitator2"),
                                                 {"reason": "unkind"}),
    "/flags/<target_type>/<int:target_id>/keep": Case("/flags/proposal/{flagged}/keep",
                                                      ("facilitator2", "teacher", "child", "member")),
    "/flags/<target_type>/<int:target_id>/remove": Case("/flags/proposal/{flagged}/remove",
                                                        ("facilitator2", "teacher", "child"), {"reason": "写了全名"}),

    # --- class rosters: the demo class DAJE47 is the 大街 demo school's (its teacher, the 大街 facilitator) ---
    "/account/password": Elsewhere("rosters: acts on the caller's own account"),
    "/classes": Case("/classes", ("facilitator2", "facilitator_community", "unit_edu", "child"),
                     {"council": "{school}", "name": "三年级一班", "school": ""}, frozenset({400, 403})),
    "/classes/<int:class_id>/children/<int:sign_in_id>/<action>": Case(
        "/classes/{class_id}/children/{kid01_sign_in}/code", NOT_THE_CLASS + ("kid01",)),
    "/classes/<int:class_id>/import": Case("/classes/{class_id}/import", NOT_THE_CLASS,
                                           {"roster": (ROSTER_CSV, "class.csv")}),
    "/classes/<int:class_id>/imports/<token>": Case("/classes/{class_id}/imports/{import_token}", NOT_THE_CLASS),
    "/classes/<int:class_id>/reset": Case("/classes/{class_id}/reset", NOT_THE_CLASS + ("kid01",)),
    "/guardian/consent": Elsewhere("rosters: a guardian's code, no account"),
    "/guardian/consent/<token>": Elsewhere("rosters: a guardian's token, no account"),
    "/kids": Elsewhere("rosters: child sign-in, no account yet"),
    "/kids/<code>/<int:sign_in_id>": Elsewhere("rosters: child sign-in, no account yet"),
    # --- guardians' data requests: only the child's own councils' adults and the district office ---
    "/children/<int:child_id>/data-requests/new": Case(
        "/children/{kid09}/data-requests/new", NOT_THE_CLASS + ("teen",),
        {"kind": "export", "requester_name": "陌生人", "relation": "父亲", "channel": "phone", "note": ""}),
    "/privacy/requests/<int:request_id>/carry-out": Case(
        "/privacy/requests/{deletion_request}/carry-out", NOT_THE_CLASS + ("kid09",), {"checked": "y"}),
    "/privacy/requests/<int:request_id>/refuse": Case(
        "/privacy/requests/{deletion_request}/refuse", NOT_THE_CLASS + ("kid09",), {"reason": "不办了"}),
    # --- campaigns: the drawing campaign of the demo school is organised by the 大街 facilitator ---
    "/campaigns/new": Case("/campaigns/new", ("facilitator2", "facilitator_community", "teacher", "unit_edu", "child"),
                           CAMPAIGN_FORM | {"council": "{school}"}, frozenset({400, 403})),
    "/campaigns/<int:campaign_id>/edit": Case("/campaigns/{drawing}/edit", NOT_ORGANISER,
                                              CAMPAIGN_FORM | {"council": "{school}", "title": "改掉了"}),
    "/campaigns/<int:campaign_id>/enter": Case(
        "/campaigns/{drawing}/enter", ("facilitator2", "facilitator_community", "unit_edu", "teen"),
        {"child": "{child}", "title": "别人的画", "description": "一幅画。", "consent": "paper",
         "picture": (_png(), "drawing.png")},
        frozenset({400, 403})),  # teen, not of the school's area, sees the form again with the reason
    "/campaigns/<int:campaign_id>/jury/<code>": Case(
        "/campaigns/{judging}/jury/{judging_code}", ("facilitator2", "coordinator", "kid05", "unit_edu"),
        {"mark-0": "10", "mark-1": "10"}),
    "/campaigns/<int:campaign_id>/phase": Case("/campaigns/{drawing}/phase", NOT_ORGANISER, {"to": "reviewing"}),
    "/campaigns/entries/<int:entry_id>/consent": Case(
        "/campaigns/entries/{waiting_entry}/consent", ("facilitator2", "facilitator_community", "unit_edu", "kid03",
                                                       "child"), {"method": "paper", "display": "y", "use": "y"}),
    "/campaigns/entries/<int:entry_id>/edit": Case(
        "/campaigns/entries/{shown_entry}/edit", ("kid02", "child", "teen", "facilitator2", "facilitator_community",
                                                  "unit_edu"), {"title": "改掉了", "description": "别人的字"}),
    "/campaigns/entries/<int:entry_id>/review": Case(
        "/campaigns/entries/{pending_entry}/review", NOT_ORGANISER + ("kid04",), {"action": "approve"}),
    "/campaigns/entries/<int:entry_id>/vote": Case(
        "/campaigns/entries/{voting_entry}/vote", ("teen", "child_waiting", "facilitator", "teacher", "unit_edu"),
        {"action": "add"}),
    # --- indicators: only the responsible unit reports, only the district office confirms ---
    "/indicators/reports/<int:report_id>/<action>": Case(
        "/indicators/reports/{waiting_report}/confirm", ("unit_traffic", "unit_office", "unit_edu", "facilitator",
                                                         "child")),
    "/plan/indicators/<int:indicator_id>/reports": Case(
        "/plan/indicators/{edu_indicator}/reports", ("unit_traffic", "unit_women", "unit_office", "coordinator",
                                                     "facilitator", "child"),
        {"period": "{edu_period}", "value": "99", "note": "别的单位报的"}),
}


def demo_ids() -> dict[str, int | str]:
    """The demo objects the cases aim at, plus an open vote in the demo school (the demo's sessions are closed),
    a class list waiting on its preview, and a campaign voting and one judging (the demo's are open or done)."""
    from council.accounts.models import Membership, MembershipRole
    from council.accounts.operations import find_account
    from council.councils.models import Council
    from council.proposals.models import Proposal, ProposalEdit, ProposalState
    from council.reports import operations as reports
    from council.reports.models import HelpRequest
    from council.reports.targets import TARGETS
    from council.sessions import operations as sessions
    from council.sessions.models import Session
    from council.tasks.models import Task
    from council.units.models import Unit

    def idea(title):
        return db.session.scalar(select(Proposal).where(Proposal.title == title))

    def council(code):
        return db.session.scalar(select(Council).where(Council.code == code))

    get = find_account
    school, facilitator = council("dajie-demo-school"), get("facilitator")
    books = idea("图书角需要新书")  # deferred at the school's session: public again

    voting = sessions.schedule(school, facilitator, title="测试会议", starts_at=clock.now(), place="活动室")
    item = sessions.add_to_agenda(voting, books, facilitator)
    sessions.open_session(voting, facilitator)
    sessions.mark_attendance(voting, facilitator, {m.id for m in sessions.members_on(school, clock.now().date())})
    sessions.open_vote(item, facilitator)
    swing = idea("社区里需要中学生自习室")  # flagged once by kid04 in the demo
    db.session.commit()
    edu = db.session.scalar(select(Unit).where(Unit.name == "区教育和体育局"))
    returned = idea("操场的篮球架太高")
    assert reports.open_flags(TARGETS["proposal"].type, swing.id)
    return {
        "school": school.id, "sichoulu": council("sichoulu").id,
        "child": get("child").id, "member": get("member").id, "child_waiting": get("child_waiting").id,
        "draft": idea("图书馆周末也开门").id, "returned": returned.id, "submitted": idea("午休时间太短了").id,
        "public": books.id, "flagged": swing.id,
        "edit": db.session.scalar(select(ProposalEdit.id).where(ProposalEdit.proposal_id == returned.id)),
        "adopted": idea("学校门口的路灯不亮").id,
        "answered": db.session.scalar(select(Proposal.id).where(Proposal.state == ProposalState.answered)),
        "membership": db.session.scalar(select(Membership.id).where(
            Membership.council_id == school.id, Membership.role == MembershipRole.member)),
        "voting_session": voting.id, "voting_item": item.id,
        "closed_session": db.session.scalar(select(Session.id).where(Session.council_id == school.id,
                                                                     Session.id != voting.id)),
        "edu_unit": edu.id, "edu_task": db.session.scalar(select(Task.id).where(Task.unit_id == edu.id)),
        "help_request": db.session.scalar(select(HelpRequest.id)),
        "teacher_account": get("teacher").id,
    } | roster_ids() | setup_ids() | privacy_ids() | campaign_ids(school, facilitator) | indicator_ids()


def roster_ids() -> dict[str, int | str]:
    from council.accounts.operations import find_account
    from council.demo.rosters import DEMO_CLASS_CODE
    from council.rosters import operations as rosters
    from council.rosters.models import ChildSignIn, ClassGroup

    group = db.session.scalar(select(ClassGroup).where(ClassGroup.code == DEMO_CLASS_CODE))
    pending = rosters.preview_import(group, find_account("teacher"), "class.csv", ROSTER_CSV)
    db.session.commit()
    assert not pending.has_problems
    return {"class_id": group.id, "import_token": pending.token,
            "kid01_sign_in": db.session.scalar(select(ChildSignIn.id).where(
                ChildSignIn.class_id == group.id, ChildSignIn.account_id == find_account("kid01").id))}


def setup_ids() -> dict[str, str]:
    """A setup import of the office's, waiting for its yes (council/setup)."""
    from council.accounts.operations import find_account
    from council.setup import operations as setup

    pending = setup.preview(find_account("coordinator"), {"councils": ("councils.csv", SETUP_CSV)})
    db.session.commit()
    assert not pending.has_problems
    return {"setup_token": pending.token}


def privacy_ids() -> dict[str, int]:
    from council.accounts.operations import find_account
    from council.privacy.models import DataRequest, RequestKind, RequestStatus

    kid09 = find_account("kid09")
    waiting = db.session.scalar(select(DataRequest.id).where(
        DataRequest.child_id == kid09.id, DataRequest.kind == RequestKind.deletion,
        DataRequest.status == RequestStatus.received))
    assert waiting is not None
    return {"kid09": kid09.id, "deletion_request": waiting}


def campaign_ids(school, facilitator) -> dict[str, int | str]:
    """The demo's drawing campaign is open; a slogan campaign in the voting phase and one being judged are made
    here with the real operations (entries by kid05 and kid06, consent and approval as the demo does)."""
    from datetime import timedelta

    from council.accounts.models import ConsentMethod
    from council.accounts.operations import find_account
    from council.campaigns import operations as campaigns
    from council.campaigns.models import Campaign, CampaignKind, Entry, EntryState, Phase

    get = find_account
    teacher = get("teacher")
    drawing = db.session.scalar(select(Campaign).where(Campaign.kind == CampaignKind.drawing))
    by_author = {e.author.username: e for e in drawing.entries}
    assert by_author["kid01"].is_public and by_author["kid04"].state is EntryState.pending
    assert by_author["kid03"].state is EntryState.approved and not by_author["kid03"].has_consent

    def running(title, last: Phase, author) -> Entry:
        today = clock.today()
        campaign = campaigns.create_campaign(
            facilitator, school, jurors=[facilitator, teacher], kind=CampaignKind.slogan, title=title,
            rules="写一句口号。", prizes="", age_groups=[[6, 17]], reviewing_from=today + timedelta(days=1),
            voting_from=today + timedelta(days=2), judging_from=today + timedelta(days=3),
            results_from=today + timedelta(days=4), entries_per_child=1, votes_per_child=3, jury_weight=50,
            rubric=[{"name": "创意", "weight": 50}, {"name": "好记", "weight": 50}], winners_per_group=3)
        campaigns.move_on(campaign, facilitator, Phase.open)
        entry = campaigns.submit_entry(campaign, author, author, title="儿童友好", description="一句口号。",
                                       text="我们的城市，我们一起说。")
        campaigns.record_consent(entry, teacher, display=True, use=True, method=ConsentMethod.paper)
        campaigns.approve(entry, get("coordinator"))  # not the facilitator: a juror never checks entries by name
        for phase in (Phase.reviewing, Phase.voting, Phase.judging):
            campaigns.move_on(campaign, facilitator, phase)
            if phase is last:
                return entry
        raise AssertionError(last)

    voting = running("口号投票", Phase.voting, get("kid05"))
    judged = running("口号评审", Phase.judging, get("kid06"))
    db.session.commit()
    assert campaigns.voting_open(voting.campaign) and campaigns.judging_open(judged.campaign)
    return {"drawing": drawing.id, "shown_entry": by_author["kid01"].id, "waiting_entry": by_author["kid03"].id,
            "pending_entry": by_author["kid04"].id, "voting_entry": voting.id,
            "judging": judged.campaign_id, "judging_code": judged.code}


def indicator_ids() -> dict[str, int | str]:
    from council.indicators import operations as indicators
    from council.indicators.models import Indicator, IndicatorReport, ReportState

    after_school = db.session.scalar(select(Indicator).where(Indicator.code == "after-school-coverage"))
    responsible = {u.name for u in after_school.responsible_units()}
    assert "区教育和体育局" in responsible and not responsible & {"周村交警大队", "区妇联", "区妇儿工委办公室"}
    waiting = db.session.scalar(select(IndicatorReport).where(IndicatorReport.state == ReportState.submitted))
    assert waiting.unit.name == "周村交警大队"
    return {"edu_indicator": after_school.id, "waiting_report": waiting.id,
            "edu_period": indicators.reportable_periods(after_school, clock.today())[0].code}


def form_data(case: Case, ids: dict) -> dict:
    """The form as a browser sends it; (bytes, file name) is an uploaded file, a fresh stream for every request."""
    return {key: (io.BytesIO(value[0]), value[1]) if isinstance(value, tuple) else value.format(**ids)
            for key, value in case.data.items()}


def test_the_write_watch_sees_a_committed_write_and_forgets_one_rolled_back(app, reference, make):
    """The matrix below trusts tests/writes.py: proven here on a real insert, kept and then rolled back."""
    from council.councils.models import Council

    council = db.session.scalars(select(Council)).first()
    with WriteWatch(db.engine) as kept:
        make.child(council, username="watched_kept")
        db.session.commit()
    with WriteWatch(db.engine) as dropped:
        make.child(council, username="watched_dropped")
        db.session.flush()
        db.session.rollback()
    with WriteWatch(db.engine) as read:
        db.session.scalars(select(Council)).all()
        db.session.commit()
    assert (kept.wrote, kept.committed > 0) == (True, True)
    assert (dropped.wrote, dropped.committed) == (True, 0)
    assert (read.wrote, read.committed) == (False, 0)


def test_every_post_route_is_listed_here(app):
    routes = {rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert routes - set(POSTS) == set(), "add these POST routes to tests/test_access_posts.py"
    assert set(POSTS) - routes == set(), "these entries name routes that no longer exist"


def test_the_wrong_accounts_are_refused_and_nothing_changes(client, auth, demo, demo_targets):
    """One pass over every case on one demo (seeding it per case would take minutes); all failures are listed."""
    ids = demo_targets
    failures = []
    for rule, case in POSTS.items():
        if not isinstance(case, Case):
            continue
        path = case.path.format(**ids)
        for username in case.wrong:
            auth.login(username, DEMO_PASSWORD)
            with WriteWatch(db.engine) as watch:
                status = client.post(path, data=form_data(case, ids)).status_code
            if status not in case.refused:
                failures.append(f"{rule} as {username}: {status}")
            elif watch.committed:  # rows only change by a write that is committed (tests/writes.py)
                failures.append(f"{rule} as {username}: the database changed ({watch.committed} commits)")
            auth.logout()
    assert failures == [], "\n".join(failures)


def test_every_form_sent_without_its_token_is_refused_and_changes_nothing(app, client, auth, demo, demo_targets):
    """CSRF protection on, as in production (the suite's app has it off): every POST route of the matrix, sent by a
    signed-in adult without the form's token — a page left open past its session, a form posted from elsewhere —
    is refused with the 400 page in the reader's language and changes nothing. The idea wizard's steps are the one
    exception the product makes: the child's words are kept (one row of rescued words) and the child is sent to
    sign in again, to find them afterwards (council/proposals/rescue.py)."""
    from flask_babel import force_locale, gettext

    from council.proposals.models import RescuedWords
    from council.proposals.rescue import RESCUABLE

    with app.test_request_context(), force_locale("zh_Hans_CN"):
        message = gettext("This page was open for a long time. Please go back, reload it and try again.")
    ids = demo_targets
    auth.login("coordinator", DEMO_PASSWORD)
    app.config["WTF_CSRF_ENABLED"] = True
    endpoints = {rule.rule: rule.endpoint for rule in app.url_map.iter_rules()}
    failures, wizard = [], set()
    for rule, case in POSTS.items():
        if not isinstance(case, Case):
            continue
        rescued = db.session.scalar(select(func.count()).select_from(RescuedWords))
        data = form_data(case, ids) | ({"problem": "路口的灯坏了"} if endpoints[rule] in RESCUABLE else {})
        with WriteWatch(db.engine) as watch:
            answer = client.post(case.path.format(**ids), data=data)
        db.session.rollback()
        if endpoints[rule] in RESCUABLE:
            wizard.add(endpoints[rule])
            kept = db.session.scalar(select(func.count()).select_from(RescuedWords)) - rescued
            if (answer.status_code, answer.headers.get("Location"), kept) != (302, "/login", 1):
                failures.append(f"{rule}: {answer.status_code} to {answer.headers.get('Location')}, {kept} kept")
        elif answer.status_code != 400 or message not in answer.get_data(as_text=True):
            failures.append(f"{rule}: {answer.status_code} without the message")
        elif watch.committed:
            failures.append(f"{rule}: the database changed ({watch.committed} commits)")
    assert failures == [], "\n".join(failures)
    assert wizard == RESCUABLE
