"""A candidate's profile as plain facts (codes, not ORM objects), read in one statement: what the
home page's checklist, the registration's "is the profile complete" and the matching need,
without loading the profile and its three tables of choices as objects."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select

from jobday.candidates.models import CandidateContractType, CandidateJobArea, CandidateLanguage, CandidateProfile
from jobday.extensions import db
from jobday.memo import kept
from jobday.vocabulary import as_code, codes_of, split_codes


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


_FACTS = (
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
    row = db.session.execute(_FACTS, {"user_id": user_id}).one_or_none()
    if row is None:
        return None
    level, region, areas, contracts, languages, phone, has_cv = row
    return ProfileSummary(user_id, level, region or "", split_codes(areas), split_codes(contracts),
                        split_codes(languages), phone or "", bool(has_cv))
