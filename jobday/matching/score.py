"""The match score between a candidate's profile and job offers. Pure: no Flask, no database.

An offer fits a candidate when they share at least one job area and nothing the candidate
said rules it out: a contract type they do not want (when they named some), a level above
theirs (when both are known), a language they do not speak (when they named theirs). A fitting
offer earns points for what it has in common with the profile, and each point comes with its
reason, so what the pages say is exactly what was counted:

    shared job area 40 (+5 for each further shared area) · wanted contract type 20 ·
    same education level 20 (a level below the candidate's 10) · every language it needs
    spoken 10 · same region 10

A company's score is its best offer's, plus 5 for each further fitting offer (at most 3).
Rankings sort by score, then by the number of fitting offers, then by a stable key (the
company's or the candidate's name, then the id): identical inputs give identical rankings.
No fitting offer, no recommendation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

AREA_POINTS, EXTRA_AREA_POINTS = 40, 5
CONTRACT_POINTS = 20
LEVEL_POINTS, LOWER_LEVEL_POINTS = 20, 10
LANGUAGE_POINTS = 10
REGION_POINTS = 10
EXTRA_OFFER_POINTS, EXTRA_OFFERS_COUNTED = 5, 3
LEVEL_RANK = {"cess": 1, "bachelor": 2, "master": 3, "phd": 4}  # "other" has no rank


@dataclass(frozen=True)
class Profile:
    candidate_id: int
    education_level: str | None
    job_areas: frozenset[str]
    contract_types: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    region: str = ""


@dataclass(frozen=True)
class Offer:
    id: int
    company_id: int
    title: str
    education_level: str
    job_areas: frozenset[str]
    contract_type: str
    languages: frozenset[str] = frozenset()
    region: str = ""


@dataclass(frozen=True)
class OfferMatch:
    """One fitting offer: its points and what earned them (``None``/empty: earned nothing)."""

    offer: Offer
    points: int
    areas: tuple[str, ...]
    contract: str | None
    level: str | None  # the offer's level, when it earned points
    same_level: bool
    languages: tuple[str, ...]
    region: str | None


@dataclass(frozen=True)
class Reasons:
    """Why a company (all its fitting offers) fits a candidate, as facts the pages put in words.

    ``areas``: (area, number of fitting offers in it), most offers first; ``levels``: offer
    levels that earned points and whether each is the candidate's own; ``contracts``,
    ``languages``, ``regions``: what earned points in at least one fitting offer."""

    areas: tuple[tuple[str, int], ...]
    levels: tuple[tuple[str, bool], ...]
    contracts: tuple[str, ...]
    languages: tuple[str, ...]
    regions: tuple[str, ...]


@dataclass(frozen=True)
class CompanyMatch:
    company_id: int
    points: int
    offers: tuple[OfferMatch, ...]  # best first
    reasons: Reasons


@dataclass(frozen=True)
class CandidateMatch:
    profile: Profile
    match: CompanyMatch


def _rank(level: str | None) -> int | None:
    return LEVEL_RANK.get(level or "")


def match_offer(profile: Profile, offer: Offer) -> OfferMatch | None:
    """The offer's fit for the profile, or None when it does not fit."""
    areas = tuple(sorted(profile.job_areas & offer.job_areas))
    if not areas:
        return None
    if profile.contract_types and offer.contract_type not in profile.contract_types:
        return None
    mine, needed = _rank(profile.education_level), _rank(offer.education_level)
    if mine is not None and needed is not None and mine < needed:
        return None
    if profile.languages and not offer.languages <= profile.languages:
        return None
    points = AREA_POINTS + EXTRA_AREA_POINTS * (len(areas) - 1)
    contract = offer.contract_type if offer.contract_type in profile.contract_types else None
    points += CONTRACT_POINTS if contract else 0
    level, same_level = None, False
    if mine is not None and needed is not None:
        same_level = mine == needed
        level = offer.education_level
        points += LEVEL_POINTS if same_level else LOWER_LEVEL_POINTS
    elif profile.education_level and profile.education_level == offer.education_level:
        level, same_level = offer.education_level, True  # "other" and "other"
        points += LEVEL_POINTS
    languages = tuple(sorted(offer.languages)) if offer.languages and profile.languages else ()
    points += LANGUAGE_POINTS if languages else 0
    region = offer.region if offer.region and offer.region == profile.region else None
    points += REGION_POINTS if region else 0
    return OfferMatch(offer, points, areas, contract, level, same_level, languages, region)


def _offer_order(match: OfferMatch) -> tuple:
    return (-match.points, match.offer.title.casefold(), match.offer.id)


def _reasons(matches: Iterable[OfferMatch]) -> Reasons:
    matches = list(matches)
    area_counts = Counter(area for m in matches for area in m.areas)
    levels = sorted({(m.level, m.same_level) for m in matches if m.level},
                    key=lambda item: (not item[1], _rank(item[0]) or 0, item[0]))
    return Reasons(
        areas=tuple(sorted(area_counts.items(), key=lambda item: (-item[1], item[0]))),
        levels=tuple(levels),
        contracts=tuple(sorted({m.contract for m in matches if m.contract})),
        languages=tuple(sorted({lang for m in matches for lang in m.languages})),
        regions=tuple(sorted({m.region for m in matches if m.region})),
    )


def match_company(profile: Profile, company_id: int, offers: Iterable[Offer]) -> CompanyMatch | None:
    """How the company's offers fit the profile (offers of other companies are ignored)."""
    fitting = [m for m in (match_offer(profile, o) for o in offers if o.company_id == company_id) if m]
    if not fitting:
        return None
    fitting.sort(key=_offer_order)
    points = fitting[0].points + EXTRA_OFFER_POINTS * min(len(fitting) - 1, EXTRA_OFFERS_COUNTED)
    return CompanyMatch(company_id, points, tuple(fitting), _reasons(fitting))


def rank_companies(profile: Profile, offers: Iterable[Offer], *,
                   name_of: Callable[[int], str] = str) -> list[CompanyMatch]:
    """The companies whose offers fit the profile, best first (``name_of``: the tie-break)."""
    by_company: dict[int, list[Offer]] = {}
    for offer in offers:
        by_company.setdefault(offer.company_id, []).append(offer)
    matches = [m for m in (match_company(profile, cid, own) for cid, own in by_company.items()) if m]
    matches.sort(key=lambda m: (-m.points, -len(m.offers), name_of(m.company_id).casefold(), m.company_id))
    return matches


def rank_offers(profile: Profile, offers: Iterable[Offer]) -> list[OfferMatch]:
    """The fitting offers, best first."""
    return sorted((m for m in (match_offer(profile, o) for o in offers) if m), key=_offer_order)


def rank_candidates(profiles: Iterable[Profile], company_id: int, offers: Iterable[Offer], *,
                    name_of: Callable[[int], str] = str) -> list[CandidateMatch]:
    """The candidates the company's offers fit, best first (``name_of``: the tie-break)."""
    own = [offer for offer in offers if offer.company_id == company_id]
    found = []
    for profile in profiles:
        match = match_company(profile, company_id, own)
        if match is not None:
            found.append(CandidateMatch(profile, match))
    found.sort(key=lambda c: (-c.match.points, -len(c.match.offers), name_of(c.profile.candidate_id).casefold(),
                              c.profile.candidate_id))
    return found
