"""What candidate pages show: a profile as (term, value) pairs for the definition list."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from jobday.accounts.models import User
from jobday.candidates.forms import LANGUAGE_NAMES, LEVEL_CHOICES, REGION_CHOICES
from jobday.candidates.models import CandidateProfile
from jobday.candidates.services import display_phone
from jobday.vocabulary import CONTRACT_TYPES, EDUCATION_LEVELS, JOB_AREAS, label


def profile_facts(user: User, profile: CandidateProfile | None) -> list[tuple[object, str]]:
    facts = [(_l("Name"), user.display_name if (user.first_name or user.last_name) else ""),
             (_l("E-mail address"), user.email)]
    if profile is None:
        return facts
    levels = dict(LEVEL_CHOICES)
    regions = dict(REGION_CHOICES)
    facts += [
        (_l("Phone"), display_phone(profile.phone)),
        (_l("Postcode"), profile.postcode),
        (_l("Region"), str(regions[profile.region]) if profile.region else ""),
        (_l("Education level"), label(EDUCATION_LEVELS, profile.education_level)
         if profile.education_level else ""),
        (_l("Field of study"), profile.field_of_study),
        (_l("Years of experience"),
         "" if profile.years_experience is None else str(profile.years_experience)),
        (_l("Languages"), ", ".join(f"{LANGUAGE_NAMES[code]} ({levels.get(level, level)})"
                                    for code, level in profile.language_levels.items())),
        (_l("Job areas"), ", ".join(label(JOB_AREAS, code) for code in profile.job_areas)),
        (_l("Contract types"), ", ".join(label(CONTRACT_TYPES, code) for code in profile.contract_types)),
        (_l("Available from"),
         format_date(profile.availability_date, "long") if profile.availability_date else ""),
        (_l("About you"), profile.about),
        (_l("CV"), profile.cv_original_name or ""),
    ]
    return facts
