"""The greedy pass: the baseline the optimiser is compared with, and its fallback.

Wishes are taken by decreasing weight (first wishes and shortlisted ones first; ties in
input order); each gets the earliest open slot of the company that fits the candidate and
clashes with nothing they already have, while their cap allows. This is what an organiser
would do by hand; it ignores coverage, so it can leave a candidate without any interview
while others get their fourth.
"""

from __future__ import annotations

from collections.abc import Callable

from jobday.scheduling.solver.grid import Grid
from jobday.scheduling.solver.index import Index, Placement


def greedy_placement(index: Index, grid: Grid, placement: Placement | None = None,
                     stop: Callable[[], bool] | None = None) -> Placement:
    """Fill ``placement`` (a new empty one by default) greedily and return it; ``stop()``
    true ends the pass early (what is placed by then stays, and is valid)."""
    placement = placement or Placement(index)
    arcs = sorted((-weight, c, k) for c, weights in enumerate(index.weight)
                  for k, weight in weights.items() if k in grid.usable[c])
    owner, held, met, room = placement.owner, placement.held, placement.met, index.room
    free = [[s for s in reversed(slots) if owner[s] < 0] for slots in grid.slots]
    starts, ends, gap = grid.start, grid.end, index.gap
    slot_start, slot_end = index.slot_start, index.slot_end
    for n, (_, c, k) in enumerate(arcs):
        if stop is not None and n % 512 == 0 and stop():
            break
        if len(held[c]) >= room[c] or k in met[c]:
            continue
        mine = [(slot_start[t], slot_end[t]) for t in held[c]]
        for g in grid.usable[c][k]:
            if free[g] and not any(starts[g] < end + gap and start < ends[g] + gap for start, end in mine):
                placement.add(c, free[g].pop())
                break
    return placement
