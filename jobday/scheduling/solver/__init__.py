"""The fair scheduler (issue 5, item 3): a pure function from a ``Problem`` to a ``Schedule``.

    schedule = solve(problem, time_limit=10.0, workers=2, progress=print_progress)
    assert validate(problem, schedule) == []

The objective is lexicographic: (1) the number of candidates with a wish who get at least
one interview, (2) the total weight of the wishes met (``Problem.wish_weight``: rank and
shortlist; suggestions for candidates without wishes weigh less than any wish,
``Problem.objective_weight``), (3) compact days: few waits longer than ``Settings.long_wait_minutes``.

How (see ``../shared/PERFORMANCE.md``, "Interview scheduling", and issue 20):

1. ``greedy``: the baseline, wishes by decreasing weight, earliest fitting slot;
2. ``flow``: a min-cost flow chooses *which* interviews happen, ignoring only the
   gap between a candidate's interviews at different companies; its value is the first
   proof bound of levels 1 and 2. Then gap cuts: where the flow gives a candidate
   companies whose times cannot fit together in one day, the smallest such set is cut
   ("at most all but one of these"), and the flow solved again, a few rounds; this bound
   ("flow+cuts") takes the gaps into account and is close to the LP relaxation's;
3. ``place``: those interviews are placed in time, company by company, as
   transportation problems over the company's time groups (``grid``: tables with the
   same times are interchangeable);
4. ``search``: if some do not fit, the exact company × time model (``exact``, CP-SAT,
   warm-started from the schedule) runs on everyone when it is small enough, and either
   proves the result optimal or reports its own, tighter bound; then many small
   neighbourhoods with the same model, around the candidates the schedule gives less
   than the flow, one per CP-SAT worker at a time, until the bound is reached (a proof)
   or time runs out;
5. ``place.compact`` moves and swaps interviews within a company to remove long waits
   (level 3).

Every phase after checking the input stops at the time limit (``solve``).

Nothing here imports Flask or the database: the scheduling services translate rows to a
``Problem`` and the ``Schedule`` back to bookings.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from jobday.scheduling.solver.check import measure, validate
from jobday.scheduling.solver.greedy import greedy_placement
from jobday.scheduling.solver.grid import build_grid
from jobday.scheduling.solver.index import Index, Placement, build_index
from jobday.scheduling.solver.model import (
    Assignment,
    Bound,
    Candidate,
    Company,
    CompanyFill,
    ExistingInterview,
    Lock,
    Problem,
    ProblemError,
    Proven,
    Schedule,
    Settings,
    Slot,
    Stats,
    Table,
    Wish,
)

__all__ = [
    "Assignment", "Bound", "Candidate", "Company", "CompanyFill", "ExistingInterview", "Lock", "Problem",
    "ProblemError", "Proven", "Schedule", "Settings", "Slot", "Stats", "Table", "Wish",
    "Progress", "greedy", "solve", "validate",
]

Progress = Callable[[str, float], None]
"""``progress(phase, fraction)``: the phase now running ("check", "greedy", "bound",
"place", "repair", "compact", "done") and the overall fraction done, from 0.0 to 1.0,
never decreasing."""

_PHASES = {"check": 0.0, "greedy": 0.05, "bound": 0.1, "place": 0.2, "repair": 0.35, "compact": 0.85,
           "done": 1.0}


CUT_ROUNDS = 6
"""At most this many rounds of gap cuts (``flow.gap_cuts``): each re-solves the flow."""
CUT_SHARE = 0.5
"""A round of cuts starts only if it should end (taking 1.5 times the last flow) within
this share of the time limit: the schedule still needs its placement and search."""


def _assignments(index: Index, placement: Placement) -> tuple[Assignment, ...]:
    def make(c: int, s: int, locked: bool) -> Assignment:
        return Assignment(candidate_id=index.cand_ids[c], company_id=index.company_ids[index.slot_company[s]],
                          table_id=index.slot_table[s], slot_id=index.slot_ids[s],
                          start=index.slot_start[s], end=index.slot_end[s], locked=locked)

    locked = [make(c, s, True) for c, s in index.locks]
    new = [make(c, s, False) for c in range(len(index.cand_ids)) for s in sorted(placement.held[c])]
    return tuple(locked + new)


def _real_weight(problem: Problem, weight: int) -> int:
    """A bound of the objective's weight as a bound of the real wishes' weight (all the
    suggestions together weigh less than ``weight_scale()``, one real point)."""
    return weight // problem.weight_scale()


def _fixed_weight(problem: Problem, index: Index) -> int:
    return sum(problem.wish_weight(wish) for wish in problem.wishes
               if index.company_pos[wish.company_id] in index.fixed_met[index.cand_pos[wish.candidate_id]])


def _proven(stats: Stats, bound: Bound) -> Proven:
    coverage = stats.coverage >= bound.coverage
    weight = coverage and stats.weight >= bound.weight
    return Proven(coverage=coverage, weight=weight, compactness=weight and stats.long_waits == 0)


def _stats(problem: Problem, assignments, method: str, bound: Bound | None, seconds: float) -> Stats:
    stats = measure(problem, assignments, method, bound=bound, seconds=seconds)
    return stats if bound is None else replace(stats, proven=_proven(stats, bound))


def greedy(problem: Problem) -> Schedule:
    """The greedy baseline alone (no bound, nothing proven)."""
    started = time.perf_counter()
    index = build_index(problem)
    assignments = _assignments(index, greedy_placement(index, build_grid(index)))
    stats = _stats(problem, assignments, "greedy", None, time.perf_counter() - started)
    return Schedule(assignments=assignments, stats=stats, phases={"greedy": stats.seconds})


def _reserve(checking: float) -> float:
    """Seconds kept at the end of the time limit to turn the placement into a ``Schedule``
    (its assignments and figures; the greedy baseline's are made before the search). That
    work is linear in the wishes and slots like checking the input, and took 0.45 times as
    long on this machine, idle or busy: ``checking`` (its duration) scales the reserve to
    the problem and the load, with a margin for a busy machine's hiccups."""
    return 0.1 + 1.5 * checking


def solve(problem: Problem, *, time_limit: float = 10.0, workers: int = 2, progress: Progress | None = None,
          baseline: bool = True, clock: Callable[[], float] = time.perf_counter) -> Schedule:
    """The optimised schedule of ``problem``.

    ``time_limit`` (seconds, read on ``clock``) bounds the whole call: every phase after
    checking the input stops at it, less a reserve to build the answer, so the call
    returns within the limit plus a fraction of a second even on a large problem. On
    time-out the best schedule found is returned with ``timed_out=True``; ``stats.bound``
    then says how far it can be from the best possible (``None`` if even the flow bound
    could not be computed in time). ``workers`` is the number of CP-SAT threads.
    ``baseline`` also reports the greedy pass's figures (``Schedule.baseline``); the greedy
    schedule is returned instead of the optimised one in the unlikely case it is better.

    Raises ``ProblemError`` when the input contradicts itself (see ``build_index``)."""
    started = clock()
    # OR-Tools costs ~90 MB per process; only the processes that solve should carry it
    # (the web and job workers, which render badges, import this module too).
    from jobday.scheduling.solver.flow import gap_cuts, solve_flow
    from jobday.scheduling.solver.place import compact, place_pairs
    from jobday.scheduling.solver.search import improve

    deadline = started + time_limit
    phases: dict[str, float] = {}
    current = ["check", started]
    names = list(_PHASES)

    def enter(phase: str, fraction: float = 0.0) -> None:
        now = clock()
        if phase != current[0]:
            phases[current[0]] = phases.get(current[0], 0.0) + now - current[1]
            current[:] = [phase, now]
        if progress:
            low = _PHASES[phase]
            high = _PHASES[names[min(len(names) - 1, names.index(phase) + 1)]]
            progress(phase, low + (high - low) * min(1.0, max(0.0, fraction)))

    enter("check")
    checking = clock()
    index = build_index(problem)
    grid = build_grid(index)
    soft = deadline - _reserve(clock() - checking)

    def late() -> bool:
        return clock() >= soft

    enter("greedy")
    greedy_plan = greedy_placement(index, grid, stop=late)
    baseline_assignments, measured = (), None
    if baseline:  # measured now, so that the end of the limit only has one schedule to measure
        baseline_assignments = _assignments(index, greedy_plan)
        measured = measure(problem, baseline_assignments, "greedy", seconds=clock() - started)
    bound, outcome = None, "time"
    placement = greedy_plan.copy()
    if not late():
        enter("bound")
        began = clock()
        flow = solve_flow(index, grid)
        cuts: dict[int, list[frozenset[int]]] = {}
        cutting_ends = started + CUT_SHARE * (soft - started)
        for _ in range(CUT_ROUNDS):
            if clock() + 1.5 * (clock() - began) > cutting_ends or not gap_cuts(index, grid, flow, cuts):
                break
            began = clock()
            flow = solve_flow(index, grid, cuts)
        bound = Bound(coverage=flow.coverage_bound,
                      weight=_real_weight(problem, flow.weight_bound) + _fixed_weight(problem, index),
                      source="flow+cuts" if cuts else "flow")
        enter("place")
        placement, _ = place_pairs(index, grid, flow.pairs, stop=late)
        greedy_placement(index, grid, placement, stop=late)  # anything that still fits
        enter("repair")
        result = improve(index, grid, placement, flow, clock=clock, deadline=soft,
                         workers=workers, progress=lambda fraction: enter("repair", fraction))
        placement, outcome = result.placement, result.outcome
        if result.source != "flow":
            covered, weight = result.bound
            bound = Bound(coverage=covered, weight=_real_weight(problem, weight) + _fixed_weight(problem, index),
                          source=result.source)
        if greedy_plan.key() > placement.key():
            placement = greedy_plan.copy()
        enter("compact")
        compact(index, placement, soft, clock)
    enter("done")

    assignments = _assignments(index, placement)
    stats = _stats(problem, assignments, "optimiser", bound, clock() - started)
    baseline_stats = None
    if measured is not None:
        baseline_stats = measured if bound is None else replace(measured, bound=bound,
                                                                proven=_proven(measured, bound))
    return Schedule(assignments=assignments, stats=stats, baseline=baseline_stats,
                    baseline_assignments=baseline_assignments, phases=phases, timed_out=outcome == "time")
