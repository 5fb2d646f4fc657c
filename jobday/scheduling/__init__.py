"""Interviews: booking, waiting lists, applications, wishes, the day, calendars, and the fair
scheduler (its pure algorithms in ``solver/``)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from huey import crontab


def init_app(app: Flask) -> None:
    from jobday.candidates.home import register_home_section
    from jobday.candidates.signals import candidate_erased, registration_withdrawn
    from jobday.companies import plan_guard
    from jobday.companies.home import register_company_section
    from jobday.jobs.queue import periodic_task
    from jobday.jobs.services import register_job_handler, register_next_step
    from jobday.navigation import register_nav
    from jobday.scheduling import cli, home, receivers, waitlist
    from jobday.scheduling.planning import jobs as planning_jobs
    from jobday.scheduling.signals import slot_freed
    from jobday.scheduling.views import calendars, candidate, candidate_applications, organiser, recruiter, scheduler
    from jobday.security import Role
    from jobday.web import register_pages

    register_pages(app, candidate, candidate_applications, calendars, recruiter, organiser, scheduler)
    app.cli.add_command(cli.schedule_group)
    register_nav("scheduling.companies", _l("Interviews"), Role.CANDIDATE, order=15)
    register_nav("scheduling.agenda", _l("My agenda"), Role.CANDIDATE, order=16)
    register_nav("scheduling.applicants", _l("Applicants"), Role.RECRUITER, order=25)
    register_nav("scheduling.day", _l("Our day"), Role.RECRUITER, order=26)
    register_nav("scheduling.grid", _l("Interviews"), Role.ADMIN, order=40)
    register_nav("scheduling.scheduler", _l("Scheduler"), Role.ADMIN, order=41)
    register_home_section("interviews", home.interviews_section, order=10)
    register_home_section("interviews", home.withdrawal_section, order=10, page="withdraw")
    register_company_section("to_act_on", home.recruiter_section, order=10)
    register_job_handler("scheduling.solve", planning_jobs.solve_job)
    register_job_handler("scheduling.publish", planning_jobs.publish_job)
    register_next_step("scheduling.solve", "scheduling.scheduler", _l("See the proposed schedule and publish it"))
    register_next_step("scheduling.publish", "scheduling.scheduler", _l("Back to the scheduler"))
    registration_withdrawn.connect(receivers.on_registration_withdrawn)
    candidate_erased.connect(receivers.on_candidate_erased)
    slot_freed.connect(waitlist.offer_slot)  # a freed slot goes to the waiting list
    plan_guard.register_slot_holder(receivers.SLOT_HOLDER)
    # The worker passes overdue waiting-list offers on every minute.
    periodic_task(app, crontab(minute="*"), "scheduling.expire_slot_offers", _expire_slot_offers)


def _expire_slot_offers() -> None:
    from jobday.extensions import db
    from jobday.scheduling.waitlist import expire_slot_offers

    expire_slot_offers()
    db.session.commit()
