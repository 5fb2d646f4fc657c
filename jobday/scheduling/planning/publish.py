"""Publication: every interview of the preview booked (any that a booking made since
contradicts is skipped), then each candidate and each company e-mailed their schedule.

The steps are separate so that the worker's job (``jobs.publish_job``) can run them in short
transactions: ``begin_publication`` marks the run (no second publication can start), then
``book_rows`` books a batch of the preview's interviews, ``finish_publication`` marks the run
published, and ``mail_candidates`` / ``mail_companies`` e-mail a batch of people. Each e-mail
carries the key ``schedule:<run>:...``, so a publication resumed after a stop books and mails
only what is left. ``publish_run`` runs every step in the caller's one transaction (tests, small
editions). ``audience`` counts the people the publication will e-mail, for the confirmation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select

from jobday import signals
from jobday.accounts.models import User, UserRole
from jobday.candidates.models import Registration, RegistrationStatus
from jobday.companies.models import APPROVED, Company, CompanyMember, Participation
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.extensions import db
from jobday.mail.models import OutboundEmail
from jobday.scheduling import booking as bookings
from jobday.scheduling import booking_queries, errors, notify
from jobday.scheduling.models import (
    RUN_PREVIEW,
    RUN_PUBLISHED,
    RUN_PUBLISHING,
    SOURCE_SCHEDULER,
    Booking,
    ScheduleAssignment,
    ScheduleRun,
    Wish,
)
from jobday.security import Role


@dataclass
class Published:
    booked: int = 0
    skipped: int = 0
    candidates: int = 0
    companies: int = 0


@dataclass(frozen=True)
class Audience:
    """Who the publication e-mails: candidates with wishes, recruiters of the approved companies."""

    candidates: int
    recruiters: int

    @property
    def total(self) -> int:
        return self.candidates + self.recruiters


def rows_of(run: ScheduleRun) -> list[tuple[int, int]]:
    """The preview's interviews as (candidate id, slot id), in booking order."""
    return [tuple(row) for row in db.session.execute(
        select(ScheduleAssignment.candidate_id, ScheduleAssignment.slot_id)
        .where(ScheduleAssignment.run_id == run.id)
        .order_by(ScheduleAssignment.candidate_id, ScheduleAssignment.slot_id))]


def _locked_run(run_id: int) -> ScheduleRun:
    return db.session.scalar(select(ScheduleRun).where(ScheduleRun.id == run_id).with_for_update()
                             .execution_options(populate_existing=True))


def begin_publication(run: ScheduleRun, *, actor: User | None) -> ScheduleRun:
    """The preview is being published: no lock changes, no second publication."""
    if actor is not None and not actor.has_role(Role.ADMIN):
        raise errors.BookingNotFound()
    run = _locked_run(run.id)
    if run.status != RUN_PREVIEW:
        raise errors.RunNotReady()
    run.status = RUN_PUBLISHING
    db.session.flush()
    return run


def book_rows(rows: list[tuple[int, int]], *, actor: User, now: datetime) -> tuple[int, int]:
    """Book these interviews, each on its own savepoint; returns (booked, skipped). An interview
    already booked for this candidate in this slot (a resumed publication) counts as booked."""
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_({c for c, _s in rows} or {0})))}
    held = set(db.session.execute(select(Booking.candidate_id, Booking.slot_id).where(
        Booking.slot_id.in_({s for _c, s in rows} or {0}), Booking.active)).all())
    booked = skipped = 0
    for candidate_id, slot_id in rows:
        if (candidate_id, slot_id) in held:
            booked += 1
            continue
        try:
            with db.session.begin_nested():
                bookings.book_slot(users[candidate_id], slot_id, actor=actor, source=SOURCE_SCHEDULER, now=now,
                                   notify_candidate=False)
            booked += 1
        except errors.DomainError:
            skipped += 1
    return booked, skipped


def finish_publication(run: ScheduleRun, *, actor: User | None, result: Published, now: datetime) -> None:
    run = _locked_run(run.id)
    run.status, run.published_at = RUN_PUBLISHED, now
    db.session.flush()
    signals.schedule_published.send(current_app._get_current_object(), actor=actor, run_id=run.id,
                                     booked=result.booked, skipped=result.skipped)


def candidates_to_mail(edition_id: int, run_id: int | None = None) -> list[int]:
    """Registered candidates with wishes: each gets their schedule (maybe empty); and those
    the run gives an interview without a wish (the matching's suggestions)."""
    concerned = User.id.in_(select(Wish.candidate_id).where(Wish.edition_id == edition_id))
    if run_id is not None:
        concerned = concerned | User.id.in_(select(ScheduleAssignment.candidate_id)
                                            .where(ScheduleAssignment.run_id == run_id))
    return list(db.session.scalars(
        select(User.id).join(Registration, Registration.user_id == User.id)
        .where(Registration.edition_id == edition_id, Registration.status == RegistrationStatus.REGISTERED,
               concerned)
        .order_by(User.id)))


def companies_to_mail(edition_id: int) -> list[int]:
    return list(db.session.scalars(
        select(Participation.id).where(Participation.edition_id == edition_id, Participation.status == APPROVED)
        .order_by(Participation.id)))


