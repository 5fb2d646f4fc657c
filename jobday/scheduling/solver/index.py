"""The problem checked and turned into integer-indexed lists the algorithms share.

``build_index`` raises ``ProblemError`` listing every inconsistency of the input; what it
returns (``Index``) is read-only for the algorithms.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from jobday.scheduling.solver.model import Candidate, Id, Problem, ProblemError

UNLIMITED = 1 << 30


def clash(start_a: int, end_a: int, start_b: int, end_b: int, gap: int) -> bool:
    """Two interviews of one candidate clash when they overlap or leave less than ``gap``
    minutes between them."""
    return start_a < end_b + gap and start_b < end_a + gap


def fits(candidate: Candidate, slot_id: Id, start: int, end: int) -> bool:
    """The slot lies in one of the candidate's windows and in their allowed slots."""
    if candidate.allowed_slots is not None and slot_id not in candidate.allowed_slots:
        return False
    if candidate.windows is None:
        return True
    return any(low <= start and end <= high for low, high in candidate.windows)


@dataclass
class Index:
    """Slots, companies and candidates as numbers (``s``, ``k``, ``c``).

    * ``open_slot[s]``: the scheduler may give slot ``s`` (not taken, not held by an
      existing interview or a lock);
    * ``has_wish[c]``: the candidate counts towards coverage (a real wish, not only
      suggestions);
    * ``fixed[c]``: (company or -1, start, end) of the candidate's existing and locked
      interviews; ``room[c]``: how many new interviews the caps still allow;
    * ``weight[c]``: company -> objective weight (``Problem.objective_weight``) of each
      wish or suggestion not yet met by a fixed interview;
    * ``usable[c][k]``: open slots of company ``k`` (sorted by start) that fit the
      candidate's availability and clash with none of their fixed interviews; only for
      wishes not met yet, and empty when ``room[c]`` is 0;
    * ``klass[c]``: the candidate's availability class (same windows and allowed slots),
      ``class_slots[klass][k]``: the open slots of ``k`` that class may use.
    """

    problem: Problem
    gap: int
    slot_ids: list[Id]
    slot_company: list[int]
    slot_table: list[Id]
    slot_start: list[int]
    slot_end: list[int]
    slot_pos: dict[Id, int]
    open_slot: list[bool]
    company_ids: list[Id]
    company_pos: dict[Id, int]
    company_slots: list[list[int]]
    cand_ids: list[Id]
    cand_pos: dict[Id, int]
    has_wish: list[bool]
    fixed: list[list[tuple[int, int, int]]]
    room: list[int]
    weight: list[dict[int, int]]
    fixed_met: list[set[int]]
    usable: list[dict[int, list[int]]]
    klass: list[int]
    class_slots: list[dict[int, list[int]]]
    locks: list[tuple[int, int]]


def _cap(problem: Problem, candidate: Candidate) -> int:
    caps = [cap for cap in (problem.settings.max_per_candidate, candidate.cap) if cap is not None]
    return min(caps) if caps else UNLIMITED


