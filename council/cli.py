"""Commands for operators: ``flask --app council seed [--demo]``."""

from __future__ import annotations

import click

from council.extensions import db


def init_app(app) -> None:
    from council.privacy.cli import init_app as privacy_commands

    privacy_commands(app)

    @app.cli.command("seed")
    @click.option("--demo", is_flag=True, help="Also add demo councils, accounts and content (never in production).")
    @click.option("--scale", type=click.IntRange(min=1), default=None,
                  help="With --demo: add a synthetic district of about N×1,000 ideas for benchmarks (once).")
    def seed_command(demo: bool, scale: int | None) -> None:
        """Load the councils, the action plan and its units; safe to run again."""
        from council.demo import seed_demo
        from council.seed import seed_reference

        if scale and not demo:
            raise click.UsageError("--scale needs --demo: it builds on the demo district.")
        seed_reference()
        if demo:
            seed_demo()
        db.session.commit()
        click.echo("seeded reference data" + (" and demo content" if demo else ""))
        if scale:
            import time

            from council.scale import seed_scale

            started = time.monotonic()
            added = seed_scale(scale)
            db.session.commit()
            if not added:
                click.echo("the synthetic district is there already; nothing added")
                return
            click.echo(f"scale {scale}: " + ", ".join(f"{v} {k}" for k, v in added.items())
                       + f" in {time.monotonic() - started:.0f} s")

    @app.cli.command("remind")
    def remind_command() -> None:
        """Mail unit staff about tasks near or past due and the coordinator a daily digest; close answered
        ideas nobody reopened in time. Safe to run as often as cron likes: nothing is sent twice."""
        from council.tasks.reminders import remind

        sent = remind()
        click.echo(f"reminded {sent['tasks']} tasks, sent {sent['digests']} digests, closed {sent['closed']} ideas")
