"""Which interviews happen: a min-cost flow that is also the proof bound.

The network (a b-matching with a lexicographic cost):

    source -> candidate           capacity 1 at cost -M (the candidate is covered), and
                                  capacity cap-1 at cost 0 (further interviews)
    candidate -> (company, class) capacity 1 at cost -weight of the wish
    (company, class) -> atom      the company's open slots that class may use, grouped by
                                  which classes may use them ("atoms")
    atom -> sink                  capacity = the atom's number of slots
    source -> sink                a bypass, so flow only goes where it pays

A candidate's class is their availability (windows and allowed slots): a morning-only
candidate reaches the company's morning slots only, and the morning atom is shared with
the all-day candidates. The candidate's capacity is min(remaining cap, the most
interviews that fit their usable slots given the gap). ``M`` exceeds the total weight, so
the flow first maximises coverage, then weight.

Everything a schedule must satisfy is satisfied by the flow except the timing (which slot,
and the gap between two interviews of one candidate across companies), so its value is an
upper bound on both levels; a schedule that reaches it is optimal.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from jobday.scheduling.solver.grid import Grid
from jobday.scheduling.solver.index import Index

MAX_CLASSES = 24
"""Beyond this many availability classes the flow merges them (a weaker bound)."""


@dataclass
class FlowResult:
    """``pairs``: the (candidate, company) interviews of an optimal flow. The bounds count
    fixed interviews: ``coverage_bound`` candidates at most, and at most ``weight_bound``
    (new interviews' weight, fixed ones excluded) among schedules with that coverage."""

    pairs: list[tuple[int, int]]
    coverage_bound: int
    weight_bound: int


def most_interviews(index: Index, grid: Grid, c: int) -> int:
    """The most interviews candidate ``c`` could fit among their usable slots, given the gap
    (interval scheduling by earliest end)."""
    intervals = sorted({(grid.end[g], grid.start[g]) for groups in grid.usable[c].values() for g in groups})
    count, free_from = 0, None
    for end, start in intervals:
        if free_from is None or start >= free_from:
            count += 1
            free_from = end + index.gap
    return count


def covered_by_fixed(index: Index, c: int) -> bool:
    return index.has_wish[c] and bool(index.fixed[c])


def solve_flow(index: Index, grid: Grid, cuts: dict[int, list[frozenset[int]]] | None = None) -> FlowResult:
    """The optimal flow: its pairs and the bounds it proves.

    ``cuts[c]``: sets of companies candidate ``c`` cannot all meet (their times do not fit
    together, see ``gap_cuts``), a laminar family (two sets are nested or disjoint): ``c``
    meets at most ``len(K) - 1`` of each ``K``. In the network they are hubs between the
    candidate and the companies, so the flow stays a flow and its value stays a bound."""
    cuts = cuts or {}
    n = len(index.cand_ids)
    big = sum(sum(weights.values()) for weights in index.weight) + 1

    classes = {index.klass[c] for c in range(n) if index.usable[c]}
    merged = len(classes) > MAX_CLASSES
    group = (lambda c: 0) if merged else (lambda c: index.klass[c])

    tails: list[int] = []
    heads: list[int] = []
    caps: list[int] = []
    costs: list[int] = []

    def arc(tail: int, head: int, capacity: int, cost: int) -> int:
        tails.append(tail)
        heads.append(head)
        caps.append(capacity)
        costs.append(cost)
        return len(tails) - 1

    source, sink = 0, 1
    nodes = 2 + n
    supply = 0
    cover_arcs: list[int] = []
    pair_arcs: list[tuple[int, int, int]] = []
    company_class: dict[tuple[int, int], int] = {}
    members: dict[tuple[int, int], set[int]] = defaultdict(set)
    for c in range(n):
        if not index.usable[c]:
            continue
        capacity = min(index.room[c], len(index.usable[c]), most_interviews(index, grid, c))
        if capacity == 0:
            continue
        supply += capacity
        node = 2 + c
        if index.has_wish[c] and not index.fixed[c]:
            cover_arcs.append(arc(source, node, 1, -big))
            if capacity > 1:
                arc(source, node, capacity - 1, 0)
        else:
            arc(source, node, capacity, 0)
        hubs: list[tuple[frozenset[int], int]] = []
        for cut in sorted(cuts.get(c, ()), key=len, reverse=True):  # parents before children
            parent = min(((hub, h) for hub, h in hubs if cut < hub), key=lambda item: len(item[0]),
                         default=(None, node))[1]
            hubs.append((cut, nodes))
            arc(parent, nodes, len(cut) - 1, 0)
            nodes += 1
        for k in index.usable[c]:
            key = (k, group(c))
            if key not in company_class:
                company_class[key] = nodes
                nodes += 1
            if merged:
                members[key].update(index.usable[c][k])
            tail = min(((hub, h) for hub, h in hubs if k in hub), key=lambda item: len(item[0]),
                       default=(None, node))[1]
            pair_arcs.append((arc(tail, company_class[key], 1, -index.weight[c][k]), c, k))

    # atoms: per company, open slots grouped by the set of classes that may use them
    by_company: dict[int, list[int]] = defaultdict(list)
    for (k, q) in company_class:
        by_company[k].append(q)
    for k, qs in by_company.items():
        signature: dict[int, list[int]] = defaultdict(list)
        for q in qs:
            slots = members[(k, q)] if merged else index.class_slots[q].get(k, [])
            for s in slots:
                signature[s].append(q)
        atoms: dict[tuple[int, ...], int] = defaultdict(int)
        for qlist in signature.values():
            atoms[tuple(sorted(qlist))] += 1
        for qlist, size in atoms.items():
            atom = nodes
            nodes += 1
            arc(atom, sink, size, 0)
            for q in qlist:
                arc(company_class[(k, q)], atom, size, 0)
    arc(source, sink, supply, 0)

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.array(tails, dtype=np.int64), np.array(heads, dtype=np.int64),
        np.array(caps, dtype=np.int64), np.array(costs, dtype=np.int64))
    supplies = np.zeros(nodes, dtype=np.int64)
    supplies[source], supplies[sink] = supply, -supply
    flow.set_nodes_supplies(np.arange(nodes, dtype=np.int64), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:  # pragma: no cover - the network is always feasible
        raise RuntimeError(f"min-cost flow failed with status {status}")
    flows = flow.flows(np.arange(len(tails), dtype=np.int64))
    pairs = [(c, k) for a, c, k in pair_arcs if flows[a] > 0]
    coverage = sum(1 for c in range(n) if covered_by_fixed(index, c)) + int(sum(flows[a] for a in cover_arcs))
    weight = sum(index.weight[c][k] for c, k in pairs)
    return FlowResult(pairs=pairs, coverage_bound=coverage, weight_bound=weight)


FIT_STEPS = 20_000
"""The most times ``fits_together`` tries before answering "fits" (no cut: the bound stays
valid, only less tight), so that no candidate's day can stall the solver."""


def fits_together(index: Index, grid: Grid, c: int, companies: list[int]) -> bool:
    """Candidate ``c`` could meet all of ``companies`` on an empty schedule: one usable time
    each, no two within the gap (a depth-first search, fewest times first; "fits" when the
    search is too long to finish, see ``FIT_STEPS``)."""
    gap = index.gap
    times = sorted(([(grid.start[g], grid.end[g]) for g in dict.fromkeys(grid.usable[c][k])] for k in companies),
                   key=len)
    chosen: list[tuple[int, int]] = []
    steps = [0]

    def place(i: int) -> bool:
        if i == len(times):
            return True
        for start, end in times[i]:
            steps[0] += 1
            if steps[0] > FIT_STEPS:
                return True
            if all(start >= other_end + gap or other_start >= end + gap for other_start, other_end in chosen):
                chosen.append((start, end))
                if place(i + 1):
                    return True
                chosen.pop()
        return False

    return place(0)


def gap_cuts(index: Index, grid: Grid, flow: FlowResult, cuts: dict[int, list[frozenset[int]]]) -> int:
    """Adds to ``cuts`` the company sets the flow gave a candidate that do not fit together in
    time (a valid cut: no schedule gives them all), keeping each candidate's family laminar.
    Returns how many were added."""
    chosen: dict[int, list[int]] = defaultdict(list)
    for c, k in flow.pairs:
        chosen[c].append(k)
    added = 0
    for c, companies in chosen.items():
        if len(companies) < 2 or fits_together(index, grid, c, companies):
            continue
        for k in list(companies):  # the smallest set that still does not fit cuts deepest
            rest = [other for other in companies if other != k]
            if len(rest) >= 2 and not fits_together(index, grid, c, rest):
                companies = rest
        cut = frozenset(companies)
        family = cuts.setdefault(c, [])
        if all(cut < other or other < cut or not cut & other for other in family):
            family.append(cut)
            added += 1
    return added
