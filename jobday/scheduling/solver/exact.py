"""The exact model: CP-SAT over company × time groups (``grid``), for everyone or for a
neighbourhood of the schedule.

Everyone outside ``members`` keeps their interviews (their slots lower the groups'
capacities); the members are re-scheduled from scratch over what is left, with all their
wishes available (so the model may choose *other* interviews than the flow did):

* ``x[c, g]``: candidate ``c`` gets a slot of group ``g`` (only usable groups exist);
* a group holds at most its free slots; at most one group per wish; at most the room;
* no two interviews of a candidate within the gap: their groups stretched by the gap are
  intervals, and an interval graph needs one ``at most one`` per maximal clique;
* ``y[c] <= sum(x[c, .])`` for candidates counting towards coverage.

The objective is lexicographic. When the coverage is already proven (``coverage_floor``:
the schedule reaches the coverage bound), the model keeps at least that many members
covered and maximises the weight alone, capped by the weight bound; otherwise it maximises
``big * covered + weight``. The current schedule is a complete hint, so the answer is
never worse; CP-SAT's own bound is reported (over everyone it is a bound of the problem).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from jobday.scheduling.solver.grid import Grid
from jobday.scheduling.solver.index import Index, Placement


@dataclass
class Outcome:
    """``placement``: never worse than the one given; ``optimal``: CP-SAT proved it optimal
    for the members; ``bound``: CP-SAT's upper bound of the members' objective, as
    (covered, weight) of the members (``None`` when it stopped without one)."""

    placement: Placement
    optimal: bool
    bound: tuple[int, int] | None


def members_key(index: Index, placement: Placement, members) -> tuple[int, int]:
    """(newly covered, weight) of ``members`` in ``placement`` (fixed coverage excluded)."""
    held, weight, slot_company = placement.held, index.weight, index.slot_company
    covered = sum(1 for c in members if held[c] and index.has_wish[c] and not index.fixed[c])
    return covered, sum(weight[c][slot_company[s]] for c in members for s in held[c])


def model_size(grid: Grid, members) -> int:
    usable = grid.usable
    return sum(len(groups) for c in members for groups in usable[c].values())


def _cliques(spans: list[tuple[int, int, int]]) -> list[list[int]]:
    """Maximal cliques of intervals ``(start, stretched end, id)``: the ids running at a
    start time, kept only when some of them end before the next start (else the next
    clique contains this one)."""
    starts = sorted({start for start, _, _ in spans})
    cliques = []
    for i, point in enumerate(starts):
        running = [(end, v) for start, end, v in spans if start <= point < end]
        following = starts[i + 1] if i + 1 < len(starts) else None
        if len(running) > 1 and (following is None or any(end <= following for end, _ in running)):
            cliques.append([v for _, v in running])
    return cliques


def group_cliques(index: Index, grid: Grid, c: int) -> list[list[int]]:
    """The maximal cliques of candidate ``c``'s usable groups stretched by the gap, as lists
    of groups: the same in every model ``c`` is part of, so made once per solve (kept
    on ``grid``)."""
    known = grid.cliques.get(c)
    if known is None:
        gap = index.gap
        spans = [(grid.start[g], grid.end[g] + gap, g) for groups in grid.usable[c].values() for g in groups]
        known = grid.cliques[c] = _cliques(spans)
    return known


def solve_members(index: Index, grid: Grid, placement: Placement, members: set[int], *,
                  coverage_floor: int | None, cap: tuple[int, int], deadline: float,
                  clock: Callable[[], float], workers: int, seed: int = 0) -> Outcome:
    """Re-schedule ``members`` optimally, stopping at ``deadline`` (read on ``clock``;
    building the model counts).

    ``coverage_floor``: when set, at least that many members stay covered and only the
    weight is maximised; ``cap``: upper bounds of the members' (covered, weight), which
    let CP-SAT stop as soon as it reaches them."""
    if deadline - clock() < 0.1:
        return Outcome(placement, False, None)
    model = cp_model.CpModel()
    owner = placement.owner
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    by_group: dict[int, list] = {}
    weight_terms: list = []
    covered: list = []
    hints: list[tuple] = []
    held_groups = {(c, grid.of_slot[s]) for c in members for s in placement.held[c]}
    for n, c in enumerate(sorted(members)):
        if n % 256 == 0 and clock() >= deadline:
            return Outcome(placement, False, None)
        mine = []
        for k, groups in grid.usable[c].items():
            wish = []
            w = index.weight[c][k]
            for g in groups:
                var = model.new_bool_var("")
                x[(c, g)] = var
                by_group.setdefault(g, []).append(var)
                wish.append(var)
                weight_terms.append((w, var))
                mine.append(var)
                hints.append((var, (c, g) in held_groups))
            if len(wish) > 1:
                model.add_at_most_one(wish)
        if not mine:
            continue
        if index.room[c] < len(grid.usable[c]):
            model.add(sum(mine) <= index.room[c])
        for clique in group_cliques(index, grid, c):
            model.add_at_most_one([x[(c, g)] for g in clique])
        if index.has_wish[c] and not index.fixed[c]:
            y = model.new_bool_var("")
            model.add_bool_or(mine).only_enforce_if(y)
            covered.append(y)
            hints.append((y, bool(placement.held[c])))
    for g, variables in by_group.items():
        free = sum(1 for s in grid.slots[g] if owner[s] < 0 or owner[s] in members)
        if len(variables) <= free:
            continue
        if free == 1:
            model.add_at_most_one(variables)
        else:
            model.add(sum(variables) <= free)
    weight = sum(w * var for w, var in weight_terms)
    if coverage_floor is not None:
        if coverage_floor > 0:
            model.add(sum(covered) >= coverage_floor)
        model.add(weight <= cap[1])
        objective, big = weight, None
    else:
        big = sum(w for w, _ in weight_terms) + 1
        objective = big * sum(covered) + weight
        model.add(objective <= big * cap[0] + max(cap[1], 0))
    model.maximize(objective)
    for var, value in hints:
        model.add_hint(var, value)

    seconds = deadline - clock()
    if seconds < 0.1:
        return Outcome(placement, False, None)
    solver = cp_model.CpSolver()
    # CP-SAT overshoots its limit by up to ~0.5 s on a busy machine (threads stopping,
    # presolve steps): keep a margin
    solver.parameters.max_time_in_seconds = 0.9 * seconds - 0.05
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Outcome(placement, False, None)
    bound_value = int(solver.best_objective_bound + 1e-6)
    bound = (coverage_floor, bound_value) if big is None else divmod(bound_value, big)
    result = placement.copy()
    for c in members:
        for s in list(result.held[c]):
            result.remove(c, s)
    for (c, g), var in x.items():
        if solver.boolean_value(var):
            result.add(c, next(s for s in grid.slots[g] if result.owner[s] < 0))
    if members_key(index, result, members) < members_key(index, placement, members):
        return Outcome(placement, False, bound)  # pragma: no cover - the hint is at least as good
    return Outcome(result, status == cp_model.OPTIMAL, bound)
