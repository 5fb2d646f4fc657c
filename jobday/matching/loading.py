"""Profiles and offers read from the database as the score's plain values (``score.Profile``,
``score.Offer``): a fixed number of queries whatever the number of people or offers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, String, bindparam, select

from jobday.accounts.models import User
from jobday.candidates.consent import says_yes
from jobday.candidates.models import (
    CandidateContractType,
    CandidateJobArea,
    CandidateLanguage,
    CandidateProfile,
    ConsentKind,
    Registration,
    RegistrationStatus,
)
from jobday.candidates.profile_summary import profile_summary
from jobday.companies.models import APPROVED, Company, JobOffer, JobOfferArea, JobOfferLanguage, Participation
from jobday.driver_sql import DriverStatement
from jobday.extensions import db
from jobday.matching.fit_sql import fits_an_offer
from jobday.matching.score import Offer, Profile
from jobday.vocabulary import JobArea, as_code, codes_of, split_codes


def _profiles_statement(user_ids: Select) -> Select:
    """The profiles and (first, family) names of the users the SELECT names, in one statement:
    each choice table is folded into its user's row, so the list of ids is read once."""
    return (
        select(CandidateProfile.user_id, as_code(CandidateProfile.education_level), as_code(CandidateProfile.region),
               codes_of(CandidateJobArea.area, CandidateJobArea.user_id == CandidateProfile.user_id),
               codes_of(CandidateContractType.contract_type,
                        CandidateContractType.user_id == CandidateProfile.user_id),
               codes_of(CandidateLanguage.language, CandidateLanguage.user_id == CandidateProfile.user_id),
               User.first_name, User.last_name)
        .join(User, User.id == CandidateProfile.user_id)
        .where(CandidateProfile.user_id.in_(user_ids)))


def _profile_rows(rows) -> dict[int, tuple[Profile, str, str]]:
    return {user_id: (Profile(user_id, level, split_codes(areas), split_codes(contracts), split_codes(languages),
                              region or ""), first, last)
            for user_id, level, region, areas, contracts, languages, first, last in rows}


def profile_of(user_id: int) -> Profile | None:
    """One candidate's profile (read once per transaction: the candidate's home asks too)."""
    summary = profile_summary(user_id)
    if summary is None:
        return None
    return Profile(user_id, summary.education_level, summary.job_areas, summary.contract_types, summary.languages,
                   summary.region)


def _offer_columns() -> tuple:
    """An offer's columns as ``offer_rows`` reads them, its areas and languages folded in."""
    return (JobOffer.id, JobOffer.company_id, JobOffer.title, as_code(JobOffer.education_level),
            as_code(JobOffer.contract_type), as_code(JobOffer.region),
            codes_of(JobOfferArea.area, JobOfferArea.offer_id == JobOffer.id),
            codes_of(JobOfferLanguage.language, JobOfferLanguage.offer_id == JobOffer.id))


def _offers_statement(query: Select) -> Select:
    """The offers the SELECT of offer ids names, with their areas and languages (one statement)."""
    return select(*_offer_columns()).where(JobOffer.id.in_(query)).order_by(JobOffer.id)


def offer_rows(rows) -> list[Offer]:
    return [Offer(offer_id, company_id, title, level, split_codes(areas), contract, split_codes(languages),
                  region or "")
            for offer_id, company_id, title, level, contract, region, areas, languages in rows]


def _open_offer_ids(edition_id: int) -> Select:
    return (select(JobOffer.id).join(Participation, Participation.company_id == JobOffer.company_id)
            .where(Participation.edition_id == edition_id, Participation.status == APPROVED,
                   JobOffer.closed_at.is_(None)))


def edition_offers(edition_id: int, *, in_areas=None) -> list[Offer]:
    """The open offers of the companies approved for the edition; ``in_areas``: only those in
    one of these job areas (an offer fits no one outside its areas: one person's ranking needs
    no other)."""
    if in_areas is None:
        return offer_rows(db.session.execute(_EDITION_OFFERS, {"edition_id": edition_id}))
    if not in_areas:
        return []
    return offer_rows(_EDITION_OFFERS_IN_AREAS.session_all(edition_id=edition_id, **_area_slots(in_areas)))


def edition_offers_with_exhibitors(edition_id: int, in_areas) -> list:
    """``edition_offers(edition_id, in_areas=...)`` as plain rows (``offer_rows``'s columns),
    each followed by its company's name, participation id and stand (``Exhibitor``)."""
    if not in_areas:
        return []
    return _EDITION_OFFERS_WITH_EXHIBITORS.session_all(edition_id=edition_id, **_area_slots(in_areas))


# One parameter for each job area there is, so that the SQL is the same whatever the areas asked
# (``DriverStatement`` takes no expanding list); the slots left over repeat an area asked.
_AREA_SLOTS = [f"area_{index}" for index in range(len(JobArea))]


def _area_slots(in_areas) -> dict[str, str]:
    areas = sorted(str(area) for area in in_areas)
    return {slot: areas[min(index, len(areas) - 1)] for index, slot in enumerate(_AREA_SLOTS)}


