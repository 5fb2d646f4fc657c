"""The company × time view of the slots: tables of one company are interchangeable.

Slots of one company with the same start, the same end and the same candidates allowed
(availability classes, see ``Index.klass``) form a *group*; its capacity is its number of
open slots (usually one per table). Every candidate who may use one slot of a group may use
them all: a fixed interview clashes with a slot by its times only. So a model that says
"``c`` gets a slot of group ``g``" loses nothing, has one variable where the slot model
had one per table, and a group's slots are handed out afterwards in any order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jobday.scheduling.solver.index import Index


@dataclass
class Grid:
    """``slots[g]``: the open slots of group ``g`` (its capacity is their number);
    ``company[g]``, ``start[g]``, ``end[g]``; ``of_slot[s]``: the group of open slot ``s``
    (-1 for a closed one); ``of_company[k]``: the groups of company ``k``;
    ``usable[c][k]``: the groups of company ``k`` candidate ``c`` may use (those of
    ``Index.usable[c][k]``), by start."""

    slots: list[list[int]]
    company: list[int]
    start: list[int]
    end: list[int]
    of_slot: list[int]
    of_company: list[list[int]]
    usable: list[dict[int, list[int]]]
    cliques: dict[int, list[list[int]]] = field(default_factory=dict)
    """Filled as the exact model needs them (``exact.group_cliques``)."""


def build_grid(index: Index) -> Grid:
    users: dict[int, list[int]] = {}
    for q, per_company in enumerate(index.class_slots):
        for slots in per_company.values():
            for s in slots:
                users.setdefault(s, []).append(q)
    key_of: dict[tuple, int] = {}
    grid = Grid(slots=[], company=[], start=[], end=[], of_slot=[-1] * len(index.slot_ids),
                of_company=[[] for _ in index.company_ids], usable=[])
    for k, own in enumerate(index.company_slots):
        for s in own:
            if not index.open_slot[s] or s not in users:
                continue
            key = (k, index.slot_start[s], index.slot_end[s], tuple(users[s]))
            g = key_of.get(key)
            if g is None:
                g = key_of[key] = len(grid.slots)
                grid.slots.append([])
                grid.company.append(k)
                grid.start.append(index.slot_start[s])
                grid.end.append(index.slot_end[s])
                grid.of_company[k].append(g)
            grid.slots[g].append(s)
            grid.of_slot[s] = g
    of_slot = grid.of_slot
    shared: dict[int, list[int]] = {}  # candidates without fixed interviews share their class's lists
    for per_company in index.usable:
        mine: dict[int, list[int]] = {}
        for k, slots in per_company.items():
            groups = shared.get(id(slots))
            if groups is None:
                groups = list(dict.fromkeys(of_slot[s] for s in slots))  # slots by start: groups too
                shared[id(slots)] = groups
            mine[k] = groups
        grid.usable.append(mine)
    return grid
