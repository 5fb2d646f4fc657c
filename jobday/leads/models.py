"""Leads: the candidates a company met at its stand, and what its recruiters note of them.

The database keeps the rules that must hold under a rush of scans:

* one lead per company, candidate and edition (``uq_leads_edition_id``): two recruiters
  scanning the same badge at the same moment find one lead (``INSERT ... ON CONFLICT DO
  NOTHING`` on SQLite and PostgreSQL alike);
* one scan row per recruiter and nonce (``uq_lead_scans_scope``): a retried request or an
  offline queue sent twice records the scan once;
* one pending invitation per company and candidate.

A lead's ``version`` grows with every edit: a form sent from an older page is refused rather
than silently overwriting a colleague's change.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobday.accounts.models import User
from jobday.companies.models import Company, InterviewSlot, JobOffer, Participation
from jobday.db import Base, UTCDateTime, utcnow
from jobday.leads.vocabulary import (
    InvitationKind,
    InvitationSource,
    InvitationStatus,
    LeadField,
    LeadState,
    check_in,
)

NOTE_MAX = 5000
TAG_MAX = 40

lead_tag_links = Table(
    "lead_tag_links",
    Base.metadata,
    Column("lead_id", ForeignKey("leads.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("lead_tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class LeadTag(Base):
    """One of a company's own tags (e.g. "Profil prioritaire"); a name exists once per company."""

    __tablename__ = "lead_tags"
    __table_args__ = (UniqueConstraint("company_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(TAG_MAX))
    name_key: Mapped[str] = mapped_column(String(TAG_MAX))  # case-folded: "Stage" and "stage" are one tag
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Lead(Base):
    __tablename__ = "leads"
    __table_args__ = (
        UniqueConstraint("edition_id", "company_id", "candidate_id"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_range"),
        CheckConstraint(check_in("state", LeadState), name="state_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    first_scanned_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_scanned_at: Mapped[datetime] = mapped_column(UTCDateTime())
    first_scanned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    last_scanned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    scan_count: Mapped[int] = mapped_column(default=1)
    rating: Mapped[int | None]
    state: Mapped[str] = mapped_column(String(20), default=LeadState.TO_CONTACT)
    note: Mapped[str] = mapped_column(Text, default="")
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("job_offers.id", ondelete="SET NULL"))
    # The candidate took the company's access back: the lead keeps the name only.
    access_withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    share_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    candidate: Mapped[User] = relationship(foreign_keys=[candidate_id])
    company: Mapped[Company] = relationship()
    offer: Mapped[JobOffer | None] = relationship()
    first_scanned_by: Mapped[User | None] = relationship(foreign_keys=[first_scanned_by_id])
    last_scanned_by: Mapped[User | None] = relationship(foreign_keys=[last_scanned_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    tags: Mapped[list[LeadTag]] = relationship(secondary=lead_tag_links, order_by=LeadTag.name_key)

    @property
    def is_withdrawn(self) -> bool:
        return self.access_withdrawn_at is not None

    @property
    def state_label(self):
        return LeadState(self.state).label


class LeadScan(Base):
    """One scan of a candidate's badge at the stand. ``scope`` ("u<recruiter id>") + ``nonce``
    is unique, so a retried or re-synced scan finds its row instead of counting twice."""

    __tablename__ = "lead_scans"
    __table_args__ = (UniqueConstraint("scope", "nonce"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    recruiter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    scope: Mapped[str] = mapped_column(String(24))
    nonce: Mapped[str] = mapped_column(String(64))
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)  # server time
    client_time: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the phone's (offline scans)
    is_offline: Mapped[bool] = mapped_column(default=False)

    recruiter: Mapped[User | None] = relationship()

    @property
    def happened_at(self) -> datetime:
        return self.client_time if self.is_offline and self.client_time else self.scanned_at


class LeadChange(Base):
    """Who changed what on a lead. Values are short codes or numbers; a note's text is not
    copied here (erasing the note erases it everywhere)."""

    __tablename__ = "lead_changes"
    __table_args__ = (CheckConstraint(check_in("field", LeadField), name="field_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    field: Mapped[str] = mapped_column(String(20))
    old_value: Mapped[str] = mapped_column(String(500), default="")
    new_value: Mapped[str] = mapped_column(String(500), default="")

    actor: Mapped[User | None] = relationship()


class InterviewInvitation(Base):
    """A company invites a candidate (met at the stand, or matching its offers) to apply, or
    proposes one of its free slots; the candidate accepts (the slot is booked through every
    booking rule) or declines."""

    __tablename__ = "interview_invitations"
    __table_args__ = (
        Index("uq_interview_invitations_participation_id_candidate_id_pending", "participation_id",
              "candidate_id", unique=True, sqlite_where=text("status = 'pending'"),
              postgresql_where=text("status = 'pending'")),
        CheckConstraint(check_in("kind", InvitationKind), name="kind_known"),
        CheckConstraint(check_in("source", InvitationSource), name="source_known"),
        CheckConstraint(check_in("status", InvitationStatus), name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    participation_id: Mapped[int] = mapped_column(ForeignKey("participations.id", ondelete="CASCADE"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(10))
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("interview_slots.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default=InvitationStatus.PENDING)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    participation: Mapped[Participation] = relationship()
    candidate: Mapped[User] = relationship(foreign_keys=[candidate_id])
    slot: Mapped[InterviewSlot | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def status_label(self):
        return InvitationStatus(self.status).label
