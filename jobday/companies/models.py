"""Companies, their recruiters and invitations, participations, offers and interview plans."""

from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobday.accounts.models import User
from jobday.db import Base, UTCDateTime, utcnow
from jobday.editions.models import Edition
from jobday.vocabulary import (
    ContractType,
    EducationLevel,
    JobArea,
    Language,
    Region,
    Vocabulary,
    VocabularyType,
    check_constraint,
)


class Sector(Vocabulary):
    BIOPHARMA = "biopharma", _l("Biopharmaceuticals")
    CDMO = "cdmo", _l("Contract development and manufacturing (CDMO)")
    CELL_GENE_THERAPY = "cell_gene_therapy", _l("Cell and gene therapy")
    MEDTECH = "medtech", _l("Medical technology")
    DIAGNOSTICS = "diagnostics", _l("Diagnostics")
    RADIOPHARMA = "radiopharma", _l("Radiopharmaceuticals")
    SERVICES = "services", _l("Services to the industry")
    ENGINEERING = "engineering", _l("Engineering")
    LOGISTICS = "logistics", _l("Logistics")
    OTHER = "other", _l("Other")


class ParticipationStatus(Vocabulary):
    PENDING = "pending", _l("Pending"), "warn"
    APPROVED = "approved", _l("Approved"), "ok"
    DECLINED = "declined", _l("Declined"), "bad"


class BookingMode(Vocabulary):
    OPEN = "open", _l("Open booking")
    APPLY = "apply", _l("Apply and accept")


class SlotStatus(Vocabulary):
    FREE = "free", _l("Free")
    BLOCKED = "blocked", _l("Break")


