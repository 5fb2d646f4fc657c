"""``flask --app jobday gate-token --edition YEAR --gate A``: a new gate device token."""

from __future__ import annotations

import click
from flask_babel import gettext as _

from jobday.checkin.devices import create_device
from jobday.editions.services import get_edition_by_year
from jobday.formats import format_datetime
from jobday.web import attempt, cli_refusal


@click.command("gate-token")
@click.option("--edition", "year", type=int, required=True, help="The edition's year.")
@click.option("--gate", required=True, help="The gate, e.g. A.")
@click.option("--label", default="", help="A note, e.g. the phone's name.")
def gate_token(year: int, gate: str, label: str) -> None:
    """Print a new token for a scanner at GATE (shown once; it expires after the edition)."""
    edition = get_edition_by_year(year)
    if edition is None:
        raise click.ClickException(_("No edition in %(year)d.", year=year))
    with attempt(tell=cli_refusal):
        device, token = create_device(edition, gate, actor=None, label=label)
    click.echo(token)
    click.echo(_("Device %(id)d, gate %(gate)s, valid until %(when)s.", id=device.id, gate=device.gate,
                 when=format_datetime(device.expires_at, "long")), err=True)
