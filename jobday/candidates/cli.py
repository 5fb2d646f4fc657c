"""``flask candidates ...`` commands (attached to the blueprint's CLI group): thin wrappers."""

from __future__ import annotations

import click

from jobday.extensions import db


@click.command("expire-offers")
def expire_offers_command() -> None:
    """Expire waiting-list offers past their deadline and offer the places to the next in line."""
    from jobday.candidates.registration import expire_waitlist_offers

    expired = expire_waitlist_offers()
    db.session.commit()
    click.echo(f"{expired} offer(s) expired.")
