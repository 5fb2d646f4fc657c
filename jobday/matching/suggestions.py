"""The exhibitors that fit each candidate best, for the organiser's scheduler: it may give
candidates without wishes an interview with one of them (a weight below any real wish).

Only candidates who agreed to be found (their profile shared with every exhibitor, as on
the companies' "candidates who match our offers") are suggested: an interview shows the
candidate to the company. A candidate no offer fits gets no suggestion."""

from __future__ import annotations

from collections.abc import Collection

from jobday.matching import loading
from jobday.matching.score import rank_companies


def companies_for_candidates(edition_id: int, *, limit: int, excluded: Collection[int] = (),
                             company_ids: Collection[int] | None = None) -> dict[int, list[int]]:
    """Candidate id → the ids of the approved companies that fit them best, best first (at
    most ``limit``, among ``company_ids`` when given), for the edition's registered
    candidates who share their profile with every exhibitor, but those ``excluded``."""
    profiles, _names = loading.sharing_candidates(edition_id)
    excluded = set(excluded)
    people = [profile for profile in profiles if profile.candidate_id not in excluded]
    if not people:
        return {}
    exhibitors = loading.exhibitors(edition_id)
    allowed = set(exhibitors) if company_ids is None else set(company_ids) & set(exhibitors)
    offers = [offer for offer in loading.edition_offers(edition_id) if offer.company_id in allowed]
    found = {}
    for profile in people:
        ranking = rank_companies(profile, offers, name_of=lambda cid: exhibitors[cid].name)
        if ranking:
            found[profile.candidate_id] = [match.company_id for match in ranking[:limit]]
    return found
