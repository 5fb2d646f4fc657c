"""Leads: recruiters scan the badges of the candidates who visit their stand, note them and
follow them up; candidates see which companies hold their details and can take that back."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    """The pages (the stand, the leads, the matching candidates, the candidate's side), the
    navigation, the home section and the signal receivers (erasure, withdrawn registrations)."""
    from jobday.candidates.home import register_home_section
    from jobday.candidates.signals import candidate_erased, registration_withdrawn
    from jobday.leads import candidate_views, match_views, retention, stand_views, views
    from jobday.navigation import register_nav
    from jobday.security import Role
    from jobday.web import register_pages

    register_pages(app, stand_views, views, match_views, candidate_views)
    register_nav("leads.stand", _l("Stand"), Role.RECRUITER, order=27)
    register_nav("leads.leads", _l("Leads"), Role.RECRUITER, order=28)
    register_home_section("met_at_the_fair", candidate_views.met_at_the_fair_section, order=11)
    candidate_erased.connect(retention.erase_candidate_leads)
    registration_withdrawn.connect(retention.end_invitations_of_withdrawn)
