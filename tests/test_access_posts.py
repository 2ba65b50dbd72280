"""Every POST route against the wrong accounts: refused (403/404, never a success, never a 500) and the
database exactly as it was. A new POST route without an entry in POSTS fails.

How to add a route: a ``Case`` says which demo object to aim at (``path`` is formatted with the ids from
``demo_ids``), what a real form would send, and which signed-in accounts must be refused. Use ``Elsewhere``
only when the route has no object another account could reach, or is covered by a named test."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import select

from council.extensions import db
from tests.accounts.test_views import DEMO_PASSWORD


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

POSTS: dict[str, Case | Elsewhere] = {
    # --- accounts and notifications ---
    "/login": Elsewhere("signs in; tests/test_security.py and tests/accounts"),
    "/logout": Elsewhere("acts on the caller's own session only"),
    "/notifications/read": Elsewhere("marks the caller's own messages only; tests/proposals/test_views.py"),
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
    "/units/<int:unit_id>/tokens/<int:token_id>/revoke": Case("/units/{edu_unit}/tokens/1/revoke", NOT_OFFICE),
    "/coordinator/calendar": Case("/coordinator/calendar", NOT_OFFICE,
                                  {"day": "2030-10-01", "is_workday": "", "note": "国庆"}),
    "/coordinator/calendar/<int:day_id>/delete": Case("/coordinator/calendar/1/delete", NOT_OFFICE),
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

    # --- routes of the features being built alongside (rosters, privacy, campaigns, indicators) -------
    # Their owners replace each Elsewhere with a Case aimed at a demo object of their feature.
    "/account/password": Elsewhere("rosters: acts on the caller's own account"),
    "/classes": Elsewhere("rosters: owner to add a Case"),
    "/classes/<int:class_id>/children/<int:sign_in_id>/<action>": Elsewhere("rosters: owner to add a Case"),
    "/classes/<int:class_id>/import": Elsewhere("rosters: owner to add a Case"),
    "/classes/<int:class_id>/imports/<token>": Elsewhere("rosters: owner to add a Case"),
    "/classes/<int:class_id>/reset": Elsewhere("rosters: owner to add a Case"),
    "/guardian/consent": Elsewhere("rosters: a guardian's code, no account"),
    "/guardian/consent/<token>": Elsewhere("rosters: a guardian's token, no account"),
    "/kids": Elsewhere("rosters: child sign-in, no account yet"),
    "/kids/<code>/<int:sign_in_id>": Elsewhere("rosters: child sign-in, no account yet"),
    "/children/<int:child_id>/data-requests/new": Elsewhere("privacy: owner to add a Case"),
    "/privacy/requests/<int:request_id>/carry-out": Elsewhere("privacy: owner to add a Case"),
    "/privacy/requests/<int:request_id>/refuse": Elsewhere("privacy: owner to add a Case"),
    "/campaigns/new": Elsewhere("campaigns: owner to add a Case"),
    "/campaigns/<int:campaign_id>/edit": Elsewhere("campaigns: owner to add a Case"),
    "/campaigns/<int:campaign_id>/enter": Elsewhere("campaigns: owner to add a Case"),
    "/campaigns/<int:campaign_id>/jury/<code>": Elsewhere("campaigns: owner to add a Case"),
    "/campaigns/<int:campaign_id>/phase": Elsewhere("campaigns: owner to add a Case"),
    "/campaigns/entries/<int:entry_id>/consent": Elsewhere("campaigns: owner to add a Case"),
    "/campaigns/entries/<int:entry_id>/edit": Elsewhere("campaigns: owner to add a Case"),
    "/campaigns/entries/<int:entry_id>/review": Elsewhere("campaigns: owner to add a Case"),
    "/campaigns/entries/<int:entry_id>/vote": Elsewhere("campaigns: owner to add a Case"),
    "/indicators/reports/<int:report_id>/<action>": Elsewhere("indicators: owner to add a Case"),
    "/plan/indicators/<int:indicator_id>/reports": Elsewhere("indicators: owner to add a Case"),
}


def demo_ids() -> dict[str, int]:
    """The demo objects the cases aim at, plus an open vote in the demo school (the demo's sessions are closed)."""
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
    from datetime import UTC, datetime

    voting = sessions.schedule(school, facilitator, title="测试会议", starts_at=datetime.now(UTC), place="活动室")
    item = sessions.add_to_agenda(voting, books, facilitator)
    sessions.open_session(voting, facilitator)
    sessions.mark_attendance(voting, facilitator, {m.id for m in sessions.members_on(school, datetime.now(UTC).date())})
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
    }


def snapshot() -> str:
    """Every row of every table, hashed: a refused request must leave all of them as they were."""
    digest = hashlib.sha256()
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for row in connection.execute(table.select().order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def test_every_post_route_is_listed_here(app):
    routes = {rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert routes - set(POSTS) == set(), "add these POST routes to tests/test_access_posts.py"
    assert set(POSTS) - routes == set(), "these entries name routes that no longer exist"


def test_the_wrong_accounts_are_refused_and_nothing_changes(client, auth, demo):
    """One pass over every case on one demo (seeding it per case would take minutes); all failures are listed."""
    ids = demo_ids()
    failures = []
    for rule, case in POSTS.items():
        if not isinstance(case, Case):
            continue
        path = case.path.format(**ids)
        data = {key: value.format(**ids) for key, value in case.data.items()}
        for username in case.wrong:
            auth.login(username, DEMO_PASSWORD)
            before = snapshot()
            status = client.post(path, data=data).status_code
            if status not in case.refused:
                failures.append(f"{rule} as {username}: {status}")
            elif snapshot() != before:
                failures.append(f"{rule} as {username}: the database changed")
            auth.logout()
    assert failures == []
