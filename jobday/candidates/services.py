"""Candidate profile rules, the profile checklist, and erasure.

Registration to editions and the waiting list live in ``registration.py``; consent in
``consent.py``; CV files in ``cv.py``; the personal data download in ``export.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import phonenumbers
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from jobday.accounts.models import User
from jobday.accounts.passwords import verify_password
from jobday.candidates.models import (
    CandidateContractType,
    CandidateJobArea,
    CandidateLanguage,
    CandidateProfile,
    Language,
    LanguageLevel,
    Region,
)
from jobday.candidates.profile_summary import ProfileSummary, ShownProfile
from jobday.db import utcnow
from jobday.errors import DomainError, PermissionDenied
from jobday.extensions import db
from jobday.vocabulary import ContractType, EducationLevel, JobArea

PHONE_REGION = "BE"
POSTCODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$")
MAX_ABOUT = 2000
MAX_YEARS = 60


class InvalidProfile(DomainError):
    """One field broke a rule; ``field`` names it so the view can show the message there."""

    code = "invalid_profile"

    def __init__(self, field: str, message) -> None:
        super().__init__(message, field=field)
        self.field = field


class WrongPassword(DomainError):
    code = "wrong_password"
    message = _l("Your password is not correct.")


# A profile holds a few of each choice: read with it in one statement rather than three more.
_WITH_CHOICES = (joinedload(CandidateProfile.languages), joinedload(CandidateProfile.job_area_rows),
                 joinedload(CandidateProfile.contract_type_rows))


def get_profile(user: User) -> CandidateProfile | None:
    """The user's profile with its languages, job areas and contract types (from the session's
    copy when the request read it already)."""
    return db.session.get(CandidateProfile, user.id, options=_WITH_CHOICES)


def cv_holders(candidate_ids) -> set[int]:
    """Those of ``candidate_ids`` who have a CV (one query): a "CV" link only where there is one."""
    ids = set(candidate_ids)
    if not ids:
        return set()
    return set(db.session.scalars(select(CandidateProfile.user_id).where(
        CandidateProfile.user_id.in_(ids), CandidateProfile.cv_stored_name.is_not(None))))


def get_or_create_profile(user: User) -> CandidateProfile:
    profile = get_profile(user)
    if profile is None:
        profile = CandidateProfile(user_id=user.id)
        db.session.add(profile)
        db.session.flush()
    return profile


# --- checking and normalising input ----------------------------------------------------

def normalise_phone(raw: str) -> str:
    """E.164 (+32470123456); Belgian numbers may be written the national way (0470 12 34 56)."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, PHONE_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise InvalidProfile("phone", _l(
            "Enter a valid phone number, for example 0470 12 34 56 or +33 6 12 34 56 78."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=4096)
def display_phone(e164: str) -> str:
    """The number as Belgians write it (others in the international form): pages show the same
    few numbers again and again, and parsing one cost 150 Python calls."""
    if not e164:
        return ""
    number = phonenumbers.parse(e164, None)
    style = (phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 32
             else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, style)


def region_for_postcode(postcode: str) -> str:
    """The Belgian region of a four-digit postcode; '' when it is not one."""
    if not re.fullmatch(r"\d{4}", postcode or ""):
        return ""
    code = int(postcode)
    if 1000 <= code <= 1299:
        return "brussels"
    if 1300 <= code <= 1499 or 4000 <= code <= 7999:
        return "wallonia"
    if 1500 <= code <= 3999 or 8000 <= code <= 9999:
        return "flanders"
    return ""


@dataclass
class ProfileInput:
    first_name: str
    last_name: str
    education_level: str | None
    job_areas: list[str]
    phone: str = ""
    postcode: str = ""
    region: str = ""
    field_of_study: str = ""
    years_experience: int | None = None
    languages: dict[str, str] | None = None
    contract_types: list[str] | None = None
    availability_date: date | None = None
    about: str = ""


