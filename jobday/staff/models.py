"""The audit log (append-only) and e-mail campaigns. Retention periods are edition columns."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from jobday.db import Base, UTCDateTime, utcnow


class AuditEntry(Base):
    """Who did what to which object, when and from where; never the personal data itself."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_action_created_at", "action", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[int | None]
    ip: Mapped[str] = mapped_column(String(45), default="")
    # Machine words only (a format, a count, a role): no names, e-mails or free text.
    detail: Mapped[str] = mapped_column(String(200), default="")


@event.listens_for(AuditEntry, "before_update")
def _append_only(_mapper, _connection, _target):
    raise ValueError("audit entries are append-only")


@event.listens_for(AuditEntry, "before_delete")
def _never_deleted(_mapper, _connection, _target):
    raise ValueError("audit entries are append-only")


CAMPAIGN_DRAFT, CAMPAIGN_SENDING, CAMPAIGN_SENT = "draft", "sending", "sent"


class Campaign(Base):
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    audience: Mapped[str] = mapped_column(String(40))
    subject_fr: Mapped[str] = mapped_column(String(200))
    subject_en: Mapped[str] = mapped_column(String(200))
    body_fr: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=CAMPAIGN_DRAFT)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    send_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recipient_count: Mapped[int] = mapped_column(default=0)

    def subject(self, locale: str | None) -> str:
        return self.subject_en if locale == "en" and self.subject_en else self.subject_fr

    def body(self, locale: str | None) -> str:
        return self.body_en if locale == "en" and self.body_en else self.body_fr

