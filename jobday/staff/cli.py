"""``flask purge``, ``flask backup``, ``flask restore``, ``flask reminders send``: thin wrappers
(top-level commands: the staff feature's ``init_app`` adds ``COMMANDS``)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from flask_babel import gettext as _
from flask_babel import ngettext

from jobday.extensions import db
from jobday.formats import format_datetime
from jobday.web import attempt, cli_refusal


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Only say what would be erased.")
@click.option("--export", "export_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write what will be erased to this zip first (default: instance/purge/).")
def purge_command(dry_run: bool, export_path: Path | None) -> None:
    """Erase the data whose retention period has passed, after exporting it."""
    from jobday.staff.retention import apply_purge, plan_purge, write_export

    plan = plan_purge()
    click.echo(_("Due for erasure: %(what)s.", what=plan.describe()))
    if plan.empty:
        return
    path = write_export(plan, export_path)
    click.echo(_("Exported to %(path)s.", path=path))
    if dry_run:
        db.session.rollback()
        return
    with attempt(tell=cli_refusal):
        apply_purge(plan, actor=None)
    click.echo(_("Erased."))


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Back up the database and the uploads into one .tar.gz (safe while the app runs)."""
    from jobday.staff.backup import make_backup

    click.echo(_("Backup written to %(path)s.", path=make_backup(path)))


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(path: Path) -> None:
    """Restore a backup into an empty database (run ``flask db upgrade`` afterwards)."""
    from jobday.staff.backup import RestoreRefused, restore_backup

    try:
        manifest = restore_backup(path)
    except RestoreRefused as error:
        raise click.ClickException(str(error)) from error
    click.echo(_("Restored the backup of %(when)s.", when=format_datetime(
        datetime.fromisoformat(manifest["created_at"]), "long")))


@click.group("reminders")
def reminders_group() -> None:
    """E-mail reminders to registered candidates."""


@reminders_group.command("send")
@click.option("--kind", type=click.Choice(["eve", "morning"]), required=True)
@click.option("--year", type=int, help="The edition (default: the current one).")
def send_reminders_command(kind: str, year: int | None) -> None:
    """Send the eve (badge and agenda attached) or morning reminder; each person once."""
    from jobday.editions.services import current_edition, get_edition_by_year
    from jobday.staff.reminders import send_reminders

    edition = get_edition_by_year(year) if year else current_edition()
    if edition is None:
        raise click.ClickException(_("No such edition."))
    queued = send_reminders(edition, kind)
    click.echo(ngettext("%(num)d reminder queued.", "%(num)d reminders queued.", queued))


COMMANDS = (purge_command, backup_command, restore_command, reminders_group)
