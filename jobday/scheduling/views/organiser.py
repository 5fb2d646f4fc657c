"""Organiser pages: the grid of every company × time (by half-day, with the candidate's
name in each booked cell), fill rates, candidates without an interview, and the interviews
export. The fair scheduler's pages are in ``scheduler``."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from jobday.collation import collated
from jobday.companies.models import Company, InterviewSlot, InterviewTable, Participation
from jobday.editions.web import edition_or_404
from jobday.extensions import db
from jobday.scheduling import booking_queries, fair_grid
from jobday.scheduling.models import Booking
from jobday.scheduling.views.blueprint import bp
from jobday.security import Role, role_required
from jobday.tabular import csv_response

organiser_required = role_required(Role.ADMIN)


@bp.get("/organiser/interviews")
@organiser_required
def grid():
    edition = edition_or_404()
    return render_template(
        "scheduling/grid.html",
        edition=edition,
        halves=fair_grid.grid(edition),
        without=booking_queries.candidates_without_interviews(edition.id, limit=200),
        without_count=booking_queries.count_without_interviews(edition.id),
    )


@bp.get("/organiser/interviews.csv")
@organiser_required
def export_interviews():
    edition = edition_or_404()
    rows = db.session.execute(
        select(Booking, Company.name, InterviewTable.name, Participation.stand)
        .join(InterviewSlot, InterviewSlot.id == Booking.slot_id)
        .join(InterviewTable, InterviewTable.id == InterviewSlot.table_id)
        .join(Participation, Participation.id == Booking.participation_id)
        .join(Company, Company.id == Participation.company_id)
        .where(Booking.edition_id == edition.id, Booking.active)
        .options(selectinload(Booking.candidate))
        .order_by(collated(Company.name), Booking.starts_at)
    ).all()
    headers = (_l("Company"), _l("Stand"), _l("Table"), _l("Start"), _l("End"), _l("Candidate"), _l("E-mail"),
               _l("Origin"), _l("Outcome"))
    table = [(company, stand or "", table, booking.starts_at, booking.ends_at, booking.candidate.display_name,
              booking.candidate.email, booking.source, booking.outcome) for booking, company, table, stand in rows]
    stem = _("interviews")
    return csv_response(headers, table, f"{stem}-{edition.year}.csv")
