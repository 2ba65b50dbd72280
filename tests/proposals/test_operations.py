import pytest
from sqlalchemy import select

from council.accounts.operations import ConsentRequired
from council.audit.models import Event
from council.errors import DomainError, PermissionDenied
from council.extensions import db
from council.notifications.models import Notification
from council.notifications.outbox import send_due
from council.proposals import operations
from council.proposals.models import EditStatus, ProposalState, RejectReason

S = ProposalState


def events_of(proposal):
    return db.session.scalars(select(Event).where(Event.subject_type == "proposals",
                                                  Event.subject_id == proposal.id).order_by(Event.id)).all()


def test_child_starts_a_draft_in_own_council_or_above(world):
    proposal = operations.start_draft(world.author, world.district)
    assert proposal.state is S.draft and proposal.authors == [world.author]
    with pytest.raises(PermissionDenied):
        operations.start_draft(world.author, world.community_b)


def test_child_without_consent_cannot_start_an_idea(world):
    with pytest.raises(ConsentRequired):
        operations.start_draft(world.waiting_child, world.community_a)


def test_draft_keeps_whatever_was_typed(world):
    proposal = operations.start_draft(world.author, world.community_a)
    operations.save_draft(proposal, world.author, title="", problem="只写了一半")
    db.session.commit()
    assert proposal.problem == "只写了一半"
    assert operations.problems(proposal).keys() >= {"title", "idea", "topic"}


def test_submit_needs_the_required_parts(world):
    proposal = operations.start_draft(world.author, world.community_a)
    with pytest.raises(DomainError):
        operations.submit(proposal, world.author)
    assert proposal.state is S.draft


def test_submit_records_event_and_notifies_author_and_screeners(world, app):
    proposal = world.submitted()
    assert proposal.state is S.submitted
    event = events_of(proposal)[-1]
    assert (event.action, event.from_state, event.to_state, event.actor_id) == (
        "proposal_submitted", "draft", "submitted", world.author.id)
    kinds = {(n.account_id, n.kind) for n in db.session.scalars(select(Notification))}
    assert (world.author.id, "proposal_submitted") in kinds
    assert (world.facilitator.id, "proposal_to_screen") in kinds
    assert send_due() == {"sent": 1, "waiting": 0, "failed": 0}  # queued with the change; `send-mail` sends it
    mails = list((__import__("pathlib").Path(app.config["MAIL_OUTBOX"])).glob("*.eml"))
    assert len(mails) == 1 and "fa@example.org" in mails[0].read_text()


PUBLISHERS = [("facilitator", True), ("street_facilitator", True), ("coordinator", True),
              ("sibling_facilitator", False), ("teacher", False), ("other_child", False), ("author", False)]


@pytest.mark.parametrize(("who", "allowed"), PUBLISHERS)
def test_who_may_publish(world, who, allowed):
    proposal = world.submitted()
    actor = getattr(world, who)
    if allowed:
        operations.publish(proposal, actor)
        assert proposal.state is S.published
    else:
        with pytest.raises(PermissionDenied):
            operations.publish(proposal, actor)
        assert proposal.state is S.submitted


@pytest.mark.parametrize(("who", "allowed"), PUBLISHERS)
def test_who_may_return(world, who, allowed):
    proposal = world.submitted()
    actor = getattr(world, who)
    if allowed:
        operations.return_to_author(proposal, actor, "请写清楚在哪里。")
        assert proposal.state is S.returned
    else:
        with pytest.raises(PermissionDenied):
            operations.return_to_author(proposal, actor, "请写清楚在哪里。")


@pytest.mark.parametrize(("who", "allowed"), PUBLISHERS)
def test_who_may_reject(world, who, allowed):
    proposal = world.submitted()
    actor = getattr(world, who)
    if allowed:
        operations.reject(proposal, actor, RejectReason.inappropriate, "这里不适合讨论这个。")
        assert proposal.state is S.rejected
    else:
        with pytest.raises(PermissionDenied):
            operations.reject(proposal, actor, RejectReason.inappropriate, "这里不适合讨论这个。")


@pytest.mark.parametrize(("who", "allowed"), [("author", True), ("other_child", False), ("facilitator", False),
                                               ("teacher", False)])
def test_who_may_submit_and_withdraw(world, who, allowed):
    proposal = world.draft()
    actor = getattr(world, who)
    if allowed:
        operations.submit(proposal, actor)
        operations.withdraw(proposal, actor, "不想要了")
        assert proposal.state is S.withdrawn
    else:
        with pytest.raises(PermissionDenied):
            operations.submit(proposal, actor)
        with pytest.raises(PermissionDenied):
            operations.withdraw(proposal, actor)


