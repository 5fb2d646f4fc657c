"""The fair scheduler on small instances whose optimum is known by hand."""

from __future__ import annotations

import pytest

from jobday.scheduling.solver import (
    Candidate,
    ExistingInterview,
    Lock,
    Problem,
    Settings,
    greedy,
    solve,
    validate,
)
from tests.scheduling import company, hm, wishes
from tests.scheduling.demo_problem import demo_problem


def slots_of(schedule, candidate_id: str) -> list[str]:
    return sorted(a.slot_id for a in schedule.assignments if a.candidate_id == candidate_id)


def companies_of(schedule, candidate_id: str) -> list[str]:
    return sorted(a.company_id for a in schedule.assignments if a.candidate_id == candidate_id)


def checked(problem: Problem, **options):
    schedule = solve(problem, **options)
    assert validate(problem, schedule) == []
    assert validate(problem, schedule.baseline_assignments) == []
    return schedule


def test_greedy_by_weight_leaves_a_candidate_out_and_the_optimiser_covers_everyone():
    # A has two slots, B one. c1 is shortlisted by both, so greedy serves c1 twice first;
    # c2 then takes A's second slot and c3 finds nothing. Covering all three needs c1 to
    # give up B: weight 4 + 2 + 1 = 7 instead of greedy's 4 + 2 + 2 = 8.
    problem = Problem(
        candidates=(Candidate("c1"), Candidate("c2"), Candidate("c3")),
        companies=(company("A", ["9:00", "10:00"]), company("B", ["10:00"])),
        wishes=wishes(("c1", "A", 1, True), ("c1", "B", 2, True), ("c2", "A", 1),
                      ("c3", "A", 1), ("c3", "B", 2)),
        settings=Settings(max_rank=2))
    baseline = greedy(problem)
    assert validate(problem, baseline) == []
    assert (baseline.stats.coverage, baseline.stats.weight) == (2, 8)
    assert slots_of(baseline, "c3") == []

    schedule = checked(problem)
    assert (schedule.stats.coverage, schedule.stats.weight) == (3, 7)
    assert companies_of(schedule, "c1") == ["A"] and companies_of(schedule, "c3") == ["B"]
    assert schedule.stats.bound.coverage == 3 and schedule.stats.bound.weight == 7
    assert schedule.stats.proven_optimal
    assert schedule.baseline.coverage == 2 and not schedule.baseline.proven_optimal


def test_the_gap_forces_a_choice_and_the_first_wish_wins():
    problem = Problem(
        candidates=(Candidate("c1"),),
        companies=(company("A", ["9:00"]), company("B", ["9:30"])),
        wishes=wishes(("c1", "B", 2), ("c1", "A", 1)),
        settings=Settings(gap_minutes=20))
    schedule = checked(problem)
    assert companies_of(schedule, "c1") == ["A"]
    assert schedule.stats.proven_optimal

    roomy = Problem(candidates=problem.candidates, companies=problem.companies, wishes=problem.wishes,
                    settings=Settings(gap_minutes=10))
    assert companies_of(checked(roomy), "c1") == ["A", "B"]


def test_companies_whose_times_do_not_fit_together_are_cut_from_the_bound():
    # A and B only meet at 9:00: the flow (blind to the clock across companies) wants both;
    # the gap cut says c1 meets at most one of them, so the bound is the best real day, A at
    # 9:00 and C at 10:00, and the schedule is proven optimal without a search.
    problem = Problem(
        candidates=(Candidate("c1"),),
        companies=(company("A", ["9:00"]), company("B", ["9:00"]), company("C", ["10:00"])),
        wishes=wishes(("c1", "A", 1), ("c1", "B", 2), ("c1", "C", 3)),
        settings=Settings(gap_minutes=20))
    schedule = checked(problem)
    assert companies_of(schedule, "c1") == ["A", "C"]
    assert schedule.stats.weight == 3 + 1
    assert schedule.stats.bound.weight == 3 + 1 and schedule.stats.bound.source == "flow+cuts"
    assert schedule.stats.proven_optimal


def test_a_bound_that_no_cut_tightens_is_replaced_by_a_proof():
    # Each candidate's day fits alone (c1: A at 9:00, B at 10:00; c2: C at 9:00, B at
    # 10:00), so no gap cut applies, but both need B's 10:00: one of them loses B. The flow
    # bound counts both; CP-SAT proves the real optimum.
    problem = Problem(
        candidates=(Candidate("c1"), Candidate("c2")),
        companies=(company("A", ["9:00"]), company("B", ["9:00", "10:00"]), company("C", ["9:00"])),
        wishes=wishes(("c1", "A", 1), ("c1", "B", 2), ("c2", "C", 1), ("c2", "B", 3)),
        settings=Settings(gap_minutes=20, max_rank=3))
    schedule = checked(problem)
    assert schedule.stats.bound.source == "cp-sat" and schedule.stats.proven_optimal
    assert len(schedule.assignments) == 3
    assert companies_of(schedule, "c1") == ["A", "B"] and companies_of(schedule, "c2") == ["C"]


