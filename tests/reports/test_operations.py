"""Help requests and flags, as domain operations: who is told, what is hidden, who may decide."""

import pytest
from sqlalchemy import func, select

from council.audit.models import Event
from council.errors import DomainError, PermissionDenied
from council.extensions import db
from council.notifications.models import Notification
from council.notifications.outbox import send_due
from council.proposals import queries
from council.reports import operations
from council.reports.models import ContentFlag, FlagReason, FlagStatus, HelpKind, HelpRequest, HelpStatus
from council.reports.targets import TARGETS

KEY = "k" * 20
IDEAS = TARGETS["proposal"]


def told(kind):
    return {n.account_id for n in db.session.scalars(select(Notification).where(Notification.kind == kind))}


def ask(world, who=None, kind=HelpKind.adult, message="有人拿走了我的跳绳。", path="/me", key=KEY):
    help_request, new = operations.ask_for_help(who or world.author, kind, message, path, key)
    db.session.commit()
    return help_request, new


# --- help requests ------------------------------------------------------------------------------

def test_a_childs_request_goes_to_the_facilitators_of_their_home_council_only(world):
    help_request, new = ask(world)
    assert new and help_request.council == world.community_a and help_request.status is HelpStatus.open
    assert told("help_request") == {world.facilitator.id}
    assert world.sibling_facilitator.id not in told("help_request_unsafe") | told("help_request")


def test_feeling_unsafe_also_tells_the_coordinating_office(world):
    ask(world, kind=HelpKind.unsafe)
    assert told("help_request_unsafe") == {world.facilitator.id, world.coordinator.id}


def test_a_council_without_a_facilitator_sends_help_to_the_nearest_one_above(world, make):
    from council.councils.models import CouncilKind

    lonely = make.council(CouncilKind.school, parent=world.street_a)
    child = make.child(lonely, username="lonely")
    help_request, _ = ask(world, who=child)
    assert help_request.council == lonely
    assert told("help_request") == {world.street_facilitator.id}


def test_a_visitor_on_an_idea_page_reaches_that_ideas_council(world):
    from flask_login import AnonymousUserMixin

    idea = world.published()
    help_request, _ = ask(world, who=AnonymousUserMixin(), path=f"/ideas/{idea.id}", kind=HelpKind.page)
    assert help_request.account_id is None and help_request.council == world.community_a
    assert told("help_request") == {world.facilitator.id}


def test_a_child_without_guardian_consent_can_still_ask_for_help(world):
    help_request, new = ask(world, who=world.waiting_child)
    assert new and help_request.account == world.waiting_child


def test_the_same_form_sent_twice_makes_one_request(world):
    first, _ = ask(world)
    again, new = ask(world)
    assert again.id == first.id and not new
    assert db.session.scalar(select(func.count(HelpRequest.id))) == 1
    assert len(told("help_request")) == 1


def test_another_accounts_form_key_is_refused(world):
    ask(world)
    with pytest.raises(DomainError):
        ask(world, who=world.other_child)


def test_the_message_never_leaves_in_a_mail_or_the_event_log(world, app):
    import pathlib

    ask(world, message="秘密的话")
    send_due()  # the mails are queued with the request; `send-mail` writes them to the outbox folder
    mails = [p.read_text(errors="ignore") for p in pathlib.Path(app.config["MAIL_OUTBOX"]).glob("*.eml")]
    assert mails and all("秘密" not in m for m in mails)
    assert all("秘密" not in str(e.data) for e in db.session.scalars(select(Event)))


def test_only_paths_on_this_site_are_kept():
    assert operations.clean_path("https://evil.example/x") == ""
    assert operations.clean_path("//evil.example") == ""
    assert operations.clean_path("/ideas/3") == "/ideas/3"


def test_facilitator_marks_seen_then_closes_with_a_note_for_the_child(world):
    help_request, _ = ask(world)
    operations.mark_seen(help_request, world.facilitator)
    operations.close(help_request, world.street_facilitator, "我们和老师谈过了，明天老师会帮你。")
    db.session.commit()
    assert help_request.status is HelpStatus.closed and help_request.handled_by == world.street_facilitator
    assert told("help_request_seen") == told("help_request_closed") == {world.author.id}
    with pytest.raises(DomainError):
        operations.mark_seen(help_request, world.facilitator)


def test_closing_needs_a_note(world):
    help_request, _ = ask(world)
    with pytest.raises(DomainError):
        operations.close(help_request, world.facilitator, "  ")
    assert help_request.status is HelpStatus.open


def test_a_sibling_councils_facilitator_cannot_handle_it(world):
    help_request, _ = ask(world)
    with pytest.raises(PermissionDenied):
        operations.close(help_request, world.sibling_facilitator, "好的")
    with pytest.raises(PermissionDenied):
        operations.mark_seen(help_request, world.teacher)
    assert operations.inbox(world.sibling_facilitator) == []
    assert operations.inbox(world.street_facilitator) == [help_request]


def test_the_inbox_puts_open_requests_first_and_hides_closed_ones_unless_asked(world):
    old, _ = ask(world, key="a" * 20)
    closed, _ = ask(world, key="b" * 20)
    new, _ = ask(world, key="c" * 20)
    operations.mark_seen(old, world.facilitator)
    operations.close(closed, world.facilitator, "好了")
    assert operations.inbox(world.facilitator) == [new, old]
    assert operations.inbox(world.facilitator, show_closed=True) == [new, old, closed]


