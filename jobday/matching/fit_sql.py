"""Whether one of some offers fits a candidate (``score.match_offer`` is not None), as a SQL
condition: a company's matches then read the profiles of the candidates its offers fit, not of
every candidate sharing their profile in its offers' areas (five times fewer on the demo).

It says what ``match_offer`` says before counting points: a shared job area; the offer's
contract type among the candidate's, when they named some; the offer's level not above theirs,
when both are ranked; every language the offer needs spoken, when they named theirs. The score
still ranks what this lets through (tests/matching/test_fit_sql.py: both agree, both databases).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, case, exists, not_, or_, select

from jobday.candidates.models import CandidateContractType, CandidateJobArea, CandidateLanguage
from jobday.companies.models import JobOffer, JobOfferArea, JobOfferLanguage
from jobday.matching.score import LEVEL_RANK
from jobday.vocabulary import as_code


def _rank(column):
    """The level's rank (``score.LEVEL_RANK``), NULL when it has none."""
    return case({code: rank for code, rank in LEVEL_RANK.items()}, value=as_code(column))


def fits_an_offer(user_id, education_level, offer_ids) -> ColumnElement[bool]:
    """One of ``offer_ids`` (a list or an expanding parameter) fits the candidate whose id and
    education level are these columns."""
    mine, needed = _rank(education_level), _rank(JobOffer.education_level)

    def where(*tables):
        """EXISTS of these tables' rows, every other table the enclosing queries' (the
        candidate's is two levels up, where automatic correlation does not reach)."""
        return exists().select_from(*tables).correlate_except(*tables).where

    shares_area = where(JobOfferArea, CandidateJobArea)(
        JobOfferArea.offer_id == JobOffer.id, CandidateJobArea.user_id == user_id,
        CandidateJobArea.area == JobOfferArea.area)
    names_contracts = where(CandidateContractType)(CandidateContractType.user_id == user_id)
    wants_contract = where(CandidateContractType)(
        CandidateContractType.user_id == user_id,
        as_code(CandidateContractType.contract_type) == as_code(JobOffer.contract_type))
    names_languages = where(CandidateLanguage)(CandidateLanguage.user_id == user_id)
    lacks_language = where(JobOfferLanguage)(
        JobOfferLanguage.offer_id == JobOffer.id,
        not_(where(CandidateLanguage)(CandidateLanguage.user_id == user_id,
                                      as_code(CandidateLanguage.language) == as_code(JobOfferLanguage.language))))
    return exists(select(JobOffer.id).correlate_except(JobOffer).where(
        JobOffer.id.in_(offer_ids),
        shares_area,
        or_(not_(names_contracts), wants_contract),
        or_(mine.is_(None), needed.is_(None), mine >= needed),
        or_(not_(names_languages), not_(lacks_language))))
