"""The organiser's locks: interviews of a preview kept as they are when the scheduler runs again."""

from __future__ import annotations

from sqlalchemy import select

from jobday.accounts.models import User
from jobday.editions.models import Edition
from jobday.extensions import db
from jobday.scheduling import errors
from jobday.scheduling.models import RUN_PREVIEW, ScheduleAssignment, ScheduleRun
from jobday.security import Role


def previous_locks(edition: Edition) -> list[tuple[int, int]]:
    """The (candidate id, slot id) pairs locked in the edition's current preview."""
    run = db.session.scalar(
        select(ScheduleRun)
        .where(ScheduleRun.edition_id == edition.id, ScheduleRun.status == RUN_PREVIEW)
        .order_by(ScheduleRun.id.desc())
        .limit(1)
    )
    if run is None:
        return []
    return list(
        db.session.execute(
            select(ScheduleAssignment.candidate_id, ScheduleAssignment.slot_id).where(
                ScheduleAssignment.run_id == run.id, ScheduleAssignment.locked
            )
        )
    )


def set_locked(assignment: ScheduleAssignment, locked: bool, *, actor: User) -> None:
    if not actor.has_role(Role.ADMIN):
        raise errors.BookingNotFound()
    if assignment.run.status != RUN_PREVIEW:
        raise errors.RunNotReady()
    assignment.locked = locked
    db.session.flush()
