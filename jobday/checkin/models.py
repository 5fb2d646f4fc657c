"""Scans and gate devices.

Every scan attempt is a row, refused ones included (pretix's way): the result, why, at which
gate, by whom (a staff user or a gate device), the server's time and, for scans made
offline, the time on the device. ``scope`` + ``nonce`` is unique: a retried request (the
network dropped the answer, an offline queue sent twice) finds its row and gets the same
answer instead of writing a second one.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobday.accounts.models import User
from jobday.db import Base, UTCDateTime, utcnow
from jobday.editions.models import Edition
from jobday.vocabulary import Vocabulary, VocabularyType, check_constraint


class ScanResult(Vocabulary):
    """What the door answered. A refusal because the badge is revoked is ``badge_revoked``:
    "revoked" alone is the badge's own state (``BadgeStatus.REVOKED``)."""

    OK = "ok", _l("Admitted"), "ok"
    ALREADY_INSIDE = "already_inside", _l("Already inside"), "warn"
    UNKNOWN = "unknown", _l("Unknown code"), "bad"
    BADGE_REVOKED = "badge_revoked", _l("Refused: badge revoked"), "bad"
    WRONG_EDITION = "wrong_edition", _l("Another edition"), "bad"
    NOT_TODAY = "not_today", _l("Not valid today"), "warn"
    CANCELLED = "cancelled", _l("Registration cancelled"), "bad"
    EXIT = "exit", _l("Exit"), "muted"


class ScanMode(Vocabulary):
    ENTRY = "entry", _l("Entry")
    EXIT = "exit", _l("Exit")


class DoorBadgeState(Vocabulary):
    """A badge as the offline scanner's copy knows it."""

    ACTIVE = "active", _l("Valid")
    REVOKED = "revoked", _l("Revoked")
    CANCELLED = "cancelled", _l("Registration cancelled")


OK, ALREADY_INSIDE, UNKNOWN, BADGE_REVOKED, WRONG_EDITION, NOT_TODAY, CANCELLED, EXIT = ScanResult
RESULTS = ScanResult.codes()
MOVES = (OK, EXIT)  # results that change whether someone is inside


class Scan(Base):
    __tablename__ = "checkin_scans"
    __table_args__ = (
        UniqueConstraint("scope", "nonce"),
        check_constraint(ScanResult, "result", "result_known"),
        check_constraint(ScanResult, "reason", "reason_known", blank=True),
        check_constraint(ScanResult, "local_result", "local_result_known", nullable=True),
        Index("ix_checkin_scans_badge_id_scanned_at", "badge_id", "scanned_at"),
        Index("ix_checkin_scans_edition_id_scanned_at", "edition_id", "scanned_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"))
    badge_id: Mapped[int | None] = mapped_column(ForeignKey("badges.id", ondelete="SET NULL"))
    result: Mapped[ScanResult] = mapped_column(VocabularyType(ScanResult, 16))
    # Why refused (or why forced); "" when admitted.
    reason: Mapped[ScanResult | str] = mapped_column(VocabularyType(ScanResult, 40), default="")
    gate: Mapped[str] = mapped_column(String(20))
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("checkin_gate_devices.id", ondelete="SET NULL"))
    scope: Mapped[str] = mapped_column(String(24))  # "d<device id>" or "u<user id>": the nonce's space
    nonce: Mapped[str] = mapped_column(String(64))
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)  # server time
    client_time: Mapped[datetime | None] = mapped_column(UTCDateTime())  # device time (offline scans)
    raw_input: Mapped[str] = mapped_column(String(200), default="")
    code: Mapped[str] = mapped_column(String(64), default="")  # normalised
    forced: Mapped[bool] = mapped_column(default=False)
    is_offline: Mapped[bool] = mapped_column(default=False)
    local_result: Mapped[ScanResult | None] = mapped_column(VocabularyType(ScanResult, 16))  # an offline answer
    first_scan_id: Mapped[int | None] = mapped_column(ForeignKey("checkin_scans.id", ondelete="SET NULL"))

    badge = relationship("Badge")
    first_scan: Mapped[Scan | None] = relationship(remote_side=[id])
    staff_user: Mapped[User | None] = relationship()

    @property
    def happened_at(self) -> datetime:
        """When the person stood at the gate: the device's time for offline scans."""
        return self.client_time if self.is_offline and self.client_time else self.scanned_at


class GateDevice(Base):
    """A phone or scanner at one gate of one edition, authenticated by a bearer token of
    which only the SHA-256 is kept; it stops working when revoked or after the edition."""

    __tablename__ = "checkin_gate_devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    gate: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(80), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    edition: Mapped[Edition] = relationship()

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at
