"""``flask --app council purge [--dry-run]``, for cron (e.g. nightly)."""

from __future__ import annotations

import click

from council.extensions import db


def init_app(app) -> None:
    @app.cli.command("purge")
    @click.option("--dry-run", is_flag=True, help="Count what would be deleted, change nothing.")
    def purge_command(dry_run: bool) -> None:
        """Carry out due deletion requests, delete child accounts unused for CHILD_RETENTION_DAYS or grown up
        long ago, remove stored files nothing refers to. Safe to run as often as cron likes."""
        from council.privacy.operations import purge

        counts = purge(dry_run=dry_run)
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
        click.echo(("would delete: " if dry_run else "deleted: ") + ", ".join([
            f"{counts['requests']} requested deletions",
            f"{counts['inactive']} unused child accounts",
            f"{counts['grown_up']} grown-up accounts",
            f"{counts['files']} unreferenced files",
            f"{counts['stray_files']} stray files on disk",
        ]))
