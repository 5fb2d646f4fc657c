"""Placing chosen interviews in time, then making days compact.

``place_pairs`` takes the (candidate, company) pairs the flow chose and gives each a slot,
company by company, the most contended first. Within a company it is a bipartite matching
(pairs x open slots, minus slots that clash with what the candidate already holds),
solved as a min-cost max-flow whose costs prefer slots next to the candidate's other
interviews and slots that their pending interviews do not need. The few pairs left
unplaced go to the exact repair (``exact``).

``compact`` lowers the number of long waits without changing who meets whom: it moves an
interview to another open slot of the same company, or swaps two candidates' slots at one
company, whenever that lowers (long waits, idle minutes) and keeps every rule.
"""

from __future__ import annotations

import time
from collections import defaultdict

import numpy as np
from ortools.graph.python import min_cost_flow

from jobday.scheduling.solver.index import Index, Placement, clash


def _wait_cost(index: Index, placement: Placement, c: int, s: int) -> int:
    """How the candidate's day looks with slot ``s`` added: 0 when it sits within the
    long-wait limit of another of their interviews (fixed ones included), 2 when it would
    start a long wait, 1 when the candidate has nothing else yet (neutral)."""
    others = [(index.slot_start[t], index.slot_end[t]) for t in placement.held[c]]
    others += [(start, end) for _, start, end in index.fixed[c]]
    if not others:
        return 1
    start, end = index.slot_start[s], index.slot_end[s]
    limit = index.problem.settings.long_wait_minutes
    for other_start, other_end in others:
        if 0 <= other_start - end <= limit or 0 <= start - other_end <= limit:
            return 0
    return 2


def place_pairs(index: Index, pairs: list[tuple[int, int]], placement: Placement | None = None
                ) -> tuple[Placement, list[tuple[int, int]]]:
    """Place ``pairs``; returns the placement and the pairs it could not place."""
    placement = placement or Placement(index)
    by_company: dict[int, list[int]] = defaultdict(list)
    for c, k in pairs:
        by_company[k].append(c)
    open_count = {k: sum(1 for s in index.company_slots[k] if index.open_slot[s] and placement.owner[s] < 0)
                  for k in by_company}
    order = sorted(by_company, key=lambda k: (-len(by_company[k]) / max(1, open_count[k]), open_count[k], k))
    pending: dict[int, set[int]] = defaultdict(set)
    for c, k in pairs:
        pending[c].add(k)
    unplaced: list[tuple[int, int]] = []
    for k in order:
        members = by_company[k]
        for c in members:
            pending[c].discard(k)
        slots = [s for s in index.company_slots[k] if index.open_slot[s] and placement.owner[s] < 0]
        slot_node = {s: i for i, s in enumerate(slots)}
        tails, heads, costs = [], [], []
        for i, c in enumerate(members):
            busy = _busy_times(index, c, pending[c], placement)
            for s in index.usable[c][k]:
                if s in slot_node and not placement.clashes(c, s):
                    tails.append(2 + i)
                    heads.append(2 + len(members) + slot_node[s])
                    costs.append(10 * _wait_cost(index, placement, c, s) + busy(s))
        if not tails:
            unplaced.extend((c, k) for c in members)
            continue
        n_nodes = 2 + len(members) + len(slots)
        tails += [0] * len(members) + [2 + len(members) + i for i in range(len(slots))]
        heads += [2 + i for i in range(len(members))] + [1] * len(slots)
        costs += [0] * (len(members) + len(slots))
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(
        np.array(tails, dtype=np.int64), np.array(heads, dtype=np.int64),
        np.ones(len(tails), dtype=np.int64),
                                                  np.array(costs, dtype=np.int64))
        supplies = np.zeros(n_nodes, dtype=np.int64)
        supplies[0], supplies[1] = len(members), -len(members)
        flow.set_nodes_supplies(np.arange(n_nodes, dtype=np.int64), supplies)
        flow.solve_max_flow_with_min_cost()
        flows = flow.flows(np.arange(len(tails), dtype=np.int64))
        placed = set()
        for a in np.nonzero(flows)[0]:
            tail, head = tails[a], heads[a]
            if tail >= 2 and tail < 2 + len(members):
                c, s = members[tail - 2], slots[head - 2 - len(members)]
                placement.add(c, s)
                placed.add(c)
        unplaced.extend((c, k) for c in members if c not in placed)
    return placement, unplaced


def _busy_times(index: Index, c: int, pending: set[int], placement: Placement):
    """A cost function over slots: how much taking ``s`` would squeeze the candidate's
    interviews still to place (the share of each pending company's remaining options that
    ``s`` clashes with, in percent)."""
    if not pending:
        return lambda s: 0
    options = []
    for k in pending:
        times = {(index.slot_start[t], index.slot_end[t]) for t in index.usable[c].get(k, ())
                 if placement.owner[t] < 0 and not placement.clashes(c, t)}
        if times:
            options.append(times)
    gap = index.gap
    memo: dict[tuple[int, int], int] = {}

    def cost(s: int) -> int:
        key = (index.slot_start[s], index.slot_end[s])
        if key not in memo:
            start, end = key
            memo[key] = sum((100 * sum(1 for a, b in times if clash(start, end, a, b, gap))) // len(times)
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


def compact(index: Index, placement: Placement, deadline: float) -> Placement:
    """Lower long waits (then idle minutes) by moves and swaps within a company, in place."""
    usable_set: dict[tuple[int, int], set[int]] = {}

    def allowed(c: int, s: int) -> bool:
        key = (c, index.slot_company[s])
        if key not in usable_set:
            usable_set[key] = set(index.usable[c].get(key[1], ()))
        return s in usable_set[key]

    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        for c in range(len(index.cand_ids)):
            if time.perf_counter() >= deadline:
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
