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
    for n, (_, c, k) in enumerate(arcs):
        if stop is not None and n % 512 == 0 and stop():
            break
        if len(held[c]) >= room[c] or k in met[c]:
            continue
        for g in grid.usable[c][k]:
            free = next((s for s in grid.slots[g] if owner[s] < 0), -1)
            if free >= 0 and not placement.clashes(c, free):
                placement.add(c, free)
                break
    return placement
