from pathlib import Path

from council.extensions import db
from council.notifications.outbox import send_due
from council.proposals.models import ProposalState
from council.tasks import operations
from council.tasks.models import Grade
from council.tasks.reminders import remind
from tests.tasks.conftest import at


def mails(app) -> list[str]:
    """The mails as they leave: reminders wait in the outbox table until ``send-mail`` runs."""
    send_due()
    folder = Path(app.config["MAIL_OUTBOX"])
    return sorted(p.read_text() for p in folder.glob("*.eml")) if folder.exists() else []


def clear(app) -> None:
    send_due()
    for path in Path(app.config["MAIL_OUTBOX"]).glob("*.eml"):
        path.unlink()


def test_overdue_tasks_are_reminded_once_and_the_office_gets_one_digest_a_day(app, office):
    overdue = office.routed(now=at("2026-03-02"))  # acknowledge by 5 March
    office.routed(now=at("2026-03-09"), title="刚派出的建议", lead=1)
    clear(app)
    sent = remind(now=at("2026-03-09"))
    assert sent == {"tasks": 1, "digests": 1, "closed": 0, "messages": 0}
    texts = mails(app)
    staff_mail = [t for t in texts if "To: staff0@example.org" in t]
    assert len(staff_mail) == 1 and "/tasks/" in staff_mail[0]
    assert any("coord@example.org" in t for t in texts)
    assert not any("staff1@example.org" in t for t in texts)  # not due yet
    clear(app)
    assert remind(now=at("2026-03-09", hour=8)) == {"tasks": 0, "digests": 0, "closed": 0, "messages": 0}
    assert mails(app) == []
    assert remind(now=at("2026-03-10"))["digests"] == 1  # a new day, a new digest
    assert overdue.state is ProposalState.routed


def test_a_task_becoming_very_overdue_is_reminded_again(app, office):
    office.routed(now=at("2026-01-05"))
    assert remind(now=at("2026-01-12"))["tasks"] == 1  # overdue
    assert remind(now=at("2026-01-13"))["tasks"] == 0
    assert remind(now=at("2026-04-01"))["tasks"] == 1  # very overdue now


def test_reply_due_soon_is_reminded(app, office):
    proposal = office.routed(now=at("2026-03-02"))
    task = operations.tasks_of(proposal)[0]
    operations.acknowledge(task, office.staff[0], now=at("2026-03-03"))
    db.session.commit()
    assert remind(now=at("2026-03-20"))["tasks"] == 0
    assert remind(now=at("2026-03-27"))["tasks"] == 1  # 30 March is the reply date: three working days


def test_answered_ideas_nobody_reopens_close_by_themselves(app, office):
    proposal = office.routed(now=at("2026-03-02"))
    task = operations.tasks_of(proposal)[0]
    operations.acknowledge(task, office.staff[0], now=at("2026-03-03"))
    operations.reply(task, office.staff[0], grade=Grade.A, summary="路灯已经修好了，晚上可以看清路了，谢谢你！",
                     now=at("2026-03-04"))
    db.session.commit()
    assert remind(now=at("2026-03-10"))["closed"] == 0
    assert remind(now=at("2026-03-20"))["closed"] == 1
    assert proposal.state is ProposalState.closed


def test_remind_command_runs_twice_safely(runner, office):
    office.routed(now=at("2026-03-02"))
    first = runner.invoke(args=["remind"])
    second = runner.invoke(args=["remind"])
    assert first.exit_code == 0 and "reminded 1 tasks" in first.output
    assert "reminded 0 tasks, sent 0 digests" in second.output
