"""Public pages: the exhibitors and the job offers of the current edition, and logos."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, abort, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import bindparam, select

from jobday import fragments, paging, storage
from jobday.companies import offers
from jobday.companies.access import membership_of
from jobday.companies.blueprint import bp
from jobday.companies.forms import ExhibitorFilterForm, OfferFilterForm
from jobday.companies.models import APPROVED, Company, Participation
from jobday.editions.services import current_edition
from jobday.extensions import db
from jobday.security import Role
from jobday.vocabulary import ContractType, EducationLevel, JobArea

LOGO_CSP = {"image/svg+xml": "default-src 'none'; style-src 'unsafe-inline'; sandbox"}


@bp.get("/exhibitors")
def exhibitors():
    edition = current_edition()
    form = _filter_form(ExhibitorFilterForm)
    search = form.q.data if form is not None else None
    rows = offers.approved_exhibitor_rows(edition, search=search) if edition else []
    ranker, reasons, shown = offers.exhibitor_ranker(), {}, None
    can_rank = ranker is not None and current_user.is_authenticated and current_user.has_role(Role.CANDIDATE)
    if can_rank and form is not None and form.sort.data == "match" and rows:
        ranked = ranker(current_user, edition, offers.exhibitors(rows))
        shown = [row for row, _why in ranked]
        reasons = {row[0].id: why for row, why in ranked if why}
    filters = _filters("companies/_exhibitor_filters.html", ExhibitorFilterForm, form, can_rank) if edition else ""
    # Kept for the rows it shows; made into what the page shows only then.
    listed = fragments.kept(None if reasons else ("companies/_exhibitor_list.html", tuple(map(tuple, rows))),
                            lambda: render_template("companies/_exhibitor_list.html", reasons=reasons,
                                                    exhibitors=shown or offers.exhibitors(rows))) if rows else ""
    return render_template("companies/exhibitors.html", edition=edition, exhibitors=rows, filters=filters,
                           exhibitor_list=listed, searched=search)


def _filter_form(form_class):
    """The list's filters as the address gives them; None when it gives none (every first look
    at the list: no filter, no search, the first order)."""
    if not request.args:
        return None
    form = form_class(formdata=None)
    form.process(request.args)
    return form


def _filters(template: str, form_class, form, can_rank: bool) -> Markup:
    """The filters' HTML. Untouched (no query string) it is the same for everyone reading a
    language (with or without the "best match" order), so it is kept once rendered, per
    language, list, address and order choice (not while templates reload, in development)."""
    if form is not None or current_app.jinja_env.auto_reload:
        return Markup(render_template(template, form=form or form_class(formdata=None), can_rank=can_rank))
    key = (str(get_locale()), template, request.script_root, can_rank)
    html = _UNTOUCHED_FILTERS.get(key)
    if html is None:
        html = _UNTOUCHED_FILTERS[key] = Markup(
            render_template(template, form=form_class(formdata=None), can_rank=can_rank))
    return html


_UNTOUCHED_FILTERS: dict[tuple[str, str, str, bool], Markup] = {}


OFFERS_PER_PAGE = 25  # an edition has a few hundred: a phone scrolled through all of them


@bp.get("/offers")
def public_offers():
    edition = current_edition()
    form = _filter_form(OfferFilterForm)
    results, reasons = [], {}
    if edition is not None:
        results = (offers.edition_offers(edition, area=form.area.data or None, contract=form.contract.data or None,
                                         level=form.level.data or None, search=form.q.data)
                   if form is not None else offers.edition_offers(edition))
    ranker = offers.offer_ranker()
    can_rank = ranker is not None and current_user.is_authenticated and current_user.has_role(Role.CANDIDATE)
    if can_rank and form is not None and form.sort.data == "match" and results:
        ranked = ranker(current_user, edition, results)
        results = [offer for offer, _why in ranked]
        reasons = {offer.id: why for offer, why in ranked if why}
    shown = paging.page_of(results, paging.requested(), OFFERS_PER_PAGE)
    details = offers.offer_detail_rows([row.id for row in shown.items])
    described = {row[0] for row in details}
    shown.items = [row for row in shown.items if row.id in described]  # not deleted since the list was read
    # Kept for the rows it shows: the cards are written (their words translated) only then.
    listed = fragments.kept(None if reasons else ("companies/_offer_list.html", tuple(shown.items), details),
                            lambda: render_template("companies/_offer_list.html", reasons=reasons,
                                                    offers=_offer_cards(shown.items, details))) if shown.items else ""
    return render_template("companies/offers.html", edition=edition,
                           filters=_filters("companies/_offer_filters.html", OfferFilterForm, form, can_rank),
                           offers=shown, offer_list=listed)


@bp.get("/offers/<int:offer_id>")
def public_offer(offer_id: int):
    edition = current_edition()
    offer = offers.offer_with_choices(offer_id)
    if offer is None or edition is None or offer.closed_at is not None:
        abort(404)
    # The company's approved participation in the edition (one per company and edition) with
    # the company: none, and the offer is not public.
    found = db.session.execute(_APPROVED_STAND, {"company_id": offer.company_id, "edition_id": edition.id}).first()
    if found is None:
        abort(404)
    participation, company = found
    return render_template("companies/offer.html", offer=offer, company=company, edition=edition,
                           participation=participation)


_APPROVED_STAND = (select(Participation, Company).join(Company, Company.id == Participation.company_id)
                   .where(Participation.company_id == bindparam("company_id"),
                          Participation.edition_id == bindparam("edition_id"), Participation.status == APPROVED))


@dataclass(frozen=True)
class OfferCard:
    """One offer of the list as the page shows it, its words in the reader's language."""

    id: int
    url: str
    title: str
    company_name: str
    location: str
    contract: str
    level: str
    areas: str
    open_for_interviews: bool


