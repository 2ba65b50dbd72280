"""``flask --app council setup --district FILE``: a new installation for a district, from its file
(council/districts/operations.py; the shape is council/static/schemas/district.schema.json)."""

from __future__ import annotations

from pathlib import Path

import click
from flask_babel import gettext as _


def init_app(app) -> None:
    @app.cli.command("setup")
    @click.option("--district", "path", required=True,
                  type=click.Path(exists=True, dir_okay=False, path_type=Path),
                  help="The district file (.yaml or .json): profile, councils, units, coordinator and plan.")
    def setup_command(path: Path) -> None:
        """Set up the district of FILE on an empty database (its tables are made first), all in one transaction:
        its profile, its councils, units and plan, and the office's first coordinator, who gets a one-time
        set-password link (printed here). Refuses, changing nothing, when the database already holds a district or
        the file has problems."""
        from flask_migrate import upgrade

        from council.districts.operations import read_district, set_up
        from council.errors import DomainError
        from council.extensions import db
        from council.i18n import in_language

        upgrade()  # a new installation's database gets its tables first; one already up to date is left as it is
        try:
            done = set_up(read_district(path.name, path.read_bytes()), base=path.parent)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from error
        profile = done.profile
        click.echo(_("Set up %(name)s (%(title)s), clock zone %(zone)s.", name=profile.name,
                     title=profile.platform_title, zone=profile.time_zone))
        click.echo(_("Councils: %(n)s", n=len(done.councils)))
        for council in done.councils:
            click.echo(f"  {council.code} {in_language(council.name, council.name_en, False)}")
        click.echo(_("Units: %(n)s", n=len(done.units)))
        for unit in done.units:
            click.echo(f"  {unit.name}" + (f" ({unit.name_en})" if unit.name_en else ""))
        click.echo(_("Plan: %(title)s, %(n)s tasks", title=done.plan.title, n=done.tasks))
        click.echo(_("Coordinator: %(username)s (%(name)s)", username=done.coordinator.username,
                     name=done.coordinator.display_name))
        click.echo(_("Their one-time link to choose a password (give it to them; it is not shown again):"))
        click.echo(done.link)
