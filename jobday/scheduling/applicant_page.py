"""What the recruiter's page of one applicant reads: the application with its candidate and
whether they share their profile with the company (one statement), and a shared profile with
its languages, job areas and contract types as plain values (one more), not ORM records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import String, bindparam, literal, null, select, type_coerce, union_all

from jobday.accounts.models import User
from jobday.candidates.consent import shares_profile_with_company
from jobday.candidates.models import (
    CandidateContractType,
    CandidateJobArea,
    CandidateLanguage,
    CandidateProfile,
    LanguageLevel,
)
from jobday.companies.models import Participation
from jobday.extensions import db
from jobday.scheduling.models import Application
from jobday.vocabulary import ContractType, JobArea, Language

# The application, only if it is to the company's participation (another company's is not
# found), with its candidate and the sharing rule; built once.
_APPLICATION = (
    select(Application, User, shares_profile_with_company(User.id, bindparam("edition_id"),
                                                          applied_or_booked=True).label("shared"))
    .join(User, User.id == Application.candidate_id)
    .where(Application.id == bindparam("application_id"), Application.participation_id == bindparam("participation_id"))
)


def application_of(application_id: int, participation: Participation) -> tuple[Application, User, bool] | None:
    """The application to ``participation``, its candidate, and whether they share their profile
    with the company (they applied); None when the company has no such application."""
    found = db.session.execute(_APPLICATION, {"application_id": application_id, "participation_id": participation.id,
                                              "edition_id": participation.edition_id}).first()
    return None if found is None else (found[0], found[1], bool(found.shared))


@dataclass
class SharedProfile:
    """What ``candidates.pages.profile_facts`` and the page read of a ``CandidateProfile``."""

    phone: str
    postcode: str
    region: str
    education_level: str | None
    field_of_study: str
    years_experience: int | None
    availability_date: date | None
    about: str
    cv_stored_name: str | None
    cv_original_name: str | None
    language_levels: dict[Language, LanguageLevel] = field(default_factory=dict)
    job_areas: list[JobArea] = field(default_factory=list)
    contract_types: list[ContractType] = field(default_factory=list)

    @property
    def has_cv(self) -> bool:
        return self.cv_stored_name is not None


# The candidate's choices (each part asks for the candidate: a database need not carry the join's
# condition into a union, and SQLite does not).
_CHOICES = union_all(
    select(CandidateLanguage.user_id, literal("language").label("kind"),
           type_coerce(CandidateLanguage.language, String).label("code"),
           type_coerce(CandidateLanguage.level, String).label("level"))
    .where(CandidateLanguage.user_id == bindparam("user_id")),
    select(CandidateJobArea.user_id, literal("area"), type_coerce(CandidateJobArea.area, String), null())
    .where(CandidateJobArea.user_id == bindparam("user_id")),
    select(CandidateContractType.user_id, literal("contract"),
           type_coerce(CandidateContractType.contract_type, String), null())
    .where(CandidateContractType.user_id == bindparam("user_id")),
).subquery()
# The profile's columns on each of its choices' rows (once, without a choice, when it has none).
_PROFILE = (
    select(CandidateProfile.phone, CandidateProfile.postcode, CandidateProfile.region,
           CandidateProfile.education_level, CandidateProfile.field_of_study, CandidateProfile.years_experience,
           CandidateProfile.availability_date, CandidateProfile.about, CandidateProfile.cv_stored_name,
           CandidateProfile.cv_original_name, _CHOICES.c.kind, _CHOICES.c.code, _CHOICES.c.level)
    .outerjoin(_CHOICES, _CHOICES.c.user_id == CandidateProfile.user_id)
    .where(CandidateProfile.user_id == bindparam("user_id"))
)


def shared_profile(candidate_id: int) -> SharedProfile | None:
    """The candidate's profile as ``candidates.services.get_profile`` reads it (its choices in
    the order of their codes), for a company it is shared with; None without a profile."""
    rows = db.session.connection().execute(_PROFILE, {"user_id": candidate_id}).all()
    if not rows:
        return None
    profile = SharedProfile(*rows[0][:10])
    for row in sorted((row for row in rows if row.kind), key=lambda row: row.code):
        if row.kind == "language":
            profile.language_levels[Language(row.code)] = LanguageLevel(row.level)
        elif row.kind == "area":
            profile.job_areas.append(JobArea(row.code))
        else:
            profile.contract_types.append(ContractType(row.code))
    return profile