def test_reading_a_childs_message_is_recorded(world):
    help_request, _ = ask(world)
    operations.viewed(help_request, world.facilitator)
    event = db.session.scalar(select(Event).where(Event.action == "child_data_viewed"))
    assert event.subject_id == world.author.id and event.actor_id == world.facilitator.id
    assert event.data["view"] == "help_request"


# --- flags --------------------------------------------------------------------------------------

def flag(world, idea, who, reason=FlagReason.unkind):
    entry, new = operations.flag(who, IDEAS, idea, reason)
    db.session.commit()
    return entry, new


def public_ids():
    return {p.id for p in db.session.scalars(queries.Filters().query())}


def test_an_idea_is_hidden_at_exactly_the_threshold(world, app):
    app.config["FLAG_HIDE_THRESHOLD"] = 3
    idea = world.published()
    for reader in world.readers[:2]:
        flag(world, idea, reader)
    assert idea.hidden_at is None and idea.id in public_ids()
    flag(world, idea, world.readers[2])
    assert idea.hidden_at is not None and idea.id not in public_ids()
    assert not idea.is_public
    assert told("content_hidden") == {world.facilitator.id}
    assert told("content_hidden_for_authors") == {world.author.id}


def test_the_threshold_is_configurable(world, app):
    app.config["FLAG_HIDE_THRESHOLD"] = 1
    idea = world.published()
    flag(world, idea, world.readers[0])
    assert idea.hidden_at is not None


def test_one_flag_per_account_per_item(world, app):
    app.config["FLAG_HIDE_THRESHOLD"] = 2
    idea = world.published()
    first, _ = flag(world, idea, world.readers[0])
    again, new = flag(world, idea, world.readers[0], FlagReason.other)
    assert again.id == first.id and not new
    assert idea.hidden_at is None
    assert told("content_flagged") == {world.facilitator.id}  # told once, at the first report


def test_authors_cannot_flag_their_own_idea_and_drafts_cannot_be_flagged(world):
    idea = world.published()
    with pytest.raises(DomainError):
        operations.flag(world.author, IDEAS, idea, FlagReason.other)
    draft = world.draft(title="草稿")
    with pytest.raises(DomainError):
        operations.flag(world.other_child, IDEAS, draft, FlagReason.other)
    assert db.session.scalar(select(func.count(ContentFlag.id))) == 0


def hidden_idea(world):
    idea = world.published()
    for reader in world.readers:
        flag(world, idea, reader)
    assert idea.hidden_at is not None
    return idea


def test_keep_dismisses_the_flags_and_shows_it_again(world):
    idea = hidden_idea(world)
    operations.keep(world.facilitator, IDEAS, idea)
    db.session.commit()
    assert idea.hidden_at is None and idea.id in public_ids()
    assert {f.status for f in db.session.scalars(select(ContentFlag))} == {FlagStatus.kept}
    assert told("content_shown_again") == {world.author.id}
    assert operations.review_queue(world.facilitator) == []
    with pytest.raises(DomainError):  # nothing left to decide
        operations.keep(world.facilitator, IDEAS, idea)


def test_after_keep_the_same_accounts_cannot_hide_it_again(world):
    idea = hidden_idea(world)
    operations.keep(world.facilitator, IDEAS, idea)
    db.session.commit()
    for reader in world.readers:
        flag(world, idea, reader)
    assert idea.hidden_at is None


def test_remove_keeps_it_hidden_with_a_reason_the_authors_read(world):
    idea = hidden_idea(world)
    state = idea.state
    with pytest.raises(DomainError):
        operations.remove(world.facilitator, IDEAS, idea, "")
    operations.remove(world.facilitator, IDEAS, idea, "这条建议写了一位同学的全名。")
    db.session.commit()
    assert idea.hidden_at is not None and idea.state is state  # the state machine is not touched
    assert operations.latest_review("proposal", idea.id).reason == "这条建议写了一位同学的全名。"
    note = db.session.scalar(select(Notification).where(Notification.kind == "content_removed"))
    assert note.account_id == world.author.id and note.proposal_id == idea.id
    assert not idea.is_public and idea.id not in public_ids()


def test_remove_works_before_the_threshold_too(world):
    idea = world.published()
    flag(world, idea, world.readers[0])
    operations.remove(world.facilitator, IDEAS, idea, "写了电话号码。")
    db.session.commit()
    assert idea.hidden_at is not None


def test_only_facilitators_of_the_ideas_council_review(world):
    idea = hidden_idea(world)
    for outsider in (world.sibling_facilitator, world.teacher, world.other_child):
        with pytest.raises(PermissionDenied):
            operations.keep(outsider, IDEAS, idea)
        assert operations.review_queue(outsider) == []
    assert [e["item"] for e in operations.review_queue(world.street_facilitator)] == [idea]
    assert idea.hidden_at is not None


def test_the_queue_lists_hidden_items_first(world):
    quiet = world.published(title="第一个")
    flag(world, quiet, world.readers[0])
    loud = hidden_idea(world)
    assert [e["item"] for e in operations.review_queue(world.facilitator)] == [loud, quiet]
