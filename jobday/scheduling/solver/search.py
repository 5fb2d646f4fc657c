"""From the flow-and-place schedule to a proven optimum, or as close as time allows.

When the whole exact model (``exact``) is small enough (``WHOLE_VARIABLES``), CP-SAT first
runs on everyone for a third of the time, warm-started from the schedule: it proves the
schedule optimal (or finds and proves a better one), or leaves its own bound of the whole
problem when it stops. Then (and on larger problems, from the start) a large-neighbourhood
search: a few of the candidates the schedule gives less than the flow did, and everyone
holding a slot they could use, re-scheduled exactly, neighbourhood after neighbourhood,
until the tightest bound known (the flow's, tightened by gap cuts) is reached or time runs
out.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from jobday.scheduling.solver.exact import members_key, model_size, solve_members
from jobday.scheduling.solver.flow import FlowResult
from jobday.scheduling.solver.grid import Grid
from jobday.scheduling.solver.index import Index, Placement

WHOLE_VARIABLES = 4_000
"""The largest exact model run on everyone (group variables)."""
NEIGHBOURHOOD_VARIABLES = 3_000
"""The first size of a neighbourhood (group variables); it adapts between these two:"""
MIN_NEIGHBOURHOOD, MAX_NEIGHBOURHOOD = 800, 20_000
STEP_SECONDS = 1.5
"""The most time one neighbourhood gets."""


@dataclass
class Result:
    """``placement`` and how it ends: "reached" (the flow bound given), "proven" (optimal
    below it: proven by CP-SAT, or equal to CP-SAT's bound) or "time"; ``bound``: the
    tightest (coverage, weight) bound known, on ``Placement.key``'s scale, and ``source``
    ("flow": the one given, or "cp-sat")."""

    placement: Placement
    outcome: str
    bound: tuple[int, int]
    source: str


def _fixed_covered(index: Index) -> int:
    return sum(1 for c in range(len(index.cand_ids)) if index.has_wish[c] and index.fixed[c])


def improve(index: Index, grid: Grid, placement: Placement, flow: FlowResult, *,
            clock: Callable[[], float], deadline: float, workers: int,
            progress: Callable[[float], None] | None = None) -> Result:
    target = (flow.coverage_bound, flow.weight_bound)
    if placement.key() >= target:
        return Result(placement, "reached", target, "flow")
    bound, source = target, "flow"
    if model_size(grid, range(len(index.cand_ids))) <= WHOLE_VARIABLES:
        # a third of the time for a proof; past that, neighbourhoods improve the schedule
        # faster than CP-SAT's own search does on these models (measured on the bench)
        first = _whole(index, grid, placement, flow, clock,
                       min(deadline, clock() + max(1.0, (deadline - clock()) / 3)), workers)
        if first.outcome in ("reached", "proven"):
            return first
        placement, bound, source = first.placement, first.bound, first.source
    found = _neighbourhoods(index, grid, placement, flow, bound, clock, deadline, workers, progress)
    if found.outcome == "proven":
        return found
    if found.outcome == "reached":
        return Result(found.placement, "reached" if source == "flow" else "proven", bound, source)
    return Result(found.placement, found.outcome, bound, source)


def _whole(index: Index, grid: Grid, placement: Placement, flow: FlowResult, clock, deadline: float,
           workers: int) -> Result:
    """CP-SAT on everyone: a proof, a better schedule, or at least its own bound."""
    target = (flow.coverage_bound, flow.weight_bound)
    fixed_covered = _fixed_covered(index)
    everyone = set(range(len(index.cand_ids)))
    coverage, _ = placement.key()
    floor = coverage - fixed_covered if coverage >= flow.coverage_bound else None
    outcome = solve_members(index, grid, placement, everyone, coverage_floor=floor,
                            cap=(flow.coverage_bound - fixed_covered, flow.weight_bound),
                            deadline=deadline, clock=clock, workers=workers)
    placement = outcome.placement
    if placement.key() >= target:
        return Result(placement, "reached", target, "flow")
    if outcome.optimal:
        return Result(placement, "proven", placement.key(), "cp-sat")
    if outcome.bound is None:
        return Result(placement, "time", target, "flow")
    bound = (outcome.bound[0] + fixed_covered, outcome.bound[1])
    if bound >= target:
        return Result(placement, "time", target, "flow")
    return Result(placement, "time", bound, "cp-sat")


def rivals(grid: Grid, placement: Placement, members: set[int]) -> set[int]:
    """Everyone holding a slot one of ``members`` could use."""
    owner = placement.owner
    groups = {g for c in members for found in grid.usable[c].values() for g in found}
    return {owner[s] for g in groups for s in grid.slots[g] if owner[s] >= 0}


def _neighbourhoods(index: Index, grid: Grid, placement: Placement, flow: FlowResult, target: tuple[int, int],
                    clock, deadline: float, workers: int, progress) -> Result:
    """Large-neighbourhood search around the candidates the schedule gives less than the
    flow did (``short``): each neighbourhood is a few of them, drawn at random, and everyone
    holding a slot they could use, re-scheduled exactly in a short time. Its size adapts:
    it grows while CP-SAT proves neighbourhoods optimal quickly and shrinks when it does not
    (measured on the bench: many small neighbourhoods gain more than a few large ones).
    ``workers`` neighbourhoods without a member in common are solved at once, one CP-SAT
    worker each, and merged (``_merge``). ``target``: the bound that ends the search when
    reached."""
    rng = random.Random(7)
    started = clock()
    owed = [0] * len(index.cand_ids)
    owed_companies: list[set[int]] = [set() for _ in index.cand_ids]
    for c, k in flow.pairs:
        owed[c] += index.weight[c][k]
        owed_companies[c].add(k)
    weight, slot_company = index.weight, index.slot_company
    lanes = max(1, min(workers, 4))
    # threads contend for the interpreter while they build and read their models: the last
    # round must end a little earlier than one lane alone would
    ends = deadline - 0.1 * (lanes - 1)
    budget, step = NEIGHBOURHOOD_VARIABLES, 0
    with ThreadPoolExecutor(max_workers=lanes) as pool:
        while placement.key() < target and ends - clock() > 0.1:
            short = [c for c, due in enumerate(owed)
                     if due and sum(weight[c][slot_company[s]] for s in placement.held[c]) < due]
            taken: set[int] = set()
            drawn = []
            for _ in range(lanes):
                pool_of_seeds = [c for c in short if c not in taken]
                if not pool_of_seeds:
                    break
                seeds = set(rng.sample(pool_of_seeds, min(len(pool_of_seeds), rng.choice((1, 2, 4, 8)))))
                missing = {(c, k) for c in seeds for k in owed_companies[c] - placement.met[c]}
                wanted = {placement.owner[t] for c, k in missing for g in grid.usable[c].get(k, ())
                          for t in grid.slots[g] if placement.owner[t] >= 0}
                members = _capped(grid, (seeds | rivals(grid, placement, seeds)) - taken, seeds, rng, budget,
                                  first=wanted)
                taken |= members
                drawn.append(members)
            if not drawn:  # pragma: no cover - below the bound someone always has less than the flow gave
                break
            began = clock()
            futures = [pool.submit(_solve_neighbourhood, index, grid, placement, members, target, clock,
                                   min(ends, began + STEP_SECONDS), step + lane)
                       for lane, members in enumerate(drawn)]
            outcomes = [future.result() for future in futures]
            took = clock() - began
            step += len(drawn)
            first, *others = outcomes
            merged = first.placement
            for members, outcome in zip(drawn[1:], others, strict=True):
                if members_key(index, outcome.placement, members) > members_key(index, placement, members):
                    _merge(grid, merged, outcome.placement, members)
            placement = merged
            if progress:
                progress(min(1.0, (clock() - started) / max(1e-9, deadline - started)))
            if first.optimal and len(drawn[0]) == len(index.cand_ids):
                return Result(placement, "proven" if placement.key() < target else "reached", placement.key(),
                              "cp-sat")
            if all(outcome.optimal for outcome in outcomes) and took < STEP_SECONDS / 3:
                budget = min(MAX_NEIGHBOURHOOD, int(budget * 1.2))
            elif not all(outcome.optimal for outcome in outcomes):
                budget = max(MIN_NEIGHBOURHOOD, int(budget * 0.8))
    return Result(placement, "reached" if placement.key() >= target else "time", target, "flow")


def _solve_neighbourhood(index: Index, grid: Grid, placement: Placement, members: set[int],
                         target: tuple[int, int], clock, deadline: float, seed: int):
    """``members`` re-scheduled exactly; everyone else, as in ``placement``, stays (so their
    key caps the members' at the target's)."""
    fixed_covered = _fixed_covered(index)
    before = members_key(index, placement, members)
    outside = (placement.key()[0] - fixed_covered - before[0], placement.weight() - before[1])
    cap = (target[0] - fixed_covered - outside[0], target[1] - outside[1])
    return solve_members(index, grid, placement, members, coverage_floor=None, cap=cap, deadline=deadline,
                         clock=clock, workers=1, seed=seed)


def _merge(grid: Grid, base: Placement, other: Placement, members: set[int]) -> bool:
    """Gives ``members`` in ``base`` the groups ``other`` gives them (another neighbourhood,
    solved at the same time, may have taken some of the slots): all of them, or nothing
    when a group has no free slot left. Returns whether it did."""
    removed = [(c, s) for c in members for s in base.held[c]]
    for c, s in removed:
        base.remove(c, s)
    added: list[tuple[int, int]] = []
    for c in members:
        for s in other.held[c]:
            free = next((t for t in grid.slots[grid.of_slot[s]] if base.owner[t] < 0), None)
            if free is None:
                for c_added, t in added:
                    base.remove(c_added, t)
                for c_removed, t in removed:
                    base.add(c_removed, t)
                return False
            base.add(c, free)
            added.append((c, free))
    return True


def _capped(grid: Grid, members: set[int], seeds: set[int], rng: random.Random, budget: int,
            first: set[int] = frozenset()) -> set[int]:
    """``members`` if small enough, else the seeds and a random sample of the others, those
    in ``first`` before the rest."""
    def size(c: int) -> int:
        return sum(len(groups) for groups in grid.usable[c].values())

    if sum(size(c) for c in members) <= budget:
        return members
    kept = set(seeds)
    used = sum(size(c) for c in kept)
    others = sorted(members - seeds)
    rng.shuffle(others)
    others.sort(key=lambda c: c not in first)
    for c in others:
        if used + size(c) > budget:
            continue
        kept.add(c)
        used += size(c)
    return kept
