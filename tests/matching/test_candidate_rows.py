"""The matches page's ranking from plain rows (``candidate_rows``) is ``score.rank_candidates``'s:
the same candidates, the same matches, the same order, names with accents and ties included;
asked again (its scores kept), it still answers for the offers it is given."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jobday.matching.candidate_rows import rank_candidate_rows, ranked
from jobday.matching.score import rank_candidates
from tests.matching.test_matching_score import offer, offers, profile, profiles

FIRST = ("Élodie", "elodie", "Zoë", "", "Ünal")
LAST = ("Müller", "muller", "Dupont", "", "de Smet")


def _codes(values) -> str | None:
    """As ``codes_of`` reads them: comma-separated in any order, None when there is none."""
    return ",".join(values) or None


def _row(p, first, last, *page_columns):
    return (p.candidate_id, p.education_level, p.region or None, _codes(p.job_areas), _codes(p.contract_types),
            _codes(p.languages), first, last, *page_columns)


@settings(max_examples=200, deadline=None)
@given(st.lists(profiles, max_size=12, unique_by=lambda p: p.candidate_id), offers, st.randoms(use_true_random=False))
def test_the_rows_rank_as_the_profiles_do(people, given_offers, rnd):
    names = {p.candidate_id: (rnd.choice(FIRST), rnd.choice(LAST)) for p in people}
    expected = rank_candidates(people, 1, given_offers, name_of=lambda cid: " ".join(reversed(names[cid])))
    rows = [_row(p, *names[p.candidate_id], "page column") for p in people]
    rnd.shuffle(rows)
    for _again in range(2):  # the second time from the kept scores
        found = ranked(rank_candidate_rows(rows, 1, given_offers))
        assert [(c.candidate_id, c.match) for c in found] == [(m.profile.candidate_id, m.match) for m in expected]
        assert all(c.first_name == names[c.candidate_id][0] and c.last_name == names[c.candidate_id][1]
                   and c.row[8] == "page column" for c in found)


def test_kept_scores_follow_the_offers_given():
    amelie = _row(profile(areas=("quality_control",), level="master"), "Amélie", "Test")
    first = rank_candidate_rows([amelie], 1, [offer(1, 1, level="master")])
    assert first[0][4].points == 60
    changed = rank_candidate_rows([amelie], 1, [offer(1, 1, level="phd")])  # now above her level
    assert changed == []
    assert rank_candidate_rows([amelie], 2, [offer(1, 1, level="master")]) == []  # another company's offer
