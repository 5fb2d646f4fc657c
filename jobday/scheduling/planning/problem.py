"""The edition's scheduling problem, assembled from the loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.scheduling import solver as S
from jobday.scheduling.planning import loaders
from jobday.scheduling.planning.clock import origin_of, windows


@dataclass
class Built:
    problem: S.Problem
    origin: datetime
    dropped_locks: int = 0
    notes: list[str] = field(default_factory=list)


def build_problem(
    edition: Edition, *, locks: list[tuple[int, int]] = (), now: datetime | None = None, matching: bool = False
) -> Built:
    """The edition's scheduling problem; ``locks`` are (candidate id, slot id) pairs, kept
    while they still fit (the others are counted as dropped). ``matching``: candidates
    without wishes come in with the matching's suggestions, which weigh less than any wish."""
    now = now or utcnow()
    origin = origin_of(edition)
    companies = loaders.load_companies(edition, origin, now)
    wishes = loaders.load_wishes(edition, companies)
    in_problem = {wish.candidate_id for wish in wishes}
    if matching:
        wishes += loaders.load_suggestions(edition, companies, in_problem)
        in_problem = {wish.candidate_id for wish in wishes}
    existing, booked_by_others = loaders.load_existing(edition, in_problem, companies.slot_owner, origin)
    held_by_problem = {interview.slot_id for items in existing.values() for interview in items}
    taken = (companies.closed | booked_by_others | loaders.load_held(edition, companies.slot_owner)) - held_by_problem
    periods = loaders.load_periods(edition)
    candidates = tuple(
        S.Candidate(id=cid, windows=windows(edition, periods.get(cid, "all"), origin),
                    existing=tuple(existing.get(cid, ())))
        for cid in sorted(in_problem)
    )
    settings = S.Settings(
        gap_minutes=edition.interview_gap_minutes,
        max_per_company=1,
        max_per_candidate=edition.max_interviews_per_candidate,
        max_rank=edition.max_wishes,
    )
    kept, dropped = _valid_locks(locks, in_problem, companies.slot_owner, taken | held_by_problem)
    problem = S.Problem(
        candidates=candidates,
        companies=companies.companies,
        wishes=tuple(wishes),
        settings=settings,
        locked=tuple(kept),
        taken_slots=frozenset(taken),
    )
    return Built(problem, origin, dropped)


def _valid_locks(locks, in_problem: set[int], slot_owner: dict[int, int], unavailable: set[int]):
    """The locks that still fit (a candidate of the problem, a free slot of it, each slot once)."""
    kept, dropped, used = [], 0, set()
    for candidate_id, slot_id in locks:
        fits = candidate_id in in_problem and slot_id in slot_owner
        if fits and slot_id not in unavailable and slot_id not in used:
            kept.append(S.Lock(candidate_id=candidate_id, slot_id=slot_id))
            used.add(slot_id)
        else:
            dropped += 1
    return kept, dropped
