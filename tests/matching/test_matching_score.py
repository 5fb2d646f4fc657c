"""The match score on crafted profiles and offers, and on random ones (Hypothesis): identical
inputs give identical rankings in any order, every reason is true of the profile and the
offers, and no fit gives no recommendation."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from jobday.matching.score import (
    LEVEL_RANK,
    CompanyMatch,
    Offer,
    Profile,
    match_company,
    match_offer,
    rank_candidates,
    rank_companies,
    rank_offers,
)

AREAS = ("production", "quality_control", "rnd", "logistics", "regulatory")
CONTRACTS = ("permanent", "fixed_term", "internship", "student_job")
LEVELS = ("cess", "bachelor", "master", "phd", "other")
LANGS = ("fr", "nl", "en", "de")
REGIONS = ("", "wallonia", "brussels", "flanders")
NAMES = {1: "Acme Bio", 2: "Biolab", 3: "Cellgen", 4: "Dermapharm"}


def offer(oid, company, *, areas=("quality_control",), contract="permanent", level="master", langs=(), region=""):
    return Offer(oid, company, f"Offre {oid}", level, frozenset(areas), contract, frozenset(langs), region)


def profile(*, areas=("quality_control",), contracts=(), level="master", langs=(), region="", cid=100):
    return Profile(cid, level, frozenset(areas), frozenset(contracts), frozenset(langs), region)


AMELIE = profile(areas=("quality_control", "rnd"), contracts=("permanent",), langs=("fr", "en"), region="wallonia")
OFFERS = [
    offer(1, 1, areas=("quality_control",), langs=("fr",), region="wallonia"),
    offer(2, 1, areas=("quality_control", "rnd"), level="bachelor"),
    offer(3, 2, areas=("rnd",), contract="internship"),  # she wants permanent contracts only
    offer(4, 2, areas=("production",)),  # no shared area
    offer(5, 3, areas=("rnd",), level="phd"),  # above her level
    offer(6, 3, areas=("quality_control",), langs=("nl",)),  # a language she does not speak
    offer(7, 4, areas=("quality_control",), level="master", region="brussels"),
]


def test_a_crafted_profile_ranks_the_companies_with_their_reasons():
    ranking = rank_companies(AMELIE, OFFERS, name_of=NAMES.get)
    assert [m.company_id for m in ranking] == [1, 4]
    acme = ranking[0]
    assert [m.offer.id for m in acme.offers] == [1, 2]
    # Offer 1: area 40 + contract 20 + same level 20 + French 10 + Wallonia 10 = 100;
    # offer 2: 2 areas 45 + contract 20 + a level below hers 10 = 75; the company: 100 + 5.
    assert [m.points for m in acme.offers] == [100, 75] and acme.points == 105
    assert acme.reasons.areas == (("quality_control", 2), ("rnd", 1))
    assert acme.reasons.levels == (("master", True), ("bachelor", False))
    assert acme.reasons.contracts == ("permanent",)
    assert acme.reasons.languages == ("fr",)
    assert acme.reasons.regions == ("wallonia",)
    derma = ranking[1]
    assert derma.points == 80 and derma.reasons.regions == () and derma.reasons.languages == ()


def test_the_reasons_in_french(app):
    from flask_babel import force_locale

    from jobday.matching.reasons import company_reasons, offer_reasons

    acme = rank_companies(AMELIE, OFFERS, name_of=NAMES.get)[0]
    with app.test_request_context(), force_locale("fr"):
        assert company_reasons(acme.reasons) == [
            "2 offres en contrôle qualité", "1 offre en R&D", "niveau master", "niveau demandé\u00a0: bachelier",
            "contrat à durée indéterminée", "langues\u00a0: français", "région\u00a0: Wallonie"]
        assert offer_reasons(acme.offers[0]) == [
            "contrôle qualité", "niveau master", "contrat à durée indéterminée", "langues\u00a0: français",
            "région\u00a0: Wallonie"]


def test_no_overlap_gives_no_recommendation():
    logistician = profile(areas=("logistics",))
    assert rank_companies(logistician, OFFERS) == []
    assert rank_offers(logistician, OFFERS) == []
    assert match_company(logistician, 1, OFFERS) is None
    assert rank_companies(AMELIE, []) == []


def test_what_a_profile_does_not_say_rules_nothing_out_and_earns_nothing():
    silent = profile(contracts=(), langs=(), region="", level="other")
    match = match_offer(silent, offer(1, 1, contract="internship", level="phd", langs=("nl",), region="flanders"))
    assert match is not None and match.points == 40
    assert (match.contract, match.level, match.languages, match.region) == (None, None, (), None)


def test_ties_break_on_the_name_then_the_id_whatever_the_order_given():
    twins = [offer(n, n, areas=("quality_control",)) for n in (4, 3, 2, 1)]
    for _ in range(5):
        random.shuffle(twins)
        assert [m.company_id for m in rank_companies(AMELIE, twins, name_of=NAMES.get)] == [1, 2, 3, 4]
    people = [profile(cid=cid) for cid in (30, 10, 20)]
    names = {10: "Zoë Müller", 20: "Ærø Çelik", 30: "Ärø Çelik"}
    ranked = rank_candidates(people, 1, [offer(1, 1)], name_of=names.get)
    assert [c.profile.candidate_id for c in ranked] == sorted((10, 20, 30), key=lambda c: (names[c].casefold(), c))


# --- random profiles and offers ----------------------------------------------------------------

def _sets(values, min_size=0):
    return st.frozensets(st.sampled_from(values), min_size=min_size, max_size=len(values))


profiles = st.builds(Profile, candidate_id=st.integers(1, 50), education_level=st.sampled_from(LEVELS + (None,)),
                     job_areas=_sets(AREAS, 1), contract_types=_sets(CONTRACTS), languages=_sets(LANGS),
                     region=st.sampled_from(REGIONS))
offers = st.lists(st.builds(Offer, id=st.integers(1, 10_000), company_id=st.integers(1, 4),
                            title=st.sampled_from(("Analyste", "Technicien", "Opérateur")),
                            education_level=st.sampled_from(LEVELS), job_areas=_sets(AREAS, 1),
                            contract_type=st.sampled_from(CONTRACTS), languages=_sets(LANGS),
                            region=st.sampled_from(REGIONS)),
                  max_size=12, unique_by=lambda o: o.id)


def _check_true(p: Profile, match: CompanyMatch, given_offers) -> None:
    """Every reason is a fact of the profile and of the offers it names."""
    own = [o for o in given_offers if o.company_id == match.company_id]
    for m in match.offers:
        o = m.offer
        assert o in own
        assert m.areas and set(m.areas) == p.job_areas & o.job_areas
        assert m.contract is None or (m.contract == o.contract_type and m.contract in p.contract_types)
        if m.level:
            assert m.level == o.education_level
            if m.same_level:
                assert p.education_level == o.education_level
            else:
                assert LEVEL_RANK[p.education_level] > LEVEL_RANK[o.education_level]
        assert set(m.languages) <= p.languages and set(m.languages) == o.languages if m.languages else True
        assert m.region is None or m.region == o.region == p.region
    counts = {area: sum(1 for m in match.offers if area in m.areas) for area in p.job_areas}
    for area, count in match.reasons.areas:
        assert area in p.job_areas and counts[area] == count > 0
    for level, same in match.reasons.levels:
        assert any(m.level == level and m.same_level == same for m in match.offers)
    for contract in match.reasons.contracts:
        assert contract in p.contract_types and any(m.offer.contract_type == contract for m in match.offers)
    for language in match.reasons.languages:
        assert language in p.languages and any(language in m.offer.languages for m in match.offers)
    for region in match.reasons.regions:
        assert region == p.region and any(m.offer.region == region for m in match.offers)


@settings(max_examples=300, deadline=None)
@given(profiles, offers, st.randoms(use_true_random=False))
def test_random_rankings_are_stable_true_and_only_of_fitting_offers(p, given_offers, rnd):
    ranking = rank_companies(p, given_offers, name_of=NAMES.get)
    shuffled = list(given_offers)
    rnd.shuffle(shuffled)
    assert rank_companies(p, shuffled, name_of=NAMES.get) == ranking
    for match in ranking:
        _check_true(p, match, given_offers)
    fitting = {o.company_id for o in given_offers if p.job_areas & o.job_areas and match_offer(p, o)}
    assert {m.company_id for m in ranking} == fitting
    if not any(p.job_areas & o.job_areas for o in given_offers):
        assert ranking == [] and rank_offers(p, given_offers) == []
    points = [m.points for m in ranking]
    assert points == sorted(points, reverse=True)


@settings(max_examples=150, deadline=None)
@given(st.lists(profiles, max_size=8, unique_by=lambda p: p.candidate_id), offers, st.randoms(use_true_random=False))
def test_random_candidate_rankings_are_stable_and_true(people, given_offers, rnd):
    names = {p.candidate_id: f"Candidat {p.candidate_id % 3}" for p in people}
    ranking = rank_candidates(people, 1, given_offers, name_of=names.get)
    shuffled = list(people)
    rnd.shuffle(shuffled)
    assert rank_candidates(shuffled, 1, given_offers, name_of=names.get) == ranking
    for found in ranking:
        assert found.match.company_id == 1
        _check_true(found.profile, found.match, given_offers)
