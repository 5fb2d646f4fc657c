"""The badge section of the candidate's home page (candidates cannot import badges, so
they ask their providers). Recruiters' company page includes the same partial:
``{% with context = {'year': edition.year} %}{% include "badges/_my_badge.html" %}{% endwith %}``."""

from __future__ import annotations

from jobday import fragments
from jobday.candidates.home import HomeSection
from jobday.candidates.models import RegistrationStatus

SECTION = "badges/_my_badge.html"


def badge_section(user, edition, registration) -> HomeSection | None:
    if edition is None or registration is None or registration.status != RegistrationStatus.REGISTERED:
        return None
    context = {"year": edition.year}
    # The same for every holder of the edition (its year in the links): written once a language.
    return HomeSection(SECTION, context, html=fragments.rendered(SECTION, ("year", edition.year), context=context))