@pytest.mark.parametrize(("state_of", "action"), [
    ("draft", "publish"), ("draft", "return"), ("draft", "reject"),
    ("published", "publish"), ("published", "return"), ("published", "submit"),
    ("rejected", "submit"), ("rejected", "withdraw"), ("withdrawn", "submit"), ("returned", "publish"),
])
def test_illegal_transitions_are_refused_clearly(world, state_of, action):
    proposal = world.draft()
    if state_of != "draft":
        operations.submit(proposal, world.author)
    if state_of == "published":
        operations.publish(proposal, world.facilitator)
    elif state_of == "rejected":
        operations.reject(proposal, world.facilitator, RejectReason.inappropriate, "不适合")
    elif state_of == "withdrawn":
        operations.withdraw(proposal, world.author)
    elif state_of == "returned":
        operations.return_to_author(proposal, world.facilitator, "请改一改")
    before = proposal.state
    calls = {
        "publish": lambda: operations.publish(proposal, world.facilitator),
        "return": lambda: operations.return_to_author(proposal, world.facilitator, "理由"),
        "reject": lambda: operations.reject(proposal, world.facilitator, RejectReason.inappropriate, "理由"),
        "submit": lambda: operations.submit(proposal, world.author),
        "withdraw": lambda: operations.withdraw(proposal, world.author),
    }
    with pytest.raises(DomainError) as refused:
        calls[action]()
    assert refused.value.message
    assert proposal.state is before


def test_returned_idea_is_edited_and_resubmitted(world):
    proposal = world.submitted()
    operations.return_to_author(proposal, world.facilitator, "请写清楚是哪个公园。",
                                suggestions={"place": "幸福公园东门"})
    assert proposal.state is S.returned and proposal.state_reason == "请写清楚是哪个公园。"
    (edit,) = proposal.edits
    assert (edit.status, edit.original, edit.edited) == (EditStatus.suggested, "小区门口", "幸福公园东门")
    operations.accept_suggestion(edit, world.author, accept=True)
    assert proposal.place == "幸福公园东门" and edit.status is EditStatus.accepted
    operations.submit(proposal, world.author)
    assert [e.action for e in events_of(proposal)][-3:] == [
        "proposal_returned", "suggestion_accepted", "proposal_resubmitted"]


def test_return_and_reject_need_a_reason(world):
    proposal = world.submitted()
    with pytest.raises(DomainError):
        operations.return_to_author(proposal, world.facilitator, "  ")
    with pytest.raises(DomainError):
        operations.reject(proposal, world.facilitator, RejectReason.inappropriate, "")
    assert proposal.state is S.submitted


def test_duplicate_rejection_links_the_original(world):
    original = world.published()
    copy = world.submitted(title="秋千")
    with pytest.raises(DomainError):
        operations.reject(copy, world.facilitator, RejectReason.duplicate, "一样的", duplicate_of=None)
    operations.reject(copy, world.facilitator, RejectReason.duplicate, "已经有人提过", duplicate_of=original)
    assert copy.duplicate_of == original and copy.reject_reason is RejectReason.duplicate


def test_wrong_council_rejection_suggests_another(world):
    proposal = world.submitted()
    with pytest.raises(DomainError):
        operations.reject(proposal, world.facilitator, RejectReason.wrong_council, "应该给街道")
    operations.reject(proposal, world.facilitator, RejectReason.wrong_council, "应该给街道",
                      suggested_council=world.street_a)
    assert proposal.suggested_council == world.street_a


def test_facilitator_edit_keeps_the_childs_words(world):
    proposal = world.submitted(problem="电话 13812345678 找我")
    operations.publish(proposal, world.facilitator, edits={"problem": "电话（已删除）找我"})
    assert proposal.problem == "电话（已删除）找我"
    (edit,) = proposal.edits
    assert edit.original == "电话 13812345678 找我" and edit.status is EditStatus.applied


def test_flags_find_personal_data_in_any_field(world):
    proposal = world.submitted(place="幸福路12号", problem="打我电话 138-1234-5678")
    found = operations.flags(proposal)
    assert {f.kind.value for f in found["problem"]} == {"mobile"}
    assert {f.kind.value for f in found["place"]} == {"address"}


def test_listed_words_are_flagged(world):
    from council.proposals.models import ScreeningWord

    db.session.add(ScreeningWord(word="笨蛋"))
    proposal = world.submitted(problem="有人叫我笨蛋")
    assert [f.kind.value for f in operations.flags(proposal)["problem"]] == ["word"]


def test_teacher_writes_for_a_class(world):
    proposal = operations.start_draft(world.teacher, world.community_a, authors=[world.author, world.other_child])
    assert proposal.on_behalf and proposal.authors == [world.author, world.other_child]
    assert operations.is_author(proposal, world.teacher)
    with pytest.raises(ConsentRequired):
        operations.start_draft(world.teacher, world.community_a, authors=[world.waiting_child])
    with pytest.raises(PermissionDenied):
        operations.start_draft(world.teacher, world.community_b, authors=[world.sibling_child])


def test_every_transition_writes_the_event_log(world):
    proposal = world.submitted()
    operations.return_to_author(proposal, world.facilitator, "改一改")
    operations.submit(proposal, world.author)
    operations.publish(proposal, world.facilitator)
    operations.withdraw(proposal, world.author)
    assert [(e.from_state, e.to_state) for e in events_of(proposal) if e.to_state] == [
        (None, "draft"), ("draft", "submitted"), ("submitted", "returned"), ("returned", "submitted"),
        ("submitted", "published"), ("published", "withdrawn")]
