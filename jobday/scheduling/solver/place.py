"""Placing chosen interviews in time, then making days compact.

``place_pairs`` takes the (candidate, company) pairs the flow chose and gives each a slot,
company by company, the most contended first. Within a company it is a transportation
problem (pairs x time groups of ``grid`` with their free slots, minus times that clash with
what the candidate already holds), solved as a min-cost max-flow whose costs prefer times
next to the candidate's other interviews and times that their pending interviews do not
need. The few pairs left unplaced go to the exact search (``search``).

``compact`` lowers the number of long waits without changing who meets whom: it moves an
interview to another open slot of the same company, or swaps two candidates' slots at one
company, whenever that lowers (long waits, idle minutes) and keeps every rule.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable

import numpy as np
from ortools.graph.python import min_cost_flow

from jobday.scheduling.solver.grid import Grid
from jobday.scheduling.solver.index import Index, Placement


def _wait_cost(others: list[tuple[int, int]], start: int, end: int, limit: int) -> int:
    """How the candidate's day looks with an interview from ``start`` to ``end`` added to
    their ``others`` (fixed ones included): 0 when it sits within the long-wait ``limit``
    of one of them, 2 when it would start a long wait, 1 when there are no others
    (neutral)."""
    if not others:
        return 1
    for other_start, other_end in others:
        if 0 <= other_start - end <= limit or 0 <= start - other_end <= limit:
            return 0
    return 2


def place_pairs(index: Index, grid: Grid, pairs: list[tuple[int, int]], placement: Placement | None = None,
                stop: Callable[[], bool] | None = None) -> tuple[Placement, list[tuple[int, int]]]:
    """Place ``pairs``; returns the placement and the pairs it could not place (or did not
    reach: ``stop()`` true ends the placement between two companies)."""
    placement = placement or Placement(index)
    owner = placement.owner
    free = [sum(1 for s in slots if owner[s] < 0) for slots in grid.slots]
    by_company: dict[int, list[int]] = defaultdict(list)
    for c, k in pairs:
        by_company[k].append(c)
    open_count = {k: sum(free[g] for g in grid.of_company[k]) for k in by_company}
    order = sorted(by_company, key=lambda k: (-len(by_company[k]) / max(1, open_count[k]), open_count[k], k))
    pending: dict[int, set[int]] = defaultdict(set)
    for c, k in pairs:
        pending[c].add(k)
    unplaced: list[tuple[int, int]] = []
    gap, limit = index.gap, index.problem.settings.long_wait_minutes
    for position, k in enumerate(order):
        members = by_company[k]
        if stop is not None and stop():
            unplaced.extend((c, later) for later in order[position:] for c in by_company[later])
            break
        for c in members:
            pending[c].discard(k)
        group_node: dict[int, int] = {}
        tails, heads, costs = [], [], []
        for i, c in enumerate(members):
            mine = [(index.slot_start[t], index.slot_end[t]) for t in placement.held[c]]
            others = mine + [(start, end) for _, start, end in index.fixed[c]]
            busy = _busy_times(grid, gap, c, pending[c], mine, free)
            for g in grid.usable[c][k]:
                start, end = grid.start[g], grid.end[g]
                if free[g] == 0 or any(start < b + gap and a < end + gap for a, b in mine):
                    continue
                tails.append(i)
                heads.append(group_node.setdefault(g, len(group_node)))
                costs.append(10 * _wait_cost(others, start, end, limit) + busy(start, end))
        if not tails:
            unplaced.extend((c, k) for c in members)
            continue
        groups = list(group_node)
        m = len(members)
        arcs = len(tails)
        flow = min_cost_flow.SimpleMinCostFlow()
        tail = np.concatenate([np.array(tails) + 2, np.zeros(m, dtype=np.int64), 2 + m + np.arange(len(groups))])
        head = np.concatenate([2 + m + np.array(heads), 2 + np.arange(m), np.ones(len(groups), dtype=np.int64)])
        capacity = np.concatenate([np.ones(arcs + m, dtype=np.int64), np.array([free[g] for g in groups])])
        cost = np.concatenate([np.array(costs), np.zeros(m + len(groups), dtype=np.int64)])
        flow.add_arcs_with_capacity_and_unit_cost(tail.astype(np.int64), head.astype(np.int64),
                                                  capacity.astype(np.int64), cost.astype(np.int64))
        supplies = np.zeros(2 + m + len(groups), dtype=np.int64)
        supplies[0], supplies[1] = m, -m
        flow.set_nodes_supplies(np.arange(len(supplies), dtype=np.int64), supplies)
        flow.solve_max_flow_with_min_cost()
        used = flow.flows(np.arange(arcs, dtype=np.int64))
        placed = set()
        for a in np.nonzero(used)[0]:
            c, g = members[tails[a]], groups[heads[a]]
            placement.add(c, next(s for s in grid.slots[g] if owner[s] < 0))
            free[g] -= 1
            placed.add(c)
        unplaced.extend((c, k) for c in members if c not in placed)
    return placement, unplaced


def _busy_times(grid: Grid, gap: int, c: int, pending: set[int], mine: list[tuple[int, int]], free: list[int]):
    """A cost function over times: how much taking one would squeeze the candidate's
    interviews still to place (the share of each pending company's remaining options that
    it clashes with, in percent); ``mine``: the candidate's times so far."""
    if not pending:
        return lambda start, end: 0
    options = []
    starts, ends = grid.start, grid.end
    for k in pending:
        times = [(starts[g], ends[g]) for g in grid.usable[c].get(k, ())
                 if free[g] and not any(starts[g] < b + gap and a < ends[g] + gap for a, b in mine)]
        if times:
            options.append(times)
    memo: dict[tuple[int, int], int] = {}

    def cost(start: int, end: int) -> int:
        key = (start, end)
        if key not in memo:
            memo[key] = sum((100 * sum(1 for a, b in times if start < b + gap and a < end + gap)) // len(times)
                            for times in options)
        return memo[key]

    return cost