def _open_offers_in_areas(*columns) -> Select:
    """The open offers of the companies approved for the edition in one of the slots' areas:
    the offer joined to its participation (one a company and edition), not looked up among the
    edition's offers (SQLite's plan: three times faster)."""
    return (select(*_offer_columns(), *columns)
            .join(Participation, Participation.company_id == JobOffer.company_id)
            .where(Participation.edition_id == bindparam("edition_id"), Participation.status == APPROVED,
                   JobOffer.closed_at.is_(None),
                   JobOffer.id.in_(select(JobOfferArea.offer_id).where(
                       JobOfferArea.area.in_([bindparam(slot, type_=String) for slot in _AREA_SLOTS]))))
            .order_by(JobOffer.id))


# Built once (the candidate's home and a company's matches ask at every view; building them cost
# as much as running them).
_EDITION_OFFERS = _offers_statement(_open_offer_ids(bindparam("edition_id")))
_EDITION_OFFERS_IN_AREAS = DriverStatement(_open_offers_in_areas())
_EDITION_OFFERS_WITH_EXHIBITORS = DriverStatement(
    _open_offers_in_areas(Company.name, Participation.id, Participation.stand)
    .join(Company, Company.id == JobOffer.company_id))
_COMPANY_OFFERS = _offers_statement(
    _open_offer_ids(bindparam("edition_id")).where(JobOffer.company_id == bindparam("company_id")))


def company_offers(company_id: int, edition_id: int) -> list[Offer]:
    """The company's open offers, when it is approved for the edition."""
    return offer_rows(db.session.connection().execute(_COMPANY_OFFERS, {"company_id": company_id,
                                                                        "edition_id": edition_id}))


@dataclass(frozen=True)
class Exhibitor:
    company_id: int
    name: str
    participation_id: int
    stand: str


_EXHIBITORS = (select(Company.id, Company.name, Participation.id, Participation.stand)
               .join(Participation, Participation.company_id == Company.id)
               .where(Participation.edition_id == bindparam("edition_id"), Participation.status == APPROVED))


def exhibitors(edition_id: int) -> dict[int, Exhibitor]:
    """Company id → the company approved for the edition (names are a ranking's tie-break)."""
    rows = db.session.execute(_EXHIBITORS, {"edition_id": edition_id})
    return {cid: Exhibitor(cid, name, pid, stand or "") for cid, name, pid, stand in rows}


def _sharing_ids(edition_id, excluded: Select | None, in_areas) -> Select:
    ids = (select(Registration.user_id).join(User, User.id == Registration.user_id)
           .where(Registration.edition_id == edition_id, Registration.status == RegistrationStatus.REGISTERED,
                  User.is_disabled.is_(False),
                  says_yes(Registration.user_id, ConsentKind.SHARE_WITH_ALL_EXHIBITORS)))
    if excluded is not None:
        ids = ids.where(Registration.user_id.not_in(excluded))
    if in_areas is not None:
        ids = ids.where(Registration.user_id.in_(
            select(CandidateJobArea.user_id).where(CandidateJobArea.area.in_(in_areas))))
    return ids


def _sharing_found(rows) -> tuple[list[Profile], dict[int, tuple[str, str]]]:
    found = _profile_rows(rows)
    names = {user_id: (first, last) for user_id, (_profile, first, last) in found.items()}
    return [found[user_id][0] for user_id in sorted(found)], names


def sharing_candidates(edition_id: int, *, excluded: Select | None = None, in_areas=None
                       ) -> tuple[list[Profile], dict[int, tuple[str, str]]]:
    """The profiles of the candidates registered for the edition who share their profile with
    every exhibitor (their latest choice), and their (first, family) names; ``excluded``: a
    SELECT of user ids to leave out; ``in_areas``: only those who want one of these job areas
    (an offer fits no one outside its areas: a company's matches need no one else)."""
    ids = _sharing_ids(edition_id, excluded, sorted(in_areas) if in_areas is not None else None)
    return _sharing_found(db.session.execute(_profiles_statement(ids)))


class SharingInAreas:
    """``sharing_candidates(edition_id, in_areas=...)`` with its statement built once, for a
    page that asks at every view. ``fitting``: only those one of the call's ``offer_ids`` fits
    (``fit_sql``: the score's rule, so a ranking of the offers finds the same candidates)."""

    def __init__(self, *, fitting: bool = False) -> None:
        statement = _profiles_statement(_sharing_ids(bindparam("edition_id"), None, bindparam("areas", expanding=True)))
        if fitting:
            statement = statement.where(fits_an_offer(CandidateProfile.user_id, CandidateProfile.education_level,
                                                      bindparam("offer_ids", expanding=True)))
        self._statement = statement

    def __call__(self, edition_id: int, in_areas, **params) -> tuple[list[Profile], dict[int, tuple[str, str]]]:
        return _sharing_found(self.rows(edition_id, in_areas, **params))

    def rows(self, edition_id: int, in_areas, **params) -> list:
        """The same candidates as plain rows: id, level, region, the codes of their areas,
        contracts and languages (``codes_of``), first name, family name."""
        return db.session.connection().execute(
            self._statement, {**params, "edition_id": edition_id, "areas": sorted(in_areas)}).all()
