"""A company's job offers: publish, edit, close and reopen."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from jobday.companies import offers
from jobday.companies.blueprint import bp, my_membership, owned
from jobday.companies.forms import OfferForm
from jobday.companies.models import JobOffer
from jobday.editions.services import current_edition
from jobday.extensions import db
from jobday.kept_fields import kept_form
from jobday.security import Role, role_required
from jobday.web import attempt, submitted_or_400


def _fields(form: OfferForm) -> dict:
    return {"title": form.title.data, "contract_type": form.contract_type.data,
            "education_level": form.education_level.data, "job_areas": form.job_areas.data or [],
            "location": form.location.data or "", "description": form.description.data or "",
            "region": form.region.data or "", "languages": form.languages.data or [],
            "open_for_interviews": bool(form.open_for_interviews.data)}


def _published_or_saved(company, published: str) -> str:
    """"Published" only when candidates can see it: the company is approved for the edition."""
    if offers.offers_visible(company, current_edition()):
        return published
    return _("The offer is saved. Candidates will see it on the offers page once the organisers "
             "approve your company's participation.")


@bp.route("/company/offers/new", methods=["GET", "POST"])
@role_required(Role.RECRUITER)
def new_offer():
    member = my_membership()
    form = OfferForm() if request.method == "POST" else None
    if form is not None and form.validate_on_submit():
        with attempt(_published_or_saved(member.company, _("The offer is published.")), tell=form) as outcome:
            offers.create_offer(member.company, actor=current_user, **_fields(form))
        if outcome.ok:
            return redirect(url_for("companies.home"))
    fields = kept_form(_OFFER_FIELDS, ("new",) if form is None else None, lambda: form or OfferForm())
    status = 422 if request.method == "POST" else 200
    return render_template("companies/offer_form.html", fields=fields, offer=None), status


@bp.route("/company/offers/<int:offer_id>/edit", methods=["GET", "POST"])
@role_required(Role.RECRUITER)
def edit_offer(offer_id: int):
    member = my_membership()
    offer = owned(offers.offer_with_choices(offer_id), member.company_id)
    form = OfferForm(obj=offer) if request.method == "POST" else None
    if form is not None and form.validate_on_submit():
        with attempt(_("The offer is saved."), tell=form) as outcome:
            offers.update_offer(offer, actor=current_user, **_fields(form))
        if outcome.ok:
            return redirect(url_for("companies.home"))
    shown = None if form is not None else ("edit", *(_shown(getattr(offer, name)) for name in _OFFER_VALUES))
    fields = kept_form(_OFFER_FIELDS, shown, lambda: form or OfferForm(obj=offer))
    status = 422 if request.method == "POST" else 200
    return render_template("companies/offer_form.html", fields=fields, offer=offer), status


_OFFER_FIELDS = "companies/_offer_fields.html"
# What an offer's form shows of it (``OfferForm(obj=offer)`` reads these attributes).
_OFFER_VALUES = ("title", "contract_type", "education_level", "job_areas", "location", "region", "languages",
                 "description", "open_for_interviews")


def _shown(value):
    return tuple(value) if isinstance(value, list) else value


def _toggle(offer_id: int, close: bool):
    member = my_membership()
    offer = owned(db.session.get(JobOffer, offer_id), member.company_id)
    submitted_or_400()
    with attempt(_("The offer is closed.") if close
                 else _published_or_saved(member.company, _("The offer is open again."))):
        (offers.close_offer if close else offers.reopen_offer)(offer, actor=current_user)
    return redirect(url_for("companies.home"))


@bp.post("/company/offers/<int:offer_id>/close")
@role_required(Role.RECRUITER)
def close_offer(offer_id: int):
    return _toggle(offer_id, close=True)


@bp.post("/company/offers/<int:offer_id>/reopen")
@role_required(Role.RECRUITER)
def reopen_offer(offer_id: int):
    return _toggle(offer_id, close=False)
