"""The back office's dashboard (its other pages live in the *_views modules)."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from jobday.editions.services import current_edition
from jobday.editions.web import chosen_edition_or_404
from jobday.staff.blueprint import admin_required, bp


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
                              title=_("Fill rate per company: booked slots out of all its slots, in percent"),
                              unit="%", top=100),
    }
    return render_template("staff/dashboard.html", board=board, charts=charts)


def _label_codes(board) -> None:
    """Stored codes (``quality_control``, ``master``) shown as words in the reader's language."""
    from jobday.vocabulary import label

    board.by_level = [(label(code) or "—", n) for code, n in board.by_level]
    board.by_area = [(label(code), n) for code, n in board.by_area]
    board.by_region = [(label(code) or "—", n) for code, n in board.by_region]
    board.companies_by_status = [(label(code), n) for code, n in board.companies_by_status]

