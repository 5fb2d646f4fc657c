"""A demo-like problem, generated deterministically from a seed, for the tests and the bench.

The shape follows issue 5's demo edition: one fair day; companies with 1-4 tables of 16-20
slots (slot length and pause chosen per company, as recruiters do); candidates with 3-8
ranked wishes drawn from a skewed popularity (a few companies get many wishes); about one
candidate in six present only in the morning and one in six only in the afternoon; the
gap is one slot length (20 minutes). A few interviews already exist, a few slots are
taken and the organiser locked a few interviews, as after a first run.

``stagger`` shifts each company's morning and afternoon by 0-25 minutes, so the grids of
different companies do not line up (the gap rule then binds across companies in more
ways). ``hard_instance(seed)`` draws the bench's harder editions: 100 to 8,000 candidates,
gaps of 20 to 60 minutes, caps of 2 to 8, staggered grids.
"""

from __future__ import annotations

import random

from jobday.scheduling.solver.model import (
    Candidate,
    Company,
    ExistingInterview,
    Lock,
    Problem,
    Settings,
    Slot,
    Table,
    Wish,
)

DAY_START = 9 * 60
AFTERNOON_START = 13 * 60 + 30
MORNING = (8 * 60, 13 * 60 + 15)
AFTERNOON = (13 * 60 + 15, 19 * 60)


def demo_problem(seed: int = 5, candidates: int = 1200, companies: int = 60, cap: int = 4,
                 gap: int = 20, extras: bool = True, stagger: bool = False) -> Problem:
    """The demo instance. ``extras`` adds existing interviews, taken slots and locks."""
    rng = random.Random(seed)
    company_list: list[Company] = []
    for k in range(companies):
        length, pause = rng.choice([(20, 0), (20, 5), (15, 5), (20, 10), (25, 0), (15, 0)])
        per_table = rng.randint(16, 20)
        morning = per_table // 2 + rng.randint(0, 1)
        shift = (rng.randrange(0, 30, 5), rng.randrange(0, 30, 5)) if stagger else (0, 0)
        times = [DAY_START + shift[0] + i * (length + pause) for i in range(morning)]
        times += [AFTERNOON_START + shift[1] + i * (length + pause) for i in range(per_table - morning)]
        tables = tuple(
            Table(id=f"k{k}t{t}", slots=tuple(Slot(id=f"k{k}t{t}s{i}", start=start, end=start + length)
                                              for i, start in enumerate(times)))
            for t in range(rng.choice([1, 1, 2, 2, 2, 3, 3, 4])))
        company_list.append(Company(id=f"k{k}", tables=tables))
    popularity = [1.0 / (rank + 1) ** 0.9 for rank in range(companies)]
    rng.shuffle(popularity)

    candidate_list: list[Candidate] = []
    wishes: list[Wish] = []
    for c in range(candidates):
        roll = rng.random()
        windows = (MORNING,) if roll < 0.16 else (AFTERNOON,) if roll < 0.32 else None
        count = min(rng.randint(3, 8), companies)  # fewer companies than wishes: wish them all
        chosen: list[int] = []
        while len(chosen) < count:
            k = rng.choices(range(companies), weights=popularity)[0]
            if k not in chosen:
                chosen.append(k)
        for rank, k in enumerate(chosen, start=1):
            wishes.append(Wish(candidate_id=f"c{c}", company_id=f"k{k}", rank=rank,
                               shortlisted=rng.random() < 0.15))
        candidate_list.append(Candidate(id=f"c{c}", windows=windows, cap=2 if rng.random() < 0.05 else None))

    taken: set[str] = set()
    locks: list[Lock] = []
    if extras:
        all_slots = [(company, table, slot) for company in company_list
                     for table in company.tables for slot in table.slots]
        for _, _, slot in rng.sample(all_slots, len(all_slots) // 50):
            taken.add(slot.id)
        free = [(company, table, slot) for company, table, slot in all_slots if slot.id not in taken]
        rng.shuffle(free)
        wished = {(wish.candidate_id, wish.company_id) for wish in wishes}
        by_id = {candidate.id: i for i, candidate in enumerate(candidate_list)}
        busy: set[str] = set()
        for company, _table, slot in free:
            if len(busy) >= candidates // 40 + 20:
                break
            who = f"c{rng.randrange(candidates)}"
            if who in busy:
                continue
            candidate = candidate_list[by_id[who]]
            if candidate.windows and not any(low <= slot.start and slot.end <= high
                                             for low, high in candidate.windows):
                continue
            busy.add(who)
            taken.add(slot.id)
            if len(busy) % 3 == 0 and (who, company.id) in wished:
                taken.discard(slot.id)
                locks.append(Lock(candidate_id=who, slot_id=slot.id))
            else:
                existing = (ExistingInterview(company_id=company.id, start=slot.start, end=slot.end,
                                              slot_id=slot.id),)
                candidate_list[by_id[who]] = Candidate(id=who, windows=candidate.windows, cap=candidate.cap,
                                                       existing=existing)
    return Problem(candidates=tuple(candidate_list), companies=tuple(company_list), wishes=tuple(wishes),
                   settings=Settings(gap_minutes=gap, max_per_candidate=cap, max_rank=8),
                   locked=tuple(locks), taken_slots=frozenset(taken))


def hard_instance(seed: int) -> tuple[str, dict]:
    """A label and the ``demo_problem`` options of the bench's ``seed``-th harder edition:
    candidates log-uniform in 100..8,000 (one company per 20 candidates, as in the demo),
    gap 20-60 minutes, cap 2-8, staggered grids."""
    rng = random.Random(1000 + seed)
    candidates = round(100 * 80 ** rng.random())
    options = dict(seed=seed, candidates=candidates, companies=max(3, round(candidates / 20)),
                   gap=rng.choice([20, 30, 40, 50, 60]), cap=rng.randint(2, 8), stagger=True)
    label = f"hard {seed}: {candidates} candidates, gap {options['gap']}, cap {options['cap']}"
    return label, options
