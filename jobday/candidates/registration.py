"""Registration to an edition: the window, the capacity, and the waiting list.

Every change to an edition's registrations first locks the edition row
(``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite a writing request already holds the
database through ``BEGIN IMMEDIATE``), so counting places and taking one cannot be
interleaved with another request doing the same.

Places are held by ``registered`` and ``offered`` rows. When a place frees, the first
``waitlisted`` candidate (by ``waitlisted_at``, then id) gets an ``offered`` status with a
deadline; an offer not confirmed in time becomes ``expired`` and the place passes on.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError

from jobday.accounts.models import User
from jobday.candidates.models import ACTIVE, PLACE_HOLDING, Registration, RegistrationStatus
from jobday.candidates.profile_summary import profile_summary
from jobday.candidates.services import check_password_again, profile_is_complete
from jobday.candidates.signals import registration_confirmed, registration_withdrawn
from jobday.db import utcnow
from jobday.driver_sql import DriverStatement
from jobday.editions.models import Edition
from jobday.editions.services import local_datetime
from jobday.errors import DomainError, PermissionDenied
from jobday.extensions import db
from jobday.mail.models import OutboundEmail
from jobday.mail.services import queue_email
from jobday.security import Role

Status = RegistrationStatus


class RegistrationNotOpenYet(DomainError):
    code = "registration_not_open"
    message = _l("Registration for this edition is not open yet.")


class RegistrationClosed(DomainError):
    code = "registration_closed"
    message = _l("Registration for this edition is closed.")


class AlreadyRegistered(DomainError):
    code = "already_registered"
    message = _l("You are already registered for this edition.")


class EditionFull(DomainError):
    code = "edition_full"
    message = _l("There are no places left. You can join the waiting list.")


class ProfileIncomplete(DomainError):
    code = "profile_incomplete"
    message = _l("Please complete your profile before registering.")


class EmailNotConfirmed(DomainError):
    code = "email_not_confirmed"
    message = _l("Please confirm your e-mail address before registering: open the link we sent you.")


class NotRegistered(DomainError):
    code = "not_registered"
    message = _l("You are not registered for this edition.")


class OfferNotAvailable(DomainError):
    code = "offer_not_available"
    message = _l("This place is no longer offered to you: the time to confirm it has passed.")


class WithdrawalClosed(DomainError):
    code = "withdrawal_closed"
    message = _l("This edition is over: the registration can no longer be changed.")


# --- reading ---------------------------------------------------------------------------

_REGISTRATION = select(Registration).where(Registration.user_id == bindparam("user_id"),
                                           Registration.edition_id == bindparam("edition_id"))


def get_registration(user: User, edition: Edition) -> Registration | None:
    return db.session.scalar(_REGISTRATION, {"user_id": user.id, "edition_id": edition.id})


# What the registration page shows of a registration: its status, a plain row from the driver.
_SHOWN_STATUS = DriverStatement(select(Registration.status).where(
    Registration.user_id == bindparam("user_id"), Registration.edition_id == bindparam("edition_id")))


def shown_registration(user: User, edition: Edition):
    """The user's registration for the edition as a row with its ``status`` only, None when
    they never registered."""
    return _SHOWN_STATUS.session_first(user_id=user.id, edition_id=edition.id)


def is_active(registration) -> bool:
    """Registered, in line or offered a place (``Registration.is_active``, of a row too)."""
    return registration is not None and registration.status in ACTIVE


def places_taken(edition: Edition) -> int:
    return db.session.scalar(select(func.count(Registration.id)).where(
        Registration.edition_id == edition.id, Registration.status.in_(PLACE_HOLDING))) or 0


def places_left(edition: Edition) -> int | None:
    """None when the edition has no cap."""
    if edition.capacity is None:
        return None
    return max(edition.capacity - places_taken(edition), 0)


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != Status.WAITLISTED:
        return None
    ahead = db.session.scalar(select(func.count(Registration.id)).where(
        Registration.edition_id == registration.edition_id, Registration.status == Status.WAITLISTED,
        (Registration.waitlisted_at < registration.waitlisted_at)
        | ((Registration.waitlisted_at == registration.waitlisted_at) & (Registration.id < registration.id))))
    return (ahead or 0) + 1


# Asked by every candidate's page before it reads anything else (nothing to flush): built once
# and sent to the driver (finding the statement in SQLAlchemy's cache cost more than running it).
_OFFER_DUE = DriverStatement(select(Registration.id).where(
    Registration.status == Status.OFFERED, Registration.offer_expires_at <= bindparam("now")).limit(1))
_OFFER_DUE_AT = DriverStatement(select(Registration.id).where(
    Registration.status == Status.OFFERED, Registration.offer_expires_at <= bindparam("now"),
    Registration.edition_id == bindparam("edition_id")).limit(1))


def offers_due(now: datetime | None = None, *, edition: Edition | None = None) -> bool:
    """Cheap read: is there an offer past its deadline (or a place waiting for the line)?"""
    now = now or utcnow()
    if edition is None:
        return _OFFER_DUE.session_scalar(now=now) is not None
    return _OFFER_DUE_AT.session_scalar(now=now, edition_id=edition.id) is not None


def check_window(edition: Edition, now: datetime) -> None:
    if edition.registration_opens_at is not None and now < edition.registration_opens_at:
        raise RegistrationNotOpenYet()
    if edition.registration_closes_at is not None and now >= edition.registration_closes_at:
        raise RegistrationClosed()


def _edition_over(edition: Edition, now: datetime) -> bool:
    return now >= local_datetime(edition, edition.ends_on + timedelta(days=1), time(0, 0))


def _offers_possible(edition: Edition, now: datetime) -> bool:
    """Places are offered from the line until the fair's first day begins."""
    return now < local_datetime(edition, edition.starts_on, time(0, 0))


