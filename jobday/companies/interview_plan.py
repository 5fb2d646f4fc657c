"""Interview plan rules: tables, their opening hours, slot settings, and the slots.

Every change ends with ``regenerate_slots``: free slots that no longer fit are deleted and
new ones added; a slot a candidate holds is never dropped silently (``PlanConflict`` lists
the bookings unless the recruiter confirms cancelling them, which notifies the candidates).
Slots exist only while the participation is approved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select

from jobday.accounts.models import User
from jobday.companies import plan, plan_guard
from jobday.companies.access import require_member
from jobday.companies.errors import InvalidField, NotCompanyMember, PlanConflict
from jobday.companies.models import (
    BOOKING_MODES,
    SLOT_BLOCKED,
    SLOT_FREE,
    CompanyMember,
    InterviewSlot,
    InterviewTable,
    Participation,
    TableOpening,
)
from jobday.extensions import db
from jobday.formats import format_time
from jobday.mail.services import queue_email


@dataclass
class PlanChange:
    added: int = 0
    removed: int = 0
    cancelled: list[plan_guard.Hold] = field(default_factory=list)


def lock_participation(participation_id: int) -> Participation:
    """The participation row, locked on PostgreSQL (SQLite writers are already serialised)."""
    participation = db.session.scalar(
        select(Participation).where(Participation.id == participation_id).with_for_update()
        .execution_options(populate_existing=True))
    if participation is None:
        raise NotCompanyMember()
    return participation


def parse_hours(hours_by_day: dict[date, str], participation: Participation) -> list[tuple]:
    """Opening ranges per day, checked against the edition's days and door hours."""
    edition = participation.edition
    openings = []
    for day, text in hours_by_day.items():
        if not edition.starts_on <= day <= edition.ends_on:
            raise InvalidField("hours", _l("This day is not a day of the fair."))
        try:
            ranges = plan.parse_ranges(text)
        except ValueError as error:
            raise InvalidField("hours", error.args[0]) from None
        for start, end in ranges:
            if start < edition.opens_at or end > edition.closes_at:
                raise InvalidField("hours", _l(
                    "Tables can only be open while the fair is open (%(opens)s-%(closes)s).",
                    opens=format_time(edition.opens_at), closes=format_time(edition.closes_at)))
            openings.append((day, start, end))
    return openings


def _check_recruiter(participation: Participation, recruiter_id: int | None) -> None:
    if recruiter_id is None:
        return
    member = db.session.scalar(select(CompanyMember).where(
        CompanyMember.user_id == recruiter_id, CompanyMember.company_id == participation.company_id))
    if member is None:
        raise InvalidField("recruiter_id", _l("Choose a recruiter of your company."))


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name or len(name) > 60:
        raise InvalidField("name", _l("Give the table a name of at most 60 characters."))
    return name


def _check_name(participation_id: int, name: str, table_id: int | None = None) -> str:
    """Table names are unique within a participation (the database keeps it too)."""
    name = _clean_name(name)
    query = select(InterviewTable.id).where(InterviewTable.participation_id == participation_id,
                                            InterviewTable.name == name)
    if table_id is not None:
        query = query.where(InterviewTable.id != table_id)
    if db.session.scalar(query) is not None:
        raise InvalidField("name", _l("Another table already has this name."))
    return name


def update_settings(participation: Participation, *, actor: User, slot_minutes: int, pause_minutes: int,
                    booking_mode: str, confirm_cancel: bool = False) -> PlanChange:
    require_member(participation.company_id, actor)
    participation = lock_participation(participation.id)
    try:
        plan.check_lengths(slot_minutes, pause_minutes)
    except ValueError as error:
        raise InvalidField("slot_minutes", error.args[0]) from None
    if booking_mode not in BOOKING_MODES:
        raise InvalidField("booking_mode", _l("Choose a booking mode."))
    participation.slot_minutes = slot_minutes
    participation.pause_minutes = pause_minutes
    participation.booking_mode = booking_mode
    return regenerate_slots(participation, actor=actor, confirm_cancel=confirm_cancel)


def add_table(participation: Participation, *, actor: User, name: str, recruiter_id: int | None,
              hours_by_day: dict[date, str]) -> InterviewTable:
    require_member(participation.company_id, actor)
    participation = lock_participation(participation.id)
    _check_recruiter(participation, recruiter_id)
    openings = parse_hours(hours_by_day, participation)
    name = _check_name(participation.id, name)
    table = InterviewTable(participation=participation, name=name, recruiter_id=recruiter_id,
                           openings=[TableOpening(day=d, starts_at=s, ends_at=e) for d, s, e in openings])
    db.session.add(table)
    db.session.flush()
    regenerate_slots(participation, actor=actor)
    return table


