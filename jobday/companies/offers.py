"""Job offers: a company publishes, edits and closes them; candidates browse them per edition."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from itertools import count
from typing import NamedTuple

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, bindparam, select, type_coerce
from sqlalchemy.orm import joinedload

from jobday.accounts.models import User
from jobday.collation import collated, collator, has_words, like_folded, search_words, searchable
from jobday.companies.access import require_member
from jobday.companies.errors import InvalidField
from jobday.companies.models import APPROVED, Company, JobOffer, JobOfferArea, Participation
from jobday.db import utcnow
from jobday.driver_sql import DriverStatement
from jobday.editions.models import Edition
from jobday.extensions import db
from jobday.vocabulary import ContractType, EducationLevel, JobArea, Language, Region

# "Best match": a feature above companies (matching) ranks the offers for a candidate. It is
# registered at start-up: fn(user, edition, offers) -> [(offer, reasons)], the offers that fit
# first, best first, with their reasons (the others after them, without reasons).
_rankers: dict[str, object] = {}


def register_offer_ranker(ranker) -> None:
    _rankers["match"] = ranker


def offer_ranker():
    return _rankers.get("match")


# "Best match" on the exhibitors: fn(user, edition, rows) -> [(row, reasons)], the same order
# rule as the offers' (rows are (company, participation) pairs).
def register_exhibitor_ranker(ranker) -> None:
    _rankers["exhibitors"] = ranker


def exhibitor_ranker():
    return _rankers.get("exhibitors")


# The organiser's scheduler asks the same feature which exhibitors fit candidates without
# wishes: fn(edition_id, *, limit, excluded, company_ids) -> {candidate id: [company id, ...]},
# best first (see ``jobday.matching.suggestions``).
def register_company_suggester(suggester) -> None:
    _rankers["companies"] = suggester


def company_suggester():
    return _rankers.get("companies")


def _check_place(region: str, languages) -> tuple[str, list[str]]:
    region = region or ""
    if region and region not in Region.codes():
        raise InvalidField("region", _l("Choose a region from the list."))
    given = set(languages or ())
    if not given <= set(Language.codes()):
        raise InvalidField("languages", _l("Choose languages from the list."))
    return region, [code for code in Language.codes() if code in given]


def _check(title: str, contract_type: str, education_level: str, job_areas) -> str:
    title = " ".join((title or "").split())
    if not title or len(title) > 200:
        raise InvalidField("title", _l("Give the offer a title of at most 200 characters."))
    if contract_type not in ContractType.codes():
        raise InvalidField("contract_type", _l("Choose a contract type."))
    if education_level not in EducationLevel.codes():
        raise InvalidField("education_level", _l("Choose an education level."))
    if not job_areas or any(area not in JobArea.codes() for area in job_areas):
        raise InvalidField("job_areas", _l("Choose at least one job area."))
    return title


def create_offer(company: Company, *, actor: User, title: str, contract_type: str, education_level: str,
                 job_areas, location: str = "", description: str = "",
                 open_for_interviews: bool = True, region: str = "", languages=()) -> JobOffer:
    require_member(company.id, actor)
    title = _check(title, contract_type, education_level, job_areas)
    region, languages = _check_place(region, languages)
    offer = JobOffer(company=company, title=title,
                     contract_type=contract_type, education_level=education_level,
                     location=(location or "").strip()[:200], description=(description or "").strip(),
                     open_for_interviews=bool(open_for_interviews), region=region)
    offer.job_areas = job_areas
    offer.languages = languages
    db.session.add(offer)
    db.session.flush()
    return offer


def update_offer(offer: JobOffer, *, actor: User, title: str, contract_type: str, education_level: str,
                 job_areas, location: str = "", description: str = "",
                 open_for_interviews: bool = True, region: str = "", languages=()) -> JobOffer:
    require_member(offer.company_id, actor)
    offer.title = _check(title, contract_type, education_level, job_areas)
    offer.region, offer.languages = _check_place(region, languages)
    offer.contract_type = contract_type
    offer.education_level = education_level
    offer.job_areas = job_areas
    offer.location = (location or "").strip()[:200]
    offer.description = (description or "").strip()
    offer.open_for_interviews = bool(open_for_interviews)
    db.session.flush()
    return offer


def close_offer(offer: JobOffer, *, actor: User) -> None:
    require_member(offer.company_id, actor)
    if offer.closed_at is None:
        offer.closed_at = utcnow()


def reopen_offer(offer: JobOffer, *, actor: User) -> None:
    require_member(offer.company_id, actor)
    offer.closed_at = None


_OFFER_WITH_CHOICES = (select(JobOffer).where(JobOffer.id == bindparam("offer_id"))
                       .options(joinedload(JobOffer.area_rows), joinedload(JobOffer.language_rows)))


def offer_with_choices(offer_id: int) -> JobOffer | None:
    """The offer with its job areas and languages in one statement (three with ``session.get``)."""
    return db.session.execute(_OFFER_WITH_CHOICES, {"offer_id": offer_id}).unique().scalar_one_or_none()


class OfferTitle(NamedTuple):
    """An offer in the company page's list."""

    id: int
    title: str
    closed_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