def update_profile(user: User, data: ProfileInput, *, actor: User) -> CandidateProfile:
    """Check every field, then save: either all of it changes or nothing does."""
    if actor.id != user.id:
        raise PermissionDenied()
    first_name, last_name = data.first_name.strip(), data.last_name.strip()
    if not first_name:
        raise InvalidProfile("first_name", _l("Enter your first name."))
    if not last_name:
        raise InvalidProfile("last_name", _l("Enter your family name."))
    if len(first_name) > 100 or len(last_name) > 100:
        raise InvalidProfile("first_name" if len(first_name) > 100 else "last_name",
                             _l("Use at most %(n)d characters.", n=100))
    if data.education_level not in EducationLevel.codes():
        raise InvalidProfile("education_level", _l("Choose your education level."))
    areas = sorted(set(data.job_areas or ()))
    if not areas:
        raise InvalidProfile("job_areas", _l("Choose at least one job area."))
    if not set(areas) <= set(JobArea.codes()):
        raise InvalidProfile("job_areas", _l("Choose job areas from the list."))
    contracts = sorted(set(data.contract_types or ()))
    if not set(contracts) <= set(ContractType.codes()):
        raise InvalidProfile("contract_types", _l("Choose contract types from the list."))
    languages = {lang: level for lang, level in (data.languages or {}).items() if level}
    if not set(languages) <= set(Language.codes()) or not set(languages.values()) <= set(LanguageLevel.codes()):
        raise InvalidProfile("languages", _l("Choose languages and levels from the list."))
    phone = normalise_phone(data.phone)
    postcode = (data.postcode or "").strip().upper()
    if postcode and not POSTCODE.match(postcode):
        raise InvalidProfile("postcode", _l("Enter a valid postcode, for example 6041."))
    region = data.region or region_for_postcode(postcode)
    if region and region not in Region.codes():
        raise InvalidProfile("region", _l("Choose a region from the list."))
    if data.years_experience is not None and not 0 <= data.years_experience <= MAX_YEARS:
        raise InvalidProfile("years_experience",
                             _l("Enter a number of years between 0 and %(n)d.", n=MAX_YEARS))
    about = (data.about or "").strip()
    if len(about) > MAX_ABOUT:
        raise InvalidProfile("about", _l("Use at most %(n)d characters.", n=MAX_ABOUT))

    profile = get_or_create_profile(user)
    user.first_name, user.last_name = first_name, last_name
    profile.phone, profile.postcode, profile.region = phone, postcode, region
    profile.education_level = data.education_level
    profile.field_of_study = (data.field_of_study or "").strip()[:200]
    profile.years_experience = data.years_experience
    profile.availability_date = data.availability_date
    profile.about = about
    profile.job_area_rows = [CandidateJobArea(area=area) for area in areas]
    profile.contract_type_rows = [CandidateContractType(contract_type=c) for c in contracts]
    profile.languages = [CandidateLanguage(language=lang, level=level)
                         for lang, level in sorted(languages.items())]
    profile.updated_at = utcnow()
    db.session.flush()
    return profile


# --- what is missing -------------------------------------------------------------------

@dataclass(frozen=True)
class MissingItem:
    code: str
    label: object
    required: bool


def missing_profile_items(user: User, profile: ProfileSummary | ShownProfile | CandidateProfile | None
                          ) -> list[MissingItem]:
    """Required items first (registration waits for them), then recommended ones (the profile
    as its summary or as the saved object)."""
    items = []
    if not user.first_name.strip() or not user.last_name.strip():
        items.append(MissingItem("name", _l("Your first and family name"), True))
    if profile is None or not profile.education_level:
        items.append(MissingItem("education_level", _l("Your education level"), True))
    if profile is None or not profile.job_areas:
        items.append(MissingItem("job_areas", _l("At least one job area"), True))
    if profile is None or not profile.has_cv:
        items.append(MissingItem("cv", _l("Your CV (PDF)"), False))
    if profile is None or not profile.phone:
        items.append(MissingItem("phone", _l("A phone number"), False))
    if profile is None or not profile.languages:
        items.append(MissingItem("languages", _l("The languages you speak"), False))
    return items


def profile_is_complete(user: User, profile: ProfileSummary | ShownProfile | CandidateProfile | None) -> bool:
    return not any(item.required for item in missing_profile_items(user, profile))


def check_password_again(user: User, password: str) -> None:
    if not verify_password(user.password_hash, password or ""):
        raise WrongPassword()
