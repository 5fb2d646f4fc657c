"""Organiser pages: print badges (selection, layout, calibration, reprint reason), a test
page to calibrate the printer, and the list of badges with reissue and revoke."""

from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from jobday.badges import documents, printing
from jobday.badges.blueprint import bp, pdf_response
from jobday.badges.codes import for_humans, normalise, with_check
from jobday.badges.faces import BadgeData
from jobday.badges.files import edition_data
from jobday.badges.forms import (
    REISSUE_CHOICES,
    PrintFilterForm,
    PrintForm,
    ReissueForm,
    as_choices,
)
from jobday.badges.layouts import get_layout
from jobday.badges.models import Badge, PrintLayout
from jobday.badges.services import reissue_badge, revoke_badge
from jobday.collation import collated, like_folded
from jobday.companies.models import APPROVED, Company, Participation
from jobday.editions.models import Edition
from jobday.editions.web import chosen_edition_or_404
from jobday.extensions import db
from jobday.jobs.services import enqueue
from jobday.security import Role, role_required
from jobday.web import attempt, show_on

PAGE_SIZE = 50


def _company_choices(edition: Edition) -> list:
    rows = db.session.execute(select(Company.id, Company.name).join(Participation)
                              .where(Participation.edition_id == edition.id, Participation.status == APPROVED)
                              .order_by(collated(Company.name)))
    return as_choices([("", _("Every company"))] + [(str(company_id), name) for company_id, name in rows])


def _selection(form: PrintFilterForm, edition: Edition) -> printing.Selection:
    company = form.company.data
    return printing.Selection(edition_id=edition.id, role=form.role.data or None,
                              company_id=int(company) if company and company.isdigit() else None,
                              only_new=bool(form.only_new.data))


def _offset(form: PrintFilterForm) -> tuple[float, float]:
    return (float(form.offset_x.data or Decimal(0)), float(form.offset_y.data or Decimal(0)))


def _print_page(edition: Edition, form: PrintFilterForm, print_form: PrintForm, status: int = 200):
    preview = None
    if not form.errors:
        preview = printing.preview(edition, _selection(form, edition), form.layout.data)
    return render_template("badges/print.html", edition=edition, form=form, print_form=print_form,
                           preview=preview, counts=printing.print_counts(edition)), status


@bp.get("/staff/badges")
@role_required(Role.ADMIN)
def print_page():
    edition = chosen_edition_or_404()
    form = PrintFilterForm(request.args)
    form.company.choices = _company_choices(edition)
    if request.args:
        form.validate()
    print_form = PrintForm(formdata=None, data=form.data)
    print_form.company.choices = form.company.choices
    return _print_page(edition, form, print_form)


@bp.post("/staff/badges/print")
@role_required(Role.ADMIN)
def start_print():
    edition = chosen_edition_or_404()
    form = PrintForm()
    form.company.choices = _company_choices(edition)
    if not form.validate_on_submit():
        return _print_page(edition, form, form, status=400)
    with attempt(tell=None) as outcome:
        job, _badges = printing.start_print(_selection(form, edition), layout=form.layout.data,
                                            offset=_offset(form), reason=form.reason.data, actor=current_user)
    if outcome.error:
        show_on(form.reason if isinstance(outcome.error, printing.ReprintNeedsReason) else form, outcome.error)
        return _print_page(edition, form, form, status=400)
    job_id = job.id
    enqueue(job)
    return redirect(url_for("jobs.show", job_id=job_id))


@bp.get("/staff/badges/test-page.pdf")
@role_required(Role.ADMIN)
def test_page():
    edition = chosen_edition_or_404()
    form = PrintFilterForm(request.args)
    form.company.choices = _company_choices(edition)
    if not form.validate():
        abort(400)
    layout = get_layout(form.layout.data)
    offset = _offset(form)
    sample = [BadgeData(code=_sample_code(n), role=role, first_name=_("Test"),
                        last_name=_("Badge %(n)d", n=n + 1), company=_("Company"), stand="A1",
                        locale=current_user.locale or None)
              for n, role in enumerate(["candidate", "recruiter", "staff", "visitor"] * 2)]
    lines = [
        _("Test page: %(layout)s, calibration %(x)s mm right, %(y)s mm down.", layout=PrintLayout(layout.key).label,
          x=f"{offset[0]:g}", y=f"{offset[1]:g}"),
        _("The dashed frame of the first badge should start %(x)s mm from the left edge of the paper and "
          "%(y)s mm from the top edge. Measure it; add the difference to the calibration and print again.",
          x=f"{layout.margin_x:g}", y=f"{layout.margin_y:g}"),
    ]
    pdf = documents.render_test_page(layout.key, offset, sample, edition_data(edition), lines)
    return pdf_response(pdf, f"badges-test-page-{layout.key}.pdf")


def _sample_code(n: int) -> str:
    return with_check(("TESTBADGE" + str(n + 2) * 8)[:17])


@bp.get("/staff/badges/list")
@role_required(Role.ADMIN)
def badge_list():
    edition = chosen_edition_or_404()
    query = request.args.get("q", "").strip()[:100]
    page = max(1, request.args.get("page", 1, type=int))
    statement = select(Badge).where(Badge.edition_id == edition.id)
    if query:
        statement = statement.where(or_(Badge.search_key.like(like_folded(query), escape="\\"),
                                        Badge.code == normalise(query)))
    statement = statement.order_by(Badge.status, collated(Badge.last_name), collated(Badge.first_name), Badge.id)
    badges = list(db.session.scalars(statement.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)))
    return render_template("badges/list.html", edition=edition, badges=badges[:PAGE_SIZE], query=query,
                           page=page,
                           has_next=len(badges) > PAGE_SIZE, reissue_form=ReissueForm(formdata=None),
                           reasons=dict(REISSUE_CHOICES), code_text=for_humans)


def _badge(badge_id: int) -> Badge:
    badge = db.session.get(Badge, badge_id)
    if badge is None:
        abort(404)
    return badge


@bp.post("/staff/badges/<int:badge_id>/reissue")
@role_required(Role.ADMIN)
def reissue(badge_id: int):
    badge = _badge(badge_id)
    form = ReissueForm()
    if not form.validate_on_submit():
        flash(_("Choose a reason."), "error")
        return redirect(url_for("badges.badge_list", year=badge.edition.year))
    with attempt(_("A new badge was issued; the old code no longer opens the door.")) as outcome:
        new = reissue_badge(badge, reason=form.reason.data, actor=current_user)
    if outcome.error:
        return redirect(url_for("badges.badge_list", year=badge.edition.year))
    return redirect(url_for("badges.badge_list", year=new.edition.year, q=new.code))


@bp.post("/staff/badges/<int:badge_id>/revoke")
@role_required(Role.ADMIN)
def revoke(badge_id: int):
    badge = _badge(badge_id)
    form = ReissueForm()
    if not form.validate_on_submit():
        flash(_("Choose a reason."), "error")
        return redirect(url_for("badges.badge_list", year=badge.edition.year))
    with attempt(_("The badge was revoked.")):
        revoke_badge(badge, reason=form.reason.data, actor=current_user)
    return redirect(url_for("badges.badge_list", year=badge.edition.year))

