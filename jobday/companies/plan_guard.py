"""Which slots are taken, and how to free them: the plan never silently drops a booked slot.

Today a slot is held through ``InterviewSlot.held_by_candidate_id``. The scheduling feature
can register further holders (e.g. a bookings table) with ``register_slot_holder``; every
plan change asks all holders before it deletes a slot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from jobday.accounts.models import User
from jobday.companies.models import Company, InterviewSlot, InterviewTable, Participation


@dataclass(frozen=True)
class Hold:
    """A candidate in a slot."""

    slot_id: int
    candidate: User
    starts_at: datetime
    table_name: str
    company_name: str = ""


@dataclass(frozen=True)
class SlotHolder:
    holds: Callable[[Session, list[int]], list[Hold]]
    release: Callable[[Session, list[int]], None]


def _held_slots(session: Session, slot_ids: list[int]) -> list[Hold]:
    rows = session.execute(
        select(InterviewSlot, User, InterviewTable.name, Company.name)
        .join(User, User.id == InterviewSlot.held_by_candidate_id)
        .join(InterviewTable, InterviewTable.id == InterviewSlot.table_id)
        .join(Participation, Participation.id == InterviewTable.participation_id)
        .join(Company, Company.id == Participation.company_id)
        .where(InterviewSlot.id.in_(slot_ids))
        .order_by(InterviewSlot.starts_at, InterviewTable.name)
    ).all()
    return [Hold(slot.id, user, slot.starts_at, table, company) for slot, user, table, company in rows]


def _release_held(session: Session, slot_ids: list[int]) -> None:
    session.execute(update(InterviewSlot).where(InterviewSlot.id.in_(slot_ids))
                    .values(held_by_candidate_id=None, held_at=None))


_holders: list[SlotHolder] = [SlotHolder(_held_slots, _release_held)]


def register_slot_holder(holder: SlotHolder) -> None:
    if holder not in _holders:
        _holders.append(holder)


def holds_on(session: Session, slot_ids: Iterable[int]) -> list[Hold]:
    ids = list(slot_ids)
    if not ids:
        return []
    found: list[Hold] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for holder in _holders:
            found.extend(holder.holds(session, chunk))
    return sorted(found, key=lambda hold: (hold.starts_at, hold.table_name))


def booked_slot_ids(session: Session, slot_ids: Iterable[int]) -> set[int]:
    return {hold.slot_id for hold in holds_on(session, slot_ids)}


def release(session: Session, slot_ids: Iterable[int]) -> None:
    ids = list(slot_ids)
    for start in range(0, len(ids), 500):
        for holder in _holders:
            holder.release(session, ids[start:start + 500])
