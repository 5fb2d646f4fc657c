"""The candidate's printable agenda (PDF through WeasyPrint) and the calendar events of a
candidate or a company: adapters that render, like the badge PDFs and the e-mails."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from jobday.accounts.models import User
from jobday.companies.models import Company, Participation
from jobday.editions.models import Edition
from jobday.extensions import db
from jobday.pdf_lock import rendering
from jobday.scheduling import booking_queries
from jobday.scheduling.ics import CalendarEvent, build_calendar


class _NoFetcher(URLFetcher):
    """The agenda needs nothing from outside: every URL is refused."""

    def fetch(self, url: str, headers=None):
        raise ValueError(f"no external resources in the agenda: {url[:100]}")


def agenda_pdf(user: User, edition: Edition) -> bytes:
    items = booking_queries.agenda_items(user.id, edition.id)
    html = render_template("scheduling/agenda_pdf.html", user=user, edition=edition, items=items)
    with rendering():
        return HTML(string=html, url_fetcher=_NoFetcher()).write_pdf()


def _location(edition: Edition, company: str, table: str, stand: str) -> str:
    where = f"{company}, {table}"
    if stand:
        where += ", " + _("stand %(stand)s", stand=stand)
    return f"{where} · {edition.venue_name}" if edition.venue_name else where


def candidate_calendar(user: User, edition: Edition) -> bytes:
    events = [
        CalendarEvent(
            booking_id=item.booking.id,
            sequence=item.booking.sequence,
            starts_at=item.booking.starts_at,
            ends_at=item.booking.ends_at,
            summary=_("Interview: %(company)s", company=item.company),
            location=_location(edition, item.company, item.table, item.stand),
            description=_("%(edition)s, %(address)s", edition=edition.name, address=edition.venue_address),
            cancelled=not item.booking.active,
            stamp=item.booking.updated_at,
        )
        for item in booking_queries.agenda_items(user.id, edition.id, include_cancelled=True)
    ]
    return build_calendar(events, name=_("My interviews at %(edition)s", edition=edition.name))


def company_calendar(participation: Participation) -> bytes:
    edition = participation.edition
    company = db.session.get(Company, participation.company_id)
    events = [
        CalendarEvent(
            booking_id=booking.id,
            sequence=booking.sequence,
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
            summary=_("Interview: %(candidate)s", candidate=booking.candidate.display_name),
            location=_location(edition, company.name, booking.table, participation.stand or ""),
            description=edition.name,
            cancelled=not booking.active,
            stamp=booking.updated_at,
        )
        for booking in booking_queries.company_calendar_bookings(participation.id)
    ]
    return build_calendar(
        events, name=_("%(company)s interviews at %(edition)s", company=company.name, edition=edition.name)
    )


def booking_calendar(booking, *, company: str, table: str, stand: str, edition: Edition) -> bytes:
    """One interview as a calendar file, for the e-mail that books, moves or cancels it.

    Same UID and SEQUENCE as in the feed, so a calendar updates the event it already has.
    """
    event = CalendarEvent(
        booking_id=booking.id,
        sequence=booking.sequence,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        summary=_("Interview: %(company)s", company=company),
        location=_location(edition, company, table, stand),
        description=_("%(edition)s, %(address)s", edition=edition.name, address=edition.venue_address),
        cancelled=not booking.active,
        stamp=booking.updated_at,
    )
    return build_calendar([event], name=edition.name)
