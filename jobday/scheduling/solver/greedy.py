"""The greedy pass: the baseline the optimiser is compared with, and its fallback.

Wishes are taken by decreasing weight (first wishes and shortlisted ones first; ties in
input order); each gets the earliest open slot of the company that fits the candidate and
clashes with nothing they already have, while their cap allows. This is what an organiser
would do by hand; it ignores coverage, so it can leave a candidate without any interview
while others get their fourth.
"""

from __future__ import annotations

from jobday.scheduling.solver.index import Index, Placement


def greedy_placement(index: Index, placement: Placement | None = None) -> Placement:
    """Fill ``placement`` (a new empty one by default) greedily and return it."""
    placement = placement or Placement(index)
    arcs = sorted((-weight, c, k) for c, weights in enumerate(index.weight)
                  for k, weight in weights.items() if k in index.usable[c])
    for _, c, k in arcs:
        if len(placement.held[c]) >= index.room[c] or k in placement.companies(c):
            continue
        for s in index.usable[c][k]:
            if placement.can_take(c, s):
                placement.add(c, s)
                break
    return placement
