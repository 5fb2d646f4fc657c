"""``flask candidates ...`` commands: thin wrappers."""

from __future__ import annotations

import click
from flask_babel import ngettext

from jobday.web import attempt, cli_refusal


@click.group("candidates")
def candidates_group() -> None:
    """Candidates and their registrations."""


@candidates_group.command("expire-offers")
def expire_offers_command() -> None:
    """Expire waiting-list offers past their deadline and offer the places to the next in line."""
    from jobday.candidates.registration import expire_waitlist_offers

    with attempt(tell=cli_refusal):
        expired = expire_waitlist_offers()
    click.echo(ngettext("%(num)d offer expired.", "%(num)d offers expired.", expired))
