"""Commands for operators: ``flask --app council seed [--demo]``."""

from __future__ import annotations

import click

from council.extensions import db


def init_app(app) -> None:
    from council.privacy.cli import init_app as privacy_commands

    privacy_commands(app)

    @app.cli.command("seed")
    @click.option("--demo", is_flag=True, help="Also add demo councils, accounts and content (never in production).")
    def seed_command(demo: bool) -> None:
        """Load the councils, the action plan and its units; safe to run again."""
        from council.demo import seed_demo
        from council.seed import seed_reference

        seed_reference()
        if demo:
            seed_demo()
        db.session.commit()
        click.echo("seeded reference data" + (" and demo content" if demo else ""))

    @app.cli.command("remind")
    def remind_command() -> None:
        """Mail unit staff about tasks near or past due and the coordinator a daily digest; close answered
        ideas nobody reopened in time. Safe to run as often as cron likes: nothing is sent twice."""
        from council.tasks.reminders import remind

        sent = remind()
        click.echo(f"reminded {sent['tasks']} tasks, sent {sent['digests']} digests, closed {sent['closed']} ideas")