def audience(edition_id: int, run_id: int | None = None) -> Audience:
    recruiters = db.session.scalar(
        select(func.count(func.distinct(CompanyMember.user_id)))
        .join(Participation, Participation.company_id == CompanyMember.company_id)
        .where(Participation.edition_id == edition_id, Participation.status == APPROVED))
    return Audience(candidates=len(candidates_to_mail(edition_id, run_id)), recruiters=recruiters or 0)


def _already_mailed(keys: list[str]) -> set[str]:
    return set(db.session.scalars(select(OutboundEmail.dedup_key).where(OutboundEmail.dedup_key.in_(keys or [""]))))


def mail_candidates(run: ScheduleRun, edition: Edition, user_ids: list[int], *, to: str | None = None) -> int:
    """E-mail these candidates their schedule (each once per run); ``to`` sends them elsewhere
    (the organiser's test, without a key)."""
    keys = {user_id: f"schedule:{run.id}:user:{user_id}" for user_id in user_ids}
    done = _already_mailed(list(keys.values())) if to is None else set()
    for user in db.session.scalars(select(User).where(User.id.in_(user_ids or [0])).order_by(User.id)):
        if keys[user.id] in done:
            continue
        items = [{"starts_at": i.booking.starts_at, "company": i.company, "table": i.table, "stand": i.stand}
                 for i in booking_queries.agenda_items(user.id, edition.id)]
        notify.schedule_published_candidate(user, edition, items, to=to,
                                            dedup_key=None if to else keys[user.id])
    return len(user_ids)


def mail_companies(run: ScheduleRun, edition: Edition, participation_ids: list[int]) -> int:
    """E-mail the recruiters of these companies their interviews; returns the companies mailed."""
    mailed = 0
    rows = db.session.execute(select(Participation.id, Company.id, Company.name)
                              .join(Company, Company.id == Participation.company_id)
                              .where(Participation.id.in_(participation_ids or [0])).order_by(Participation.id))
    for participation_id, company_id, company_name in rows.all():
        items = [{"starts_at": b.starts_at, "table": table, "candidate": b.candidate.display_name}
                 for b, table in booking_queries.company_bookings(participation_id)]
        if not items:
            continue
        recruiters = notify.company_recruiters(company_id)
        keys = {u.id: f"schedule:{run.id}:company:{company_id}:user:{u.id}" for u in recruiters}
        done = _already_mailed(list(keys.values()))
        for recruiter in recruiters:
            if keys[recruiter.id] not in done:
                notify.schedule_published_company(recruiter, edition, company_name, items,
                                                  dedup_key=keys[recruiter.id])
        mailed += 1
    return mailed


def publish_run(run: ScheduleRun, *, actor: User | None, now: datetime | None = None) -> Published:
    """Every step in the caller's transaction."""
    now = now or utcnow()
    run = begin_publication(run, actor=actor)
    organiser = actor or system_actor()
    result = Published()
    result.booked, result.skipped = book_rows(rows_of(run), actor=organiser, now=now)
    finish_publication(run, actor=actor, result=result, now=now)
    edition = db.session.get(Edition, run.edition_id)
    result.candidates = mail_candidates(run, edition, candidates_to_mail(edition.id, run.id))
    result.companies = mail_companies(run, edition, companies_to_mail(edition.id))
    return result


def send_test(run: ScheduleRun, *, to: str) -> User | None:
    """The e-mail one candidate of the preview will receive (the one with the most interviews),
    sent to ``to``: the organiser reads it before everyone gets theirs. None: nobody to show."""
    from jobday.companies.models import InterviewSlot, InterviewTable

    edition = db.session.get(Edition, run.edition_id)
    candidate_id = db.session.scalar(
        select(ScheduleAssignment.candidate_id).where(ScheduleAssignment.run_id == run.id)
        .group_by(ScheduleAssignment.candidate_id)
        .order_by(func.count().desc(), ScheduleAssignment.candidate_id).limit(1))
    if candidate_id is None:
        return None
    rows = db.session.execute(
        select(InterviewSlot.starts_at, Company.name, InterviewTable.name, Participation.stand)
        .join(ScheduleAssignment, ScheduleAssignment.slot_id == InterviewSlot.id)
        .join(InterviewTable, InterviewTable.id == InterviewSlot.table_id)
        .join(Participation, Participation.id == ScheduleAssignment.participation_id)
        .join(Company, Company.id == Participation.company_id)
        .where(ScheduleAssignment.run_id == run.id, ScheduleAssignment.candidate_id == candidate_id)
        .order_by(InterviewSlot.starts_at)).all()
    items = [{"starts_at": starts_at, "company": company, "table": table, "stand": stand or ""}
             for starts_at, company, table, stand in rows]
    user = db.session.get(User, candidate_id)
    notify.schedule_published_candidate(user, edition, items, to=to)
    return user


def system_actor() -> User:
    """The CLI publishes as the first organiser account."""
    admin = db.session.scalar(select(User).join(UserRole).where(UserRole.role == str(Role.ADMIN)).limit(1))
    if admin is None:
        raise errors.RunNotReady(message="No organiser account exists to publish as.")
    return admin
