"""The back office: one blueprint, organisers only. Pages live in the *_views modules."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from jobday.editions.services import current_edition
from jobday.editions.web import chosen_edition_or_404
from jobday.navigation import register_nav
from jobday.security import Role, role_required

bp = Blueprint("staff", __name__, url_prefix="/staff", cli_group=None)
admin_required = role_required(Role.ADMIN)

register_nav("staff.dashboard", _l("Dashboard"), Role.ADMIN, order=30)
register_nav("staff.people", _l("People"), Role.ADMIN, order=31)
register_nav("staff.exports", _l("Exports"), Role.ADMIN, order=32)
register_nav("staff.campaigns", _l("E-mails"), Role.ADMIN, order=33)
register_nav("staff.audit", _l("Audit log"), Role.ADMIN, order=34)


@bp.get("")
@admin_required
def dashboard():
    from jobday.staff import svg
    from jobday.staff.dashboard import build_dashboard

    edition = current_edition()
    if request.args.get("year", type=int):
        edition = chosen_edition_or_404()
    if edition is None:
        return render_template("staff/dashboard.html", board=None, charts={})
    board = build_dashboard(edition)
    _label_codes(board)
    series = [(edition.name, board.curve)]
    if board.previous is not None:
        series.append((board.previous.name, board.previous_curve))
    charts = {
        "curve": svg.line_chart(series, title=_("Registrations, cumulative"),
                                x_label=_("Days before the fair")),
        "level": svg.bar_chart(board.by_level, title=_("Candidates by education level")),
        "area": svg.bar_chart(board.by_area, title=_("Candidates by job area")),
        "region": svg.bar_chart(board.by_region, title=_("Candidates by region")),
        "companies": svg.bar_chart(board.companies_by_status, title=_("Companies by status")),
        "fill": svg.bar_chart([(row.company, row.rate) for row in board.fill],
                              title=_("Fill rate per company (%)")),
    }
    return render_template("staff/dashboard.html", board=board, charts=charts)


def _label_codes(board) -> None:
    """Stored codes (``quality_control``, ``master``) shown as words in the reader's language."""
    from jobday.candidates.forms import REGION_CHOICES
    from jobday.vocabulary import EDUCATION_LEVELS, JOB_AREAS, label

    regions = dict(REGION_CHOICES)
    board.by_level = [(label(EDUCATION_LEVELS, code), n) for code, n in board.by_level]
    board.by_area = [(label(JOB_AREAS, code), n) for code, n in board.by_area]
    board.by_region = [(str(regions.get(code, code)) if code else "—", n) for code, n in board.by_region]


@bp.record_once
def _periodic_tasks(state) -> None:
    """The worker: the purge every night, reminders at 17:00 UTC (eve) and 05:00 UTC (morning)."""
    app = state.app
    huey = app.extensions.get("jobday.huey")
    if huey is None:
        return
    from huey import crontab

    @huey.periodic_task(crontab(hour="3", minute="15"), name="staff.daily_purge")
    def daily_purge_task() -> None:
        from jobday.staff.retention import run_daily_purge

        with app.app_context():
            run_daily_purge()

    @huey.periodic_task(crontab(hour="5,17", minute="0"), name="staff.reminders")
    def reminders_task() -> None:
        from jobday.db import utcnow
        from jobday.staff.reminders import due_kind, send_reminders

        with app.app_context():
            edition = current_edition()
            kind = due_kind(edition, utcnow().date()) if edition else None
            if kind:
                send_reminders(edition, kind)


from jobday.staff import (  # noqa: F401, E402  (pages and the job handler register on import)
    audit_views,
    campaign_views,
    cli,
    editions_views,
    export_views,
    people_views,
)

cli.register(bp)