def build_index(problem: Problem) -> Index:
    issues: list[str] = []
    settings = problem.settings
    gap = settings.gap_minutes
    if gap < 0:
        issues.append("The gap between interviews cannot be negative.")
    if settings.max_per_company < 1:
        issues.append("The limit of interviews per company must be at least 1.")
    if settings.max_per_candidate is not None and settings.max_per_candidate < 0:
        issues.append("The cap of interviews per candidate cannot be negative.")
    if settings.shortlist_factor < 1:
        issues.append("The shortlist factor must be at least 1.")

    company_ids: list[Id] = []
    company_pos: dict[Id, int] = {}
    slot_ids: list[Id] = []
    slot_company: list[int] = []
    slot_table: list[Id] = []
    slot_start: list[int] = []
    slot_end: list[int] = []
    slot_pos: dict[Id, int] = {}
    company_slots: list[list[int]] = []
    limits: dict[Id, int] = {}
    for company in problem.companies:
        if company.id in company_pos:
            issues.append(f"Company {company.id!r} appears twice.")
            continue
        k = len(company_ids)
        company_pos[company.id] = k
        company_ids.append(company.id)
        limits[company.id] = company.max_per_candidate or settings.max_per_company
        own: list[int] = []
        for table in company.tables:
            for slot in table.slots:
                if slot.id in slot_pos:
                    issues.append(f"Slot {slot.id!r} appears twice.")
                    continue
                if slot.end <= slot.start:
                    issues.append(f"Slot {slot.id!r} ends before it starts.")
                    continue
                s = len(slot_ids)
                slot_pos[slot.id] = s
                slot_ids.append(slot.id)
                slot_company.append(k)
                slot_table.append(table.id)
                slot_start.append(slot.start)
                slot_end.append(slot.end)
                own.append(s)
        own.sort(key=lambda s: (slot_start[s], slot_end[s], s))
        company_slots.append(own)

    open_slot = [slot_id not in problem.taken_slots for slot_id in slot_ids]
    cand_ids: list[Id] = []
    cand_pos: dict[Id, int] = {}
    candidates: list[Candidate] = []
    for candidate in problem.candidates:
        if candidate.id in cand_pos:
            issues.append(f"Candidate {candidate.id!r} appears twice.")
            continue
        cand_pos[candidate.id] = len(cand_ids)
        cand_ids.append(candidate.id)
        candidates.append(candidate)
    n = len(cand_ids)

    # fixed interviews: existing ones, then locks
    fixed: list[list[tuple[int, int, int]]] = [[] for _ in range(n)]
    fixed_companies: list[list[Id]] = [[] for _ in range(n)]
    holder: dict[int, Id] = {}
    for c, candidate in enumerate(candidates):
        if candidate.cap is not None and candidate.cap < 0:
            issues.append(f"Candidate {candidate.id!r} has a negative cap.")
        for interview in candidate.existing:
            if interview.end <= interview.start:
                issues.append(f"An existing interview of {candidate.id!r} ends before it starts.")
            k = company_pos.get(interview.company_id, -1)
            if interview.slot_id is not None:
                s = slot_pos.get(interview.slot_id)
                if s is None:
                    issues.append(f"Existing interview of {candidate.id!r}: "
                                  f"unknown slot {interview.slot_id!r}.")
                elif slot_company[s] != k or (slot_start[s], slot_end[s]) != (interview.start, interview.end):
                    issues.append(f"Existing interview of {candidate.id!r} "
                                  f"does not match slot {interview.slot_id!r}.")
                elif s in holder:
                    issues.append(f"Slot {interview.slot_id!r} is held by {holder[s]!r} "
                                  f"and {candidate.id!r}.")
                else:
                    holder[s] = candidate.id
                    open_slot[s] = False
            fixed[c].append((k, interview.start, interview.end))
            fixed_companies[c].append(interview.company_id)
    locks: list[tuple[int, int]] = []
    for lock in problem.locked:
        c, s = cand_pos.get(lock.candidate_id), slot_pos.get(lock.slot_id)
        if c is None or s is None:
            issues.append(f"Lock of {lock.candidate_id!r} in {lock.slot_id!r}: unknown candidate or slot.")
            continue
        if s in holder:
            issues.append(f"Slot {lock.slot_id!r} is held by {holder[s]!r} "
                          f"and locked for {lock.candidate_id!r}.")
            continue
        if not fits(candidates[c], lock.slot_id, slot_start[s], slot_end[s]):
            issues.append(f"Lock of {lock.candidate_id!r} in {lock.slot_id!r}: outside their availability.")
        holder[s] = lock.candidate_id
        open_slot[s] = False
        locks.append((c, s))
        fixed[c].append((slot_company[s], slot_start[s], slot_end[s]))
        fixed_companies[c].append(company_ids[slot_company[s]])

    room: list[int] = []
    for c, candidate in enumerate(candidates):
        mine = sorted(fixed[c], key=lambda item: item[1])
        for (_, start_a, end_a), (_, start_b, end_b) in zip(mine, mine[1:], strict=False):
            if clash(start_a, end_a, start_b, end_b, gap):
                issues.append(f"Candidate {candidate.id!r} has two fixed interviews that clash "
                              f"(at {start_a} and {start_b}).")
        cap = _cap(problem, candidate)
        if len(mine) > cap:
            issues.append(f"Candidate {candidate.id!r} has more fixed interviews than their cap.")
        per_company: dict[Id, int] = defaultdict(int)
        for company_id in fixed_companies[c]:
            per_company[company_id] += 1
        for company_id, count in per_company.items():
            if count > limits.get(company_id, settings.max_per_company):
                issues.append(f"Candidate {candidate.id!r} has too many fixed interviews "
                              f"with {company_id!r}.")
        room.append(max(0, cap - len(mine)))

    max_rank, max_suggestion = problem.max_rank(), problem.max_suggestion_rank()
    weight: list[dict[int, int]] = [{} for _ in range(n)]
    fixed_met: list[set[int]] = [set() for _ in range(n)]
    has_wish = [False] * n
    seen: set[tuple[int, int]] = set()
    for wish in problem.wishes:
        c, k = cand_pos.get(wish.candidate_id), company_pos.get(wish.company_id)
        if c is None or k is None:
            issues.append(f"Wish of {wish.candidate_id!r} for {wish.company_id!r}: "
                          "unknown candidate or company.")
            continue
        if (c, k) in seen:
            issues.append(f"Candidate {wish.candidate_id!r} wishes {wish.company_id!r} twice.")
            continue
        highest = max_suggestion if wish.suggested else max_rank
        if not 1 <= wish.rank <= highest:
            issues.append(f"Wish of {wish.candidate_id!r} for {wish.company_id!r}: rank {wish.rank} "
                          f"outside 1..{highest}.")
            continue
        seen.add((c, k))
        has_wish[c] = has_wish[c] or not wish.suggested
        if any(fk == k for fk, _, _ in fixed[c]):
            fixed_met[c].add(k)
        else:
            weight[c][k] = problem.objective_weight(wish)
    if issues:
        raise ProblemError(issues)

    # availability classes and the slots each may use
    class_of: dict[tuple, int] = {}
    klass: list[int] = []
    representative: list[Candidate] = []
    for candidate in candidates:
        key = (candidate.windows, candidate.allowed_slots)
        if key not in class_of:
            class_of[key] = len(representative)
            representative.append(candidate)
        klass.append(class_of[key])
    class_slots: list[dict[int, list[int]]] = [{} for _ in representative]

    def slots_of_class(q: int, k: int) -> list[int]:
        found = class_slots[q].get(k)
        if found is None:
            found = [s for s in company_slots[k] if open_slot[s]
                     and fits(representative[q], slot_ids[s], slot_start[s], slot_end[s])]
            class_slots[q][k] = found
        return found

    usable: list[dict[int, list[int]]] = [{} for _ in range(n)]
    for c in range(n):
        if room[c] == 0:
            continue
        mine = fixed[c]
        for k in weight[c]:
            slots = slots_of_class(klass[c], k)
            if mine:
                slots = [s for s in slots if not any(clash(slot_start[s], slot_end[s], start, end, gap)
                                                     for _, start, end in mine)]
            if slots:
                usable[c][k] = slots

    return Index(problem=problem, gap=gap, slot_ids=slot_ids, slot_company=slot_company,
                 slot_table=slot_table, slot_start=slot_start, slot_end=slot_end, slot_pos=slot_pos,
                 open_slot=open_slot, company_ids=company_ids, company_pos=company_pos,
                 company_slots=company_slots,
                 cand_ids=cand_ids, cand_pos=cand_pos, has_wish=has_wish, fixed=fixed, room=room,
                 weight=weight, fixed_met=fixed_met, usable=usable, klass=klass, class_slots=class_slots,
                 locks=locks)


