"""Apply and accept: candidates apply to a company (or one of its offers), recruiters decide,
shortlist, and may propose a slot that the candidate confirms.

What a recruiter may see of an applicant's profile and CV is asked of the candidates'
consent rule (``can_share_profile_with_company``) at every view, so a withdrawn consent
takes effect at once.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, delete, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from jobday.accounts.models import User
from jobday.candidates.consent import (
    can_share_profile_with_company,
    profiles_shared_with_companies,
    shares_profile_with_company,
)
from jobday.candidates.models import RegistrationStatus
from jobday.companies.access import require_member
from jobday.companies.models import APPLY_BOOKING, Company, JobOffer, Participation
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.extensions import db
from jobday.scheduling import booking as bookings
from jobday.scheduling import errors, notify
from jobday.scheduling.availability import candidate_day
from jobday.scheduling.models import (
    APP_ACCEPTED,
    APP_DECLINED,
    APP_PENDING,
    SOURCE_PROPOSAL,
    Application,
    Booking,
    InterviewPolicy,
    Shortlist,
    Wish,
)

MOTIVATION_MAX = 2000
MESSAGE_MAX = 2000


_APPLICATION_OF = select(Application).where(Application.candidate_id == bindparam("candidate_id"),
                                            Application.participation_id == bindparam("participation_id"))


def application_of(candidate_id: int, participation_id: int) -> Application | None:
    return db.session.scalar(_APPLICATION_OF, {"candidate_id": candidate_id, "participation_id": participation_id})


_COMPANY_NAME_AND_APPLIED = select(
    Company.name,
    exists().where(Application.candidate_id == bindparam("candidate_id"),
                   Application.participation_id == bindparam("participation_id")),
).where(Company.id == bindparam("company_id"))


def company_name_and_applied(candidate_id: int, participation: Participation) -> tuple[str, bool]:
    """The apply page's heading and whether the candidate has applied there already (one row,
    not the ORM company and application)."""
    name, applied = db.session.execute(_COMPANY_NAME_AND_APPLIED, {
        "company_id": participation.company_id, "candidate_id": candidate_id,
        "participation_id": participation.id}).one()
    return name, bool(applied)


_OPEN_OFFER_TITLES: dict[str, Select] = {}


def open_offer_titles(company_id: int, order) -> list[tuple[int, str]]:
    """The company's open offers as (id, title) in ``order`` (the reader's, ``collated``): rows,
    not ORM offers with their job areas and languages. Built once per collation."""
    statement = _OPEN_OFFER_TITLES.get(order.right.collation)
    if statement is None:
        statement = _OPEN_OFFER_TITLES[order.right.collation] = (
            select(JobOffer.id, JobOffer.title)
            .where(JobOffer.company_id == bindparam("company_id"), JobOffer.closed_at.is_(None))
            .order_by(order))
    return [(offer_id, title) for offer_id, title in db.session.execute(statement, {"company_id": company_id})]


def apply_to_company(
    candidate: User,
    participation: Participation,
    *,
    actor: User,
    motivation: str,
    offer_id: int | None = None,
    now: datetime | None = None,
) -> Application:
    now = now or utcnow()
    if actor.id != candidate.id:
        raise errors.BookingNotFound()
    registration = bookings.lock_registration(candidate.id, participation.edition_id)
    if registration is None or registration.status != RegistrationStatus.REGISTERED:
        raise errors.NotRegistered()
    if not participation.is_approved:
        raise errors.CompanyNotApproved()
    if participation.booking_mode != APPLY_BOOKING:
        raise errors.NotApplyMode()
    motivation = (motivation or "").strip()
    if not motivation:
        raise errors.InvalidInput("motivation", _l("Tell the company in a few words why you apply."))
    if len(motivation) > MOTIVATION_MAX:
        raise errors.InvalidInput("motivation", _l("At most %(n)d characters, please.", n=MOTIVATION_MAX))
    if offer_id is not None:
        offer = db.session.get(JobOffer, offer_id)
        if offer is None or offer.company_id != participation.company_id or not offer.is_open:
            raise errors.InvalidInput("offer_id", _l("Choose one of this company's open offers."))
    if application_of(candidate.id, participation.id) is not None:
        raise errors.AlreadyApplied()
    application = Application(
        edition_id=participation.edition_id,
        participation_id=participation.id,
        candidate_id=candidate.id,
        offer_id=offer_id,
        motivation=motivation,
        status=APP_PENDING,
        created_at=now,
    )
    db.session.add(application)
    try:
        db.session.flush()
    except IntegrityError as error:
        raise errors.AlreadyApplied() from error
    notify.company_application(application)
    return application


# --- the recruiter's side ---------------------------------------------------------------------


def application_for_recruiter(application_id: int, actor: User) -> Application:
    """An application to the actor's company (404 otherwise)."""
    application = db.session.get(Application, application_id)
    if application is None:
        raise errors.BookingNotFound()
    require_member(application.participation.company_id, actor)
    return application


