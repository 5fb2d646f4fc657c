"""Gap cuts (``flow.gap_cuts``): valid, and only where a candidate's companies cannot fit."""

from __future__ import annotations

import time

from jobday.scheduling.solver import Candidate, Problem, Settings
from jobday.scheduling.solver.exact import solve_members
from jobday.scheduling.solver.flow import fits_together, gap_cuts, solve_flow
from jobday.scheduling.solver.greedy import greedy_placement
from jobday.scheduling.solver.grid import build_grid
from jobday.scheduling.solver.index import build_index
from tests.scheduling import company, wishes
from tests.scheduling.demo_problem import demo_problem, hard_instance


def _world(problem: Problem):
    index = build_index(problem)
    return index, build_grid(index)


def _a_and_b_only_at_nine() -> Problem:
    return Problem(
        candidates=(Candidate("c1"),),
        companies=(company("A", ["9:00"]), company("B", ["9:00"]), company("C", ["10:00", "11:00"])),
        wishes=wishes(("c1", "A", 1), ("c1", "B", 2), ("c1", "C", 3)),
        settings=Settings(gap_minutes=20))


def test_times_that_fit_together_are_not_cut_and_times_that_clash_are():
    # A and B only meet at 9:00, C at 10:00 or 11:00: three times, so the flow (blind to the
    # clock across companies) gives c1 all three; the smallest set that cannot fit is {A, B}
    problem = _a_and_b_only_at_nine()
    index, grid = _world(problem)
    a, b, c = (index.company_pos[k] for k in "ABC")
    assert fits_together(index, grid, 0, [a, c]) and fits_together(index, grid, 0, [b, c])
    assert not fits_together(index, grid, 0, [a, b])

    flow = solve_flow(index, grid)
    assert sorted(k for _, k in flow.pairs) == [a, b, c] and flow.weight_bound == 3 + 2 + 1
    cuts: dict = {}
    assert gap_cuts(index, grid, flow, cuts) == 1
    assert cuts == {0: [frozenset({a, b})]}
    cut_flow = solve_flow(index, grid, cuts)
    assert sorted(k for _, k in cut_flow.pairs) == [a, c] and cut_flow.weight_bound == 3 + 1
    assert gap_cuts(index, grid, cut_flow, cuts) == 0  # what is left fits


def test_nested_cuts_stack_and_crossing_ones_are_left_out():
    problem = Problem(
        candidates=(Candidate("c1"),),
        companies=tuple(company(k, [f"{9 + n}:00"]) for n, k in enumerate("ABCD")),
        wishes=wishes(("c1", "A", 1), ("c1", "B", 2), ("c1", "C", 3), ("c1", "D", 4)),
        settings=Settings(gap_minutes=20))
    index, grid = _world(problem)
    a, b, c, d = (index.company_pos[k] for k in "ABCD")
    assert len(solve_flow(index, grid).pairs) == 4
    cuts = {0: [frozenset({a, b, c, d})]}
    assert len(solve_flow(index, grid, cuts).pairs) == 3  # at most 3 of the 4
    cuts[0].append(frozenset({a, b}))
    pairs = solve_flow(index, grid, cuts).pairs
    assert len(pairs) == 3 and len({a, b} & {k for _, k in pairs}) == 1

    # a cut that would cross one already there is not added (the network needs nesting)
    family = {0: [frozenset({a, b})]}
    problem_bc = Problem(candidates=problem.candidates,
                         companies=(company("A", ["9:00"]), company("B", ["10:00"]), company("C", ["10:00"]),
                                    company("D", ["12:00"])),
                         wishes=problem.wishes, settings=problem.settings)
    index_bc, grid_bc = _world(problem_bc)
    flow_bc = solve_flow(index_bc, grid_bc)
    assert gap_cuts(index_bc, grid_bc, flow_bc, family) == 0  # {B, C} crosses {A, B}
    assert family == {0: [frozenset({a, b})]}


def _cut_flow(index, grid):
    flow = solve_flow(index, grid)
    cuts: dict = {}
    while gap_cuts(index, grid, flow, cuts):
        flow = solve_flow(index, grid, cuts)
    return flow, cuts


# Optima proven by HiGHS (an independent MIP of the company x time model, run to a gap of 0
# on this machine: minutes each), as (coverage, weight of the new interviews): the cut
# bound is a bound, so it may not go below them. Both flows without cuts were above.
KNOWN_OPTIMA = {4: (633, 10121), 15: (158, 3088)}


def test_the_cut_bound_stays_at_or_above_optima_proven_independently():
    for seed, optimum in KNOWN_OPTIMA.items():
        index, grid = _world(demo_problem(**hard_instance(seed)[1]))
        plain = solve_flow(index, grid)
        flow, cuts = _cut_flow(index, grid)
        assert cuts
        assert (plain.coverage_bound, plain.weight_bound) > optimum
        assert (flow.coverage_bound, flow.weight_bound) >= optimum, seed


def test_on_small_tight_editions_the_cut_bound_is_at_least_the_exact_optimum():
    # 16 candidates, 6 companies, cap 6, one hour between interviews: most editions get cuts
    with_cuts = 0
    for seed in range(20):
        problem = demo_problem(seed=200 + seed, candidates=16, companies=6, cap=6, gap=60, stagger=True)
        index, grid = _world(problem)
        flow, cuts = _cut_flow(index, grid)
        with_cuts += bool(cuts)
        plain = solve_flow(index, grid)
        best = solve_members(index, grid, greedy_placement(index, grid), set(range(len(index.cand_ids))),
                             coverage_floor=None, cap=(plain.coverage_bound, plain.weight_bound),
                             deadline=time.perf_counter() + 60, clock=time.perf_counter, workers=2)
        assert best.optimal
        assert best.placement.key() <= (flow.coverage_bound, flow.weight_bound), seed
    assert with_cuts >= 10


def test_two_neighbourhoods_solved_at_once_merge_only_when_their_slots_are_still_free():
    from jobday.scheduling.solver.index import Placement
    from jobday.scheduling.solver.search import _merge

    # A has one table at 9:00 and 10:00 (two groups of one slot); c1 and c2 each want A
    problem = Problem(
        candidates=(Candidate("c1"), Candidate("c2")),
        companies=(company("A", ["9:00", "10:00"]),),
        wishes=wishes(("c1", "A", 1), ("c2", "A", 1)))
    index, grid = _world(problem)
    nine, ten = index.company_slots[0]
    base = Placement(index)
    base.add(0, nine)  # the first neighbourhood gave c1 9:00
    other = Placement(index)
    other.add(1, ten)  # the second gave c2 10:00: still free, merged
    assert _merge(grid, base, other, {1})
    assert base.held == [[nine], [ten]]

    # the second wants c2 at 9:00 instead, which the first gave c1: nothing changes
    other = Placement(index)
    other.add(1, nine)
    assert not _merge(grid, base, other, {1})
    assert base.held == [[nine], [ten]] and base.owner == [0, 1]


def test_a_day_too_long_to_search_is_taken_as_fitting(monkeypatch):
    # no cut rather than a stalled solver: the bound stays valid, only less tight
    import jobday.scheduling.solver.flow as flow_module

    problem = _a_and_b_only_at_nine()
    index, grid = _world(problem)
    a, b = index.company_pos["A"], index.company_pos["B"]
    assert not fits_together(index, grid, 0, [a, b])
    monkeypatch.setattr(flow_module, "FIT_STEPS", 1)
    assert fits_together(index, grid, 0, [a, b])
