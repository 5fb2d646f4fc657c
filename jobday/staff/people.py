"""People: search and filter, a person's record, and the organiser's actions on a person.

The list is one COUNT and one page query (roles and the edition's registration status
come in the same row); the record loads each kind of thing once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import selectinload

from jobday.accounts.models import User, UserRole
from jobday.badges.models import Badge
from jobday.candidates.consent import current_choices, users_granting
from jobday.candidates.models import (
    CandidateJobArea,
    CandidateProfile,
    ConsentKind,
    Registration,
)
from jobday.collation import collated, fold, like_folded
from jobday.companies.models import Company, CompanyMember, Participation
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.errors import DomainError, NotFound
from jobday.extensions import db
from jobday.scheduling.models import Booking
from jobday.security import Role
from jobday.staff import checkin_bridge
from jobday.staff.audit import record_audit

PAGE_SIZE = 50


class CannotDropOwnAdmin(DomainError):
    code = "cannot_drop_own_admin"
    message = _l("You cannot remove your own organiser role.")


class UnknownRole(DomainError):
    code = "unknown_role"
    message = _l("Choose roles from the list.")


class NotActiveRegistration(DomainError):
    code = "not_registered"
    message = _l("This person has no active registration for this edition.")


class NothingToResend(DomainError):
    code = "nothing_to_resend"
    message = _l("There is nothing of this kind to send to this person.")


@dataclass
class PeopleFilter:
    q: str = ""
    role: str = ""
    status: str = ""  # registration status at the edition
    level: str = ""
    area: str = ""
    consent: str = ""
    page: int = 1


@dataclass
class PersonRow:
    id: int
    first_name: str
    last_name: str
    email: str
    status: str | None
    level: str | None
    roles: list[str] = field(default_factory=list)


def _filtered(filters: PeopleFilter, edition: Edition | None) -> Select:
    statement = select(User.id).where(User.is_disabled.is_(False))
    for word in fold(filters.q).split()[:4]:  # every word, in the names or the address, accents aside
        statement = statement.where(User.search_key.like(like_folded(word), escape="\\"))
    if filters.role in {str(role) for role in Role}:
        statement = statement.where(exists().where(UserRole.user_id == User.id, UserRole.role == filters.role))
    if filters.status and edition is not None:
        statement = statement.where(exists().where(Registration.user_id == User.id,
                                                   Registration.edition_id == edition.id,
                                                   Registration.status == filters.status))
    if filters.level:
        statement = statement.where(exists().where(CandidateProfile.user_id == User.id,
                                                   CandidateProfile.education_level == filters.level))
    if filters.area:
        statement = statement.where(exists().where(CandidateJobArea.user_id == User.id,
                                                   CandidateJobArea.area == filters.area))
    if filters.consent == "all_exhibitors":
        statement = statement.where(User.id.in_(users_granting(ConsentKind.SHARE_WITH_ALL_EXHIBITORS)))
    elif filters.consent == "applied":
        statement = statement.where(User.id.in_(users_granting(ConsentKind.SHARE_WITH_APPLIED)))
    elif filters.consent == "none":
        statement = statement.where(User.id.not_in(users_granting(ConsentKind.SHARE_WITH_ALL_EXHIBITORS)),
                                    User.id.not_in(users_granting(ConsentKind.SHARE_WITH_APPLIED)))
    return statement


def search_people(filters: PeopleFilter, edition: Edition | None) -> tuple[list[PersonRow], int]:
    """One page of people and the total: two queries (roles aggregated in the page query)."""
    ids = _filtered(filters, edition).subquery()
    total = db.session.scalar(select(func.count()).select_from(ids))
    roles = (select(UserRole.user_id, func.min(UserRole.role).label("r1"), func.max(UserRole.role).label("r2"),
                    func.count().label("n"))
             .group_by(UserRole.user_id).subquery())
    status = (Registration.status if edition is not None else None)
    columns = [User.id, User.first_name, User.last_name, User.email, CandidateProfile.education_level,
               roles.c.r1, roles.c.r2, roles.c.n]
    statement = select(*columns).join(ids, ids.c.id == User.id)
    statement = statement.outerjoin(CandidateProfile, CandidateProfile.user_id == User.id)
    statement = statement.outerjoin(roles, roles.c.user_id == User.id)
    if edition is not None:
        statement = statement.add_columns(status).outerjoin(
            Registration, (Registration.user_id == User.id) & (Registration.edition_id == edition.id))
    page = max(1, filters.page)
    rows = db.session.execute(statement.order_by(collated(User.last_name), collated(User.first_name), User.id)
                              .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    people = []
    for row in rows:
        held = [r for r in (row.r1, row.r2) if r]
        people.append(PersonRow(row.id, row.first_name, row.last_name, row.email,
                                row.status if edition is not None else None, row.education_level,
                                sorted(set(held)) + (["…"] if (row.n or 0) > 2 else [])))
    return people, total or 0


@dataclass
class PersonRecord:
    user: User
    profile: CandidateProfile | None
    consents: dict[str, bool]
    registrations: list[Registration]
    bookings: list[Booking]
    badges: list[Badge]
    company: Company | None
    scans: list = field(default_factory=list)
    scans_available: bool = False


def person_record(user_id: int) -> PersonRecord:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    registrations = list(db.session.scalars(
        select(Registration).where(Registration.user_id == user.id)
        .options(selectinload(Registration.edition)).order_by(Registration.id.desc())))
    bookings = list(db.session.scalars(
        select(Booking).where(Booking.candidate_id == user.id)
        .options(selectinload(Booking.participation).selectinload(Participation.company))
        .order_by(Booking.starts_at)))
    badges = list(db.session.scalars(select(Badge).where(Badge.user_id == user.id)
                                     .options(selectinload(Badge.edition)).order_by(Badge.id.desc())))
    company = db.session.scalar(select(Company).join(CompanyMember).where(CompanyMember.user_id == user.id))
    record = PersonRecord(user=user, profile=db.session.get(CandidateProfile, user.id),
                          consents=current_choices(user.id), registrations=registrations, bookings=bookings,
                          badges=badges, company=company)
    scan = checkin_bridge.scan_model()
    if scan is not None:
        record.scans_available = True
        badge_ids = [badge.id for badge in badges]
        if badge_ids:
            record.scans = list(db.session.scalars(select(scan).where(scan.badge_id.in_(badge_ids))
                                                   .order_by(scan.id.desc()).limit(50)))
    return record


# --- actions -----------------------------------------------------------------------------

def change_roles(user: User, roles: set[str], *, actor: User) -> tuple[set[str], set[str]]:
    """Give exactly ``roles``; a removed role ends the person's sessions. Returns (added, removed)."""
    known = {str(role) for role in Role}
    if not roles <= known:
        raise UnknownRole()
    if user.id == actor.id and str(Role.ADMIN) not in roles:
        raise CannotDropOwnAdmin()
    held = {str(role) for role in user.roles}
    added, removed = roles - held, held - roles
    for role in added:
        user.add_role(Role(role))
    for role in removed:
        user.remove_role(Role(role))
    if removed:
        user.end_all_sessions()
    if added or removed:
        detail = ",".join([f"+{r}" for r in sorted(added)] + [f"-{r}" for r in sorted(removed)])
        record_audit("role_change", actor=actor, object_type="user", object_id=user.id, detail=detail)
    db.session.flush()
    return added, removed


