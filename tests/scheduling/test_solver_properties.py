"""Random small instances: every schedule is valid, the optimiser is never worse than the
greedy pass nor better than its bound, and on tiny instances it finds the optimum that
exhaustive search finds."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobday.scheduling.solver import (
    Assignment,
    Candidate,
    Company,
    ExistingInterview,
    Lock,
    Problem,
    ProblemError,
    Settings,
    Slot,
    Table,
    Wish,
    solve,
    validate,
)
from jobday.scheduling.solver.check import measure
from jobday.scheduling.solver.index import build_index

STARTS = [540, 560, 580, 600, 620, 660, 780]
WINDOWS = [None, None, ((480, 720),), ((720, 900),), ((560, 640),)]


@st.composite
def problems(draw, max_candidates: int = 5, max_companies: int = 3, max_slots: int = 3,
             starts: list[int] = STARTS) -> Problem:
    companies = []
    for k in range(draw(st.integers(1, max_companies))):
        length = draw(st.sampled_from([20, 30]))
        tables = []
        for t in range(draw(st.integers(1, 2))):
            times = draw(st.lists(st.sampled_from(starts), min_size=1, max_size=max_slots, unique=True))
            tables.append(Table(f"K{k}T{t}", tuple(Slot(f"K{k}T{t}@{s}", s, s + length) for s in times)))
        companies.append(Company(f"K{k}", tuple(tables), max_per_candidate=draw(st.sampled_from([None, 2]))))
    slots = [(company, table, slot) for company in companies
             for table in company.tables for slot in table.slots]
    held: set[str] = set()
    candidates, wishes = [], []
    for c in range(draw(st.integers(1, max_candidates))):
        existing = ()
        roll = draw(st.integers(0, 5))
        if roll == 0:
            existing = (ExistingInterview("elsewhere", 600, 620),)
        elif roll == 1:
            company, _, slot = draw(st.sampled_from(slots))
            if slot.id not in held:
                held.add(slot.id)
                existing = (ExistingInterview(company.id, slot.start, slot.end, slot.id),)
        candidates.append(Candidate(f"c{c}", windows=draw(st.sampled_from(WINDOWS)), existing=existing,
                                    cap=draw(st.sampled_from([None, None, 1, 2]))))
        chosen = draw(st.lists(st.sampled_from(companies), unique_by=lambda company: company.id,
                               min_size=1, max_size=len(companies)))
        for rank, company in enumerate(chosen, start=1):
            wishes.append(Wish(f"c{c}", company.id, rank, draw(st.booleans())))
    rules = Settings(gap_minutes=draw(st.sampled_from([0, 10, 20, 40, 60])),
                     max_per_candidate=draw(st.sampled_from([None, 1, 2, 3])),
                     max_rank=max_companies)
    taken = frozenset(draw(st.lists(st.sampled_from([slot.id for _, _, slot in slots]), max_size=2)))
    locks = ()
    if draw(st.booleans()):
        _, _, slot = draw(st.sampled_from(slots))
        locks = (Lock(draw(st.sampled_from(candidates)).id, slot.id),)
    problem = Problem(candidates=tuple(candidates), companies=tuple(companies), wishes=tuple(wishes),
                      settings=rules, locked=locks, taken_slots=taken)
    try:
        build_index(problem)
    except ProblemError:  # a random lock or existing interview that breaks a rule: drop them
        plain = tuple(Candidate(c.id, windows=c.windows, cap=c.cap) for c in candidates)
        problem = Problem(candidates=plain, companies=problem.companies, wishes=problem.wishes,
                          settings=rules, taken_slots=taken)
    return problem


def brute_force(problem: Problem) -> tuple[int, int]:
    """The best (coverage, weight) over every way of meeting or not meeting each wish."""
    rules = problem.settings
    candidates = {candidate.id: candidate for candidate in problem.candidates}
    slots = {company.id: [(table.id, slot) for table in company.tables for slot in table.slots]
             for company in problem.companies}
    closed = set(problem.taken_slots) | {lock.slot_id for lock in problem.locked}
    closed |= {i.slot_id for c in problem.candidates for i in c.existing if i.slot_id is not None}
    fixed: dict[str, list[tuple[int, int]]] = {c.id: [(i.start, i.end) for i in c.existing]
                                                for c in problem.candidates}
    met: set[tuple[str, str]] = {(c.id, i.company_id) for c in problem.candidates for i in c.existing}
    locked = []
    for lock in problem.locked:
        company_id, table_id, slot = next((k, t, s) for k, items in slots.items() for t, s in items
                                          if s.id == lock.slot_id)
        fixed[lock.candidate_id].append((slot.start, slot.end))
        met.add((lock.candidate_id, company_id))
        locked.append(Assignment(lock.candidate_id, company_id, table_id, slot.id, slot.start, slot.end,
                                 locked=True))
    caps = {c.id: min([cap for cap in (rules.max_per_candidate, c.cap) if cap is not None], default=99)
            for c in problem.candidates}
    open_wishes = [w for w in problem.wishes if (w.candidate_id, w.company_id) not in met]
    best = [measure(problem, locked, "brute").key()[:2]]
    used: set[str] = set()
    times = {cid: list(items) for cid, items in fixed.items()}
    chosen: list[Assignment] = []

    def fits(candidate: Candidate, slot: Slot) -> bool:
        inside = candidate.windows is None or any(low <= slot.start and slot.end <= high
                                                  for low, high in candidate.windows)
        return inside and (candidate.allowed_slots is None or slot.id in candidate.allowed_slots)

    def search(i: int) -> None:
        if i == len(open_wishes):
            best.append(measure(problem, locked + chosen, "brute").key()[:2])
            return
        search(i + 1)
        wish = open_wishes[i]
        candidate = candidates[wish.candidate_id]
        if len(times[candidate.id]) >= caps[candidate.id]:
            return
        for table_id, slot in slots[wish.company_id]:
            if slot.id in closed or slot.id in used or not fits(candidate, slot):
                continue
            if any(slot.start < end + rules.gap_minutes and start < slot.end + rules.gap_minutes
                   for start, end in times[candidate.id]):
                continue
            used.add(slot.id)
            times[candidate.id].append((slot.start, slot.end))
            chosen.append(Assignment(candidate.id, wish.company_id, table_id, slot.id, slot.start, slot.end))
            search(i + 1)
            chosen.pop()
            times[candidate.id].pop()
            used.discard(slot.id)

    search(0)
    return max(best)


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_candidates=8))
def test_schedules_are_valid_and_between_greedy_and_the_bound(problem):
    schedule = solve(problem, time_limit=5)
    assert validate(problem, schedule) == []
    assert validate(problem, schedule.baseline_assignments) == []
    stats, baseline, bound = schedule.stats, schedule.baseline, schedule.stats.bound
    assert stats.key()[:2] >= baseline.key()[:2]
    assert stats.weight >= baseline.weight or stats.coverage > baseline.coverage
    assert stats.coverage <= bound.coverage
    if stats.coverage == bound.coverage:
        assert stats.weight <= bound.weight
    assert stats.proven_optimal  # small enough for the exact model to finish
    assert not schedule.timed_out


@settings(max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_candidates=3, max_companies=2, max_slots=2))
def test_the_optimum_matches_exhaustive_search(problem):
    schedule = solve(problem, time_limit=5)
    assert validate(problem, schedule) == []
    assert (schedule.stats.coverage, schedule.stats.weight) == brute_force(problem)
    assert schedule.stats.proven_optimal


@settings(max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_candidates=3, max_companies=3, max_slots=2, starts=[540, 560, 600, 620, 650]))
def test_the_optimum_matches_exhaustive_search_when_the_gap_bites(problem):
    """Slots close together: the flow bound is often not reached, and the exact model must
    find and prove the optimum on its own."""
    schedule = solve(problem, time_limit=5)
    assert validate(problem, schedule) == []
    assert (schedule.stats.coverage, schedule.stats.weight) == brute_force(problem)
    assert schedule.stats.proven_optimal
