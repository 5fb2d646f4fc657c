"""A candidate's profile as plain values read in one statement, without loading the profile and
its three tables of choices as objects (a joined load multiplied the rows and built an object
for each):

- ``profile_summary``: codes, for the home page's checklist, the registration's "is the profile
  complete" and the matching;
- ``shown_profile``: what ``candidates.pages.profile_facts`` shows (the registration's review, a
  company's lead and applicant pages) and what the candidate's profile page shows, with the
  choices as vocabulary members in their codes' order, as the ORM profile's relationships give
  them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, func, literal_column, select

from jobday.candidates.models import (
    CandidateContractType,
    CandidateJobArea,
    CandidateLanguage,
    CandidateProfile,
    LanguageLevel,
)
from jobday.driver_sql import DriverStatement
from jobday.memo import kept
from jobday.vocabulary import ContractType, EducationLevel, JobArea, Language, Region, as_code, codes_of, split_codes


@dataclass(frozen=True)
class ProfileSummary:
    user_id: int
    education_level: str | None
    region: str  # "": none
    job_areas: frozenset[str]
    contract_types: frozenset[str]
    languages: frozenset[str]
    phone: str
    has_cv: bool


_FACTS = DriverStatement(
    select(as_code(CandidateProfile.education_level), as_code(CandidateProfile.region),
           codes_of(CandidateJobArea.area, CandidateJobArea.user_id == CandidateProfile.user_id),
           codes_of(CandidateContractType.contract_type, CandidateContractType.user_id == CandidateProfile.user_id),
           codes_of(CandidateLanguage.language, CandidateLanguage.user_id == CandidateProfile.user_id),
           CandidateProfile.phone, CandidateProfile.cv_stored_name.is_not(None))
    .where(CandidateProfile.user_id == bindparam("user_id")))

_WATCH = (CandidateProfile, CandidateJobArea, CandidateContractType, CandidateLanguage)


def profile_summary(user_id: int) -> ProfileSummary | None:
    """The user's profile, None when they have none yet (read once per transaction: a page's
    parts that ask again get the same answer until the profile is written)."""
    return kept("profile_summary", user_id, lambda: _read(user_id), watch=_WATCH)


def _read(user_id: int) -> ProfileSummary | None:
    row = _FACTS.session_first(user_id=user_id)
    if row is None:
        return None
    level, region, areas, contracts, languages, phone, has_cv = row
    return ProfileSummary(user_id, level, region or "", split_codes(areas), split_codes(contracts),
                        split_codes(languages), phone or "", bool(has_cv))


@dataclass(frozen=True)
class ShownProfile:
    """The attributes ``profile_facts``, ``missing_profile_items`` and the profile page read of a
    ``CandidateProfile``."""
    phone: str
    postcode: str
    region: Region | str  # "": none
    education_level: EducationLevel | None
    field_of_study: str
    years_experience: int | None
    availability_date: date | None
    about: str
    cv_original_name: str | None
    cv_size: int | None
    cv_uploaded_at: datetime | None
    has_cv: bool
    job_areas: list[JobArea]
    contract_types: list[ContractType]
    language_levels: dict[Language, LanguageLevel]

    @property
    def languages(self) -> list[Language]:
        return list(self.language_levels)


_SHOWN = DriverStatement(select(
    CandidateProfile.phone, CandidateProfile.postcode, CandidateProfile.region, CandidateProfile.education_level,
    CandidateProfile.field_of_study, CandidateProfile.years_experience, CandidateProfile.availability_date,
    CandidateProfile.about, CandidateProfile.cv_original_name, CandidateProfile.cv_size,
    CandidateProfile.cv_uploaded_at, CandidateProfile.cv_stored_name.is_not(None),
    codes_of(CandidateJobArea.area, CandidateJobArea.user_id == CandidateProfile.user_id),
    codes_of(CandidateContractType.contract_type, CandidateContractType.user_id == CandidateProfile.user_id),
    # Separators written in (bound, the driver could not take them: ``codes_of``).
    select(func.aggregate_strings(as_code(CandidateLanguage.language).concat(literal_column("':'")).concat(
        as_code(CandidateLanguage.level)), literal_column("','")))
    .where(CandidateLanguage.user_id == CandidateProfile.user_id).scalar_subquery(),
).where(CandidateProfile.user_id == bindparam("user_id")))


def shown_profile(user_id: int) -> ShownProfile | None:
    """The user's profile as pages show it, None when they have none."""
    row = _SHOWN.session_first(user_id=user_id)
    if row is None:
        return None
    *fields, has_cv, areas, contracts, languages = row
    levels = dict(pair.split(":") for pair in (languages.split(",") if languages else ()))
    return ShownProfile(*fields, has_cv=bool(has_cv),
                        job_areas=[JobArea(code) for code in sorted(split_codes(areas))],
                        contract_types=[ContractType(code) for code in sorted(split_codes(contracts))],
                        language_levels={Language(code): LanguageLevel(levels[code]) for code in sorted(levels)})