class Company(Base):
    __tablename__ = "companies"
    __table_args__ = (check_constraint(Sector, "sector", "sector_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Case-, accent- and space-insensitive form of the name: a company exists once.
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    # Belgian BCE/KBO number, 10 digits; optional for foreign companies.
    enterprise_number: Mapped[str | None] = mapped_column(String(10), unique=True)
    is_foreign: Mapped[bool] = mapped_column(default=False)
    sector: Mapped[Sector] = mapped_column(VocabularyType(Sector, 40), default=Sector.OTHER)
    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    logo_filename: Mapped[str | None] = mapped_column(String(80))
    logo_content_type: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    members: Mapped[list[CompanyMember]] = relationship(
        back_populates="company", cascade="all, delete-orphan", order_by="CompanyMember.id")

    def description(self, locale: str) -> str:
        return (self.description_en if locale == "en" else self.description_fr) or self.description_fr

    @property
    def admins(self) -> list[CompanyMember]:
        return [member for member in self.members if member.is_admin]

    def __repr__(self) -> str:
        return f"<Company {self.id} {self.name!r}>"


class CompanyMember(Base):
    """A recruiter of a company. A user belongs to one company at most."""

    __tablename__ = "company_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # E-mails about new applications, bookings and cancellations at the company (each recruiter's own choice).
    email_activity: Mapped[bool] = mapped_column(default=True, server_default=true())

    company: Mapped[Company] = relationship(back_populates="members")
    user: Mapped[User] = relationship(lazy="joined")


class Invitation(Base):
    """A single-use, expiring invitation to join a company; only the token's hash is kept."""

    __tablename__ = "company_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    company: Mapped[Company] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])


PENDING, APPROVED, DECLINED = ParticipationStatus
PARTICIPATION_STATUSES = tuple(ParticipationStatus)
OPEN_BOOKING, APPLY_BOOKING = BookingMode
BOOKING_MODES = tuple(BookingMode)


class Participation(Base):
    """A company's participation in one edition, and its interview plan settings."""

    __tablename__ = "participations"
    __table_args__ = (
        UniqueConstraint("company_id", "edition_id"),
        # NULLs are distinct in SQLite and PostgreSQL: only assigned stands must differ.
        UniqueConstraint("edition_id", "stand"),
        check_constraint(ParticipationStatus, "status", "status_known"),
        check_constraint(BookingMode, "booking_mode", "booking_mode_known"),
        CheckConstraint("slot_minutes BETWEEN 10 AND 60", name="slot_minutes_range"),
        CheckConstraint("pause_minutes BETWEEN 0 AND 60", name="pause_minutes_range"),
        CheckConstraint("recruiters_coming >= 1", name="recruiters_positive"),
        CheckConstraint("tables_wanted >= 1", name="tables_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    status: Mapped[ParticipationStatus] = mapped_column(VocabularyType(ParticipationStatus, 10), default=PENDING)
    recruiters_coming: Mapped[int] = mapped_column(default=1)
    tables_wanted: Mapped[int] = mapped_column(default=1)
    needs_power: Mapped[bool] = mapped_column(default=False)
    needs_screen: Mapped[bool] = mapped_column(default=False)
    needs_other: Mapped[str] = mapped_column(String(500), default="")
    stand: Mapped[str | None] = mapped_column(String(12))
    decision_message: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    booking_mode: Mapped[BookingMode] = mapped_column(VocabularyType(BookingMode, 10), default=OPEN_BOOKING)
    slot_minutes: Mapped[int] = mapped_column(default=20)
    pause_minutes: Mapped[int] = mapped_column(default=5)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    company: Mapped[Company] = relationship()
    edition: Mapped[Edition] = relationship()
    tables: Mapped[list[InterviewTable]] = relationship(
        back_populates="participation", cascade="all, delete-orphan", order_by="InterviewTable.id")

    @property
    def is_approved(self) -> bool:
        return self.status == APPROVED

    @property
    def needs(self) -> list:
        """What the company asked for, as short (lazily translated) words."""
        items = [_l("power")] if self.needs_power else []
        items += [_l("screen")] if self.needs_screen else []
        return items + ([self.needs_other] if self.needs_other else [])


class JobOffer(Base):
    __tablename__ = "job_offers"
    __table_args__ = (check_constraint(ContractType, "contract_type", "contract_type_known"),
                      check_constraint(EducationLevel, "education_level", "education_level_known"),
                      check_constraint(Region, "region", "region_known", blank=True))

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    contract_type: Mapped[ContractType] = mapped_column(VocabularyType(ContractType, 20))
    education_level: Mapped[EducationLevel] = mapped_column(VocabularyType(EducationLevel, 20))
    location: Mapped[str] = mapped_column(String(200), default="")
    # Where the job is ("" not said), and the languages it needs: matched against candidates'
    # profiles (jobday.matching).
    region: Mapped[Region | str] = mapped_column(VocabularyType(Region, 20), default="", server_default="")
    description: Mapped[str] = mapped_column(Text, default="")
    open_for_interviews: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    company: Mapped[Company] = relationship()
    area_rows: Mapped[list[JobOfferArea]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="JobOfferArea.area")
    language_rows: Mapped[list[JobOfferLanguage]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="JobOfferLanguage.language")

    @property
    def job_areas(self) -> list[JobArea]:
        return [row.area for row in self.area_rows]

    @job_areas.setter
    def job_areas(self, areas) -> None:
        wanted = list(dict.fromkeys(JobArea(area) for area in areas))
        self.area_rows = [row for row in self.area_rows if row.area in wanted]
        held = {row.area for row in self.area_rows}
        self.area_rows.extend(JobOfferArea(area=area) for area in wanted if area not in held)

    @property
    def languages(self) -> list[Language]:
        return [row.language for row in self.language_rows]

    @languages.setter
    def languages(self, languages) -> None:
        wanted = list(dict.fromkeys(Language(code) for code in languages))
        self.language_rows = [row for row in self.language_rows if row.language in wanted]
        held = {row.language for row in self.language_rows}
        self.language_rows.extend(JobOfferLanguage(language=code) for code in wanted if code not in held)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class JobOfferArea(Base):
    __tablename__ = "job_offer_areas"
    __table_args__ = (check_constraint(JobArea, "area", "area_known"),)

    offer_id: Mapped[int] = mapped_column(ForeignKey("job_offers.id", ondelete="CASCADE"), primary_key=True)
    area: Mapped[JobArea] = mapped_column(VocabularyType(JobArea, 30), primary_key=True, index=True)


class JobOfferLanguage(Base):
    """A language the job needs (every one listed)."""

    __tablename__ = "job_offer_languages"
    __table_args__ = (check_constraint(Language, "language", "language_known"),)

    offer_id: Mapped[int] = mapped_column(ForeignKey("job_offers.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[Language] = mapped_column(VocabularyType(Language, 2), primary_key=True)


class InterviewTable(Base):
    __tablename__ = "interview_tables"
    __table_args__ = (UniqueConstraint("participation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participation_id: Mapped[int] = mapped_column(ForeignKey("participations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(60))
    recruiter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    participation: Mapped[Participation] = relationship(back_populates="tables")
    recruiter: Mapped[User | None] = relationship()
    openings: Mapped[list[TableOpening]] = relationship(
        cascade="all, delete-orphan", order_by="(TableOpening.day, TableOpening.starts_at)")
    slots: Mapped[list[InterviewSlot]] = relationship(
        back_populates="table", order_by="InterviewSlot.starts_at", passive_deletes=True)


class TableOpening(Base):
    """One range of hours (local wall-clock time) when a table is open on a day."""

    __tablename__ = "table_openings"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="range_ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("interview_tables.id", ondelete="CASCADE"), index=True)
    day: Mapped[date]
    starts_at: Mapped[time]
    ends_at: Mapped[time]


SLOT_FREE, SLOT_BLOCKED = SlotStatus


class InterviewSlot(Base):
    """A time range at one table. ``held_by_candidate_id`` is the candidate in it, if any:
    the scheduling feature builds its booking rules on it."""

    __tablename__ = "interview_slots"
    __table_args__ = (
        UniqueConstraint("table_id", "starts_at"),
        check_constraint(SlotStatus, "status", "status_known"),
        CheckConstraint("ends_at > starts_at", name="range_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("interview_tables.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[SlotStatus] = mapped_column(VocabularyType(SlotStatus, 10), default=SLOT_FREE)
    held_by_candidate_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    table: Mapped[InterviewTable] = relationship(back_populates="slots")
    held_by: Mapped[User | None] = relationship()

    @property
    def is_held(self) -> bool:
        return self.held_by_candidate_id is not None

