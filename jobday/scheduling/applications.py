"""Apply and accept: candidates apply to a company (or one of its offers), recruiters decide,
shortlist, and may propose a slot that the candidate confirms.

What a recruiter may see of an applicant's profile and CV is asked of the candidates'
consent rule (``can_share_profile_with_company``) at every view, so a withdrawn consent
takes effect at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, delete, literal, select, type_coerce, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from jobday.accounts.models import User
from jobday.candidates.consent import can_share_profile_with_company, profiles_shared_with_companies
from jobday.candidates.models import Registration, RegistrationStatus
from jobday.collation import collated
from jobday.companies.access import require_member
from jobday.companies.models import APPLY_BOOKING, JobOffer, Participation
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


def application_of(candidate_id: int, participation_id: int) -> Application | None:
    return db.session.scalar(
        select(Application).where(
            Application.candidate_id == candidate_id, Application.participation_id == participation_id
        )
    )


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


def shortlisted_ids(participation_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(Shortlist.candidate_id).where(Shortlist.participation_id == participation_id)
        )
    )


def profile_shared(candidate: User, participation: Participation, edition: Edition) -> bool:
    """May this company see the candidate's profile and CV now? (They applied, wished or booked.)"""
    involved = (
        application_of(candidate.id, participation.id) is not None
        or db.session.scalar(
            select(Booking.id).where(
                Booking.candidate_id == candidate.id,
                Booking.participation_id == participation.id,
                Booking.active,
            )
        )
        is not None
    )
    return can_share_profile_with_company(
        candidate, participation.company_id, edition, applied_or_booked=involved
    )


def profiles_shared_with(candidate_ids, edition: Edition) -> set[int]:
    """``profile_shared`` for candidates who all applied to or booked with the company."""
    return profiles_shared_with_companies(candidate_ids, edition, applied_or_booked=True)


# --- the recruiter's list -------------------------------------------------------------------


@dataclass
class ApplicantRow:
    application: Application
    candidate: User
    shared: bool
    shortlisted: bool
    education_level: str | None
    job_areas: list[str]


LEVEL_ORDER = {"cess": 0, "bachelor": 1, "master": 2, "phd": 3, "other": 4}


def applicants(
    participation: Participation,
    *,
    actor: User,
    status: str = "",
    level: str = "",
    area: str = "",
    sort: str = "newest",
    shortlisted: set[int] | None = None,
) -> list[ApplicantRow]:
    """The company's applicants with what it may see of them; filters apply only to what
    the candidate shares (a hidden profile is never filtered on)."""
    from jobday.candidates.models import CandidateProfile

    require_member(participation.company_id, actor)
    query = (
        select(Application, User, CandidateProfile)
        .join(User, User.id == Application.candidate_id)
        .join(CandidateProfile, CandidateProfile.user_id == User.id, isouter=True)
        .join(
            Registration,
            (Registration.user_id == User.id) & (Registration.edition_id == participation.edition_id),
        )
        .where(
            Application.participation_id == participation.id,
            Registration.status == RegistrationStatus.REGISTERED,
        )
    )
    if status:
        query = query.where(Application.status == status)
    short = shortlisted_ids(participation.id) if shortlisted is None else shortlisted
    found = db.session.execute(query).all()
    sharing = profiles_shared_with_companies(
        [user.id for _application, user, _profile in found], participation.edition, applied_or_booked=True
    )
    rows = []
    for application, user, profile in found:
        shared = user.id in sharing
        level_code = profile.education_level if (shared and profile) else None
        areas = profile.job_areas if (shared and profile) else []
        if level and level_code != level:
            continue
        if area and area not in areas:
            continue
        rows.append(ApplicantRow(application, user, shared, user.id in short, level_code, areas))
    if sort == "oldest":
        rows.sort(key=lambda r: (r.application.created_at, r.application.id))
    elif sort == "name":
        rows.sort(key=lambda r: (r.candidate.last_name.lower(), r.candidate.first_name.lower()))
    elif sort == "level":
        rows.sort(key=lambda r: (-LEVEL_ORDER.get(r.education_level or "", -1), r.application.id))
    else:
        rows.sort(key=lambda r: (r.application.created_at, r.application.id), reverse=True)
    return rows


@dataclass
class WishedRow:
    """A candidate who wished to meet the company, with what they share of their profile."""

    wish: Wish
    candidate: User
    shared: bool
    education_level: str | None
    job_areas: list[str]
    languages: list[str]


def wish_list(participation: Participation) -> list[WishedRow]:
    """The candidates who listed the company, by rank then name; level, job areas and languages
    of those who share their profile with it (for those who also applied here, their consent to
    share with the companies they apply to counts). Four queries, however many they are."""
    from jobday.candidates.models import CandidateJobArea, CandidateLanguage, CandidateProfile

    found = db.session.execute(
        select(Wish, User, CandidateProfile.education_level, Application.id)
        .join(User, User.id == Wish.candidate_id)
        .outerjoin(CandidateProfile, CandidateProfile.user_id == User.id)
        .outerjoin(Application, (Application.participation_id == Wish.participation_id)
                   & (Application.candidate_id == Wish.candidate_id))
        .where(Wish.participation_id == participation.id)
        .order_by(Wish.rank, collated(User.last_name), collated(User.first_name))
    ).all()
    applied = {user.id for _wish, user, _level, application_id in found if application_id is not None}
    shared = profiles_shared_with_companies([user.id for _wish, user, _level, _a in found], participation.edition,
                                            applied_or_booked=applied)
    areas: dict[int, list[str]] = {}
    languages: dict[int, list[str]] = {}
    if shared:
        details = db.session.execute(union_all(
            select(CandidateJobArea.user_id, literal("area").label("kind"),
                   type_coerce(CandidateJobArea.area, String).label("code"))
            .where(CandidateJobArea.user_id.in_(shared)),
            select(CandidateLanguage.user_id, literal("language"), type_coerce(CandidateLanguage.language, String))
            .where(CandidateLanguage.user_id.in_(shared)),
        )).all()
        for user_id, kind, code in sorted(details, key=lambda row: (row[0], row[1], row[2])):
            (areas if kind == "area" else languages).setdefault(user_id, []).append(code)
    return [WishedRow(wish, user, user.id in shared, level if user.id in shared else None,
                      areas.get(user.id, []), languages.get(user.id, []))
            for wish, user, level, _application_id in found]


def applications_of(candidate_id: int, edition_id: int) -> list[Application]:
    return list(
        db.session.scalars(
            select(Application)
            .where(Application.candidate_id == candidate_id, Application.edition_id == edition_id)
            .order_by(Application.created_at.desc())
            .options(
                selectinload(Application.participation).selectinload(Participation.company),
                selectinload(Application.proposed_slot),
                selectinload(Application.offer),
            )
        )
    )


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
