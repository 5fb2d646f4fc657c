"""The interviews section of the candidate's home page (candidates cannot import
scheduling, so they ask their providers)."""

from __future__ import annotations

from jobday.candidates.home import HomeSection
from jobday.candidates.models import RegistrationStatus
from jobday.scheduling import queries


def interviews_section(user, edition, registration) -> HomeSection | None:
    if edition is None or registration is None or registration.status != RegistrationStatus.REGISTERED:
        return None
    return HomeSection(
        "scheduling/_home_section.html",
        {"items": queries.agenda_items(user.id, edition.id), "edition": edition},
    )


def withdrawal_section(user, edition, registration) -> HomeSection | None:
    """What withdrawing from the edition cancels: the candidate's interviews."""
    if registration is None or registration.status != RegistrationStatus.REGISTERED:
        return None
    items = queries.agenda_items(user.id, edition.id)
    return HomeSection("scheduling/_withdraw_section.html", {"items": items}) if items else None
