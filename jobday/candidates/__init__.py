"""Candidates: the profile, CV and consents, registration for an edition and its waiting list,
the candidate's home, privacy (data download, account deletion)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from jobday.candidates import cli, signup_mail, views
    from jobday.navigation import register_home, register_nav
    from jobday.security import Role

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.candidates_group)
    signup_mail.register_steps()
    register_nav("candidates.home", _l("My Jobdays"), Role.CANDIDATE, order=10)
    register_home(Role.CANDIDATE, "candidates.home")
    register_nav("candidates.profile", _l("My profile"), Role.CANDIDATE, order=20)
