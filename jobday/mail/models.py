"""The outbox: every e-mail is a row first, written in the same transaction as its cause."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobday.db import Base, UTCDateTime, utcnow


class OutboundEmail(Base):
    __tablename__ = "outbound_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(255))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    # Same key twice (a retried job, a double click) is refused by the database: sent once.
    dedup_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))

    attachments: Mapped[list[OutboundAttachment]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="OutboundAttachment.id")


class OutboundAttachment(Base):
    """A file sent with an e-mail (a badge PDF, an agenda, an .ics), kept with its message.

    Either its bytes were given when the e-mail was queued, or it names a ``source``
    ("badge:123") that the delivery renders (``register_attachment_source``) and then keeps
    in ``content``, so a retry sends the same file without rendering it again."""

    __tablename__ = "outbound_attachments"
    __table_args__ = (
        CheckConstraint("content IS NOT NULL OR source IS NOT NULL", name="content_or_source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email_id: Mapped[int] = mapped_column(ForeignKey("outbound_emails.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    mimetype: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    source: Mapped[str | None] = mapped_column(String(100))
