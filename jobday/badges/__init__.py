"""Badges: unguessable codes, PDF badges for every person of an edition, bulk printing."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from jobday import signals
    from jobday.badges import cli, files, home, printing, receivers, staff_views, views
    from jobday.candidates.home import register_home_section
    from jobday.candidates.signals import candidate_erased, registration_confirmed, registration_withdrawn
    from jobday.jobs.services import register_job_handler
    from jobday.mail.sources import register_attachment_source
    from jobday.navigation import register_nav
    from jobday.security import Role
    from jobday.web import register_pages

    register_pages(app, views, staff_views)
    app.cli.add_command(cli.badges_group)
    register_nav("badges.print_page", _l("Badges"), Role.ADMIN, order=60)
    register_home_section("badge", home.badge_section, order=30)
    register_job_handler(printing.JOB_KIND, printing.print_job)
    register_attachment_source(files.SOURCE_KIND, files.render_attachment)
    registration_withdrawn.connect(receivers.on_registration_withdrawn)
    candidate_erased.connect(receivers.on_candidate_erased)
    registration_confirmed.connect(receivers.attach_badge)
    signals.participation_decided.connect(receivers.on_participation_decided)
    signals.company_member_joined.connect(receivers.on_member_joined)
