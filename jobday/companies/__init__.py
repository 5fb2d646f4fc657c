"""Companies: registration, recruiters, participation per edition, job offers, interview plans."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from jobday.companies import offer_views, organiser_views, plan_views, public_views, team_views, views
    from jobday.navigation import register_home, register_nav
    from jobday.security import Role
    from jobday.web import register_pages

    register_pages(app, views, team_views, offer_views, plan_views, organiser_views, public_views)
    register_nav("companies.home", _l("My company"), Role.RECRUITER, order=20)
    register_home(Role.RECRUITER, "companies.home")
    register_nav("companies.staff_list", _l("Companies"), Role.ADMIN, order=40)
