"""Candidate profiles (one per user, kept across editions), consents and registrations.

Wishes that later features filter and count on (languages, job areas, contract types)
live in child tables rather than in a JSON column, so plain SQL joins and GROUP BY work
the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
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


class LanguageLevel(Vocabulary):
    BASIC = "basic", _l("Basic")
    GOOD = "good", _l("Good")
    FLUENT = "fluent", _l("Fluent")
    NATIVE = "native", _l("Native")


class ConsentKind(Vocabulary):
    SHARE_WITH_APPLIED = "share_with_applied", _l("Share with the companies I apply to or meet")
    SHARE_WITH_ALL_EXHIBITORS = "share_with_all_exhibitors", _l("Share with all exhibitors")
    NEWS = "news", _l("News from the organisers")


class RegistrationStatus(Vocabulary):
    REGISTERED = "registered", _l("Registered"), "ok"
    WAITLISTED = "waitlisted", _l("On the waiting list"), "warn"
    OFFERED = "offered", _l("Place offered"), "warn"  # a freed place, held until offer_expires_at
    EXPIRED = "expired", _l("Offer expired"), "bad"  # an offer not confirmed in time
    WITHDRAWN = "withdrawn", _l("Withdrawn"), "muted"


# The statuses that hold one of the edition's places.
PLACE_HOLDING = (RegistrationStatus.REGISTERED, RegistrationStatus.OFFERED)
ACTIVE = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED, RegistrationStatus.OFFERED)


class CandidateProfile(Base):
    __tablename__ = "candidate_profiles"
    __table_args__ = (
        CheckConstraint("years_experience IS NULL OR years_experience >= 0", name="experience_positive"),
        check_constraint(EducationLevel, "education_level", "education_level_known", nullable=True),
        check_constraint(Region, "region", "region_known", blank=True),
    )

    # One profile per user: the user's id is the key, so joins from any table holding a
    # user_id (registrations, bookings) need no extra hop.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), default="")  # E.164, e.g. +32470123456
    postcode: Mapped[str] = mapped_column(String(10), default="")
    region: Mapped[Region | str] = mapped_column(VocabularyType(Region, 20), default="", index=True)  # "": none
    education_level: Mapped[EducationLevel | None] = mapped_column(VocabularyType(EducationLevel, 20), index=True)
    field_of_study: Mapped[str] = mapped_column(String(200), default="")
    years_experience: Mapped[int | None]
    availability_date: Mapped[date | None]
    about: Mapped[str] = mapped_column(Text, default="")
    # The CV: its key in jobday.storage; the original name is display text only.
    cv_stored_name: Mapped[str | None] = mapped_column(String(80))
    cv_original_name: Mapped[str | None] = mapped_column(String(200))
    cv_size: Mapped[int | None]
    cv_uploaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()
    languages: Mapped[list[CandidateLanguage]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="CandidateLanguage.language")
    job_area_rows: Mapped[list[CandidateJobArea]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="CandidateJobArea.area")
    contract_type_rows: Mapped[list[CandidateContractType]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="CandidateContractType.contract_type")

    @property
    def job_areas(self) -> list[str]:
        return [row.area for row in self.job_area_rows]

    @property
    def contract_types(self) -> list[str]:
        return [row.contract_type for row in self.contract_type_rows]

    @property
    def language_levels(self) -> dict[Language, LanguageLevel]:
        return {row.language: row.level for row in self.languages}

    @property
    def has_cv(self) -> bool:
        return self.cv_stored_name is not None

    def __repr__(self) -> str:
        return f"<CandidateProfile {self.user_id}>"


class CandidateLanguage(Base):
    __tablename__ = "candidate_languages"
    __table_args__ = (check_constraint(Language, "language", "language_known"),
                      check_constraint(LanguageLevel, "level", "level_known"))

    user_id: Mapped[int] = mapped_column(
        ForeignKey("candidate_profiles.user_id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[Language] = mapped_column(VocabularyType(Language, 2), primary_key=True)
    level: Mapped[LanguageLevel] = mapped_column(VocabularyType(LanguageLevel, 10))


class CandidateJobArea(Base):
    __tablename__ = "candidate_job_areas"
    __table_args__ = (check_constraint(JobArea, "area", "area_known"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("candidate_profiles.user_id", ondelete="CASCADE"), primary_key=True)
    area: Mapped[JobArea] = mapped_column(VocabularyType(JobArea, 30), primary_key=True, index=True)


class CandidateContractType(Base):
    __tablename__ = "candidate_contract_types"
    __table_args__ = (check_constraint(ContractType, "contract_type", "contract_type_known"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("candidate_profiles.user_id", ondelete="CASCADE"), primary_key=True)
    contract_type: Mapped[ContractType] = mapped_column(VocabularyType(ContractType, 20), primary_key=True,
                                                        index=True)


class Consent(Base):
    """One recorded choice. History is kept: the latest row (highest id) per kind wins."""

    __tablename__ = "consents"
    __table_args__ = (Index("ix_consents_user_id_kind_id", "user_id", "kind", "id"),
                      check_constraint(ConsentKind, "kind", "kind_known"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[ConsentKind] = mapped_column(VocabularyType(ConsentKind, 40))
    granted: Mapped[bool]
    text_version: Mapped[str] = mapped_column(String(20))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Registration(Base):
    """A candidate's place (or place in line) at one edition; one row per user and edition."""

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("user_id", "edition_id"),
        Index("ix_registrations_edition_id_status", "edition_id", "status"),
        check_constraint(RegistrationStatus, "status", "status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"))
    status: Mapped[RegistrationStatus] = mapped_column(VocabularyType(RegistrationStatus, 20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    registered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The waiting list is ordered by (waitlisted_at, id).
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
    edition: Mapped[Edition] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    def __repr__(self) -> str:
        return f"<Registration {self.user_id}@{self.edition_id} {self.status}>"
