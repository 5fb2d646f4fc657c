"""Bench: the fair scheduler on the demo edition of issue 5 ("Speed and integrity").

1,200 candidates, 60 companies with 1-4 tables of 16-20 slots, 3-8 ranked wishes each with
skewed popularity, morning-only and afternoon-only candidates, a gap of one slot (20
minutes), a cap of 4 interviews, plus a few existing interviews, taken slots and locks
(``tests.scheduling.demo_problem``). Goal: the proven optimum of levels 1 and 2 in under
10 seconds on 2 cores, against the greedy baseline. Every schedule is validated.

Run with ``make bench`` or
``.venv/bin/python -m pytest tests/bench/bench_scheduler.py -o python_files='bench_*.py' -s -q``.
"""

from __future__ import annotations

import os
import time

import pytest

from jobday.scheduling.solver import Schedule, Stats, greedy, solve, validate
from tests.scheduling.demo_problem import demo_problem

GOAL_SECONDS = 10.0
WORKERS = 2


def _line(stats: Stats) -> str:
    return (f"{stats.method:<9} coverage {stats.coverage:>5}/{stats.candidates_with_wishes:<5} "
            f"wishes met {stats.wishes_met:>5}/{stats.wishes:<5} weight {stats.weight:>6}  "
            f"long waits {stats.long_waits:>4}  {stats.seconds:7.3f} s")


def _report(title: str, schedule: Schedule, greedy_seconds: float) -> None:
    stats, base, bound = schedule.stats, schedule.baseline, schedule.stats.bound
    print(f"\n--- {title}")
    print(_line(base).replace(f"{base.seconds:7.3f} s", f"{greedy_seconds:7.3f} s"))
    print(_line(stats))
    print(f"bound     coverage {bound.coverage:>5} weight {bound.weight:>6} ({bound.source})   "
          f"proven: coverage {stats.proven.coverage}, weight {stats.proven.weight}, "
          f"compactness {stats.proven.compactness}   timed out {schedule.timed_out}")
    print(f"optimiser / greedy: coverage x{stats.coverage / base.coverage:.3f}, "
          f"weight x{stats.weight / base.weight:.3f}, wishes met x{stats.wishes_met / base.wishes_met:.3f}; "
          f"gap to bound {bound.weight - stats.weight if stats.proven.coverage else 'n/a'}")
    print("phases: " + ", ".join(f"{name} {seconds:.3f} s" for name, seconds in schedule.phases.items()))
    fills = sorted(fill.rate for fill in stats.company_fill.values())
    print(f"company fill: min {fills[0]:.0%}, median {fills[len(fills) // 2]:.0%}, max {fills[-1]:.0%}")


def _run(problem, time_limit: float = GOAL_SECONDS) -> tuple[Schedule, float]:
    started = time.perf_counter()
    baseline = greedy(problem)
    greedy_seconds = time.perf_counter() - started
    assert validate(problem, baseline) == []
    schedule = solve(problem, time_limit=time_limit, workers=WORKERS)
    assert validate(problem, schedule) == []
    assert validate(problem, schedule.baseline_assignments) == []
    assert schedule.stats.key()[:2] >= schedule.baseline.key()[:2]
    return schedule, greedy_seconds


def test_demo_edition_reaches_the_proven_optimum_within_ten_seconds():
    print(f"\nmachine: {os.cpu_count()} cpus, CP-SAT workers {WORKERS}")
    problem = demo_problem(seed=5)
    print(f"instance: {len(problem.candidates)} candidates, {len(problem.companies)} companies, "
          f"{sum(len(t.slots) for c in problem.companies for t in c.tables)} slots, "
          f"{len(problem.wishes)} wishes, "
          f"gap {problem.settings.gap_minutes} min, cap {problem.settings.max_per_candidate}, "
          f"{len(problem.locked)} locks, {len(problem.taken_slots)} taken slots, "
          f"{sum(len(c.existing) for c in problem.candidates)} existing interviews")
    schedule, greedy_seconds = _run(problem)
    _report("demo edition (seed 5)", schedule, greedy_seconds)
    assert schedule.stats.proven_optimal
    assert schedule.stats.seconds < GOAL_SECONDS


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 6])
def test_other_demo_seeds(seed):
    schedule, greedy_seconds = _run(demo_problem(seed=seed))
    _report(f"demo edition (seed {seed})", schedule, greedy_seconds)
    assert schedule.stats.proven_optimal
    assert schedule.stats.seconds < GOAL_SECONDS


@pytest.mark.parametrize(("label", "options"), [
    ("cap 6, gap 40 min", dict(cap=6, gap=40)),
    ("600 candidates, cap 8, gap 40 min", dict(candidates=600, cap=8, gap=40)),
])
def test_harder_editions_report_their_gap_to_the_bound(label, options):
    """Beyond the demo: longer gaps and higher caps make the flow bound loose; the
    scheduler must still return a valid schedule within the limit and say it is unproven."""
    schedule, greedy_seconds = _run(demo_problem(seed=5, **options))
    _report(label, schedule, greedy_seconds)
    assert schedule.stats.seconds < GOAL_SECONDS + 0.5
