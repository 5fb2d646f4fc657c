"""The organisers' back office: dashboard, people, exports, campaigns, audit, retention, backups."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from huey import crontab


def init_app(app: Flask) -> None:
    from flask_login import user_logged_in

    from jobday import signals
    from jobday.jobs.queue import periodic_task
    from jobday.jobs.services import register_job_handler
    from jobday.navigation import register_home, register_nav
    from jobday.security import Role
    from jobday.staff import (
        audit,
        audit_views,
        campaign_views,
        campaigns,
        cli,
        company_views,
        editions_views,
        export_views,
        people_views,
        reminders,
        retention,
        views,
    )
    from jobday.web import register_pages

    register_pages(app, views, people_views, export_views, campaign_views, audit_views, editions_views)
    register_pages(app, company_views)  # a recruiter's own exports, under /company/exports
    for command in cli.COMMANDS:
        app.cli.add_command(command)  # top-level: `flask purge`, `flask backup`, ...
    register_nav("staff.dashboard", _l("Dashboard"), Role.ADMIN, order=30)
    register_home(Role.ADMIN, "staff.dashboard")
    register_nav("staff.people", _l("People"), Role.ADMIN, order=31)
    register_nav("staff.exports", _l("Exports"), Role.ADMIN, order=32)
    register_nav("staff.campaigns", _l("E-mails"), Role.ADMIN, order=33)
    register_nav("staff.audit", _l("Audit log"), Role.ADMIN, order=34)
    register_nav("staff.editions", _l("Editions"), Role.ADMIN, order=35)
    register_job_handler("staff.export", export_views.export_job)
    register_job_handler(export_views.DOOR_LIST_JOB, export_views.door_list_job)
    register_job_handler(audit_views.BACKUP_JOB, audit_views.backup_job)
    register_job_handler(campaigns.JOB_KIND, campaigns.campaign_job)
    user_logged_in.connect(audit.on_login)
    signals.cv_viewed.connect(audit.on_cv_viewed)
    signals.scan_forced.connect(audit.on_scan_forced)
    signals.participation_decided.connect(audit.on_participation_decided)
    signals.schedule_published.connect(audit.on_schedule_published)
    # The worker: the purge every night, reminders at 17:00 UTC (eve) and 05:00 UTC (morning).
    periodic_task(app, crontab(hour="3", minute="15"), "staff.daily_purge", retention.run_daily_purge)
    periodic_task(app, crontab(hour="5,17", minute="0"), "staff.reminders", reminders.send_due_reminders)
