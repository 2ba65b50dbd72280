"""Mail never leaves inside a request: it is queued in `mail_outbox` with the change, and `send-mail` sends it,
once, with retries that back off when the mail server fails."""

from __future__ import annotations

import email
import re
import smtplib
import socket
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from council.calendar import clock
from council.extensions import db
from council.notifications import outbox
from council.notifications.models import Notification, OutboxMail
from council.notifications.operations import notify
from council.reports.models import HelpRequest
from tests.concurrency import parallel
from tests.conftest import PASSWORD, kept_world
from tests.proposals.conftest import World

# --- local mail servers ---------------------------------------------------------------------------


class RefusingServer:
    """An SMTP server that is there but will not take mail: it answers 554 to every connection and hangs up."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopping.is_set():
            try:
                connection, _address = self.listener.accept()
            except TimeoutError:
                continue
            with connection:
                self.connections += 1
                connection.sendall(b"554 5.3.2 No mail service here\r\n")

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=5)
        self.listener.close()


class Mailbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


@pytest.fixture
def refusing():
    server = RefusingServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mailbox():
    from aiosmtpd.controller import Controller

    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=_free_port())
    controller.start()
    box.port = controller.port
    try:
        yield box
    finally:
        controller.stop()


# --- the world: a child in a community whose facilitator has an e-mail address ---------------------


@kept_world
def world(make):
    return World(make)


def ask_for_help(app):
    """A child asks an adult for help through the site: the facilitator fa@example.org gets a mail."""
    client = app.test_client()
    client.post("/login", data={"username": "author", "password": PASSWORD})
    page = client.get("/help?from=/ideas/").get_data(as_text=True)
    key = re.search(r'name="key" type="hidden" value="([^"]+)"', page).group(1)
    return client.post("/help", data={"kind": "adult", "message": "有人拿走了我的跳绳。", "key": key})


def send(runner, *args) -> str:
    result = runner.invoke(args=["send-mail", *args])
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


def the_mail() -> OutboxMail:
    db.session.expire_all()
    return db.session.scalars(select(OutboxMail)).one()


def outbox_files(app) -> list[Path]:
    folder = Path(app.config["MAIL_OUTBOX"])
    return sorted(folder.glob("*.eml")) if folder.exists() else []


# --- (a) the request only queues ------------------------------------------------------------------


def test_a_change_that_mails_an_adult_queues_one_mail_and_opens_no_connection(app, world, refusing, monkeypatch):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=refusing.port)
    opened = []
    monkeypatch.setattr(smtplib, "SMTP", lambda *args, **kwargs: opened.append(args) or pytest.fail("SMTP"))
    assert ask_for_help(app).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count(HelpRequest.id))) == 1
    mail = the_mail()
    assert (mail.recipient, mail.kind, mail.attempts, mail.sent_at) == ("fa@example.org", "help_request", 0, None)
    assert "/help-requests" in mail.body and "跳绳" not in mail.body  # a child's words never travel in a mail
    assert opened == [] and refusing.connections == 0 and outbox_files(app) == []


def test_a_change_rolled_back_queues_nothing(app, world):
    notify([world.facilitator], "help_request", council="甲社区儿童议事会")
    db.session.rollback()
    assert db.session.scalar(select(func.count(OutboxMail.id))) == 0
    assert db.session.scalar(select(func.count(Notification.id))) == 0


# --- (b) a failing server, (c) then a working one ---------------------------------------------------


def test_a_refusing_server_leaves_the_change_and_the_mail_waits_then_leaves_once(app, world, runner, refusing,
                                                                                   mailbox):
    start = clock.now()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=refusing.port)
    with clock.freeze(start):
        response = ask_for_help(app)
        assert response.status_code < 500
        db.session.expire_all()
        assert db.session.scalar(select(func.count(HelpRequest.id))) == 1  # the change stands
        assert refusing.connections == 0

        assert send(runner) == "sent 0, waiting 1, failed 0"
        mail = the_mail()
        assert refusing.connections == 1
        assert mail.attempts == 1 and mail.sent_at is None
        assert "SMTPConnectError" in mail.last_error and "554" in mail.last_error
        assert mail.next_attempt_at == start + timedelta(minutes=1) > clock.now()

        assert send(runner) == "sent 0, waiting 1, failed 0"  # not due yet: not tried again
        assert refusing.connections == 1 and the_mail().attempts == 1

    app.config["MAIL_PORT"] = mailbox.port
    with clock.freeze(start + timedelta(minutes=2)):
        assert send(runner) == "sent 1, waiting 0, failed 0"
        mail = the_mail()
        assert mail.sent_at == start + timedelta(minutes=2) and mail.last_error is None and mail.attempts == 2
    with clock.freeze(start + timedelta(hours=5)):
        assert send(runner) == "sent 0, waiting 0, failed 0"
    assert len(mailbox.messages) == 1
    message = mailbox.messages[0]
    assert message["To"] == "fa@example.org" and message["Message-ID"].startswith(f"<outbox-{mail.id}-")
    assert "/help-requests" in message.get_payload(decode=True).decode()
    assert refusing.connections == 1


def test_the_wait_doubles_and_the_mail_is_given_up_on_after_the_last_attempt(app, world, runner, refusing):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=refusing.port, MAIL_MAX_ATTEMPTS=3)
    assert [outbox.backoff(n).total_seconds() / 60 for n in range(1, 11)] == [1, 2, 4, 8, 16, 32, 64, 128, 240, 240]
    moment = clock.now()
    with clock.freeze(moment):
        notify([world.facilitator], "help_request", council="甲社区儿童议事会")
        db.session.commit()
    waits = []
    for summary in ("sent 0, waiting 1, failed 0", "sent 0, waiting 1, failed 0", "sent 0, waiting 0, failed 1"):
        with clock.freeze(moment):
            assert send(runner) == summary
        mail = the_mail()
        waits.append(mail.next_attempt_at - moment)
        moment = mail.next_attempt_at
    assert waits[:2] == [timedelta(minutes=1), timedelta(minutes=2)]
    assert refusing.connections == 3

    with clock.freeze(moment + timedelta(days=1)):
        assert send(runner) == "sent 0, waiting 0, failed 1"  # given up: no more attempts
        assert refusing.connections == 3
        listed = runner.invoke(args=["send-mail", "--failed"])
        assert "fa@example.org" in listed.stdout and "3 attempts" in listed.stdout and "554" in listed.stdout

        app.config.update(MAIL_SERVER=None)  # the operator fixed the mail settings
        result = runner.invoke(args=["send-mail", "--retry-failed"])
        assert "put 1 failed mails back" in result.stdout and "sent 1, waiting 0, failed 0" in result.stdout
    assert len(outbox_files(app)) == 1


# --- overlapping runs -----------------------------------------------------------------------------


def test_a_mail_claimed_by_one_run_is_not_sent_by_another(app, world, mailbox):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=mailbox.port)
    notify([world.facilitator], "help_request", council="甲社区儿童议事会")
    db.session.commit()
    mail_id = the_mail().id
    assert outbox._claim(mail_id) is True
    assert outbox._claim(mail_id) is False  # a run that listed it too finds it taken
    assert outbox.send_due() == {"sent": 0, "waiting": 1, "failed": 0}
    assert mailbox.messages == []


def test_two_runs_at_the_same_moment_send_every_mail_exactly_once(app, make, mailbox):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=mailbox.port)
    adults = [make.adult(email=f"adult{i}@example.org") for i in range(12)]
    notify(adults, "help_request", council="区儿童议事会")
    db.session.commit()

    def run():
        with app.app_context():
            return outbox.send_due()["sent"]

    assert sum(parallel([run, run])) == 12
    recipients = sorted(message["To"] for message in mailbox.messages)
    assert recipients == sorted(f"adult{i}@example.org" for i in range(12))
    db.session.expire_all()
    assert db.session.scalar(select(func.count(OutboxMail.id)).where(OutboxMail.attempts != 1)) == 0


# --- (d) without a mail server: files in the outbox folder ------------------------------------------


def test_without_a_mail_server_send_mail_writes_each_mail_to_the_outbox_folder_once(app, world, runner):
    assert app.config["MAIL_SERVER"] is None
    assert ask_for_help(app).status_code == 302
    assert outbox_files(app) == []  # nothing is written in the request
    assert send(runner) == "sent 1, waiting 0, failed 0"
    files = outbox_files(app)
    assert len(files) == 1
    message = email.message_from_bytes(files[0].read_bytes())
    assert message["To"] == "fa@example.org"
    assert "/help-requests" in message.get_payload(decode=True).decode()
    assert send(runner) == "sent 0, waiting 0, failed 0"
    assert outbox_files(app) == files


def test_sent_mails_are_deleted_after_the_keeping_time(app, world, runner):
    notify([world.facilitator], "help_request", council="甲社区儿童议事会")
    db.session.commit()
    assert send(runner) == "sent 1, waiting 0, failed 0"
    with clock.freeze(clock.now() + timedelta(days=outbox.KEEP_SENT_DAYS - 1)):
        send(runner)
        assert db.session.scalar(select(func.count(OutboxMail.id))) == 1
    with clock.freeze(clock.now() + timedelta(days=outbox.KEEP_SENT_DAYS + 1)):
        send(runner)
        assert db.session.scalar(select(func.count(OutboxMail.id))) == 0