def _offer_cards(rows, detail_rows) -> list[OfferCard]:
    """The page's rows of ``edition_offers`` with their details (``offer_detail_rows``); each
    word of the vocabularies is translated once a page, not once an offer."""
    words: dict[tuple[type, str], str] = {}

    def word(vocabulary, code: str) -> str:
        found = words.get((vocabulary, code))
        if found is None:
            found = words[(vocabulary, code)] = vocabulary(code).label
        return found

    details = offers.offer_details(detail_rows)
    # One address built, the others written from it (url_for per line cost more than the line).
    prefix, _marker, suffix = url_for("companies.public_offer", offer_id=_URL_MARKER).partition(str(_URL_MARKER))
    cards = []
    for row in rows:
        offer = details.get(row.id)
        if offer is None:  # deleted since the list was read
            continue
        cards.append(OfferCard(row.id, f"{prefix}{row.id}{suffix}", row.title, row.company_name, row.location,
                               word(ContractType, offer.contract_type), word(EducationLevel, offer.education_level),
                               ", ".join([word(JobArea, area) for area in offer.job_areas]),
                               offer.open_for_interviews))
    return cards


_URL_MARKER = 918273645  # an id no offer has, replaced in the built address


def _approved(company_id: int, edition_id: int | None = None) -> bool:
    query = select(Participation.id).where(Participation.company_id == company_id,
                                           Participation.status == APPROVED)
    if edition_id is not None:
        query = query.where(Participation.edition_id == edition_id)
    return db.session.scalar(query.limit(1)) is not None


@bp.get("/companies/<int:company_id>/logo")
def logo(company_id: int):
    """Public for approved exhibitors; otherwise only for the company's team and organisers."""
    company = db.session.get(Company, company_id)
    if company is None or not company.logo_filename:
        abort(404)
    member = membership_of(current_user)
    allowed = (_approved(company.id) or (member is not None and member.company_id == company.id)
               or (current_user.is_authenticated and current_user.has_role(Role.ADMIN)))
    stored = storage.read(company.logo_filename) if allowed else None
    if stored is None:
        abort(404)
    response = Response(stored.data, mimetype=company.logo_content_type)
    response.set_etag(company.logo_filename)
    response.make_conditional(request)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = LOGO_CSP.get(company.logo_content_type, "sandbox")
    response.headers["Content-Disposition"] = "inline"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
