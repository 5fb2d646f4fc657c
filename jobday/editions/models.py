"""An edition is one year's fair; every later feature hangs off it."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jobday.db import Base, UTCDateTime, utcnow


class Edition(Base):
    __tablename__ = "editions"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="dates_ordered"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(120))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    opens_at: Mapped[time] = mapped_column(default=time(9, 0))  # doors, local time
    closes_at: Mapped[time] = mapped_column(default=time(17, 0))
    venue_name: Mapped[str] = mapped_column(String(200), default="")
    venue_address: Mapped[str] = mapped_column(String(300), default="")
    map_url: Mapped[str] = mapped_column(String(500), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Brussels")
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    booking_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    booking_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    capacity: Mapped[int | None]  # None: no cap on candidate registrations
    # A place freed for the waiting list is held this long for the first in line.
    waitlist_offer_hours: Mapped[int] = mapped_column(default=48, server_default="48")
    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    # Interview plan defaults for companies: slot length, pause, and the hours tables are open
    # (local time, ranges such as "09:30-12:30, 13:30-16:30").
    default_slot_minutes: Mapped[int] = mapped_column(default=20, server_default="20")
    default_pause_minutes: Mapped[int] = mapped_column(default=5, server_default="5")
    default_interview_hours: Mapped[str] = mapped_column(
        String(200), default="09:30-12:30, 13:30-16:30", server_default="09:30-12:30, 13:30-16:30")
    # Interview rules (scheduling): the least free time between two interviews of a
    # candidate, the cap on a candidate's interviews, the wish window and its number of
    # wishes, how long a freed slot is held for the first of a company's waiting list
    # (before the fair / on the day), and until when candidates may cancel or move an
    # interview (None: until booking closes).
    interview_gap_minutes: Mapped[int] = mapped_column(default=10, server_default="10")
    max_interviews_per_candidate: Mapped[int] = mapped_column(default=6, server_default="6")
    wishes_open_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    wishes_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    max_wishes: Mapped[int] = mapped_column(default=8, server_default="8")
    slot_offer_minutes: Mapped[int] = mapped_column(default=120, server_default="120")
    slot_offer_minutes_on_day: Mapped[int] = mapped_column(default=10, server_default="10")
    interview_changes_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The door: exit scans are recorded (and re-entry after an exit allowed) when on.
    records_exits: Mapped[bool] = mapped_column(default=False, server_default="0")
    # Retention (back office purge): months after the fair's last day before CVs, other
    # candidate data and door scans are erased.
    retention_cv_months: Mapped[int] = mapped_column(default=6, server_default="6")
    retention_data_months: Mapped[int] = mapped_column(default=24, server_default="24")
    retention_scans_months: Mapped[int] = mapped_column(default=12, server_default="12")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def description(self, locale: str) -> str:
        return (self.description_en if locale == "en" else self.description_fr) or self.description_fr

    def __repr__(self) -> str:
        return f"<Edition {self.year}>"
