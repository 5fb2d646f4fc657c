"""Publication: every interview of the preview booked (any that a booking made since
contradicts is skipped), then each candidate and each company e-mailed their schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from jobday.accounts.models import User, UserRole
from jobday.candidates.models import Registration, RegistrationStatus
from jobday.companies.models import APPROVED, Company, Participation
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.extensions import db
from jobday.scheduling import booking as bookings
from jobday.scheduling import errors, notify, queries
from jobday.scheduling.models import RUN_PREVIEW, RUN_PUBLISHED, SOURCE_SCHEDULER, ScheduleAssignment, ScheduleRun, Wish
from jobday.security import Role


@dataclass
class Published:
    booked: int = 0
    skipped: int = 0
    candidates: int = 0
    companies: int = 0


def publish_run(
    run: ScheduleRun, *, actor: User | None, now: datetime | None = None, progress=None
) -> Published:
    """Book every interview of the preview (skipping any that a booking made since then
    contradicts) and e-mail each candidate and each company their schedule."""
    now = now or utcnow()
    run = db.session.scalar(
        select(ScheduleRun)
        .where(ScheduleRun.id == run.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if run.status != RUN_PREVIEW:
        raise errors.RunNotReady()
    edition = db.session.get(Edition, run.edition_id)
    organiser = actor or _system_actor()
    result = Published()
    rows = list(
        db.session.scalars(
            select(ScheduleAssignment)
            .where(ScheduleAssignment.run_id == run.id)
            .order_by(ScheduleAssignment.candidate_id, ScheduleAssignment.slot_id)
        )
    )
    users = {
        u.id: u
        for u in db.session.scalars(
            select(User).where(User.id.in_({row.candidate_id for row in rows} or {0}))
        )
    }
    for done, row in enumerate(rows, start=1):
        try:
            bookings.book_slot(
                users[row.candidate_id],
                row.slot_id,
                actor=organiser,
                source=SOURCE_SCHEDULER,
                now=now,
                notify_candidate=False,
            )
            result.booked += 1
        except errors.DomainError:
            result.skipped += 1
        if progress and done % 100 == 0:
            progress(done, len(rows))
    run.status, run.published_at = RUN_PUBLISHED, now
    db.session.flush()
    _mail_schedules(edition, {row.candidate_id for row in rows}, result)
    return result


def _system_actor() -> User:
    """The CLI publishes as the first organiser account."""
    admin = db.session.scalar(select(User).join(UserRole).where(UserRole.role == str(Role.ADMIN)).limit(1))
    if admin is None:
        raise errors.RunNotReady(message="No organiser account exists to publish as.")
    return admin


def _mail_schedules(edition: Edition, candidate_ids: set[int], result: Published) -> None:
    registered = db.session.scalars(
        select(User)
        .join(Registration, Registration.user_id == User.id)
        .where(
            Registration.edition_id == edition.id,
            Registration.status == RegistrationStatus.REGISTERED,
            User.id.in_(select(Wish.candidate_id).where(Wish.edition_id == edition.id)),
        )
    )
    for user in registered:
        items = [
            {"starts_at": i.booking.starts_at, "company": i.company, "table": i.table, "stand": i.stand}
            for i in queries.agenda_items(user.id, edition.id)
        ]
        notify.schedule_published_candidate(user, edition, items)
        result.candidates += 1
    for participation, company in db.session.execute(
        select(Participation, Company)
        .join(Company, Company.id == Participation.company_id)
        .where(Participation.edition_id == edition.id, Participation.status == APPROVED)
    ).all():
        items = [
            {"starts_at": b.starts_at, "table": table, "candidate": b.candidate.display_name}
            for b, table in queries.company_bookings(participation.id)
        ]
        if not items:
            continue
        for recruiter in notify.company_recruiters(company.id):
            notify.schedule_published_company(recruiter, edition, company.name, items)
        result.companies += 1