def test_two_interviews_never_overlap_even_without_a_gap():
    problem = Problem(
        candidates=(Candidate("c1"),),
        companies=(company("A", ["9:00"], length=30), company("B", ["9:20", "9:30"])),
        wishes=wishes(("c1", "A", 1), ("c1", "B", 2)))
    schedule = checked(problem)
    assert slots_of(schedule, "c1") == ["A1@9:00", "B1@9:30"]  # 9:30 touches 9:00-9:30: allowed


def test_a_locked_assignment_stays_even_when_the_optimiser_would_move_it():
    # Without the lock, c1 would take A (rank 1) and c2 would take B.
    problem = Problem(
        candidates=(Candidate("c1"), Candidate("c2")),
        companies=(company("A", ["9:00"]), company("B", ["9:00"])),
        wishes=wishes(("c1", "A", 1), ("c1", "B", 2), ("c2", "B", 1), ("c2", "A", 2)),
        locked=(Lock("c1", "B1@9:00"),))
    schedule = checked(problem)
    locked = [a for a in schedule.assignments if a.locked]
    assert [(a.candidate_id, a.slot_id) for a in locked] == [("c1", "B1@9:00")]
    assert slots_of(schedule, "c1") == ["B1@9:00"]  # the lock fills c1's 9:00
    assert slots_of(schedule, "c2") == ["A1@9:00"]
    assert schedule.stats.proven_optimal


def test_a_taken_slot_is_never_used():
    problem = Problem(
        candidates=(Candidate("c1"), Candidate("c2")),
        companies=(company("A", ["9:00", "9:20", "9:40"]),),
        wishes=wishes(("c1", "A", 1), ("c2", "A", 1)),
        taken_slots=frozenset({"A1@9:00", "A1@9:40"}))
    schedule = checked(problem)
    used = [a.slot_id for a in schedule.assignments]
    assert used == ["A1@9:20"]
    assert schedule.stats.coverage == 1 and schedule.stats.proven_optimal


def test_a_morning_only_candidate_never_gets_an_afternoon_slot():
    morning = (hm("8:00"), hm("12:30"))
    problem = Problem(
        candidates=(Candidate("all-day"), Candidate("morning", windows=(morning,))),
        companies=(company("A", ["9:00", "14:00"]),),
        wishes=wishes(("all-day", "A", 1, True), ("morning", "A", 1)))
    schedule = checked(problem)
    assert slots_of(schedule, "morning") == ["A1@9:00"]
    assert slots_of(schedule, "all-day") == ["A1@14:00"]

    alone = Problem(candidates=(Candidate("morning", windows=(morning,)),),
                    companies=(company("A", ["14:00"]),), wishes=wishes(("morning", "A", 1)))
    schedule = checked(alone)
    assert schedule.assignments == ()  # an infeasible wish is simply not met
    assert schedule.stats.wishes_met == 0 and schedule.stats.proven_optimal


def test_allowed_slots_limit_a_candidate_to_named_slots():
    problem = Problem(
        candidates=(Candidate("c1", allowed_slots=frozenset({"A1@10:00"})),),
        companies=(company("A", ["9:00", "10:00"]),),
        wishes=wishes(("c1", "A", 1)))
    assert slots_of(checked(problem), "c1") == ["A1@10:00"]


def test_the_cap_keeps_the_heaviest_wishes():
    problem = Problem(
        candidates=(Candidate("c1"), Candidate("c2", cap=1)),
        companies=tuple(company(name, ["9:00", "10:00", "11:00", "12:00"]) for name in "ABCD"),
        wishes=wishes(("c1", "A", 4), ("c1", "B", 1), ("c1", "C", 3), ("c1", "D", 2),
                      ("c2", "A", 2), ("c2", "B", 1)),
        settings=Settings(max_per_candidate=2))
    schedule = checked(problem)
    assert companies_of(schedule, "c1") == ["B", "D"]
    assert companies_of(schedule, "c2") == ["B"]