def decide_application(
    application: Application, *, actor: User, accept: bool, message: str = "", now: datetime | None = None
) -> Application:
    now = now or utcnow()
    require_member(application.participation.company_id, actor)
    application = db.session.scalar(
        select(Application)
        .where(Application.id == application.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if application.status != APP_PENDING:
        raise errors.AlreadyDecided()
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise errors.InvalidInput("message", _l("At most %(n)d characters, please.", n=MESSAGE_MAX))
    application.status = APP_ACCEPTED if accept else APP_DECLINED
    application.decision_message = message
    application.decided_at, application.decided_by_id = now, actor.id
    db.session.flush()
    notify.application_decided(application)
    return application


def propose_slot(application: Application, slot_id: int, *, actor: User, now: datetime | None = None) -> None:
    """Suggest one of the company's free slots to an accepted applicant."""
    now = now or utcnow()
    require_member(application.participation.company_id, actor)
    if application.status != APP_ACCEPTED:
        raise errors.ApplicationRequired()
    free = {slot.id: slot for slot in _free_slots(application.participation_id, now)}
    if slot_id not in free:
        raise errors.SlotTaken()
    if candidate_day(application.candidate_id, application.participation.edition).clash(free[slot_id]):
        raise errors.CandidateBusy()
    application.proposed_slot_id, application.proposed_at = slot_id, now
    db.session.flush()
    db.session.refresh(application, ["proposed_slot"])
    notify.slot_proposed(application)


def _free_slots(participation_id: int, now: datetime):
    from jobday.scheduling.waitlist import free_future_slots

    return free_future_slots(participation_id, now)


def confirm_proposal(application: Application, *, actor: User, now: datetime | None = None) -> Booking:
    """The candidate takes the proposed slot (through every booking rule)."""
    now = now or utcnow()
    if application.candidate_id != actor.id:
        raise errors.BookingNotFound()
    if application.status != APP_ACCEPTED or application.proposed_slot_id is None:
        raise errors.SlotUnavailable()
    slot_id = application.proposed_slot_id
    booking = bookings.book_slot(actor, slot_id, actor=actor, source=SOURCE_PROPOSAL, now=now)
    application.proposed_slot_id = application.proposed_at = None
    db.session.flush()
    return booking


def set_shortlisted(
    participation: Participation, candidate_id: int, *, actor: User, shortlisted: bool
) -> None:
    require_member(participation.company_id, actor)
    if not _candidate_known_to(participation, candidate_id):
        raise errors.BookingNotFound()
    exists = db.session.get(Shortlist, (participation.id, candidate_id))
    if shortlisted and exists is None:
        db.session.add(Shortlist(participation_id=participation.id, candidate_id=candidate_id))
    elif not shortlisted and exists is not None:
        db.session.execute(
            delete(Shortlist).where(
                Shortlist.participation_id == participation.id, Shortlist.candidate_id == candidate_id
            )
        )
    db.session.flush()


def _candidate_known_to(participation: Participation, candidate_id: int) -> bool:
    """A company may shortlist the candidates who applied to it or wished to meet it."""
    applied = application_of(candidate_id, participation.id) is not None
    wished = (
        db.session.scalar(
            select(Wish.id).where(
                Wish.participation_id == participation.id, Wish.candidate_id == candidate_id
            )
        )
        is not None
    )
    return applied or wished


_SHORTLISTED = select(Shortlist.candidate_id).where(Shortlist.participation_id == bindparam("participation_id"))


def shortlisted_ids(participation_id: int) -> set[int]:
    return set(db.session.scalars(_SHORTLISTED, {"participation_id": participation_id}))


def profile_shared(candidate: User, participation: Participation, edition: Edition, *,
                   applied: bool = False) -> bool:
    """May this company see the candidate's profile and CV now? (They applied or booked.)
    ``applied``: the caller holds their application to the company."""
    if applied:
        return can_share_profile_with_company(candidate, participation.company_id, edition, applied_or_booked=True)
    return bool(db.session.scalar(_SHARED_WITH_COMPANY, {
        "candidate_id": candidate.id, "participation_id": participation.id, "edition_id": edition.id}))


# The rule in one statement: whether they applied or booked is part of it, not asked before it.
_INVOLVED = or_(
    select(Application.id).where(Application.candidate_id == User.id,
                                 Application.participation_id == bindparam("participation_id")).exists(),
    select(Booking.id).where(Booking.candidate_id == User.id, Booking.participation_id == bindparam("participation_id"),
                             Booking.active).exists())
_SHARED_WITH_COMPANY = select(shares_profile_with_company(User.id, bindparam("edition_id"), applied_or_booked=_INVOLVED)
                              ).where(User.id == bindparam("candidate_id"))


def profiles_shared_with(candidate_ids, edition: Edition) -> set[int]:
    """``profile_shared`` for candidates who all applied to or booked with the company."""
    return profiles_shared_with_companies(candidate_ids, edition, applied_or_booked=True)


# Built once; the company, proposed slot and offer (each one row at most) joined in the same
# statement, the offer without its job areas and languages (the page shows its title).
_APPLICATIONS_OF = (
    select(Application)
    .where(Application.candidate_id == bindparam("candidate_id"), Application.edition_id == bindparam("edition_id"))
    .order_by(Application.created_at.desc())
    .options(
        joinedload(Application.participation).joinedload(Participation.company),
        joinedload(Application.proposed_slot),
        joinedload(Application.offer).lazyload(JobOffer.area_rows),
        joinedload(Application.offer).lazyload(JobOffer.language_rows),
    )
)


def applications_of(candidate_id: int, edition_id: int) -> list[Application]:
    return list(db.session.scalars(_APPLICATIONS_OF, {"candidate_id": candidate_id, "edition_id": edition_id}))


def set_interview_limit(participation: Participation, limit: int, *, actor: User) -> InterviewPolicy:
    """How many interviews one candidate may have with the company (default one)."""
    require_member(participation.company_id, actor)
    if not 1 <= limit <= 3:
        raise errors.InvalidInput("limit", _l("Choose between 1 and 3 interviews."))
    policy = db.session.get(InterviewPolicy, participation.id)
    if policy is None:
        policy = InterviewPolicy(participation_id=participation.id, max_per_candidate=limit)
        db.session.add(policy)
    policy.max_per_candidate = limit
    db.session.flush()
    return policy
