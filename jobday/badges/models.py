"""Badges and print runs.

A badge is one code for one person at one edition. Reissuing keeps the old row, revoked,
so that the door can answer "revoked" rather than "unknown". The database holds the rules:
codes are unique, and a person has at most one active badge per edition (a partial unique
index, on SQLite and PostgreSQL alike).

The badge keeps a snapshot of what is printed on it (names, company, stand, language) and
a hash of it; ``printed_hash`` is the hash at the last print, so "new or changed since the
last print" is a plain comparison of two columns.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobday.accounts.models import User
from jobday.db import Base, UTCDateTime, utcnow
from jobday.editions.models import Edition

ACTIVE, REVOKED = "active", "revoked"
ROLES = ("candidate", "recruiter", "staff", "visitor")


def display_hash(role: str, first_name: str, last_name: str, company: str, stand: str, locale: str) -> str:
    snapshot = json.dumps([role, first_name, last_name, company, stand, locale], ensure_ascii=False)
    return hashlib.sha256(snapshot.encode()).hexdigest()[:32]


class Badge(Base):
    __tablename__ = "badges"
    __table_args__ = (
        CheckConstraint("status IN ('active', 'revoked')", name="status_known"),
        CheckConstraint("role IN ('candidate', 'recruiter', 'staff', 'visitor')", name="role_known"),
        Index("uq_badges_one_active_per_person", "user_id", "edition_id", unique=True,
              sqlite_where=text("status = 'active'"), postgresql_where=text("status = 'active'")),
        Index("ix_badges_edition_id_status", "edition_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(10), default=ACTIVE)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoke_reason: Mapped[str | None] = mapped_column(String(40))
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("badges.id", ondelete="SET NULL"))
    # What is printed, as of the last refresh.
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id", ondelete="SET NULL"),
                                                   index=True)
    company_name: Mapped[str] = mapped_column(String(200), default="")
    stand: Mapped[str] = mapped_column(String(12), default="")
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    display_hash: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Printing.
    printed_hash: Mapped[str | None] = mapped_column(String(32))
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    print_count: Mapped[int] = mapped_column(default=0)

    user: Mapped[User | None] = relationship()
    edition: Mapped[Edition] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status == ACTIVE

    @property
    def needs_printing(self) -> bool:
        """New, or changed since it was last printed."""
        return self.printed_hash != self.display_hash

    def snapshot(self) -> tuple[str, str, str, str, str, str]:
        return (self.role, self.first_name, self.last_name, self.company_name, self.stand, self.locale)

    def refresh_hash(self) -> None:
        self.display_hash = display_hash(*self.snapshot())

    def __repr__(self) -> str:
        return f"<Badge {self.id} {self.role} {self.status}>"


class PrintRun(Base):
    """One print of badges: who, when, which layout, how many, and why if any was a reprint."""

    __tablename__ = "badge_print_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    job_id: Mapped[int | None]  # the background job that made the PDF (no foreign key: jobs come later)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    layout: Mapped[str] = mapped_column(String(10))
    selection: Mapped[str] = mapped_column(String(200), default="")
    badge_count: Mapped[int] = mapped_column(default=0)
    reprint_count: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
