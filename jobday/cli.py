"""Flask CLI commands: thin wrappers over services; each owns its transaction."""

from __future__ import annotations

from datetime import date

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from jobday.extensions import db
from jobday.formats import format_date
from jobday.security import Role
from jobday.web import attempt, cli_refusal


@click.command("create-admin")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--first-name", default="")
@click.option("--last-name", default="")
@with_appcontext
def create_admin_command(email: str, password: str, first_name: str, last_name: str) -> None:
    """Create an organiser account (or give the organiser role to an existing one)."""
    from jobday.accounts.services import create_admin

    with attempt(tell=cli_refusal):
        user = create_admin(email, password, first_name=first_name, last_name=last_name)
    click.echo(_("Organiser ready: %(email)s", email=user.email))


@click.group("edition")
def edition_group() -> None:
    """Create and list editions."""


@edition_group.command("create")
@click.option("--year", type=int, required=True)
@click.option("--starts-on", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--ends-on", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--name")
@click.option("--venue", default="")
@click.option("--capacity", type=click.IntRange(min=1))
@with_appcontext
def create_edition_command(year, starts_on, ends_on, name, venue, capacity) -> None:
    """Create an edition; registration and booking windows are derived from its date."""
    from jobday.editions.services import create_edition

    with attempt(tell=cli_refusal):
        edition = create_edition(year=year, name=name, starts_on=starts_on.date(),
                                 ends_on=ends_on.date() if ends_on else None, venue_name=venue,
                                 capacity=capacity)
    click.echo(_("Created %(edition)s (%(date)s).", edition=edition.name, date=format_date(edition.starts_on)))


@edition_group.command("list")
@with_appcontext
def list_editions_command() -> None:
    from sqlalchemy import select

    from jobday.editions.models import Edition
    from jobday.editions.services import current_edition

    current = current_edition()
    for edition in db.session.scalars(select(Edition).order_by(Edition.year)):
        marker = "*" if current and edition.id == current.id else " "
        click.echo(f"{marker} {edition.year}  {edition.name}  {format_date(edition.starts_on)}")


@click.command("seed-demo")
@click.option("--candidates", default=1200, show_default=True, type=click.IntRange(min=0))
@click.option("--companies", default=60, show_default=True, type=click.IntRange(min=0, max=60))
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has users.")
@click.option("--year", type=int, help="Year of the demo edition (default: next fair's year).")
@with_appcontext
def seed_demo_command(candidates: int, companies: int, if_empty: bool, year: int | None) -> None:
    """Build a realistic demo edition, the same every time, and print the demo logins."""
    from jobday.demo.seed import DEMO_PASSWORD, database_is_empty, seed_demo

    if if_empty and not database_is_empty():
        click.echo(_("The database already holds data: demo seeding skipped."))
        summary = None
    else:
        with attempt(tell=cli_refusal):
            summary = seed_demo(candidates=candidates, companies=companies, year=year or _default_year())
        click.echo(summary.describe())
    _print_logins(DEMO_PASSWORD if summary or if_empty else None)


def _default_year() -> int:
    today = date.today()
    return today.year + 1 if today.month >= 6 else today.year


def _print_logins(password: str | None) -> None:
    from jobday.demo.seed import DEMO_LOGINS

    click.echo(_("Demo logins (password for all: %(password)s):", password=password))
    for role, email in DEMO_LOGINS:
        click.echo(f"  {Role(role).label:<20} {email}")


@click.group("mail")
def mail_group() -> None:
    """The e-mail outbox."""


@mail_group.command("send-pending")
@with_appcontext
def send_pending_command() -> None:
    """Send the e-mails still waiting in the outbox (e.g. after an SMTP outage)."""
    from jobday.mail.services import deliver_pending

    sent = deliver_pending()
    click.echo(ngettext("%(num)d e-mail sent.", "%(num)d e-mails sent.", sent))


def register_cli(app: Flask) -> None:
    for command in (create_admin_command, edition_group, seed_demo_command, mail_group):
        app.cli.add_command(command)
