"""Dashboard figures of one edition, each one SQL aggregation (GROUP BY), never a loop over rows.

The number of queries is fixed (one per figure), whatever the size of the edition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, distinct, exists, func, select

from jobday.badges.models import ACTIVE as BADGE_ACTIVE
from jobday.badges.models import Badge
from jobday.candidates.models import (
    CandidateJobArea,
    CandidateProfile,
    Registration,
    RegistrationStatus,
)
from jobday.collation import collated
from jobday.companies.models import (
    Company,
    InterviewSlot,
    InterviewTable,
    Participation,
)
from jobday.editions.models import Edition
from jobday.extensions import db
from jobday.scheduling.models import Booking
from jobday.staff import checkin_bridge

REGISTERED = str(RegistrationStatus.REGISTERED)


@dataclass
class CompanyFill:
    company: str
    slots: int
    booked: int

    @property
    def rate(self) -> int:
        return round(100 * self.booked / self.slots) if self.slots else 0


@dataclass
class Dashboard:
    edition: Edition
    previous: Edition | None
    # (days before the fair, cumulative registrations), oldest first
    curve: list[tuple[int, int]] = field(default_factory=list)
    previous_curve: list[tuple[int, int]] = field(default_factory=list)
    by_level: list[tuple[str, int]] = field(default_factory=list)
    by_area: list[tuple[str, int]] = field(default_factory=list)
    by_region: list[tuple[str, int]] = field(default_factory=list)
    companies_by_status: list[tuple[str, int]] = field(default_factory=list)
    fill: list[CompanyFill] = field(default_factory=list)
    registered: int = 0
    withdrawn: int = 0
    without_interview: int = 0
    bookings: int = 0
    badges_active: int = 0
    badges_printed: int = 0
    arrivals: int | None = None  # None: the door feature is not installed


def _day(column):
    return func.date(column)


def registration_curve(edition: Edition) -> list[tuple[int, int]]:
    """Cumulative registrations by day, keyed by days before the fair (negative = before): the
    people registered now, by the day they registered, so that its last point is the headline
    figure (people who withdrew since are counted apart, in ``Dashboard.withdrawn``)."""
    day = _day(Registration.registered_at)
    rows = db.session.execute(
        select(day, func.count()).where(Registration.edition_id == edition.id,
                                        Registration.status == REGISTERED,
                                        Registration.registered_at.is_not(None))
        .group_by(day).order_by(day)).all()
    curve, total = [], 0
    for value, count in rows:  # one row per day, not per candidate
        total += count
        as_date = value if isinstance(value, date) else date.fromisoformat(str(value))
        curve.append(((as_date - edition.starts_on).days, total))
    return curve


def _grouped(column, edition: Edition, join=None) -> list[tuple[str, int]]:
    statement = select(column, func.count()).select_from(Registration)
    statement = statement.join(CandidateProfile, CandidateProfile.user_id == Registration.user_id)
    if join is not None:
        statement = statement.join(join, join.user_id == Registration.user_id)
    rows = db.session.execute(
        statement.where(Registration.edition_id == edition.id, Registration.status == REGISTERED)
        .group_by(column).order_by(func.count().desc(), column)).all()
    return [(value or "", count) for value, count in rows]


def company_fill(edition: Edition) -> list[CompanyFill]:
    slots = (select(InterviewTable.participation_id.label("pid"), func.count(InterviewSlot.id).label("n"))
             .join(InterviewSlot, InterviewSlot.table_id == InterviewTable.id)
             .group_by(InterviewTable.participation_id).subquery())
    booked = (select(Booking.participation_id.label("pid"), func.count(Booking.id).label("n"))
              .where(Booking.edition_id == edition.id, Booking.active.is_(True))
              .group_by(Booking.participation_id).subquery())
    rows = db.session.execute(
        select(Company.name, func.coalesce(slots.c.n, 0), func.coalesce(booked.c.n, 0))
        .select_from(Participation).join(Company, Company.id == Participation.company_id)
        .outerjoin(slots, slots.c.pid == Participation.id).outerjoin(booked, booked.c.pid == Participation.id)
        .where(Participation.edition_id == edition.id, Participation.status == "approved")
        .order_by(collated(Company.name), Company.id)).all()
    return [CompanyFill(name, n_slots, n_booked) for name, n_slots, n_booked in rows]


def build_dashboard(edition: Edition) -> Dashboard:
    previous = db.session.scalar(select(Edition).where(Edition.year == edition.year - 1))
    board = Dashboard(edition=edition, previous=previous)
    board.curve = registration_curve(edition)
    board.previous_curve = registration_curve(previous) if previous else []
    board.by_level = _grouped(CandidateProfile.education_level, edition)
    board.by_area = _grouped(CandidateJobArea.area, edition, join=CandidateJobArea)
    board.by_region = _grouped(CandidateProfile.region, edition)
    board.companies_by_status = [tuple(row) for row in db.session.execute(
        select(Participation.status, func.count()).where(Participation.edition_id == edition.id)
        .group_by(Participation.status).order_by(Participation.status))]
    board.fill = company_fill(edition)
    has_booking = exists().where(Booking.candidate_id == Registration.user_id,
                                 Booking.edition_id == edition.id, Booking.active.is_(True))
    registered, without, bookings = db.session.execute(
        select(func.count(), func.sum(case((~has_booking, 1), else_=0)),
               select(func.count(Booking.id)).where(Booking.edition_id == edition.id, Booking.active.is_(True))
               .scalar_subquery())
        .where(Registration.edition_id == edition.id, Registration.status == REGISTERED)).one()
    board.registered, board.without_interview, board.bookings = registered, without or 0, bookings or 0
    board.withdrawn = db.session.scalar(select(func.count()).where(
        Registration.edition_id == edition.id, Registration.status == str(RegistrationStatus.WITHDRAWN))) or 0
    active, printed = db.session.execute(
        select(func.count(), func.sum(case((Badge.printed_at.is_not(None), 1), else_=0)))
        .where(Badge.edition_id == edition.id, Badge.status == BADGE_ACTIVE)).one()
    board.badges_active, board.badges_printed = active, printed or 0
    scan = checkin_bridge.scan_model()
    if scan is not None:
        board.arrivals = db.session.scalar(
            select(func.count(distinct(scan.badge_id))).where(scan.edition_id == edition.id,
                                                             scan.result == "ok"))
    return board
