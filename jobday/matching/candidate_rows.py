"""A company's matching candidates ranked from their plain rows (``loading.SharingInAreas.rows``:
id, level, region, areas, contracts, languages, first name, family name), in
``score.rank_candidates``'s order, for a page that shows a few of many: no ``Profile`` is made
for a row, and each distinct set of choices is scored once against the same offers (many
candidates chose alike, and the page is asked for again and again).
tests/matching/test_candidate_rows.py holds it to ``rank_candidates``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from jobday.matching.score import CompanyMatch, Offer, Profile, match_company
from jobday.vocabulary import split_codes

_MAX_OFFER_SETS = 64  # companies' sets of offers; forgotten all at once beyond
# (company, its offers as read) -> the choices of a row -> its match (None: no offer fits):
# a pure function of the key, so never older than the offers and the choices just read.
_scored: dict[tuple, dict[tuple, CompanyMatch | None]] = {}


class RankedCandidate(NamedTuple):
    candidate_id: int
    first_name: str
    last_name: str
    education_level: str | None
    match: CompanyMatch
    row: tuple  # the row as read


def _scores_for(company_id: int, offers: Iterable[Offer]) -> tuple[list[Offer], dict]:
    own = [offer for offer in offers if offer.company_id == company_id]
    key = (company_id, tuple(own))
    scored = _scored.get(key)
    if scored is None:
        if len(_scored) >= _MAX_OFFER_SETS:
            _scored.clear()
        scored = _scored[key] = {}
    return own, scored


_UNSCORED = object()


def rank_candidate_rows(rows: Iterable, company_id: int, offers: Iterable[Offer]) -> list[tuple]:
    """The rows the company's offers fit, best first, each as its sort key followed by its
    ``CompanyMatch`` and the row (``ranked(...)`` makes candidates of a slice of them)."""
    own, scored = _scores_for(company_id, offers)
    found = []
    for row in rows:
        user_id, level, region, areas, contracts, languages, first, last = row[:8]
        choices = (level, region, areas, contracts, languages)
        match = scored.get(choices, _UNSCORED)
        if match is _UNSCORED:
            profile = Profile(user_id, level, split_codes(areas), split_codes(contracts), split_codes(languages),
                              region or "")
            match = scored[choices] = match_company(profile, company_id, own)
        if match is not None:
            # rank_candidates's key, its tie-break the name as "family first"; ids are unique,
            # so neither the match nor the row is ever compared
            found.append((-match.points, -len(match.offers), f"{last} {first}".casefold(), user_id, match, row))
    found.sort()
    return found


def ranked(found: Iterable[tuple]) -> list[RankedCandidate]:
    """Entries of ``rank_candidate_rows`` as the candidates they rank."""
    return [RankedCandidate(user_id, row[6], row[7], row[1], match, row)
            for _points, _offers, _name, user_id, match, row in found]