class Placement:
    """A working schedule: which new slots each candidate holds (fixed interviews live in
    the index). ``owner[s]`` is the candidate in slot ``s`` or -1; ``held[c]`` the
    candidate's new slots; ``met[c]`` the companies of those slots (one slot a company:
    the scheduler meets each wish at most once)."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.owner = [-1] * len(index.slot_ids)
        self.held: list[list[int]] = [[] for _ in index.cand_ids]
        self.met: list[set[int]] = [set() for _ in index.cand_ids]

    def copy(self) -> Placement:
        other = Placement.__new__(Placement)
        other.index = self.index
        other.owner = list(self.owner)
        other.held = [list(slots) for slots in self.held]
        other.met = [set(companies) for companies in self.met]
        return other

    def clashes(self, c: int, s: int, ignore: int = -1) -> bool:
        """Slot ``s`` clashes with a new slot of ``c`` (other than ``ignore``)."""
        index = self.index
        start, end, gap = index.slot_start[s], index.slot_end[s], index.gap
        starts, ends = index.slot_start, index.slot_end
        for t in self.held[c]:
            if t != ignore and start < ends[t] + gap and starts[t] < end + gap:
                return True
        return False

    def can_take(self, c: int, s: int) -> bool:
        """``s`` is free and clashes with nothing of ``c`` (``s`` must come from ``usable``)."""
        return self.owner[s] < 0 and not self.clashes(c, s)

    def add(self, c: int, s: int) -> None:
        assert self.owner[s] < 0
        self.owner[s] = c
        self.held[c].append(s)
        self.met[c].add(self.index.slot_company[s])

    def remove(self, c: int, s: int) -> None:
        assert self.owner[s] == c
        self.owner[s] = -1
        self.held[c].remove(s)
        self.met[c].discard(self.index.slot_company[s])

    def coverage(self) -> int:
        index = self.index
        return sum(1 for c in range(len(index.cand_ids))
                   if index.has_wish[c] and (self.held[c] or index.fixed[c]))

    def weight(self) -> int:
        """Weight of the wishes met by new interviews (fixed ones add a constant)."""
        index = self.index
        return sum(index.weight[c][index.slot_company[s]] for c, slots in enumerate(self.held) for s in slots)

    def key(self) -> tuple[int, int]:
        return (self.coverage(), self.weight())
