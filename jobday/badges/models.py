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

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobday.accounts.models import User
from jobday.collation import keep_search_key, search_key_column
from jobday.db import Base, UTCDateTime, utcnow
from jobday.editions.models import Edition
from jobday.vocabulary import Vocabulary, VocabularyType, check_constraint


class BadgeStatus(Vocabulary):
    ACTIVE = "active", _l("Valid"), "ok"
    REVOKED = "revoked", _l("Revoked"), "bad"  # replaced or withdrawn: the door refuses it


class BadgeRole(Vocabulary):
    """What the badge says its holder is (French uses inclusive forms: "Candidat·e")."""

    CANDIDATE = "candidate", _l("Candidate")
    RECRUITER = "recruiter", _l("Recruiter")
    STAFF = "staff", _l("Jobday team")
    VISITOR = "visitor", _l("Visitor")


class RevokeReason(Vocabulary):
    """Why a badge was revoked (kept on the row; the door shows it to staff). The first five
    are the organiser's reasons for a reissue; the others are set by Jobday itself."""

    LOST = "lost", _l("Lost")
    DAMAGED = "damaged", _l("Damaged")
    NAME_CORRECTED = "name_corrected", _l("Name corrected")
    ROLE_CHANGED = "role_changed", _l("Role changed")
    OTHER = "other", _l("Other")
    NAME_CHANGED = "name_changed", _l("Name changed")
    WITHDRAWN = "withdrawn", _l("Registration withdrawn")
    NOT_TAKING_PART = "not_taking_part", _l("No longer taking part")
    ERASED = "erased", _l("Account erased")

    @classmethod
    def for_reissue(cls) -> tuple[RevokeReason, ...]:
        return cls.LOST, cls.DAMAGED, cls.NAME_CORRECTED, cls.ROLE_CHANGED, cls.OTHER


class PrintLayout(Vocabulary):
    A4_8 = "a4-8", _l("A4 sheet, 8 credit-card badges (cut marks)")
    A4_4 = "a4-4", _l("A4 sheet, 4 A6 badges (crop lines)")
    A6 = "a6", _l("A6, one badge per page")
    CARD = "card", _l("Credit card (85.6 × 54 mm), one badge per page")
    LABEL = "label", _l("Label printer (101 × 54 mm labels), one badge per label")


ACTIVE, REVOKED = BadgeStatus
ROLES = tuple(BadgeRole)


def display_hash(role: str, first_name: str, last_name: str, company: str, stand: str, locale: str) -> str:
    snapshot = json.dumps([role, first_name, last_name, company, stand, locale], ensure_ascii=False)
    return hashlib.sha256(snapshot.encode()).hexdigest()[:32]


class Badge(Base):
    __tablename__ = "badges"
    __table_args__ = (
        check_constraint(BadgeStatus, "status", "status_known"),
        check_constraint(BadgeRole, "role", "role_known"),
        check_constraint(RevokeReason, "revoke_reason", "revoke_reason_known", nullable=True),
        Index("uq_badges_one_active_per_person", "user_id", "edition_id", unique=True,
              sqlite_where=text("status = 'active'"), postgresql_where=text("status = 'active'")),
        Index("ix_badges_edition_id_status", "edition_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"))
    role: Mapped[BadgeRole] = mapped_column(VocabularyType(BadgeRole, 12))
    status: Mapped[BadgeStatus] = mapped_column(VocabularyType(BadgeStatus, 10), default=ACTIVE)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoke_reason: Mapped[RevokeReason | None] = mapped_column(VocabularyType(RevokeReason, 40))
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
    search_key: Mapped[str] = search_key_column("first_name", "last_name", "company_name")
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


keep_search_key(Badge, "first_name", "last_name", "company_name")


class PrintRun(Base):
    """One print of badges: who, when, which layout, how many, and why if any was a reprint."""

    __tablename__ = "badge_print_runs"
    __table_args__ = (check_constraint(PrintLayout, "layout", "layout_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    job_id: Mapped[int | None]  # the background job that made the PDF (no foreign key: jobs come later)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    layout: Mapped[PrintLayout] = mapped_column(VocabularyType(PrintLayout, 10))
    selection: Mapped[str] = mapped_column(String(200), default="")
    badge_count: Mapped[int] = mapped_column(default=0)
    reprint_count: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
