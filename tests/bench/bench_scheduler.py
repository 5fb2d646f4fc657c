"""Bench: the fair scheduler (issue 5, "Speed and integrity"; issue 20, hard editions).

The demo edition (``tests.scheduling.demo_problem``): 1,200 candidates, 60 companies with
1-4 tables of 16-20 slots, 3-8 ranked wishes each with skewed popularity, morning-only and
afternoon-only candidates, a gap of one slot (20 minutes), a cap of 4 interviews, plus a
few existing interviews, taken slots and locks; then harder editions where time binds:
gaps of 20-60 minutes, caps of 2-8, 100 to 8,000 candidates, company grids that do not
line up (``hard_instance``, 32 seeds, and a few named corners).

Goals, on 2 cores (CP-SAT with 2 workers):
  1. each instance ends with the lexicographic optimum (coverage, then wish weight) proven,
     or with a true dual bound that accounts for the gaps (the flow tightened by gap cuts,
     or CP-SAT's; not the plain flow's) less than 0.1 % above it, within 10 s;
  2. the whole call ends within the time limit plus 0.5 s.
Every schedule is validated by the independent checker. A table of all instances is
printed at the end. ``JOBDAY_BENCH_STRICT=1`` turns a missed goal 1 into a failure (goal 2
and validity always fail the test).

Run with ``make bench PYTEST_ARGS='-k scheduler'`` or
``.venv/bin/python -m pytest tests/bench/bench_scheduler.py -o python_files='bench_*.py' -s -q``.
"""

from __future__ import annotations

import os
import time

import pytest

from jobday.scheduling.solver import Bound, Schedule, greedy, solve, validate
from tests.scheduling.demo_problem import demo_problem, hard_instance

GOAL_SECONDS = 10.0
SLACK = 0.5
GOAL_GAP = 0.001
WORKERS = 2
STRICT = os.environ.get("JOBDAY_BENCH_STRICT") == "1"

INSTANCES = [(f"demo seed {seed}", dict(seed=seed)) for seed in (5, 1, 2, 3, 4, 6)]
INSTANCES += [
    ("demo, cap 6, gap 40", dict(seed=5, cap=6, gap=40)),
    ("demo 600, cap 8, gap 40", dict(seed=5, candidates=600, cap=8, gap=40)),
    ("8000, gap 60, cap 8", dict(seed=7, candidates=8000, companies=400, cap=8, gap=60, stagger=True)),
    ("8000, gap 40, cap 6", dict(seed=8, candidates=8000, companies=400, cap=6, gap=40)),
    ("8000, gap 20, cap 2", dict(seed=9, candidates=8000, companies=400, cap=2, gap=20, stagger=True)),
    ("100, 3 companies, gap 40", dict(seed=10, candidates=100, companies=3, cap=3, gap=40, stagger=True)),
]
INSTANCES += [hard_instance(seed) for seed in range(32)]

ROWS: list[str] = []
MET: list[str] = []


def gap_of(schedule: Schedule) -> float | None:
    """The relative distance to the bound of the first level not proven (None: proven)."""
    stats, bound = schedule.stats, schedule.stats.bound
    if stats.proven_optimal:
        return None
    if bound is None:  # the time ran out before even the flow bound (a very busy machine)
        return 1.0
    if stats.coverage < bound.coverage:
        return (bound.coverage - stats.coverage) / max(1, bound.coverage)
    return (bound.weight - stats.weight) / max(1, bound.weight)


@pytest.fixture(scope="module", autouse=True)
def table():
    print(f"\nmachine: {os.cpu_count()} cpus, load {os.getloadavg()[0]:.2f}, CP-SAT workers {WORKERS}")
    yield
    print("\n\n| instance | candidates | coverage | weight | bound | source | result | seconds | phases |")
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(ROWS))
    proven = sum(1 for row in ROWS if "| proven |" in row)
    print(f"goal 1: {len(MET)} of {len(ROWS)} instances ({proven} proven optimal, {len(MET) - proven} within "
          f"{100 * GOAL_GAP:.1f} % of a true bound); load at the end: {os.getloadavg()[0]:.2f}")


@pytest.mark.parametrize(("label", "options"), INSTANCES, ids=[label for label, _ in INSTANCES])
def test_scheduler(label, options):
    problem = demo_problem(**options)
    baseline = greedy(problem)
    assert validate(problem, baseline) == []
    started = time.perf_counter()
    schedule = solve(problem, time_limit=GOAL_SECONDS, workers=WORKERS)
    seconds = time.perf_counter() - started
    assert validate(problem, schedule) == []
    assert validate(problem, schedule.baseline_assignments) == []
    stats, bound = schedule.stats, schedule.stats.bound or Bound(coverage=-1, weight=-1, source="none")
    assert stats.key()[:2] >= baseline.stats.key()[:2]
    assert bound.source == "none" or (stats.coverage, stats.weight) <= (bound.coverage, bound.weight)

    gap = gap_of(schedule)
    result = "proven" if gap is None else f"gap {100 * gap:.3f} %"
    if gap is not None and bound.source != "none" and stats.coverage < bound.coverage:
        result = f"coverage gap {bound.coverage - stats.coverage}"
    phases = ", ".join(f"{name} {value:.2f}" for name, value in schedule.phases.items() if value >= 0.01)
    ROWS.append(f"| {label} | {len(problem.candidates)} | {stats.coverage}/{bound.coverage} | {stats.weight} "
                f"| {bound.weight} | {bound.source} | {result} | {seconds:.2f} | {phases} |")
    print(f"\n{ROWS[-1]}")
    assert seconds < GOAL_SECONDS + SLACK
    met = gap is None or (gap < GOAL_GAP and bound.source != "flow" and stats.coverage == bound.coverage)
    if met:
        MET.append(label)
    if STRICT:
        assert met, ROWS[-1]
