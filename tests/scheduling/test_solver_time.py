"""The time limit is a limit: every phase stops at it, and what is returned is still valid.

The clock is injected: it runs with real time, and jumps past the deadline when a chosen
phase starts, so each phase is tested on its own without waiting (real figures on 8,000
candidates are in ``tests/bench/bench_scheduler.py``)."""

from __future__ import annotations

import time

import pytest

from jobday.scheduling.solver import solve, validate
from jobday.scheduling.solver.model import Problem
from tests.scheduling.demo_problem import demo_problem

LIMIT = 60.0


class JumpingClock:
    """Real time, plus ``LIMIT`` seconds from the moment ``phase`` starts."""

    def __init__(self, phase: str) -> None:
        self.phase, self.offset, self.calls_after = phase, 0.0, 0

    def __call__(self) -> float:
        if self.offset:
            self.calls_after += 1
        return time.perf_counter() + self.offset

    def progress(self, phase: str, _fraction: float) -> None:
        if phase == self.phase and not self.offset:
            self.offset = LIMIT


@pytest.fixture(scope="module")
def hard() -> Problem:
    # a 40-minute gap and a cap of 8: the flow bound is not reached, so without a limit
    # the exact search would use all of LIMIT
    return demo_problem(seed=4, candidates=300, companies=15, cap=8, gap=40)


@pytest.mark.parametrize("phase", ["greedy", "bound", "place", "repair"])
def test_each_phase_stops_at_the_deadline(hard, phase):
    clock = JumpingClock(phase)
    started = time.perf_counter()
    schedule = solve(hard, time_limit=LIMIT, clock=clock, progress=clock.progress)
    elapsed = time.perf_counter() - started
    assert clock.offset, "the phase never started"
    assert validate(hard, schedule) == []
    assert validate(hard, schedule.baseline_assignments) == []
    assert elapsed < 10  # the whole run takes LIMIT without the jump; a generous bound
    assert schedule.timed_out and not schedule.stats.proven_optimal
    later = ["greedy", "bound", "place", "repair", "compact"]
    assert all(schedule.phases.get(name, 0.0) < 1.0 for name in later[later.index(phase) + 1:])
    assert schedule.stats.key()[:2] >= schedule.baseline.key()[:2]


def test_compacting_stops_at_the_deadline():
    problem = demo_problem(seed=3, candidates=150, companies=10)  # the flow bound is reached at once
    clock = JumpingClock("compact")
    started = time.perf_counter()
    schedule = solve(problem, time_limit=LIMIT, clock=clock, progress=clock.progress)
    assert clock.offset and time.perf_counter() - started < 10
    assert validate(problem, schedule) == []
    assert schedule.stats.proven_optimal and not schedule.timed_out  # levels 1 and 2 were done


def test_when_the_limit_is_spent_on_checking_the_input_the_answer_is_the_locks_alone():
    problem = demo_problem(seed=2, candidates=80, companies=6)
    assert problem.locked
    schedule = solve(problem, time_limit=0.0)
    assert validate(problem, schedule) == []
    assert all(assignment.locked for assignment in schedule.assignments)
    assert schedule.timed_out and schedule.stats.bound is None and not schedule.stats.proven_optimal


def test_a_short_limit_on_a_hard_problem_is_kept(hard):
    started = time.perf_counter()
    schedule = solve(hard, time_limit=1.0)
    elapsed = time.perf_counter() - started
    assert validate(hard, schedule) == []
    assert elapsed < 1.0 + 2.0  # the goal is 0.5 s (measured in the bench); generous here
    assert schedule.stats.key()[:2] >= schedule.baseline.key()[:2]


def test_the_demo_generator_with_fewer_companies_than_wishes_terminates():
    problem = demo_problem(seed=1, candidates=40, companies=3)
    assert len(problem.companies) == 3
    assert {wish.company_id for wish in problem.wishes} <= {"k0", "k1", "k2"}
    assert max(sum(1 for wish in problem.wishes if wish.candidate_id == c.id) for c in problem.candidates) == 3
    assert validate(problem, solve(problem, time_limit=5)) == []