_COMPANY_OFFERS: dict[tuple[str, str], DriverStatement] = {}


def _company_offers_statement() -> DriverStatement:
    """Built once for each database and reader's language (the order's collation)."""
    dialect, language = db.session.get_bind().dialect.name, str(get_locale() or "fr")
    key = (dialect, language)
    if key not in _COMPANY_OFFERS:
        _COMPANY_OFFERS[key] = DriverStatement(
            select(JobOffer.id, JobOffer.title, JobOffer.closed_at)
            .where(JobOffer.company_id == bindparam("company_id"))
            .order_by(JobOffer.closed_at.is_not(None), collated(JobOffer.title, language, dialect)))
    return _COMPANY_OFFERS[key]


def company_offers(company: Company) -> list[OfferTitle]:
    """The company's offers, open ones first, each title in the reader's order: plain rows."""
    return [OfferTitle(*row) for row in _company_offers_statement().session_all(company_id=company.id)]


def offers_visible(company: Company, edition: Edition | None) -> bool:
    """Whether the company's open offers are on the public pages: only while it is approved for
    the current edition (the same rule as ``edition_offers``)."""
    if edition is None:
        return False
    return db.session.scalar(select(Participation.id).where(
        Participation.company_id == company.id, Participation.edition_id == edition.id,
        Participation.status == APPROVED).limit(1)) is not None


# Built once (the list is every candidate's look at the offers); filters are added to a copy.
_EDITION_OFFERS = (select(JobOffer.id, JobOffer.title, Company.name.label("company_name"), JobOffer.location)
                   .join(Participation, Participation.company_id == JobOffer.company_id)
                   .join(Company, Company.id == JobOffer.company_id)
                   .where(Participation.edition_id == bindparam("edition_id"), Participation.status == APPROVED,
                          JobOffer.closed_at.is_(None))
                   .order_by(JobOffer.id))


def edition_offers(edition: Edition, *, area: str | None = None, contract: str | None = None,
                   level: str | None = None, search: str | None = None) -> list:
    """Open offers of the companies approved for the edition, filtered, by title; ``search``
    finds words of the title, the company's name or the place, without regard to accents or
    capitals. Light rows (``id``, ``title``, ``company_name``, ``location``): a list of a few
    hundred is shown a page at a time, whose details ``offer_details`` reads."""
    query = _EDITION_OFFERS
    if area and area in JobArea.codes():
        query = query.where(JobOffer.id.in_(select(JobOfferArea.offer_id).where(JobOfferArea.area == area)))
    if contract and contract in ContractType.codes():
        query = query.where(JobOffer.contract_type == contract)
    if level and level in EducationLevel.codes():
        query = query.where(JobOffer.education_level == level)
    found = db.session.execute(query, {"edition_id": edition.id}).all()
    words = search_words(search)
    if words:  # an edition has a few hundred offers: folded in Python, as the database has no fold
        found = [offer for offer in found
                 if has_words(searchable(f"{offer.title} {offer.company_name} {offer.location or ''}"), words)]
    # In the reader's order of titles, equal titles by id: sorted here by ICU sort keys (one a
    # title), where SQLite's ORDER BY called the collation back for every comparison.
    keys = map(collator().getSortKey, [offer.title or "" for offer in found])
    return [offer for _key, _order, offer in sorted(zip(keys, count(), found))]


