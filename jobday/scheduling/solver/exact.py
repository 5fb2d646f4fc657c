"""The exact repair: a CP-SAT model over a neighbourhood of the schedule.

Everyone outside the neighbourhood keeps their interviews; the candidates inside it are
re-scheduled from scratch over the slots that are open or held by one of them, with all
their wishes available (so the model may also choose *other* interviews than the flow
did). The model is the full time-indexed one, only smaller:

* ``x[c, s]``: candidate ``c`` gets slot ``s`` (only usable slots exist as variables);
* one candidate per slot; at most one slot per wish; at most the candidate's room;
* no two slots of a candidate within the gap: for each start time ``p`` of the candidate's
  slots, the slots running over ``[p, p + gap)`` form a clique (interval graphs need no
  more), so ``sum(x) <= 1`` per clique;
* ``y[c] <= sum(x[c, .])`` for candidates counting towards coverage;
* maximise ``big * sum(y) + sum(weight * x)``, which is the lexicographic objective of
  levels 1 and 2; the flow's bound minus what the rest of the schedule already has caps
  the objective, which lets CP-SAT stop as soon as it reaches it.

The current schedule is the hint, so the answer is never worse. The neighbourhood grows
(the unplaced candidates, then everyone at the companies involved, then at every company
those candidates wished ...) until the bound is reached or time runs out.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from jobday.scheduling.solver.flow import FlowResult
from jobday.scheduling.solver.index import Index, Placement

MAX_VARIABLES = 12_000


def _objective(index: Index, placement: Placement, members: set[int]) -> tuple[int, int]:
    """(newly covered, weight) of ``members`` in ``placement`` (fixed coverage excluded)."""
    covered = sum(1 for c in members if index.has_wish[c] and not index.fixed[c] and placement.held[c])
    weight = sum(index.weight[c][index.slot_company[s]] for c in members for s in placement.held[c])
    return covered, weight


def solve_neighbourhood(index: Index, placement: Placement, members: set[int], flow: FlowResult,
                        deadline: float, workers: int, seed: int = 0) -> tuple[Placement, bool]:
    """Re-schedule ``members`` optimally, stopping at ``deadline`` (``time.perf_counter``);
    returns the new placement (never worse) and whether CP-SAT proved it optimal for the
    neighbourhood."""
    model = cp_model.CpModel()
    owner = placement.owner
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    by_slot: dict[int, list[cp_model.IntVar]] = {}
    covered_terms = []
    weight_terms = []
    for c in sorted(members):
        mine: list[int] = []
        for k, slots in index.usable[c].items():
            wish = []
            for s in slots:
                if owner[s] >= 0 and owner[s] not in members:
                    continue
                var = model.new_bool_var(f"x{c}_{s}")
                x[(c, s)] = var
                by_slot.setdefault(s, []).append(var)
                wish.append(var)
                mine.append(s)
                weight_terms.append((index.weight[c][k], var))
            if len(wish) > 1:
                model.add_at_most_one(wish)
        if not mine:
            continue
        if index.room[c] < len(index.usable[c]):
            model.add(sum(x[(c, s)] for s in mine) <= index.room[c])
        starts = sorted({index.slot_start[s] for s in mine})
        for p in starts:
            clique = [x[(c, s)] for s in mine
                      if index.slot_start[s] <= p < index.slot_end[s] + index.gap]
            if len(clique) > 1:
                model.add_at_most_one(clique)
        if index.has_wish[c] and not index.fixed[c]:
            y = model.new_bool_var(f"y{c}")
            model.add(y <= sum(x[(c, s)] for s in mine))
            covered_terms.append(y)
    for variables in by_slot.values():
        if len(variables) > 1:
            model.add_at_most_one(variables)

    big = sum(weight for weight, _ in weight_terms) + 1
    objective = big * sum(covered_terms) + sum(weight * var for weight, var in weight_terms)
    outside = set(range(len(index.cand_ids))) - members
    fixed_covered = sum(1 for c in range(len(index.cand_ids)) if index.has_wish[c] and index.fixed[c])
    out_covered, out_weight = _objective(index, placement, outside)
    cover_room = flow.coverage_bound - fixed_covered - out_covered
    model.add(objective <= big * cover_room + max(flow.weight_bound - out_weight, -1))
    model.maximize(objective)
    for (c, s), var in x.items():
        model.add_hint(var, s in placement.held[c])

    seconds = deadline - time.perf_counter()
    if seconds < 0.05:
        return placement, False
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return placement, False
    candidate = placement.copy()
    for c in members:
        for s in list(candidate.held[c]):
            candidate.remove(c, s)
    for (c, s), var in x.items():
        if solver.boolean_value(var):
            candidate.add(c, s)
    if _objective(index, candidate, members) < _objective(index, placement, members):
        return placement, False  # pragma: no cover - the hint guarantees at least as good
    return candidate, status == cp_model.OPTIMAL


def rivals(index: Index, placement: Placement, members: set[int]) -> set[int]:
    """Everyone holding a slot one of ``members`` could use."""
    owner = placement.owner
    return {owner[s] for c in members for slots in index.usable[c].values() for s in slots if owner[s] >= 0}


def repair(index: Index, placement: Placement, seeds: set[int], flow: FlowResult, deadline: float,
           workers: int, reached: Callable[[Placement], bool],
           progress: Callable[[float], None] | None = None) -> tuple[Placement, str]:
    """Large-neighbourhood search around ``seeds`` (candidates whose interviews did not all
    fit), each neighbourhood solved exactly, until ``reached(placement)`` or ``deadline``.

    A problem small enough (at most ``MAX_VARIABLES`` usable candidate-slot pairs) is
    solved whole. Otherwise the first neighbourhood is the seeds and everyone holding a
    slot they could use; when CP-SAT proves a neighbourhood optimal without reaching the
    bound, the next one adds everyone who holds or could use a slot its members could use.
    Neighbourhoods are capped at ``MAX_VARIABLES`` by sampling the non-seed members.

    Returns the placement and the outcome: "reached" (the bound), "proven" (the whole
    problem solved to optimality, below a bound that was not tight), "stalled" (a
    self-contained part is optimal, nothing left to try around the seeds) or "time"."""
    rng = random.Random(7)
    started = time.perf_counter()
    everyone = set(range(len(index.cand_ids)))
    users: dict[int, list[int]] = defaultdict(list)
    for c in everyone:
        for slots in index.usable[c].values():
            for s in slots:
                users[s].append(c)
    small = bool(users) and sum(len(who) for who in users.values()) <= MAX_VARIABLES
    members = everyone if small else set(seeds) | rivals(index, placement, seeds)
    step = 0
    while not reached(placement) and deadline - time.perf_counter() > 0.1:
        members = _capped(index, placement, members, seeds, rng)
        remaining = deadline - time.perf_counter()
        placement, optimal = solve_neighbourhood(index, placement, members, flow,
                                                 time.perf_counter() + max(0.5, remaining / 3), workers, step)
        step += 1
        if progress:
            progress(min(1.0, (time.perf_counter() - started) / max(1e-9, deadline - started)))
        if reached(placement):
            break
        if optimal:
            if members >= everyone:
                return placement, "proven"
            slots = {s for c in members for found in index.usable[c].values() for s in found}
            grown = members | {placement.owner[s] for s in slots if placement.owner[s] >= 0}
            grown |= {c for s in slots for c in users[s]}
            if grown == members:
                return placement, "stalled"
            members = grown
        else:
            members = set(seeds) | rivals(index, placement, seeds)
    return placement, "reached" if reached(placement) else "time"


def _capped(index: Index, placement: Placement, members: set[int], seeds: set[int],
            rng: random.Random) -> set[int]:
    """``members`` if small enough, else the seeds and a random sample of the others."""
    owner = placement.owner

    def size(c: int) -> int:
        return sum(1 for slots in index.usable[c].values() for s in slots
                   if owner[s] < 0 or owner[s] in members)

    total = sum(size(c) for c in members)
    if total <= MAX_VARIABLES:
        return members
    kept = set(seeds)
    used = sum(size(c) for c in kept)
    others = sorted(members - seeds)
    rng.shuffle(others)
    for c in others:
        if used + size(c) > MAX_VARIABLES:
            continue
        kept.add(c)
        used += size(c)
    return kept
