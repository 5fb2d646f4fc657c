"""Suggestions (the organiser's matching, for candidates without wishes) in the solver: they
fill what real wishes leave free, never take a slot a wish could have, count neither towards
coverage nor in the wish figures, and are counted apart (``Stats.suggestions_met``)."""

from __future__ import annotations

from jobday.scheduling.solver import Candidate, Problem, Settings, Wish, greedy, solve, validate
from tests.scheduling import company, wishes


def _suggest(candidate_id, company_id, rank):
    return Wish(candidate_id, company_id, rank, suggested=True)


def _companies(schedule, candidate_id):
    return sorted(a.company_id for a in schedule.assignments if a.candidate_id == candidate_id)


def test_a_suggestion_never_takes_the_slot_of_a_real_wish():
    # One slot at A: Wendy's last wish (the lightest real wish: weight 1) against Sam's best
    # suggestion (3 of 3 unscaled). Wendy is covered anyway (B at 11:00), so only the weight
    # decides, and the real wish must win.
    problem = Problem(
        candidates=(Candidate("wendy"), Candidate("sam")),
        companies=(company("A", ["9:00"]), company("B", ["11:00"]), company("X", ["9:00"]), company("Y", ["9:00"])),
        wishes=wishes(("wendy", "B", 1), ("wendy", "A", 3)) + (
            _suggest("sam", "A", 1), _suggest("sam", "X", 2), _suggest("sam", "Y", 3)),
        taken_slots=frozenset({"X1@9:00", "Y1@9:00"}),
        settings=Settings(max_rank=3))
    for schedule in (solve(problem), greedy(problem)):
        assert validate(problem, schedule) == []
        assert _companies(schedule, "wendy") == ["A", "B"]
        assert _companies(schedule, "sam") == []
        assert schedule.stats.suggestions_met == 0 and schedule.stats.weight == 3 + 1


def test_suggestions_fill_the_slots_wishes_leave_free():
    problem = Problem(
        candidates=(Candidate("wendy"), Candidate("sam")),
        companies=(company("A", ["9:00"]), company("B", ["9:00"]), company("C", ["9:00"])),
        wishes=wishes(("wendy", "C", 1), ("wendy", "A", 3)) + (_suggest("sam", "A", 1), _suggest("sam", "B", 2)),
        settings=Settings(max_rank=3, gap_minutes=10))
    for schedule in (solve(problem), greedy(problem)):
        assert validate(problem, schedule) == []
        assert _companies(schedule, "wendy") == ["C"]  # the gap: one of her wishes at 9:00
        assert _companies(schedule, "sam") == ["A"]  # A is free: Wendy met C, her first wish
        assert schedule.stats.suggestions_met == 1


def test_a_real_wish_wins_a_slot_over_any_suggestion():
    problem = Problem(
        candidates=(Candidate("wendy"), Candidate("sam"), Candidate("sue")),
        companies=(company("A", ["9:00"]), company("B", ["9:00"])),
        wishes=wishes(("wendy", "B", 1), ("wendy", "A", 2)) + (
            _suggest("sam", "A", 1), _suggest("sue", "A", 1), _suggest("sue", "B", 2)),
        settings=Settings(max_rank=2, max_per_candidate=2))
    schedule = solve(problem)
    assert validate(problem, schedule) == []
    # Wendy's two wishes overlap (both at 9:00): she meets B; A goes to a suggestion.
    assert _companies(schedule, "wendy") == ["B"]
    assert sorted(a.candidate_id for a in schedule.assignments if a.company_id == "A") in (["sam"], ["sue"])
    stats = schedule.stats
    assert (stats.candidates_with_wishes, stats.coverage, stats.wishes, stats.wishes_met, stats.weight) == (
        1, 1, 2, 1, 2)
    assert stats.suggestions_met == 1 and stats.proven_optimal
    assert stats.bound.weight == 2  # the bound in real wishes' weight, not the objective's


def test_the_best_suggestion_first_when_only_one_fits():
    problem = Problem(
        candidates=(Candidate("sam", cap=1),),
        companies=(company("A", ["9:00"]), company("B", ["11:00"]), company("C", ["13:00"])),
        wishes=(_suggest("sam", "C", 2), _suggest("sam", "B", 1), _suggest("sam", "A", 3)))
    schedule = solve(problem)
    assert _companies(schedule, "sam") == ["B"]
    stats = schedule.stats
    assert (stats.candidates_with_wishes, stats.coverage, stats.wishes, stats.weight, stats.suggestions_met) == (
        0, 0, 0, 0, 1)


def test_without_suggestions_the_objective_is_the_wish_weight():
    problem = Problem(candidates=(Candidate("c"),), companies=(company("A", ["9:00"]),),
                      wishes=wishes(("c", "A", 1)), settings=Settings(max_rank=4))
    wish = problem.wishes[0]
    assert problem.weight_scale() == 1 and problem.objective_weight(wish) == problem.wish_weight(wish) == 4
    suggested = Problem(candidates=problem.candidates + (Candidate("s"),), companies=problem.companies,
                        wishes=problem.wishes + (_suggest("s", "A", 1),), settings=problem.settings)
    assert suggested.weight_scale() == 2
    assert suggested.objective_weight(wish) == 8 and suggested.wish_weight(wish) == 4
    more = Problem(candidates=suggested.candidates + (Candidate("t"),), companies=problem.companies,
                   wishes=suggested.wishes + (_suggest("t", "A", 1),), settings=problem.settings)
    assert more.weight_scale() == 3  # one more than both suggestions together
    assert suggested.objective_weight(suggested.wishes[1]) == 1 and suggested.wish_weight(suggested.wishes[1]) == 0


def test_every_real_wish_outweighs_all_suggestions_together():
    problem = Problem(
        candidates=(Candidate("c"), Candidate("s")),
        companies=(company("A", ["9:00"]), company("B", ["9:00"]), company("C", ["9:00"])),
        wishes=wishes(("c", "A", 1, True), ("c", "B", 8)) + tuple(
            _suggest("s", k, r) for r, k in enumerate("ABC", start=1)),
        settings=Settings(max_rank=8))
    lightest = min(problem.objective_weight(w) for w in problem.wishes if not w.suggested)
    assert lightest > sum(problem.objective_weight(w) for w in problem.wishes if w.suggested)
