"""The door: badge scans (camera, USB scanner, offline), gate devices and the arrivals board."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from jobday.checkin import api, cli, pages, services
    from jobday.navigation import register_home, register_nav
    from jobday.scheduling import day
    from jobday.security import Role
    from jobday.web import register_pages

    register_pages(app, api, pages)
    app.cli.add_command(cli.gate_token)  # `flask gate-token`, at the top level
    register_nav("checkin.door", _l("Door"), Role.STAFF, order=70)
    register_home(Role.STAFF, "checkin.door")
    register_nav("checkin.arrivals", _l("Arrivals"), Role.ADMIN, order=71)
    day.register_presence(services.is_inside)  # a recruiter cannot release someone already inside
