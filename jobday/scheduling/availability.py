"""A candidate's day as the booking rules see it, for whole lists of slots at once.

Every list of slots (the company page a candidate books from, the page that moves an
interview, a recruiter's "propose a slot") greys out the slots the booking would refuse
because of the candidate's other interviews, and says why: the same rule as
``booking.conflicts``, read with one query for the whole list.

    day = candidate_day(candidate.id, edition)             # ignore=booking when moving it
    clash = day.clash(slot)                                 # None, or why not
    clash.kind        # "overlap": another interview at that time; "gap": closer than the gap rule allows
    clash.company     # shown to the candidate only; a recruiter learns no other company
    day.full          # the edition's cap of interviews is reached: no slot at all
    proposal_problem(application, day, now)   # a company's proposal that became impossible, and why
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, select

from jobday.companies.models import SLOT_FREE, Company, Participation
from jobday.driver_sql import DriverStatement
from jobday.editions.models import Edition
from jobday.scheduling.booking import conflicts
from jobday.scheduling.models import Booking

OVERLAP, GAP = "overlap", "gap"
TAKEN, PAST = "taken", "past"  # a proposed slot someone else took (or the company closed), or gone by


@dataclass(frozen=True)
class Clash:
    kind: str  # OVERLAP or GAP
    starts_at: datetime  # the other interview
    ends_at: datetime
    company: str
    gap_minutes: int


class DayBooking(NamedTuple):
    """One of the candidate's interviews as the rules and the pages read it: four columns, not
    the booking (the company page, the most visited page of a booking rush, reads a day)."""

    id: int
    participation_id: int
    starts_at: datetime
    ends_at: datetime


@dataclass
class CandidateDay:
    bookings: list[tuple[DayBooking, str]]  # the candidate's active interviews, with their company's name
    gap_minutes: int
    cap: int

    @property
    def full(self) -> bool:
        return len(self.bookings) >= self.cap

    def clash(self, slot) -> Clash | None:
        """Why the candidate cannot take ``slot`` (anything with ``starts_at`` and ``ends_at``)."""
        return self._clash(slot, [booking for booking, _name in self.bookings],
                           {booking.id: name for booking, name in self.bookings})

    def _clash(self, slot, mine: list, names: dict[int, str]) -> Clash | None:
        found = conflicts(mine, slot.starts_at, slot.ends_at, self.gap_minutes)
        if not found:
            return None
        overlapping = [b for b in found if slot.starts_at < b.ends_at and b.starts_at < slot.ends_at]
        other = (overlapping or found)[0]
        return Clash(OVERLAP if overlapping else GAP, other.starts_at, other.ends_at, names[other.id],
                     self.gap_minutes)

    def clashes(self, slots) -> dict[int, Clash]:
        """``{slot.id: clash}`` for the slots of a list the candidate cannot take."""
        if not self.bookings:
            return {}
        mine = [booking for booking, _name in self.bookings]
        names = {booking.id: name for booking, name in self.bookings}
        found = {}
        for slot in slots:
            clash = self._clash(slot, mine, names)
            if clash is not None:
                found[slot.id] = clash
        return found


# Built once (the statement costs as much to build as to run), sent to the driver.
_DAY_QUERY = (
    select(Booking.id, Booking.participation_id, Booking.starts_at, Booking.ends_at, Company.name)
    .join(Participation, Participation.id == Booking.participation_id)
    .join(Company, Company.id == Participation.company_id)
    .where(Booking.candidate_id == bindparam("candidate_id"), Booking.edition_id == bindparam("edition_id"),
           Booking.active)
    .order_by(Booking.starts_at)
)
_DAY = DriverStatement(_DAY_QUERY)
_DAY_BUT_ONE = DriverStatement(_DAY_QUERY.where(Booking.id != bindparam("ignored_id")))


def candidate_day(candidate_id: int, edition: Edition, *, ignore: Booking | None = None) -> CandidateDay:
    """The candidate's interviews in ``edition`` (but ``ignore``, the one being moved)."""
    if ignore is None:
        found = _DAY.session_all(candidate_id=candidate_id, edition_id=edition.id)
    else:
        found = _DAY_BUT_ONE.session_all(candidate_id=candidate_id, edition_id=edition.id, ignored_id=ignore.id)
    rows = [(DayBooking(booking_id, participation_id, starts_at, ends_at), name)
            for booking_id, participation_id, starts_at, ends_at, name in found]
    return CandidateDay(rows, edition.interview_gap_minutes, edition.max_interviews_per_candidate)


def proposal_problem(application, day: CandidateDay, now: datetime) -> str | Clash | None:
    """Why the slot a company proposed can no longer be confirmed: TAKEN, PAST, the candidate's
    clash with it (they booked something at that time since), or None while it still can."""
    slot = application.proposed_slot
    if slot is None:
        return None
    if slot.starts_at <= now:
        return PAST
    if slot.status != SLOT_FREE or slot.held_by_candidate_id is not None:
        return TAKEN
    return day.clash(slot)
