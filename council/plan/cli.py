"""``flask --app council plan export FILE`` and ``plan load FILE``: the action plan as a file (plan/files.py)."""

from __future__ import annotations

from pathlib import Path

import click
from flask_babel import gettext as _


def init_app(app) -> None:
    @app.cli.group("plan")
    def plan_group() -> None:
        """The district's action plan as a file: export it, preview a file of it, or apply one as a new version."""

    @plan_group.command("export")
    @click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
    def export_command(path: Path) -> None:
        """Write the current plan to PATH: .json (council/static/schemas/plan.schema.json) or .xlsx (a row a
        task)."""
        from council.plan.files import document_json, plan_document, plan_workbook
        from council.plan.queries import current_plan

        if path.suffix.lower() not in (".json", ".xlsx"):
            raise click.UsageError(_("Export to a file ending in .json or .xlsx."))
        plan = current_plan()
        if plan is None:
            raise click.ClickException(_("There is no plan yet: run “flask --app council seed” first."))
        path.write_bytes(plan_workbook(plan) if path.suffix.lower() == ".xlsx" else document_json(plan_document(plan)))
        click.echo(_("Wrote %(path)s.", path=path))

    @plan_group.command("load")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--apply", "apply_", is_flag=True,
                  help="Apply the file as a new version of the plan, which becomes the current plan (earlier "
                       "versions are kept). Refused, changing nothing, when the preview finds a problem or the "
                       "file is the current plan already.")
    @click.option("--title", help="The plan's title, where the file has none (a sheet) or to replace it.")
    @click.option("--document-no", help="The plan's document number, e.g. 周政办字〔2026〕3号.")
    @click.option("--issued-on", type=click.DateTime(formats=["%Y-%m-%d"]),
                  help="The plan's date of issue, YYYY-MM-DD, where the file has none.")
    def load_command(path: Path, apply_: bool, title: str | None, document_no: str | None, issued_on) -> None:
        """Read PATH (.json, .xlsx, .txt as the official document's text, or .yaml) and print what it holds: the
        counts, each task with its lead units found or unknown, and the problems. Changes nothing without --apply;
        with it, applies the file as a new version (council/plan/operations.py)."""
        from council.errors import DomainError
        from council.extensions import db
        from council.plan.files import PlanFileError, preview, read_plan
        from council.plan.operations import apply_document, with_details

        try:
            document = with_details(read_plan(path.name, path.read_bytes()), title=title, document_no=document_no,
                                    issued_on=issued_on.date() if issued_on else None)
            shown = preview(document)
        except DomainError as error:
            raise click.ClickException(error.message) from error
        document = shown.document
        click.echo(" · ".join(str(document[key]) for key in ("title", "document_no", "issued_on", "code", "version")
                              if document[key] is not None))
        click.echo(_("%(areas)s areas, %(actions)s actions, %(tasks)s tasks", areas=shown.areas,
                     actions=shown.actions, tasks=shown.task_count))
        for task in shown.tasks:
            click.echo(f"{task.area_no}.{task.action_no}.{task.no} {task.title}")
            click.echo("    " + _("Lead units: %(names)s", names="、".join(u.name for u in task.lead_units) or "—"))
            if task.unknown_units:
                click.echo("    " + _("Unknown units: %(names)s", names="、".join(task.unknown_units)))
            for target in task.targets:
                click.echo("    " + _("Target: %(target)s", target=target))
        click.echo(_("Problems: %(n)s", n=len(shown.problems)))
        for problem in shown.problems:
            click.echo(f"- {problem}")
        if not apply_:
            click.echo(_("Nothing was changed."))
            return
        try:
            plan = apply_document(document, actor=None)
        except PlanFileError as refused:
            db.session.rollback()
            raise click.ClickException("\n".join([*refused.problems, _("Nothing was changed.")])) from refused
        except DomainError as refused:
            db.session.rollback()
            raise click.ClickException(refused.message) from refused
        db.session.commit()
        click.echo(_("Version %(version)s is now the current plan (%(code)s). Map the earlier tasks to its tasks on "
                     "the plan's page.", version=plan.version, code=plan.code))
