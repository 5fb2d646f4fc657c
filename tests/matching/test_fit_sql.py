"""The offers' fit in SQL (``fit_sql.fits_an_offer``) lets through exactly the candidates the
score says an offer fits (``score.match_offer``), on random profiles and offers, on SQLite and
PostgreSQL: the company's matches read no one else, and miss no one."""

from __future__ import annotations

import random

from sqlalchemy import select

from jobday.candidates.models import CandidateContractType, CandidateLanguage, CandidateProfile
from jobday.extensions import db
from jobday.matching import loading
from jobday.matching.fit_sql import fits_an_offer
from jobday.matching.score import match_offer
from jobday.vocabulary import ContractType, EducationLevel, JobArea, Language
from tests import factories

AREAS = list(JobArea.codes())[:4]  # few areas: many pairs share one
CONTRACTS = list(ContractType.codes())[:3]
LANGUAGES = list(Language.codes())[:3]
LEVELS = [None, *EducationLevel.codes()]


def _some(draw: random.Random, codes: list[str], most: int) -> list[str]:
    return draw.sample(codes, draw.randint(0, most))


def _world(draw: random.Random):
    edition = factories.make_edition()
    companies = [factories.make_company(name=f"Company {n}") for n in range(6)]
    for company in companies:
        factories.make_participation(company, edition)
        for _ in range(draw.randint(1, 3)):
            offer = factories.make_offer(company, contract_type=draw.choice(CONTRACTS),
                                         education_level=draw.choice(LEVELS[1:]),
                                         job_areas=tuple(draw.sample(AREAS, draw.randint(1, 2))))
            offer.languages = _some(draw, LANGUAGES, 2)
    people = []
    for n in range(150):
        user = factories.make_candidate(first_name=f"P{n}", education_level=draw.choice(LEVELS),
                                        job_areas=tuple(draw.sample(AREAS, draw.randint(1, 2))))
        db.session.add_all([CandidateContractType(user_id=user.id, contract_type=code)
                            for code in _some(draw, CONTRACTS, 2)]
                           + [CandidateLanguage(user_id=user.id, language=code, level="fluent")
                              for code in _some(draw, LANGUAGES, 2)])
        people.append(user.id)
    db.session.flush()
    return edition, companies, people


def test_the_sql_fit_is_the_scores(backend, app):
    edition, companies, people = _world(random.Random(17))
    profiles = {user_id: loading.profile_of(user_id) for user_id in people}
    sizes = []
    for company in companies:
        offers = loading.company_offers(company.id, edition.id)
        for chosen in [offers, *([offer] for offer in offers)]:
            found = set(db.session.scalars(select(CandidateProfile.user_id).where(
                CandidateProfile.user_id.in_(people),
                fits_an_offer(CandidateProfile.user_id, CandidateProfile.education_level,
                              [offer.id for offer in chosen]))))
            fitting = {user_id for user_id, profile in profiles.items()
                       if any(match_offer(profile, offer) for offer in chosen)}
            assert found == fitting, [offer.id for offer in chosen]
            sizes.append(len(found))
    assert min(sizes) < max(sizes) < len(people)  # the draw tells fitting from not