def _lock(edition: Edition) -> None:
    db.session.execute(select(Edition.id).where(Edition.id == edition.id).with_for_update())


def _check_actor(user: User, actor: User) -> None:
    if actor.id != user.id and not actor.has_role(Role.ADMIN):
        raise PermissionDenied()


# --- registering -----------------------------------------------------------------------

def register_candidate(user: User, edition: Edition, *, actor: User, join_waitlist: bool = False,
                       now: datetime | None = None) -> Registration:
    """A place if one is free, else a place in line when ``join_waitlist``; else EditionFull."""
    _check_actor(user, actor)
    now = now or utcnow()
    check_window(edition, now)
    if not user.email_confirmed:
        raise EmailNotConfirmed()
    if not profile_is_complete(user, profile_summary(user.id)):
        raise ProfileIncomplete()
    _lock(edition)
    _expire_and_fill(edition, now)
    registration = get_registration(user, edition)
    if registration is not None and registration.is_active:
        raise AlreadyRegistered()
    left = places_left(edition)
    if left is not None and left <= 0 and not join_waitlist:
        raise EditionFull()
    if registration is None:
        registration = Registration(user=user, edition=edition, created_at=now)
    registration.withdrawn_at = registration.offered_at = registration.offer_expires_at = None
    if left is None or left > 0:
        registration.status = Status.REGISTERED
        registration.registered_at = now
    else:
        registration.status = Status.WAITLISTED
        registration.waitlisted_at = now
        registration.registered_at = None
    db.session.add(registration)
    try:
        db.session.flush()
    except IntegrityError as error:  # the same candidate, twice at once; the caller rolls back
        raise AlreadyRegistered() from error
    if registration.status == Status.REGISTERED:
        _mail_registered(registration)
    return registration


def confirm_offer(user: User, edition: Edition, *, actor: User, now: datetime | None = None) -> Registration:
    """The first in line takes the place offered to them, before the deadline."""
    _check_actor(user, actor)
    now = now or utcnow()
    _lock(edition)
    _expire_and_fill(edition, now)
    registration = get_registration(user, edition)
    if registration is None or registration.status != Status.OFFERED:
        raise OfferNotAvailable()
    registration.status = Status.REGISTERED
    registration.registered_at = now
    db.session.flush()
    _mail_registered(registration)
    return registration


def withdraw_registration(user: User, edition: Edition, *, actor: User, password: str,
                          now: datetime | None = None) -> Registration:
    """The candidate leaves the edition (password again); a held place goes to the line."""
    _check_actor(user, actor)
    check_password_again(actor, password)
    now = now or utcnow()
    if _edition_over(edition, now):
        raise WithdrawalClosed()
    _lock(edition)
    registration = get_registration(user, edition)
    if registration is None or not registration.is_active:
        raise NotRegistered()
    _withdraw(registration, now)
    _expire_and_fill(edition, now)
    queue_email(to=user.email,
                subject=_l("Your registration for %(edition)s is cancelled", edition=edition.name),
                template="candidates/withdrawal_confirmed", locale=user.locale, user=user, edition=edition)
    return registration


