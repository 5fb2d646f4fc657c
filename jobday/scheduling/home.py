"""The interviews section of the candidate's home page (candidates cannot import
scheduling, so they ask their providers)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, or_, select

from jobday.candidates.home import HomeSection
from jobday.candidates.models import RegistrationStatus
from jobday.companies.home import CompanySection
from jobday.db import utcnow, written_in
from jobday.driver_sql import DriverStatement
from jobday.scheduling import booking_queries, wishes
from jobday.scheduling.models import APP_PENDING, WAITLIST_OPEN, Application, Booking, WaitlistEntry
from jobday.scheduling.todo import candidate_todo


def interviews_section(user, edition, registration) -> HomeSection | None:
    """What needs the candidate's action first (a slot offered from a waiting list until its
    deadline, a proposal to confirm, an accepted application without a slot, the wish list while
    it is open), then their applications with their state and their next interviews."""
    if edition is None or registration is None or registration.status != RegistrationStatus.REGISTERED:
        return None
    now = utcnow()
    items = booking_queries.agenda_items(user.id, edition.id)
    booked_at = {item.booking.participation_id for item in items}
    todo = candidate_todo(user.id, edition.id)
    return HomeSection(
        "scheduling/_home_section.html",
        {
            "edition": edition,
            "next_items": [item for item in items if item.booking.ends_at > now],
            "offers": todo.offers,
            "applications": todo.applications,
            "to_book": [line for line in todo.applications
                        if line.status == "accepted" and line.participation_id not in booked_at],
            "wishes": todo.wishes,
            "wishes_open": wishes.wish_window_open(edition, now),
        },
    )


def withdrawal_section(user, edition, registration) -> HomeSection | None:
    """What withdrawing from the edition cancels: the candidate's interviews."""
    if registration is None or registration.status != RegistrationStatus.REGISTERED:
        return None
    items = booking_queries.agenda_items(user.id, edition.id)
    return HomeSection("scheduling/_withdraw_section.html", {"items": items}) if items else None


def recruiter_section(participation) -> CompanySection:
    """The counts a recruiter acts on, on the company page: applications to decide, interviews
    today, candidates on the waiting list (one query)."""
    edition = participation.edition
    zone = ZoneInfo(edition.timezone)
    today = utcnow().astimezone(zone).date()
    day_starts = datetime.combine(today, time.min, tzinfo=zone)
    to_decide, today_count, waiting = _RECRUITER_COUNTS.session_first(
        participation_id=participation.id, day_starts=day_starts, day_ends=day_starts + timedelta(days=1))
    return CompanySection("scheduling/_company_home_section.html", {
        "to_decide": to_decide, "today": today_count, "waiting": waiting})


# Built once (building it cost more than running it).
_RECRUITER_COUNTS = DriverStatement(select(
    select(func.count(Application.id)).where(Application.participation_id == bindparam("participation_id"),
                                             Application.status == APP_PENDING).scalar_subquery(),
    select(func.count(Booking.id)).where(Booking.participation_id == bindparam("participation_id"), Booking.active,
                                         Booking.starts_at >= bindparam("day_starts"),
                                         Booking.starts_at < bindparam("day_ends")).scalar_subquery(),
    select(func.count(WaitlistEntry.id)).where(WaitlistEntry.participation_id == bindparam("participation_id"),
                                               or_(*(WaitlistEntry.status == written_in(status)
                                                     for status in WAITLIST_OPEN))).scalar_subquery(),
))