def update_table(table: InterviewTable, *, actor: User, name: str, recruiter_id: int | None,
                 hours_by_day: dict[date, str], confirm_cancel: bool = False) -> PlanChange:
    participation = table.participation
    require_member(participation.company_id, actor)
    participation = lock_participation(participation.id)
    _check_recruiter(participation, recruiter_id)
    openings = parse_hours(hours_by_day, participation)
    table.name = _check_name(participation.id, name, table.id)
    table.recruiter_id = recruiter_id
    touched_days = set(hours_by_day)
    table.openings = [o for o in table.openings if o.day not in touched_days] + [
        TableOpening(day=d, starts_at=s, ends_at=e) for d, s, e in openings]
    db.session.flush()
    return regenerate_slots(participation, actor=actor, confirm_cancel=confirm_cancel)


def delete_table(table: InterviewTable, *, actor: User, confirm_cancel: bool = False) -> PlanChange:
    participation = table.participation
    require_member(participation.company_id, actor)
    participation = lock_participation(participation.id)
    slot_ids = list(db.session.scalars(select(InterviewSlot.id).where(InterviewSlot.table_id == table.id)))
    change = _drop_slots(slot_ids, actor=actor, confirm_cancel=confirm_cancel)
    db.session.delete(table)
    db.session.flush()
    db.session.expire(participation, ["tables"])
    return change


def _drop_slots(slot_ids: list[int], *, actor: User, confirm_cancel: bool) -> PlanChange:
    """Delete these slots; held ones only with confirmation, after freeing and notifying."""
    change = PlanChange()
    if not slot_ids:
        return change
    # Lock the rows first so that no booking slips in between the check and the delete.
    list(db.session.scalars(select(InterviewSlot.id).where(InterviewSlot.id.in_(slot_ids)).with_for_update()))
    holds = plan_guard.holds_on(db.session, slot_ids)
    if holds and not confirm_cancel:
        raise PlanConflict(holds)
    if holds:
        plan_guard.release(db.session, [hold.slot_id for hold in holds])
        for hold in holds:
            _notify_cancelled(hold)
        change.cancelled = holds
    for start in range(0, len(slot_ids), 500):
        db.session.execute(delete(InterviewSlot).where(InterviewSlot.id.in_(slot_ids[start:start + 500]))
                           .execution_options(synchronize_session=False))
    change.removed = len(slot_ids)
    db.session.flush()
    db.session.expire_all()
    return change


def _notify_cancelled(hold: plan_guard.Hold) -> None:
    queue_email(to=hold.candidate.email, subject=_l("Your interview has been cancelled"),
                template="companies/interview_cancelled", locale=hold.candidate.locale,
                candidate=hold.candidate, hold=hold)


def regenerate_slots(participation: Participation, *, actor: User | None,
                     confirm_cancel: bool = False) -> PlanChange:
    """Bring the slots in line with the plan (none unless approved)."""
    db.session.flush()
    tables = list(db.session.scalars(select(InterviewTable).where(
        InterviewTable.participation_id == participation.id)))
    wanted: dict[int, set] = {}
    if participation.is_approved:
        for table in tables:
            wanted[table.id] = set(plan.generate_slots(
                ((o.day, o.starts_at, o.ends_at) for o in table.openings),
                participation.slot_minutes, participation.pause_minutes, participation.edition.timezone))
    existing = db.session.execute(
        select(InterviewSlot.id, InterviewSlot.table_id, InterviewSlot.starts_at, InterviewSlot.ends_at)
        .join(InterviewTable).where(InterviewTable.participation_id == participation.id)).all()
    obsolete = []
    for slot_id, table_id, starts_at, ends_at in existing:
        key = (starts_at, ends_at)
        if key in wanted.get(table_id, ()):
            wanted[table_id].discard(key)
        else:
            obsolete.append(slot_id)
    change = _drop_slots(obsolete, actor=actor, confirm_cancel=confirm_cancel)
    rows = [{"table_id": table_id, "starts_at": start, "ends_at": end, "status": SLOT_FREE}
            for table_id, keys in wanted.items() for start, end in sorted(keys)]
    if rows:
        db.session.execute(insert(InterviewSlot), rows)
    change.added = len(rows)
    return change


def set_slot_blocked(slot: InterviewSlot, *, actor: User, blocked: bool) -> None:
    """A recruiter blocks a free slot (a break) or frees it again; a held slot stays as it is."""
    require_member(slot.table.participation.company_id, actor)
    if slot.is_held or plan_guard.booked_slot_ids(db.session, [slot.id]):
        raise PlanConflict(plan_guard.holds_on(db.session, [slot.id]))
    slot.status = SLOT_BLOCKED if blocked else SLOT_FREE
