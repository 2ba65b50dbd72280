"""The mail outbox: mail is queued in the database with the change that causes it, and leaves later.

A request only adds an ``OutboxMail`` row to its own transaction (``queue``), so a mail server that is down or
slow never turns a committed change into an error, and a change that is rolled back sends nothing.
``flask --app council send-mail``, run by cron every minute, sends what is due (``send_due``): through SMTP when
MAIL_SERVER is set, otherwise as a file in instance/outbox/ (MAIL_OUTBOX), so nothing is lost in development.

Each mail is claimed with a conditional UPDATE before it is sent and committed as sent right after, so two runs
that overlap never send the same mail, and a mail sent is never sent again. A failed attempt waits 1, 2, 4, 8 …
minutes (at most MAIL_RETRY_MAX_MINUTES) before the next; after MAIL_MAX_ATTEMPTS the mail is given up on and
stays in the table with its last error (``send-mail --failed`` lists them, ``--retry-failed`` tries again)."""

from __future__ import annotations

import secrets
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, select, update

from council.calendar import clock
from council.extensions import db
from council.notifications.models import OutboxMail

# Settings an operator may put in instance/config.py; these are their defaults.
MAX_ATTEMPTS = 10  # MAIL_MAX_ATTEMPTS: attempts before a mail is given up on
RETRY_MAX_MINUTES = 240  # MAIL_RETRY_MAX_MINUTES: the longest wait between two attempts
TIMEOUT_SECONDS = 30  # MAIL_TIMEOUT: how long one SMTP step may take before the attempt fails
KEEP_SENT_DAYS = 30  # MAIL_KEEP_SENT_DAYS: sent mails are deleted from the table after this many days

# While one run sends a mail, it is not due for others; longer than any attempt can take with MAIL_TIMEOUT.
LEASE = timedelta(minutes=15)
ERROR_LENGTH = 500


def _setting(key: str, default: int) -> int:
    value = current_app.config.get(key)
    return default if value in (None, "") else int(value)


def max_attempts() -> int:
    return _setting("MAIL_MAX_ATTEMPTS", MAX_ATTEMPTS)


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: 1, 2, 4, 8 … minutes, capped."""
    cap = _setting("MAIL_RETRY_MAX_MINUTES", RETRY_MAX_MINUTES)
    return timedelta(minutes=min(2 ** min(max(attempts - 1, 0), 20), cap))


def queue(recipient: str, subject: str, body: str, kind: str = "mail") -> OutboxMail:
    """Add a mail to the current transaction; it leaves with the next ``send-mail`` after the commit."""
    now = clock.now()
    mail = OutboxMail(kind=kind[:48], recipient=recipient, subject=subject[:200], body=body,
                      created_at=now, next_attempt_at=now, attempts=0)
    db.session.add(mail)
    return mail


def message_of(mail: OutboxMail) -> EmailMessage:
    from council.districts import current

    sender = current().mail_from  # MAIL_FROM, or the district's platform name (council/districts)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.created_at)
    # The same on every attempt, so a mail that did leave before a crash is recognised as a duplicate.
    message["Message-ID"] = f"<outbox-{mail.id}-{int(mail.created_at.timestamp())}@{domain}>"
    message.set_content(mail.body)
    return message


def deliver(message: EmailMessage, name: str | None = None) -> None:
    """Send one message now: SMTP when MAIL_SERVER is set; otherwise a file in the outbox folder. Raises
    ``smtplib.SMTPException`` or ``OSError`` when it fails."""
    config = current_app.config
    server = config.get("MAIL_SERVER")
    if server:
        with smtplib.SMTP(server, int(config.get("MAIL_PORT") or 25),
                          timeout=_setting("MAIL_TIMEOUT", TIMEOUT_SECONDS)) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
        return
    folder = Path(config.get("MAIL_OUTBOX") or Path(current_app.instance_path) / "outbox")
    folder.mkdir(parents=True, exist_ok=True)
    stamp = clock.local_now().strftime("%Y%m%d-%H%M%S-%f")
    (folder / f"{stamp}-{name or secrets.token_hex(4)}.eml").write_bytes(bytes(message))


def _waiting(now: datetime | None = None):
    """Unsent and not given up on; with ``now``, only those due at that instant."""
    conditions = [OutboxMail.sent_at.is_(None), OutboxMail.attempts < max_attempts()]
    if now is not None:
        conditions.append(OutboxMail.next_attempt_at <= now)
    return conditions


def _given_up():
    return [OutboxMail.sent_at.is_(None), OutboxMail.attempts >= max_attempts()]


def _claim(mail_id: int) -> bool:
    """Take one due mail for this run: counts the attempt and pushes it a lease ahead. Only the run whose UPDATE
    touched the row sends it; a run that overlaps finds it no longer due."""
    now = clock.now()
    claimed = db.session.execute(
        update(OutboxMail).where(OutboxMail.id == mail_id, *_waiting(now))
        .values(attempts=OutboxMail.attempts + 1, next_attempt_at=now + LEASE)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return claimed == 1


def send_due(limit: int | None = None, report=None) -> dict[str, int]:
    """Send the mails that are due, oldest first, committing after each. ``report(line)`` hears of failures.
    Returns {"sent": sent in this run, "waiting": still to send, "failed": given up on (all, not only now)}."""
    report = report or (lambda line: None)
    keep = _setting("MAIL_KEEP_SENT_DAYS", KEEP_SENT_DAYS)
    db.session.execute(delete(OutboxMail).where(OutboxMail.sent_at < clock.now() - timedelta(days=keep))
                       .execution_options(synchronize_session=False))
    due = list(db.session.scalars(select(OutboxMail.id).where(*_waiting(clock.now()))
                                  .order_by(OutboxMail.next_attempt_at, OutboxMail.id).limit(limit)))
    db.session.commit()  # no transaction stays open while mail goes out
    sent = 0
    for mail_id in due:
        if not _claim(mail_id):
            continue  # another run has it, or sent it
        mail = db.session.get(OutboxMail, mail_id)
        try:
            deliver(message_of(mail), name=str(mail.id))
        except (smtplib.SMTPException, OSError, ValueError) as error:
            mail.last_error = (f"{type(error).__name__}: {error}")[:ERROR_LENGTH]
            mail.next_attempt_at = clock.now() + backoff(mail.attempts)
            if mail.attempts >= max_attempts():
                report(f"gave up on mail {mail.id} to {mail.recipient} after {mail.attempts} attempts: "
                       f"{mail.last_error}")
            else:
                report(f"mail {mail.id} to {mail.recipient} failed (attempt {mail.attempts}), next try at "
                       f"{mail.next_attempt_at:%Y-%m-%d %H:%M} UTC: {mail.last_error}")
        else:
            mail.sent_at = clock.now()
            mail.last_error = None
            sent += 1
        db.session.commit()
    return {"sent": sent, **counts()}


def counts() -> dict[str, int]:
    count = select(func.count(OutboxMail.id))
    return {"waiting": db.session.scalar(count.where(*_waiting())) or 0,
            "failed": db.session.scalar(count.where(*_given_up())) or 0}


def given_up() -> list[OutboxMail]:
    """The mails no longer tried, oldest first, each with its last error."""
    return list(db.session.scalars(select(OutboxMail).where(*_given_up()).order_by(OutboxMail.id)))


def retry_given_up() -> int:
    """Put the mails given up on back in the queue (after the mail server is fixed): they are due at once."""
    retried = db.session.execute(
        update(OutboxMail).where(*_given_up()).values(attempts=0, next_attempt_at=clock.now())
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return retried
