"""Editions: the list, create, edit, clone, and opening or closing registration and booking by hand."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from jobday.companies.services import invite_companies_from
from jobday.editions import services as editions
from jobday.editions.models import Edition
from jobday.editions.web import edition_or_404
from jobday.errors import DomainError
from jobday.extensions import db
from jobday.forms import ActionForm
from jobday.staff.audit import record_audit
from jobday.staff.blueprint import admin_required, bp
from jobday.staff.editions_forms import (
    SETTING_FIELDS,
    WINDOW_FIELDS,
    CloneForm,
    EditionForm,
)
from jobday.web import attempt, flash_refusal, show_on, submitted_or_400

DEFAULT_TZ = "Europe/Brussels"
PLAIN_FIELDS = ("year", "name", "starts_on", "ends_on", "opens_at", "closes_at", "venue_name",
                "venue_address", "map_url", "capacity", "description_fr", "description_en") + SETTING_FIELDS
# Which form field shows a service's refusal.
ERROR_FIELDS = {"edition_exists": "year", "invalid_dates": "ends_on", "invalid_capacity": "capacity"}
WINDOW_ACTIONS = {
    ("registration", "open"): (editions.open_registration_now, _l("Registration is open.")),
    ("registration", "close"): (editions.close_registration_now, _l("Registration is closed.")),
    ("booking", "open"): (editions.open_booking_now, _l("Booking is open.")),
    ("booking", "close"): (editions.close_booking_now, _l("Booking is closed.")),
}


def _to_local(value: datetime | None, tz: str) -> datetime | None:
    return value.astimezone(ZoneInfo(tz)).replace(tzinfo=None) if value else None


def _fields(form: EditionForm, tz: str) -> dict:
    """The form's values for the service; windows typed in local time become aware datetimes."""
    fields = {name: form[name].data for name in PLAIN_FIELDS}
    for name in ("name", "venue_name", "venue_address", "map_url", "description_fr", "description_en"):
        fields[name] = (fields[name] or "").strip()
    for name in WINDOW_FIELDS:
        value = form[name].data
        fields[name] = value.replace(tzinfo=ZoneInfo(tz)) if value else None
    return fields


class DayAlreadyOver(DomainError):
    code = "day_already_over"
    message = _l("This day is already over: a fair cannot be moved into the past (check the year).")


def _refuse_moving_into_the_past(edition: Edition | None, tz: str, **days) -> None:
    """A mistyped year would close the door and start the retention clock (erasures): a day
    may be in the past only if it already was the edition's."""
    today = datetime.now(ZoneInfo(tz)).date()
    for name, day in days.items():
        if day < today and (edition is None or getattr(edition, name) != day):
            raise DayAlreadyOver(field=name)


def _refused(form: EditionForm):
    """A refusal told on its field (named by the error, or by its code) and at the top of the page."""
    def tell(error: DomainError) -> None:
        field = error.details.get("field") or ERROR_FIELDS.get(error.code)
        if field and field in form:
            show_on(form[field], error)
        flash_refusal(error)
    return tell


@bp.get("/editions", endpoint="editions")
@admin_required
def edition_list():
    rows = list(db.session.scalars(select(Edition).order_by(Edition.starts_on.desc())))
    current = editions.current_edition()
    return render_template("staff/editions.html", editions=rows, current=current,
                           phases={edition.id: editions.edition_phase(edition) for edition in rows},
                           registration_open=editions.registration_open, booking_open=editions.booking_open,
                           confirm_form=ActionForm())


@bp.route("/editions/new", methods=["GET", "POST"])
@admin_required
def new_edition():
    form = EditionForm()
    if not form.is_submitted():
        for name in ("opens_at", "closes_at") + SETTING_FIELDS:
            form[name].data = Edition.__table__.c[name].default.arg
    if form.validate_on_submit():
        # Empty windows keep the defaults create_edition derives from the first day.
        fields = {name: value for name, value in _fields(form, DEFAULT_TZ).items()
                  if name not in WINDOW_FIELDS or value is not None}
        with attempt(_("The edition was created."), tell=_refused(form)) as outcome:
            _refuse_moving_into_the_past(None, DEFAULT_TZ, starts_on=form.starts_on.data, ends_on=form.ends_on.data)
            edition = editions.create_edition(year=fields.pop("year"), starts_on=fields.pop("starts_on"),
                                              ends_on=fields.pop("ends_on"), name=fields.pop("name"))
            editions.update_edition(edition, **fields)
            record_audit("edition_change", actor=current_user, object_type="edition", object_id=edition.id,
                         detail="create")
        if outcome.ok:
            return redirect(url_for("staff.editions"), code=303)
    return render_template("staff/edition_form.html", form=form, edition=None), 422 if form.errors else 200


@bp.route("/editions/<int:year>/edit", methods=["GET", "POST"])
@admin_required
def edit_edition(year: int):
    edition = edition_or_404(year)
    form = EditionForm()
    if not form.is_submitted():
        form.process(obj=edition)
        for name in WINDOW_FIELDS:
            form[name].data = _to_local(getattr(edition, name), edition.timezone)
    if form.validate_on_submit():
        with attempt(_("The edition was saved."), tell=_refused(form)) as outcome:
            _refuse_moving_into_the_past(edition, edition.timezone, starts_on=form.starts_on.data,
                                         ends_on=form.ends_on.data)
            editions.update_edition(edition, **_fields(form, edition.timezone))
            record_audit("edition_change", actor=current_user, object_type="edition", object_id=edition.id,
                         detail="edit")
        if outcome.ok:
            return redirect(url_for("staff.editions"), code=303)
    return render_template("staff/edition_form.html", form=form, edition=edition), 422 if form.errors else 200


@bp.route("/editions/<int:year>/clone", methods=["GET", "POST"])
@admin_required
def clone_edition(year: int):
    source = edition_or_404(year)
    form = CloneForm()
    if form.validate_on_submit():
        with attempt(tell=None) as outcome:
            _refuse_moving_into_the_past(None, source.timezone, starts_on=form.starts_on.data)
            target = editions.clone_edition(source, year=form.year.data, starts_on=form.starts_on.data,
                                            actor=current_user)
            invited = invite_companies_from(source, target)
            record_audit("edition_change", actor=current_user, object_type="edition", object_id=target.id,
                         detail=f"clone_from={source.id} invited={len(invited)}")
        if outcome.error:
            show_on(form.year if outcome.error.code == "edition_exists" else form.starts_on, outcome.error)
        else:
            flash(ngettext("The edition was copied; %(num)d company is invited.",
                           "The edition was copied; %(num)d companies are invited.", len(invited)), "success")
            return redirect(url_for("staff.edit_edition", year=target.year), code=303)
    return render_template("staff/edition_clone.html", form=form, source=source), 422 if form.errors else 200


@bp.post("/editions/<int:year>/<window>/<action>")
@admin_required
def set_window(year: int, window: str, action: str):
    edition = edition_or_404(year)
    if (window, action) not in WINDOW_ACTIONS:
        abort(404)
    submitted_or_400()
    change, message = WINDOW_ACTIONS[(window, action)]
    with attempt(message):
        change(edition)
        record_audit("edition_change", actor=current_user, object_type="edition", object_id=edition.id,
                     detail=f"{window}={action}")
    return redirect(url_for("staff.editions"), code=303)