# --- compact days ------------------------------------------------------------------------


def _day_cost(index: Index, placement: Placement, c: int) -> tuple[int, int]:
    """(long waits, idle minutes beyond the gap) of candidate ``c``, fixed interviews included."""
    times = sorted([(index.slot_start[s], index.slot_end[s]) for s in placement.held[c]]
                   + [(start, end) for _, start, end in index.fixed[c]])
    limit, gap = index.problem.settings.long_wait_minutes, index.gap
    long_waits = idle = 0
    for (_, end), (start, _) in zip(times, times[1:], strict=False):
        long_waits += start - end > limit
        idle += max(0, start - end - gap)
    return long_waits, idle


def long_waits(index: Index, placement: Placement) -> int:
    return sum(_day_cost(index, placement, c)[0] for c in range(len(index.cand_ids)) if placement.held[c])


def compact(index: Index, placement: Placement, deadline: float,
            clock: Callable[[], float] = time.perf_counter) -> Placement:
    """Lower long waits (then idle minutes) by moves and swaps within a company, in place,
    until ``clock()`` reaches ``deadline``."""
    usable_set: dict[tuple[int, int], set[int]] = {}

    def allowed(c: int, s: int) -> bool:
        key = (c, index.slot_company[s])
        if key not in usable_set:
            usable_set[key] = set(index.usable[c].get(key[1], ()))
        return s in usable_set[key]

    improved = True
    while improved and clock() < deadline:
        improved = False
        for c in range(len(index.cand_ids)):
            if clock() >= deadline:
                break
            if len(placement.held[c]) + len(index.fixed[c]) < 2 or _day_cost(index, placement, c)[0] == 0:
                continue
            for s in list(placement.held[c]):
                if _improve(index, placement, c, s, allowed):
                    improved = True
                    break
    return placement


def _improve(index: Index, placement: Placement, c: int, s: int, allowed) -> bool:
    """Try every other slot of the company for ``c``'s interview in ``s`` (a move when it is
    open, a swap when another candidate holds it); apply the first that helps."""
    k = index.slot_company[s]
    before_c = _day_cost(index, placement, c)
    for t in index.company_slots[k]:
        if t == s or not index.open_slot[t] or not allowed(c, t) or placement.clashes(c, t, ignore=s):
            continue
        d = placement.owner[t]
        if d < 0:
            placement.remove(c, s)
            placement.add(c, t)
            if _day_cost(index, placement, c) < before_c:
                return True
            placement.remove(c, t)
            placement.add(c, s)
        elif d != c and allowed(d, s) and not placement.clashes(d, s, ignore=t):
            before_d = _day_cost(index, placement, d)
            before = (before_c[0] + before_d[0], before_c[1] + before_d[1])
            placement.remove(c, s)
            placement.remove(d, t)
            placement.add(c, t)
            placement.add(d, s)
            after_c, after_d = _day_cost(index, placement, c), _day_cost(index, placement, d)
            if (after_c[0] + after_d[0], after_c[1] + after_d[1]) < before:
                return True
            placement.remove(c, t)
            placement.remove(d, s)
            placement.add(c, s)
            placement.add(d, t)
    return False