def test_the_per_company_limit_counts_existing_interviews():
    existing = ExistingInterview(company_id="A", start=hm("9:00"), end=hm("9:20"), slot_id="A1@9:00")
    problem = Problem(
        candidates=(Candidate("c1", existing=(existing,)),),
        companies=(company("A", ["9:00", "11:00"]), company("B", ["11:00"])),
        wishes=wishes(("c1", "A", 1), ("c1", "B", 2)),
        settings=Settings(max_rank=2))
    schedule = checked(problem)
    assert companies_of(schedule, "c1") == ["B"]  # no second interview with A
    assert schedule.stats.wishes_met == 2 and schedule.stats.weight == 3  # A is met by the existing one
    assert schedule.stats.interviews == 2 and schedule.stats.new_interviews == 1


def test_existing_interviews_outside_the_problem_are_respected_with_the_gap():
    existing = ExistingInterview(company_id="elsewhere", start=hm("9:00"), end=hm("9:30"))
    problem = Problem(
        candidates=(Candidate("c1", existing=(existing,)),),
        companies=(company("A", ["9:40", "10:00"]),),
        wishes=wishes(("c1", "A", 1)),
        settings=Settings(gap_minutes=20))
    assert slots_of(checked(problem), "c1") == ["A1@10:00"]


def test_an_existing_interview_counts_for_coverage_and_the_cap():
    existing = ExistingInterview(company_id="X", start=hm("9:00"), end=hm("9:20"))
    problem = Problem(
        candidates=(Candidate("c1", existing=(existing,)), Candidate("c2")),
        companies=(company("A", ["11:00"]),),
        wishes=wishes(("c1", "A", 1, True), ("c2", "A", 1)),
        settings=Settings(max_per_candidate=1))
    schedule = checked(problem)
    assert slots_of(schedule, "c2") == ["A1@11:00"]
    assert schedule.stats.coverage == 2


def test_compact_days_prefer_consecutive_interviews():
    problem = Problem(
        candidates=(Candidate("c1"),),
        companies=(company("A", ["9:00", "13:00", "16:00"]), company("B", ["9:40", "16:40"])),
        wishes=wishes(("c1", "A", 1), ("c1", "B", 2)),
        settings=Settings(gap_minutes=20))
    schedule = checked(problem)
    assert schedule.stats.long_waits == 0
    assert schedule.stats.proven.compactness


def test_company_fill_and_stats():
    existing = ExistingInterview(company_id="A", start=hm("9:00"), end=hm("9:20"), slot_id="A1@9:00")
    problem = Problem(
        candidates=(Candidate("c1", existing=(existing,)), Candidate("c2"), Candidate("c3")),
        companies=(company("A", ["9:00", "10:00"], ["9:00", "10:00"]), company("B", ["9:00"])),
        wishes=wishes(("c2", "A", 1), ("c3", "A", 1)),
        taken_slots=frozenset({"A2@10:00"}))
    schedule = checked(problem)
    fill = schedule.stats.company_fill
    assert (fill["A"].slots, fill["A"].open, fill["A"].booked) == (4, 2, 3)
    assert (fill["B"].slots, fill["B"].open, fill["B"].booked) == (1, 1, 0)
    assert schedule.stats.candidates_with_wishes == 2 and schedule.stats.coverage == 2
    assert schedule.stats.wishes == 2 and schedule.stats.wishes_met == 2


def test_progress_reports_every_phase_in_order():
    seen: list[tuple[str, float]] = []
    problem = demo_problem(seed=3, candidates=80, companies=8)
    checked(problem, progress=lambda phase, fraction: seen.append((phase, fraction)))
    fractions = [fraction for _, fraction in seen]
    assert fractions == sorted(fractions) and 0.0 <= fractions[0] and fractions[-1] == 1.0
    phases = [phase for phase, _ in seen]
    assert phases[0] == "check" and phases[-1] == "done"
    assert {"greedy", "bound", "place", "compact"} <= set(phases)


@pytest.mark.parametrize("seed", [1, 2])
def test_a_small_demo_is_solved_to_proven_optimality(seed):
    problem = demo_problem(seed=seed, candidates=150, companies=10)
    schedule = checked(problem)
    stats, baseline = schedule.stats, schedule.baseline
    assert stats.proven_optimal and not schedule.timed_out
    assert (stats.coverage, stats.weight) == (stats.bound.coverage, stats.bound.weight)
    assert stats.key() >= baseline.key()
    assert stats.long_waits <= baseline.long_waits


def test_a_tight_time_limit_still_returns_a_valid_schedule():
    problem = demo_problem(seed=4, candidates=300, companies=15, cap=8, gap=60)
    schedule = checked(problem, time_limit=0.3)
    assert schedule.stats.key()[:2] >= schedule.baseline.key()[:2]
    bound = schedule.stats.bound  # None when the limit ran out before the flow (a loaded machine)
    assert bound is None or schedule.stats.coverage <= bound.coverage
