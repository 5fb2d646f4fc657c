"""What candidate pages show: a profile as (term, value) pairs for the definition list; the
edition's practical information."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from jobday.accounts.models import User
from jobday.candidates.models import CandidateProfile
from jobday.candidates.services import display_phone
from jobday.editions.models import Edition
from jobday.formats import format_date
from jobday.fragments import rendered
from jobday.vocabulary import label


def profile_facts(user: User, profile: CandidateProfile | None) -> list[tuple[object, str]]:
    facts = [(_l("Name"), user.display_name if (user.first_name or user.last_name) else ""),
             (_l("E-mail address"), user.email)]
    if profile is None:
        return facts
    facts += [
        (_l("Phone"), display_phone(profile.phone)),
        (_l("Postcode"), profile.postcode),
        (_l("Region"), label(profile.region)),
        (_l("Education level"), label(profile.education_level)),
        (_l("Field of study"), profile.field_of_study),
        (_l("Years of experience"),
         "" if profile.years_experience is None else str(profile.years_experience)),
        (_l("Languages"), ", ".join(f"{language.label} ({level.label})"
                                    for language, level in profile.language_levels.items())),
        (_l("Job areas"), ", ".join(area.label for area in profile.job_areas)),
        (_l("Contract types"), ", ".join(contract.label for contract in profile.contract_types)),
        (_l("Available from"), format_date(profile.availability_date, "long")),
        (_l("In their own words"), profile.about),  # read by recruiters and organisers too
        (_l("CV"), profile.cv_original_name or ""),
    ]
    return facts


def practical_information(edition: Edition) -> Markup:
    """candidates/_practical.html, kept once written for what it shows: the same for every
    reader of a language (the home and the edition page show it to every candidate)."""
    shown = (edition.id, edition.starts_on, edition.ends_on, edition.opens_at, edition.closes_at,
             edition.timezone, edition.venue_name, edition.venue_address, edition.map_url)
    return rendered("candidates/_practical.html", shown, edition=edition)
