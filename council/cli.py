"""Commands for operators: ``flask --app council seed [--demo]``, ``remind``, ``send-mail``."""

from __future__ import annotations

import click

from council.db import analyse
from council.extensions import db


def init_app(app) -> None:
    from council.plan.cli import init_app as plan_commands
    from council.privacy.cli import init_app as privacy_commands

    privacy_commands(app)
    plan_commands(app)  # plan export / plan load
    from council.districts.cli import init_app as district_commands

    district_commands(app)  # setup --district FILE

    @app.cli.command("seed")
    @click.option("--demo", is_flag=True, help="Also add demo councils, accounts and content (never in production).")
    @click.option("--scale", type=click.IntRange(min=1), default=None,
                  help="With --demo: add a synthetic district of about N×1,000 ideas for benchmarks (once).")
    def seed_command(demo: bool, scale: int | None) -> None:
        """Load the councils, the action plan and its units; safe to run again."""
        from council.seed import seed_reference

        if scale and not demo:
            raise click.UsageError("--scale needs --demo: it builds on the demo district.")
        seed_reference()
        if demo:
            from council.demo import seed_demo  # the demo package: only imported here and in bench mode

            seed_demo()
        db.session.commit()
        click.echo("seeded reference data" + (" and demo content" if demo else ""))
        if scale:
            import time

            from council.demo.scale import seed_scale

            started = time.monotonic()
            added = seed_scale(scale)
            db.session.commit()
            if not added:
                click.echo("the synthetic district is there already; nothing added")
            else:
                click.echo(f"scale {scale}: " + ", ".join(f"{v} {k}" for k, v in added.items())
                           + f" in {time.monotonic() - started:.0f} s")
        analyse()  # once, after everything the command loaded

    @app.cli.command("remind")
    def remind_command() -> None:
        """Mail unit staff about tasks near or past due and the coordinator a daily digest; close answered
        ideas nobody reopened in time. Safe to run as often as cron likes: nothing is sent twice."""
        from council.tasks.reminders import remind

        sent = remind()
        click.echo(f"reminded {sent['tasks']} tasks, sent {sent['digests']} digests, closed {sent['closed']} ideas, "
                   f"mailed {sent['messages']} daily message digests")

    @app.cli.command("send-mail")
    @click.option("--limit", type=click.IntRange(min=1), default=500, show_default=True,
                  help="Send at most this many mails in this run; the rest wait for the next.")
    @click.option("--failed", "list_failed", is_flag=True,
                  help="Only list the mails given up on, with their last error; send nothing.")
    @click.option("--retry-failed", is_flag=True,
                  help="Put the mails given up on back in the queue (once the mail server is fixed), then send.")
    def send_mail_command(limit: int, list_failed: bool, retry_failed: bool) -> None:
        """Send the mails that are due from the outbox: SMTP when MAIL_SERVER is set, otherwise files in
        instance/outbox/. For cron, every minute; overlapping runs never send a mail twice."""
        from council.notifications import outbox

        if list_failed:
            for mail in outbox.given_up():
                click.echo(f"{mail.id}\t{mail.created_at:%Y-%m-%d %H:%M} UTC\t{mail.recipient}\t"
                           f"{mail.attempts} attempts\t{mail.last_error or ''}")
            click.echo(f"failed {outbox.counts()['failed']}")
            return
        if retry_failed:
            click.echo(f"put {outbox.retry_given_up()} failed mails back in the queue")
        result = outbox.send_due(limit=limit, report=lambda line: click.echo(line, err=True))
        click.echo(f"sent {result['sent']}, waiting {result['waiting']}, failed {result['failed']}")
