"""The candidate's agenda (page, PDF, .ics) and the private calendar feeds of candidates and
recruiters (a secret URL, revocable)."""

from __future__ import annotations

from flask import abort, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from jobday.companies.access import membership_of
from jobday.companies.services import participation_for
from jobday.db import utcnow
from jobday.editions.services import current_edition
from jobday.editions.web import edition_or_404
from jobday.scheduling import agenda, booking_queries, ics, waitlist
from jobday.scheduling import booking as bookings
from jobday.scheduling.views.blueprint import (
    bp,
    calendar_response,
    candidate_required,
    no_edition_yet,
    settle_offers,
)
from jobday.scheduling.views.feed_links import private_feed_url
from jobday.web import attempt, submitted_or_400


@bp.get("/interviews/agenda", endpoint="agenda")
@candidate_required
def agenda_page():
    edition = current_edition()
    if edition is None:
        return no_edition_yet(_("My agenda"))
    settle_offers(edition)
    now = utcnow()
    return render_template(
        "scheduling/agenda.html",
        edition=edition,
        items=booking_queries.agenda_items(current_user.id, edition.id),
        entries=waitlist.with_positions(waitlist.entries_of(current_user.id, edition.id)),
        changes_open=bookings.changes_open(edition, now),
        deadline=bookings.changes_deadline(edition),
        feed_url=private_feed_url(current_user.id),
        now=now,
    )


@bp.get("/interviews/agenda.pdf")
@candidate_required
def agenda_pdf():
    edition = edition_or_404()
    response = make_response(agenda.agenda_pdf(current_user, edition))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="agenda-{edition.year}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/interviews/agenda.ics")
@candidate_required
def agenda_ics():
    edition = edition_or_404()
    return calendar_response(
        agenda.candidate_calendar(current_user, edition), f"interviews-{edition.year}.ics"
    )


@bp.post("/calendar/feed")
@login_required
def renew_feed():
    submitted_or_400()
    with attempt(_("Your private calendar address is ready. Any earlier address no longer works.")):
        ics.create_or_renew_feed(current_user)
    return redirect(_back(), code=303)


@bp.post("/calendar/feed/revoke")
@login_required
def revoke_feed():
    submitted_or_400()
    with attempt(_("Your private calendar address no longer works.")):
        ics.revoke_feed(current_user)
    return redirect(_back(), code=303)


def _back() -> str:
    if membership_of(current_user) is not None:
        return url_for("scheduling.day")
    return url_for("scheduling.agenda")


@bp.get("/calendar/<token>.ics")
def feed(token: str):
    """The private feed: no login (calendar apps cannot log in), the token is the key."""
    user = ics.user_for_token(token)
    edition = current_edition()
    if user is None or edition is None:
        abort(404)
    member = membership_of(user)
    if member is not None:
        participation = participation_for(member.company, edition)
        if participation is None:
            abort(404)
        body = agenda.company_calendar(participation)
    else:
        body = agenda.candidate_calendar(user, edition)
    response = make_response(body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
