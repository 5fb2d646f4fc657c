"""What candidate pages show: a profile as (term, value) pairs for the definition list; the
edition's practical information and the home's cards, kept once written for what they show
(the same for most candidates reading a language)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from jobday.accounts.models import User
from jobday.candidates.models import CandidateProfile, Registration, RegistrationStatus
from jobday.candidates.services import MissingItem, display_phone
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


def registration_card(edition: Edition, registration: Registration | None, *, registration_is_open: bool,
                      position: int | None) -> Markup:
    """The edition's card of the home: the registration's state and what to do next. Not kept on
    the waiting list or with a place offered (a place in the line, a deadline: the candidate's own)."""
    status = registration.status if registration is not None else None
    shown = None if status in (RegistrationStatus.WAITLISTED, RegistrationStatus.OFFERED) else (
        edition.name, edition.year, status, registration is not None and registration.is_active, registration_is_open)
    return rendered("candidates/_home_registration.html", shown, edition=edition, registration=registration,
                    registration_is_open=registration_is_open, position=position)


def profile_card(missing: list[MissingItem]) -> Markup:
    """The profile's card of the home: what the profile still lacks (an item's code says its
    label and whether it is required)."""
    return rendered("candidates/_home_profile.html", tuple(item.code for item in missing), missing=missing)