def withdraw_for_candidate(user: User, edition: Edition, *, actor: User) -> Registration:
    """The organiser withdraws a registration (no password: the candidate asked by phone or
    mail); the place goes to the waiting list and the candidate is told by e-mail."""
    from jobday.candidates.registration import get_registration, withdraw_for_erasure
    from jobday.mail.services import queue_email

    registration = get_registration(user, edition)
    if registration is None or not registration.is_active:
        raise NotActiveRegistration()
    withdraw_for_erasure(registration, now=utcnow())
    queue_email(to=user.email, subject=_l("Your registration for %(edition)s is cancelled", edition=edition.name),
                template="candidates/withdrawal_confirmed", locale=user.locale, user=user, edition=edition)
    record_audit("registration_withdraw", actor=actor, object_type="registration", object_id=registration.id)
    return registration


def takes_part(user: User, edition: Edition) -> bool:
    """Whether the person should hold a badge of the edition (a read: no badge is issued)."""
    from jobday.badges.holders import holder

    return holder(user, edition) is not None


class NotTakingPart(DomainError):
    code = "not_taking_part"
    message = _l("This person does not take part in this edition: no badge to issue.")


def issue_person_badge(user: User, edition: Edition, *, actor: User) -> Badge:
    """The badge of someone taking part (registered, recruiter of an approved company, staff)."""
    from jobday.badges.services import ensure_badge

    badge = ensure_badge(user, edition, actor=actor)
    if badge is None:
        raise NotTakingPart()
    return badge


def reissue_person_badge(badge: Badge, *, reason: str, actor: User) -> Badge:
    from jobday.badges.services import reissue_badge

    replacement = reissue_badge(badge, reason=reason, actor=actor)
    record_audit("badge_reissue", actor=actor, object_type="badge", object_id=badge.id,
                 detail=f"reason={reason};new={replacement.id}")
    return replacement


def resend_email(user: User, kind: str, edition: Edition | None, *, actor: User) -> None:
    """Send again the address confirmation link, or the badge (with the agenda) of the edition."""
    if kind == "confirmation":
        if user.email_confirmed or user.is_disabled:
            raise NothingToResend()
        from jobday.accounts.services import send_confirmation_email

        send_confirmation_email(user)
    elif kind == "badge":
        from jobday.badges.services import ensure_badge

        # Issued now if no print run made it yet: the person takes part, so they have a badge.
        badge = ensure_badge(user, edition, actor=actor) if edition is not None else None
        if badge is None:
            raise NothingToResend()
        from jobday.staff.reminders import queue_badge_email

        queue_badge_email(user, edition, badge)
    else:
        raise NothingToResend()
    record_audit("email_resend", actor=actor, object_type="user", object_id=user.id, detail=f"kind={kind}")
