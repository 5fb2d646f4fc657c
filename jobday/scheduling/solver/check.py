"""Checking and measuring a schedule against the problem, independently of how it was made.

``validate`` re-reads the hard rules from the ``Problem`` itself (not from the solver's
index), so a bug in the solver cannot hide behind the same bug in the check.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from jobday.scheduling.solver.model import (
    Assignment,
    CompanyFill,
    Id,
    Problem,
    Schedule,
    Stats,
)


def _interviews(problem: Problem, assignments: Iterable[Assignment]) -> dict[Id, list[tuple[Id, int, int]]]:
    """Candidate -> every (company, start, end), existing interviews included."""
    per_candidate: dict[Id, list[tuple[Id, int, int]]] = defaultdict(list)
    for candidate in problem.candidates:
        for interview in candidate.existing:
            per_candidate[candidate.id].append((interview.company_id, interview.start, interview.end))
    for assignment in assignments:
        per_candidate[assignment.candidate_id].append(
            (assignment.company_id, assignment.start, assignment.end))
    return per_candidate


def validate(problem: Problem, schedule: Schedule | Iterable[Assignment]) -> list[str]:
    """Every broken hard rule, in words; an empty list when the schedule is valid.

    Checks: each assignment names a real slot of its company and table with its times; one
    candidate per slot (existing interviews and locks included); taken slots unused; every
    lock present and no other assignment marked locked; new interviews only with wished
    companies and inside the candidate's windows and allowed slots; per candidate, no two
    interviews overlapping or closer than the gap, at most the per-company limit and at most
    the cap (existing interviews counted everywhere)."""
    assignments = list(schedule.assignments if isinstance(schedule, Schedule) else schedule)
    settings = problem.settings
    errors: list[str] = []
    slots: dict[Id, tuple[Id, Id, int, int]] = {}
    limits: dict[Id, int] = {}
    for company in problem.companies:
        limits[company.id] = company.max_per_candidate or settings.max_per_company
        for table in company.tables:
            for slot in table.slots:
                slots[slot.id] = (company.id, table.id, slot.start, slot.end)
    candidates = {candidate.id: candidate for candidate in problem.candidates}
    wished = {(wish.candidate_id, wish.company_id) for wish in problem.wishes}
    locks = {(lock.candidate_id, lock.slot_id) for lock in problem.locked}

    holders: dict[Id, list[Id]] = defaultdict(list)
    for candidate in problem.candidates:
        for interview in candidate.existing:
            if interview.slot_id is not None:
                holders[interview.slot_id].append(candidate.id)
    seen_locks: set[tuple[Id, Id]] = set()
    for a in assignments:
        where = f"{a.candidate_id!r} in slot {a.slot_id!r}"
        holders[a.slot_id].append(a.candidate_id)
        candidate = candidates.get(a.candidate_id)
        if candidate is None:
            errors.append(f"{where}: unknown candidate.")
            continue
        if slots.get(a.slot_id) != (a.company_id, a.table_id, a.start, a.end):
            errors.append(f"{where}: not a slot of company {a.company_id!r}, table {a.table_id!r} "
                          f"from {a.start} to {a.end}.")
            continue
        if a.locked:
            if (a.candidate_id, a.slot_id) not in locks:
                errors.append(f"{where}: marked locked but not locked.")
            seen_locks.add((a.candidate_id, a.slot_id))
            continue
        if (a.candidate_id, a.slot_id) in locks:
            errors.append(f"{where}: a lock returned as a new interview.")
        if a.slot_id in problem.taken_slots:
            errors.append(f"{where}: the slot is taken.")
        if (a.candidate_id, a.company_id) not in wished:
            errors.append(f"{where}: {a.company_id!r} is not among the candidate's wishes.")
        if candidate.allowed_slots is not None and a.slot_id not in candidate.allowed_slots:
            errors.append(f"{where}: not among the candidate's allowed slots.")
        if candidate.windows is not None and not any(
                low <= a.start and a.end <= high for low, high in candidate.windows):
            errors.append(f"{where}: outside the candidate's availability.")
    for lock in sorted(locks - seen_locks, key=repr):
        errors.append(f"Lock of {lock[0]!r} in slot {lock[1]!r} is missing.")
    for slot_id, who in holders.items():
        if len(who) > 1:
            errors.append(f"Slot {slot_id!r} is given to {len(who)} interviews ({who!r}).")

    for candidate_id, interviews in _interviews(problem, assignments).items():
        candidate = candidates.get(candidate_id)
        if candidate is None:
            continue
        interviews.sort(key=lambda item: (item[1], item[2]))
        for i, (_, start_a, end_a) in enumerate(interviews):
            for _, start_b, _ in interviews[i + 1:]:
                if start_b >= end_a + settings.gap_minutes:
                    break
                errors.append(f"{candidate_id!r}: interviews at {start_a} and {start_b} overlap or leave "
                              f"less than {settings.gap_minutes} minutes between them.")
        caps = [cap for cap in (settings.max_per_candidate, candidate.cap) if cap is not None]
        if caps and len(interviews) > min(caps):
            errors.append(f"{candidate_id!r}: {len(interviews)} interviews, "
                          f"more than the cap of {min(caps)}.")
        for company_id, count in Counter(company for company, _, _ in interviews).items():
            limit = limits.get(company_id, settings.max_per_company)
            if count > limit:
                errors.append(f"{candidate_id!r}: {count} interviews with {company_id!r}, limit {limit}.")
    return errors


def measure(problem: Problem, assignments: Iterable[Assignment], method: str, **extra) -> Stats:
    """The ``Stats`` of a list of assignments (existing interviews are added here)."""
    assignments = list(assignments)
    settings = problem.settings
    per_candidate = _interviews(problem, assignments)
    met_pairs = {(candidate_id, company) for candidate_id, items in per_candidate.items()
                 for company, _, _ in items}
    wishes = [wish for wish in problem.wishes if not wish.suggested]
    with_wishes = {wish.candidate_id for wish in wishes}
    coverage = sum(1 for candidate_id in with_wishes if per_candidate.get(candidate_id))
    met = [wish for wish in wishes if (wish.candidate_id, wish.company_id) in met_pairs]
    given = {(a.candidate_id, a.company_id) for a in assignments}
    suggestions_met = sum(1 for wish in problem.wishes
                          if wish.suggested and (wish.candidate_id, wish.company_id) in given)
    long_waits = idle = 0
    for items in per_candidate.values():
        items = sorted(items, key=lambda item: item[1])
        for (_, _, end_a), (_, start_b, _) in zip(items, items[1:], strict=False):
            wait = start_b - end_a
            idle += max(0, wait - settings.gap_minutes)
            long_waits += wait > settings.long_wait_minutes

    held = {interview.slot_id for candidate in problem.candidates for interview in candidate.existing
            if interview.slot_id is not None}
    held |= {lock.slot_id for lock in problem.locked}
    new = Counter(a.company_id for a in assignments if not a.locked)
    fill = {}
    for company in problem.companies:
        ids = [slot.id for table in company.tables for slot in table.slots]
        closed = sum(1 for slot_id in ids if slot_id in problem.taken_slots or slot_id in held)
        booked = sum(1 for slot_id in ids if slot_id in held) + new[company.id]
        fill[company.id] = CompanyFill(slots=len(ids), open=len(ids) - closed, booked=booked)
    return Stats(method=method, candidates_with_wishes=len(with_wishes), coverage=coverage,
                 wishes=len(wishes), wishes_met=len(met), suggestions_met=suggestions_met,
                 weight=sum(problem.wish_weight(wish) for wish in met),
                 interviews=sum(len(items) for items in per_candidate.values()),
                 new_interviews=sum(new.values()), long_waits=long_waits, idle_minutes=idle,
                 company_fill=fill, **extra)
