"""``flask badges print``: the organiser's print run from the command line, with a progress
bar; the same rules as the print page (badges brought up to date first, a reason for
reprints), recorded the same way."""

from __future__ import annotations

from pathlib import Path

import click
from babel.numbers import format_decimal
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from jobday.badges import printing
from jobday.badges.layouts import LAYOUTS, MAX_OFFSET_MM
from jobday.badges.models import BadgeRole
from jobday.formats import babel_locale
from jobday.web import attempt, cli_refusal

_offset = click.FloatRange(-MAX_OFFSET_MM, MAX_OFFSET_MM)


def _refusal(error) -> None:
    """A reprint without a reason says which option gives one (the page's words name no option)."""
    if isinstance(error, printing.ReprintNeedsReason):
        raise click.ClickException(
            f"{error.details.get('count', 'Some')} badge(s) of this selection were printed before and have "
            "not changed. Printing them again needs a reason, kept with the print record: add "
            '--reason "..." (e.g. --reason "printer jam"), or --only-new to print only new and changed badges.'
        ) from error
    cli_refusal(error)


@click.group("badges")
def badges_group() -> None:
    """Badges."""


@badges_group.command("print")
@click.option("--edition", "year", type=int, required=True, help="The edition's year.")
@click.option("--layout", type=click.Choice(list(LAYOUTS)), default="a4-8", show_default=True)
@click.option("--only-new", is_flag=True, help="Only badges new or changed since the last print.")
@click.option("--role", type=click.Choice(BadgeRole.codes()))
@click.option("--company-id", type=int)
@click.option("--offset-x", type=_offset, default=0.0, help="Calibration, mm to the right.")
@click.option("--offset-y", type=_offset, default=0.0, help="Calibration, mm down.")
@click.option("--reason", default="",
              help="Why badges printed before are printed again (required then; kept with the print record).")
@click.option("-o", "--output", required=True,
              type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def print_command(year, layout, only_new, role, company_id, offset_x, offset_y, reason, output):
    """Print the badges of an edition into one PDF.

    Badges printed before and unchanged are printed again only with --reason; --only-new
    leaves them out."""
    from jobday.editions.services import get_edition_by_year

    edition = get_edition_by_year(year)
    if edition is None:
        raise click.ClickException(_("No edition in %(year)d.", year=year))
    selection = printing.Selection(edition_id=edition.id, role=role, company_id=company_id,
                                   only_new=only_new)
    with attempt(tell=_refusal):
        badges = printing.prepare_print(selection, layout=layout, reason=reason, actor=None)
    label = ngettext("%(num)d badge", "%(num)d badges", len(badges))
    with click.progressbar(length=len(badges), label=label, show_pos=True) as bar:
        def progress(done: int, _total: int) -> None:
            bar.update(done - bar.pos)

        run = printing.render_badges(badges, edition, layout, offset=(offset_x, offset_y),
                                     progress=progress)
    output.write_bytes(run.pdf)
    with attempt(tell=cli_refusal):
        printing.record_print(badges, edition_id=edition.id, layout=layout, selection=selection.describe(),
                              reason=reason, actor_id=None)
    click.echo(_("%(badges)s, %(pages)s, %(seconds)s s: %(file)s",
                     badges=ngettext("%(num)d badge", "%(num)d badges", run.count),
                     pages=ngettext("%(num)d page", "%(num)d pages", run.pages),
                     seconds=format_decimal(round(run.seconds, 1), locale=babel_locale()), file=output))
    for name in run.overflow:
        click.echo(_("  does not fit: %(name)s", name=name), err=True)