@dataclass
class OfferDetails:
    """Codes, read as plain strings: the list translates each once a page."""

    contract_type: str
    education_level: str
    open_for_interviews: bool
    job_areas: list[str] = field(default_factory=list)  # in the order of an offer's ``job_areas``


_OFFER_DETAILS = (select(JobOffer.id, type_coerce(JobOffer.contract_type, String),
                         type_coerce(JobOffer.education_level, String), JobOffer.open_for_interviews,
                         type_coerce(JobOfferArea.area, String))
                  .outerjoin(JobOfferArea, JobOfferArea.offer_id == JobOffer.id)
                  .where(JobOffer.id.in_(bindparam("ids", expanding=True))).order_by(JobOffer.id, JobOfferArea.area))


def offer_detail_rows(ids: list[int]) -> tuple:
    """What the offer list shows of these offers besides their light rows (one query): rows of
    (id, contract type, education level, open for interviews, job area), an offer's areas in order."""
    return tuple(db.session.execute(_OFFER_DETAILS, {"ids": ids})) if ids else ()


def offer_details(rows) -> dict[int, OfferDetails]:
    """``offer_detail_rows`` by offer."""
    found: dict[int, OfferDetails] = {}
    for offer_id, contract_type, education_level, open_for_interviews, area in rows:
        details = found.get(offer_id)
        if details is None:
            details = found[offer_id] = OfferDetails(contract_type, education_level, open_for_interviews)
        if area is not None:
            details.job_areas.append(area)
    return found


class ExhibitorCompany(NamedTuple):
    """What the exhibitors' page shows of a company (and the ranker reads: ``id``, ``name``),
    its description in the reader's language."""

    id: int
    name: str
    logo_filename: str | None
    website: str
    description: str


class ExhibitorStand(NamedTuple):
    stand: str | None


# The page of every visitor: built once (bound edition), in no order (sorted in Python).
_APPROVED_EXHIBITORS = (
    select(Company.id, Company.name, Company.logo_filename, Company.website, Company.description_fr,
           Company.description_en, Participation.stand)
    .join(Participation, Participation.company_id == Company.id)
    .where(Participation.edition_id == bindparam("edition_id"), Participation.status == APPROVED)
    .order_by(Company.id))


def approved_exhibitor_rows(edition: Edition, *, search: str | None = None) -> list:
    """The companies approved for the edition, by name (equal names by id), with their stands:
    plain rows (id, name, logo, website, description in French, in English, stand), as
    ``exhibitors`` makes them into what the page shows."""
    query = _APPROVED_EXHIBITORS
    if search and search.strip():
        query = query.where(Company.name_key.like(like_folded(search), escape="\\"))
    rows = db.session.execute(query, {"edition_id": edition.id}).all()
    # Sorted here by ICU sort keys (one a name), where SQLite's ORDER BY called the collation
    # back for every comparison; equal names stay in the order of their ids.
    keys = map(collator().getSortKey, [row.name or "" for row in rows])
    return [row for _key, _order, row in sorted(zip(keys, count(), rows))]


def exhibitors(rows) -> list[tuple[ExhibitorCompany, ExhibitorStand]]:
    """``approved_exhibitor_rows`` as the page and the ranker read them, each description in
    the reader's language."""
    english = str(get_locale()) == "en"
    return [(ExhibitorCompany(company_id, name, logo, website, (english and description_en) or description_fr),
             ExhibitorStand(stand))
            for company_id, name, logo, website, description_fr, description_en, stand in rows]
