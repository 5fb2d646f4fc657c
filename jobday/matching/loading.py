"""Profiles and offers read from the database as the score's plain values (``score.Profile``,
``score.Offer``): a fixed number of queries whatever the number of people or offers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Select, String, select, type_coerce

from jobday.accounts.models import User
from jobday.candidates.consent import users_granting
from jobday.candidates.models import (
    CandidateContractType,
    CandidateJobArea,
    CandidateLanguage,
    CandidateProfile,
    ConsentKind,
    Registration,
    RegistrationStatus,
)
from jobday.companies.models import APPROVED, Company, JobOffer, JobOfferArea, JobOfferLanguage, Participation
from jobday.extensions import db
from jobday.matching.score import Offer, Profile


def _code(column):
    """A vocabulary column read as its plain code: the score compares codes (a vocabulary
    member equals its code), and turning thousands of them into members was most of the cost."""
    return type_coerce(column, String)


def _profiles(user_ids: Select | list[int]) -> dict[int, Profile]:
    """The profiles of the users the SELECT (or the list) names (four queries)."""
    areas, contracts, languages = defaultdict(set), defaultdict(set), defaultdict(set)
    for user_id, area in db.session.execute(
            select(CandidateJobArea.user_id, _code(CandidateJobArea.area))
            .where(CandidateJobArea.user_id.in_(user_ids))):
        areas[user_id].add(area)
    for user_id, contract in db.session.execute(
            select(CandidateContractType.user_id, _code(CandidateContractType.contract_type))
            .where(CandidateContractType.user_id.in_(user_ids))):
        contracts[user_id].add(contract)
    for user_id, language in db.session.execute(
            select(CandidateLanguage.user_id, _code(CandidateLanguage.language))
            .where(CandidateLanguage.user_id.in_(user_ids))):
        languages[user_id].add(language)
    rows = db.session.execute(select(CandidateProfile.user_id, _code(CandidateProfile.education_level),
                                     _code(CandidateProfile.region)).where(CandidateProfile.user_id.in_(user_ids)))
    return {user_id: Profile(user_id, level, frozenset(areas[user_id]), frozenset(contracts[user_id]),
                             frozenset(languages[user_id]), region or "")
            for user_id, level, region in rows}


def profile_of(user_id: int) -> Profile | None:
    """One candidate's profile, from the session's copy when the page already read it (the
    candidate's home, the offers list), else in four queries."""
    profile = db.session.get(CandidateProfile, user_id)
    if profile is None:
        return None
    return Profile(user_id, profile.education_level, frozenset(profile.job_areas), frozenset(profile.contract_types),
                   frozenset(row.language for row in profile.languages), profile.region or "")


def _offers(query: Select) -> list[Offer]:
    """The offers the SELECT of offer ids names, with their areas and languages (three queries)."""
    areas, languages = defaultdict(set), defaultdict(set)
    for offer_id, area in db.session.execute(
            select(JobOfferArea.offer_id, _code(JobOfferArea.area)).where(JobOfferArea.offer_id.in_(query))):
        areas[offer_id].add(area)
    for offer_id, language in db.session.execute(
            select(JobOfferLanguage.offer_id, _code(JobOfferLanguage.language))
            .where(JobOfferLanguage.offer_id.in_(query))):
        languages[offer_id].add(language)
    rows = db.session.execute(
        select(JobOffer.id, JobOffer.company_id, JobOffer.title, _code(JobOffer.education_level),
               _code(JobOffer.contract_type), _code(JobOffer.region))
        .where(JobOffer.id.in_(query)).order_by(JobOffer.id))
    return [Offer(offer_id, company_id, title, level, frozenset(areas[offer_id]), contract,
                  frozenset(languages[offer_id]), region or "")
            for offer_id, company_id, title, level, contract, region in rows]


def _open_offer_ids(edition_id: int) -> Select:
    return (select(JobOffer.id).join(Participation, Participation.company_id == JobOffer.company_id)
            .where(Participation.edition_id == edition_id, Participation.status == APPROVED,
                   JobOffer.closed_at.is_(None)))


def edition_offers(edition_id: int) -> list[Offer]:
    """The open offers of the companies approved for the edition."""
    return _offers(_open_offer_ids(edition_id))


def company_offers(company_id: int, edition_id: int) -> list[Offer]:
    """The company's open offers, when it is approved for the edition."""
    return _offers(_open_offer_ids(edition_id).where(JobOffer.company_id == company_id))


MAX_LISTED_IDS = 20_000  # SQLite takes up to 32,766 values in one statement


@dataclass(frozen=True)
class Exhibitor:
    company_id: int
    name: str
    participation_id: int
    stand: str


def exhibitors(edition_id: int) -> dict[int, Exhibitor]:
    """Company id → the company approved for the edition (names are a ranking's tie-break)."""
    rows = db.session.execute(
        select(Company.id, Company.name, Participation.id, Participation.stand)
        .join(Participation, Participation.company_id == Company.id)
        .where(Participation.edition_id == edition_id, Participation.status == APPROVED))
    return {cid: Exhibitor(cid, name, pid, stand or "") for cid, name, pid, stand in rows}


def sharing_candidates(edition_id: int, *, excluded: Select | None = None, in_areas=None
                       ) -> tuple[list[Profile], dict[int, tuple[str, str]]]:
    """The profiles of the candidates registered for the edition who share their profile with
    every exhibitor (their latest choice), and their (first, family) names; ``excluded``: a
    SELECT of user ids to leave out; ``in_areas``: only those who want one of these job areas
    (an offer fits no one outside its areas: a company's matches need no one else)."""
    ids = (select(Registration.user_id).join(User, User.id == Registration.user_id)
           .where(Registration.edition_id == edition_id, Registration.status == RegistrationStatus.REGISTERED,
                  User.is_disabled.is_(False),
                  Registration.user_id.in_(users_granting(ConsentKind.SHARE_WITH_ALL_EXHIBITORS))))
    if excluded is not None:
        ids = ids.where(Registration.user_id.not_in(excluded))
    if in_areas is not None:
        ids = ids.where(Registration.user_id.in_(
            select(CandidateJobArea.user_id).where(CandidateJobArea.area.in_(sorted(in_areas)))))
    # The choice of each candidate (the latest consent) is read once, not in each of the five
    # queries below; a list beyond what a statement may carry stays a sub-query.
    found = list(db.session.scalars(ids))
    if len(found) <= MAX_LISTED_IDS:
        ids = found
    profiles = _profiles(ids)
    names = {user_id: (first, last) for user_id, first, last in db.session.execute(
        select(User.id, User.first_name, User.last_name).where(User.id.in_(ids)))}
    return [profiles[user_id] for user_id in sorted(profiles)], names