def withdraw_for_erasure(registration: Registration, *, now: datetime) -> None:
    """Account deletion: no e-mail (the address is about to go)."""
    edition = registration.edition
    _lock(edition)
    _withdraw(registration, now)
    _expire_and_fill(edition, now)


def _withdraw(registration: Registration, now: datetime) -> None:
    registration.status = Status.WITHDRAWN
    registration.withdrawn_at = now
    registration.offer_expires_at = None
    db.session.flush()
    registration_withdrawn.send(registration, now=now)


# --- the waiting list ------------------------------------------------------------------

def expire_waitlist_offers(now: datetime | None = None, *, edition: Edition | None = None) -> int:
    """Offers past their deadline expire and their places pass to the next in line.

    Run by ``flask candidates expire-offers`` (and a scheduled job later), and lazily
    whenever the waiting list is touched. Returns how many offers expired.
    """
    now = now or utcnow()
    query = select(Registration.edition_id).where(
        Registration.status == Status.OFFERED, Registration.offer_expires_at <= now).distinct()
    if edition is not None:
        query = query.where(Registration.edition_id == edition.id)
    expired = 0
    for edition_id in list(db.session.scalars(query)):
        target = db.session.get(Edition, edition_id)
        _lock(target)
        expired += _expire_and_fill(target, now)
    return expired


def fill_free_places(edition: Edition, *, now: datetime | None = None) -> list[Registration]:
    """Offer each free place to the next in line (e.g. after the capacity was raised)."""
    now = now or utcnow()
    _lock(edition)
    return _fill(edition, now)


def _expire_and_fill(edition: Edition, now: datetime) -> int:
    """Caller holds the edition lock."""
    stale = list(db.session.scalars(select(Registration).where(
        Registration.edition_id == edition.id, Registration.status == Status.OFFERED,
        Registration.offer_expires_at <= now)))
    for registration in stale:
        registration.status = Status.EXPIRED
    db.session.flush()
    _fill(edition, now)
    return len(stale)


def _fill(edition: Edition, now: datetime) -> list[Registration]:
    if not _offers_possible(edition, now):
        return []
    query = (select(Registration).where(Registration.edition_id == edition.id,
                                        Registration.status == Status.WAITLISTED)
             .order_by(Registration.waitlisted_at, Registration.id))
    left = places_left(edition)
    if left is not None:
        if left <= 0:
            return []
        query = query.limit(left)
    offered = list(db.session.scalars(query))
    for registration in offered:
        registration.status = Status.OFFERED
        registration.offered_at = now
        registration.offer_expires_at = now + timedelta(hours=edition.waitlist_offer_hours)
    db.session.flush()
    for registration in offered:
        user = registration.user
        queue_email(to=user.email, subject=_l("A place is free for you at %(edition)s", edition=edition.name),
                    template="candidates/waitlist_offer", locale=user.locale, user=user, edition=edition,
                    registration=registration)
    return offered


def _mail_registered(registration: Registration) -> None:
    """The confirmation e-mail, carrying what the features above attach to it (the badge).

    One e-mail per confirmation: its dedup key names the registration and the moment it
    was confirmed, so a second call for the same confirmation queues nothing, while a
    candidate who withdraws and registers again is told again (with their new badge)."""
    user, edition = registration.user, registration.edition
    key = f"registration-confirmed:{registration.id}:{registration.registered_at:%Y%m%dT%H%M%S%f}"
    if db.session.scalar(select(OutboundEmail.id).where(OutboundEmail.dedup_key == key)) is not None:
        return
    replies = registration_confirmed.send(registration, now=registration.registered_at)
    attachments = [attachment for _receiver, found in replies for attachment in found or ()]
    queue_email(to=user.email,
                subject=_l("Your registration for %(edition)s is confirmed", edition=edition.name),
                template="candidates/registration_confirmed", locale=user.locale, user=user, edition=edition,
                dedup_key=key, attachments=attachments, attached=[name for name, _type, _data in attachments])
