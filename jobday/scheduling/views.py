"""The scheduling blueprint ``bp``: candidate, recruiter, organiser and calendar pages, each
in its own module, imported here so that registering ``bp`` registers them all; the
signal receivers, the job handlers, the home-page section and the periodic expiry of
waiting-list offers are set up here too."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from jobday.navigation import register_nav
from jobday.scheduling import (  # noqa: F401
    calendar_views,
    candidate_apply_views,
    candidate_views,
    home,
    organiser_views,
    receivers,
    recruiter_views,
    scheduler_run,
)
from jobday.scheduling.blueprint import bp
from jobday.scheduling.cli import expire_offers_command, solve_command
from jobday.security import Role

__all__ = ["bp"]

bp.cli.add_command(solve_command)
bp.cli.add_command(expire_offers_command)

register_nav("scheduling.companies", _l("Interviews"), Role.CANDIDATE, order=15)
register_nav("scheduling.agenda", _l("My agenda"), Role.CANDIDATE, order=16)
register_nav("scheduling.applicants", _l("Applicants"), Role.RECRUITER, order=25)
register_nav("scheduling.day", _l("Our day"), Role.RECRUITER, order=26)
register_nav("scheduling.grid", _l("Interviews"), Role.ADMIN, order=40)
register_nav("scheduling.scheduler", _l("Scheduler"), Role.ADMIN, order=41)


@bp.record_once
def _periodic_expiry(state) -> None:
    """The job worker passes overdue waiting-list offers on every minute."""
    app = state.app
    huey = app.extensions.get("jobday.huey")
    if huey is None:
        return
    from huey import crontab

    @huey.periodic_task(crontab(minute="*"), name="scheduling.expire_slot_offers")
    def expire_slot_offers_task() -> None:
        from jobday.extensions import db
        from jobday.scheduling.waitlist import expire_slot_offers

        with app.app_context():
            expire_slot_offers()
            db.session.commit()
