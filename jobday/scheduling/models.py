"""Interviews: bookings, applications, wishes, shortlists, waiting lists, scheduler runs.

The database keeps the two rules that must never break, whatever the code does:

* one active booking per slot (partial unique index ``uq_bookings_slot_id_active``);
* one active booking per candidate and start time (``uq_bookings_candidate_id_starts_at_active``);
  overlaps with different start times and the gap between interviews are checked by the
  booking service under a lock on the candidate's registration row.

A booking's ``slot`` also carries ``held_by_candidate_id`` (the companies feature's marker
of a taken slot), set and cleared by the booking service in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobday.accounts.models import User
from jobday.companies.models import InterviewSlot, JobOffer, Participation
from jobday.db import Base, UTCDateTime, utcnow
from jobday.vocabulary import Vocabulary, VocabularyType, check_constraint


class BookingSource(Vocabulary):
    """Where a booking came from."""

    OPEN = "open", _l("Booked by the candidate")
    APPLY = "apply", _l("Booked after an accepted application")
    PROPOSAL = "proposal", _l("Proposed by the company")
    SCHEDULER = "scheduler", _l("Fair scheduler")
    WAITLIST = "waitlist", _l("From the waiting list")
    ORGANISER = "organiser", _l("Booked by an organiser")
    INVITATION = "invitation", _l("Invited by the company")  # from a lead or a match (jobday.leads)


class CancelReason(Vocabulary):
    """Why a booking ended."""

    CANDIDATE = "candidate", _l("Cancelled by the candidate")
    RECRUITER = "recruiter", _l("Cancelled by the company")
    WITHDRAWN = "withdrawn", _l("Registration withdrawn")
    PLAN = "plan", _l("Interview plan changed")
    RELEASED = "released", _l("Released to the waiting list")
    ORGANISER = "organiser", _l("Cancelled by an organiser")
    MOVED = "moved", _l("Moved")


class Outcome(Vocabulary):
    """What happened on the day."""

    HELD = "held", _l("Held"), "ok"
    NO_SHOW = "no_show", _l("No-show"), "bad"


(SOURCE_OPEN, SOURCE_APPLY, SOURCE_PROPOSAL, SOURCE_SCHEDULER, SOURCE_WAITLIST, SOURCE_ORGANISER,
 SOURCE_INVITATION) = BookingSource
(CANCEL_CANDIDATE, CANCEL_RECRUITER, CANCEL_WITHDRAWN, CANCEL_PLAN, CANCEL_RELEASED, CANCEL_ORGANISER,
 CANCEL_MOVED) = CancelReason
OUTCOME_HELD, OUTCOME_NO_SHOW = Outcome


class Booking(Base):
    """One candidate in one slot. Cancelled rows stay (with ``active`` false) for the
    calendar feed (a cancelled event) and the history; moving keeps the row (same UID)."""

    __tablename__ = "bookings"
    __table_args__ = (
        Index(
            "uq_bookings_slot_id_active",
            "slot_id",
            unique=True,
            sqlite_where=text("active"),
            postgresql_where=text("active"),
        ),
        Index(
            "uq_bookings_candidate_id_starts_at_active",
            "candidate_id",
            "starts_at",
            unique=True,
            sqlite_where=text("active"),
            postgresql_where=text("active"),
        ),
        Index("ix_bookings_edition_id_candidate_id", "edition_id", "candidate_id"),
        Index("ix_bookings_participation_id_active", "participation_id", "active"),
        check_constraint(Outcome, "outcome", "outcome_known", nullable=True),
        CheckConstraint("ends_at > starts_at", name="range_ordered"),
        check_constraint(BookingSource, "source", "source_known"),
        check_constraint(CancelReason, "cancel_reason", "cancel_reason_known", nullable=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"))
    participation_id: Mapped[int] = mapped_column(ForeignKey("participations.id", ondelete="CASCADE"))
    slot_id: Mapped[int] = mapped_column(ForeignKey("interview_slots.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # A copy of the slot's times: overlap and gap checks read the candidate's rows only.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    active: Mapped[bool] = mapped_column(default=True)
    source: Mapped[BookingSource] = mapped_column(VocabularyType(BookingSource, 20), default=SOURCE_OPEN)
    sequence: Mapped[int] = mapped_column(default=0)  # iCalendar SEQUENCE: +1 on every change
    outcome: Mapped[Outcome | None] = mapped_column(VocabularyType(Outcome, 10))
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancel_reason: Mapped[CancelReason | None] = mapped_column(VocabularyType(CancelReason, 20))

    slot: Mapped[InterviewSlot] = relationship()
    participation: Mapped[Participation] = relationship()
    candidate: Mapped[User] = relationship(foreign_keys=[candidate_id])

    def __repr__(self) -> str:
        return f"<Booking {self.id} slot={self.slot_id} candidate={self.candidate_id} active={self.active}>"


class InterviewPolicy(Base):
    """A company's own interview rule for one edition: how many interviews one candidate
    may have with it (default one)."""

    __tablename__ = "interview_policies"
    __table_args__ = (CheckConstraint("max_per_candidate BETWEEN 1 AND 10", name="max_range"),)

    participation_id: Mapped[int] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE"), primary_key=True
    )
    max_per_candidate: Mapped[int] = mapped_column(default=1)


class SlotState(Vocabulary):
    """A slot as the interview grids show it (not stored: read from the slot and its booking)."""

    FREE = "free", _l("free")
    BOOKED = "booked", _l("booked")
    MINE = "mine", _l("your interview")
    HELD = "held", _l("held")
    NO_SHOW = "no_show", _l("no-show")
    BLOCKED = "blocked", _l("break")
    OFFERED = "offered", _l("offered to the waiting list")


class ApplicationStatus(Vocabulary):
    PENDING = "pending", _l("To decide"), "warn"
    ACCEPTED = "accepted", _l("Accepted"), "ok"
    DECLINED = "declined", _l("Declined"), "bad"
    WITHDRAWN = "withdrawn", _l("Withdrawn"), "muted"

    @classmethod
    def decided_by_companies(cls) -> tuple[ApplicationStatus, ...]:
        return cls.PENDING, cls.ACCEPTED, cls.DECLINED


APP_PENDING, APP_ACCEPTED, APP_DECLINED, APP_WITHDRAWN = ApplicationStatus


class Application(Base):
    """A candidate applies to a company in apply-and-accept mode (optionally for one offer)."""

    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("participation_id", "candidate_id"),
        check_constraint(ApplicationStatus, "status", "status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    participation_id: Mapped[int] = mapped_column(ForeignKey("participations.id", ondelete="CASCADE"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("job_offers.id", ondelete="SET NULL"))
    motivation: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ApplicationStatus] = mapped_column(VocabularyType(ApplicationStatus, 10), default=APP_PENDING)
    decision_message: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A slot the recruiter proposes to an accepted candidate, until confirmed or withdrawn.
    proposed_slot_id: Mapped[int | None] = mapped_column(
        ForeignKey("interview_slots.id", ondelete="SET NULL")
    )
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    participation: Mapped[Participation] = relationship()
    candidate: Mapped[User] = relationship(foreign_keys=[candidate_id])
    offer: Mapped[JobOffer | None] = relationship()
    proposed_slot: Mapped[InterviewSlot | None] = relationship()


class Shortlist(Base):
    """A company marks a candidate it wants to meet (weighs in the fair scheduler)."""

    __tablename__ = "shortlists"

    participation_id: Mapped[int] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE"), primary_key=True
    )
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Wish(Base):
    """A candidate's ranked wish to meet a company during the wish window (rank 1 first)."""

    __tablename__ = "wishes"
    __table_args__ = (
        UniqueConstraint("candidate_id", "participation_id"),
        UniqueConstraint("edition_id", "candidate_id", "rank"),
        CheckConstraint("rank >= 1", name="rank_positive"),
        # A company's wish list is read by rank: a page reads the first ranks only.
        Index("ix_wishes_participation_id_rank", "participation_id", "rank"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    participation_id: Mapped[int] = mapped_column(ForeignKey("participations.id", ondelete="CASCADE"))
    rank: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    participation: Mapped[Participation] = relationship()


class AvailabilityPeriod(Vocabulary):
    ALL = "all", _l("All day")
    MORNING = "morning", _l("Morning only")
    AFTERNOON = "afternoon", _l("Afternoon only")


AVAILABLE_ALL, AVAILABLE_MORNING, AVAILABLE_AFTERNOON = AvailabilityPeriod


class Availability(Base):
    """When a candidate can be at the fair (for the scheduler); no row means all day."""

    __tablename__ = "availabilities"
    __table_args__ = (check_constraint(AvailabilityPeriod, "period", "period_known"),)

    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    period: Mapped[AvailabilityPeriod] = mapped_column(VocabularyType(AvailabilityPeriod, 10), default=AVAILABLE_ALL)


class WaitlistStatus(Vocabulary):
    WAITING = "waiting", _l("Waiting"), "warn"
    OFFERED = "offered", _l("Slot offered"), "ok"
    ACCEPTED = "accepted", _l("Slot accepted"), "ok"
    LEFT = "left", _l("Left the list"), "muted"
    EXPIRED = "expired", _l("Offer expired"), "bad"


WAITING, OFFERED, ACCEPTED, LEFT, EXPIRED = WaitlistStatus
WAITLIST_OPEN = (WAITING, OFFERED)


class WaitlistEntry(Base):
    """A candidate in a company's waiting list. Order: (joined_at, id). An ``offered``
    entry holds ``offered_slot_id`` until ``offer_expires_at``; an offer that expires
    passes the slot on and the entry goes back in line (keeping its place)."""

    __tablename__ = "waitlist_entries"
    __table_args__ = (
        Index(
            "uq_waitlist_entries_participation_id_candidate_id_open",
            "participation_id",
            "candidate_id",
            unique=True,
            sqlite_where=text("status IN ('waiting', 'offered')"),
            postgresql_where=text("status IN ('waiting', 'offered')"),
        ),
        Index(
            "uq_waitlist_entries_offered_slot_id_offered",
            "offered_slot_id",
            unique=True,
            sqlite_where=text("status = 'offered'"),
            postgresql_where=text("status = 'offered'"),
        ),
        Index("ix_waitlist_entries_participation_id_status", "participation_id", "status"),
        check_constraint(WaitlistStatus, "status", "status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"))
    participation_id: Mapped[int] = mapped_column(ForeignKey("participations.id", ondelete="CASCADE"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[WaitlistStatus] = mapped_column(VocabularyType(WaitlistStatus, 10), default=WAITING)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    offered_slot_id: Mapped[int | None] = mapped_column(ForeignKey("interview_slots.id", ondelete="SET NULL"))
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Slots whose offer this entry let expire: not offered to it again.
    passed_slot_ids: Mapped[list] = mapped_column(JSON, default=list)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    participation: Mapped[Participation] = relationship()
    candidate: Mapped[User] = relationship()
    offered_slot: Mapped[InterviewSlot | None] = relationship()


class CalendarFeed(Base):
    """The private calendar feed of a user: the URL's token is signed from ``version``;
    revoking draws a new version, so the old URL stops working."""

    __tablename__ = "calendar_feeds"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RunStatus(Vocabulary):
    RUNNING = "running", _l("Running"), "muted"
    PREVIEW = "preview", _l("Preview"), "warn"
    FAILED = "failed", _l("Failed"), "bad"
    PUBLISHED = "published", _l("Published"), "ok"
    DISCARDED = "discarded", _l("Discarded"), "muted"
    PUBLISHING = "publishing", _l("Being published"), "warn"


RUN_RUNNING, RUN_PREVIEW, RUN_FAILED, RUN_PUBLISHED, RUN_DISCARDED, RUN_PUBLISHING = RunStatus


class ScheduleRun(Base):
    """One run of the fair scheduler on an edition: its preview, then maybe its publication."""

    __tablename__ = "schedule_runs"
    __table_args__ = (check_constraint(RunStatus, "status", "status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    status: Mapped[RunStatus] = mapped_column(VocabularyType(RunStatus, 12), default=RUN_RUNNING)
    stats: Mapped[dict] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    assignments: Mapped[list[ScheduleAssignment]] = relationship(
        back_populates="run", cascade="all, delete-orphan", passive_deletes=True
    )


class ScheduleAssignment(Base):
    """An interview the scheduler proposes; ``locked`` ones are kept by the next run."""

    __tablename__ = "schedule_assignments"
    __table_args__ = (UniqueConstraint("run_id", "slot_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("schedule_runs.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    slot_id: Mapped[int] = mapped_column(ForeignKey("interview_slots.id", ondelete="CASCADE"))
    participation_id: Mapped[int] = mapped_column(ForeignKey("participations.id", ondelete="CASCADE"))
    locked: Mapped[bool] = mapped_column(default=False)

    run: Mapped[ScheduleRun] = relationship(back_populates="assignments")
    slot: Mapped[InterviewSlot] = relationship()
    candidate: Mapped[User] = relationship()
    participation: Mapped[Participation] = relationship()
