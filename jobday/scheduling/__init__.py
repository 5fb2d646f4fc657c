"""Interviews: booking, waiting lists, applications, wishes, the day, calendars, and the fair
scheduler (its pure algorithms in ``solver/``)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from huey import crontab


def init_app(app: Flask) -> None:
    from jobday.candidates.home import register_home_section
    from jobday.candidates.signals import registration_withdrawn
    from jobday.companies import plan_guard
    from jobday.jobs.queue import periodic_task
    from jobday.jobs.services import register_job_handler
    from jobday.navigation import register_nav
    from jobday.scheduling import (
        calendar_views,
        candidate_apply_views,
        candidate_views,
        cli,
        home,
        organiser_views,
        receivers,
        recruiter_views,
        scheduler_run,
    )
    from jobday.security import Role
    from jobday.web import register_pages

    register_pages(app, candidate_views, candidate_apply_views, calendar_views, recruiter_views, organiser_views)
    app.cli.add_command(cli.schedule_group)
    register_nav("scheduling.companies", _l("Interviews"), Role.CANDIDATE, order=15)
    register_nav("scheduling.agenda", _l("My agenda"), Role.CANDIDATE, order=16)
    register_nav("scheduling.applicants", _l("Applicants"), Role.RECRUITER, order=25)
    register_nav("scheduling.day", _l("Our day"), Role.RECRUITER, order=26)
    register_nav("scheduling.grid", _l("Interviews"), Role.ADMIN, order=40)
    register_nav("scheduling.scheduler", _l("Scheduler"), Role.ADMIN, order=41)
    register_home_section("interviews", home.interviews_section, order=10)
    register_job_handler("scheduling.solve", scheduler_run.solve_job)
    register_job_handler("scheduling.publish", scheduler_run.publish_job)
    registration_withdrawn.connect(receivers.on_registration_withdrawn)
    plan_guard.register_slot_holder(receivers.SLOT_HOLDER)
    # The worker passes overdue waiting-list offers on every minute.
    periodic_task(app, crontab(minute="*"), "scheduling.expire_slot_offers", _expire_slot_offers)


def _expire_slot_offers() -> None:
    from jobday.extensions import db
    from jobday.scheduling.waitlist import expire_slot_offers

    expire_slot_offers()
    db.session.commit()
