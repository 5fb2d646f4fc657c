"""The wish window: candidates rank the companies they want to meet (up to the edition's
number) and say when they can be there; the fair scheduler reads both."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, select

from jobday.accounts.models import User
from jobday.candidates.models import RegistrationStatus
from jobday.companies.models import APPROVED, Participation
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.editions.services import window_is_open
from jobday.extensions import db
from jobday.scheduling import booking as bookings
from jobday.scheduling import errors
from jobday.scheduling.models import AVAILABLE_ALL, Availability, Wish

PERIODS = (AVAILABLE_ALL, "morning", "afternoon")


def wish_window_open(edition: Edition, now: datetime | None = None) -> bool:
    if edition.wishes_open_at is None:
        return False
    return window_is_open(edition.wishes_open_at, edition.wishes_close_at, now)


_WISHES_OF = (select(Wish)  # built once
              .where(Wish.candidate_id == bindparam("candidate_id"), Wish.edition_id == bindparam("edition_id"))
              .order_by(Wish.rank))


def wishes_of(candidate_id: int, edition_id: int) -> list[Wish]:
    return list(db.session.scalars(_WISHES_OF, {"candidate_id": candidate_id, "edition_id": edition_id}))


def availability_of(candidate_id: int, edition_id: int) -> str:
    row = db.session.get(Availability, (edition_id, candidate_id))
    return row.period if row else AVAILABLE_ALL


def set_wishes(
    candidate: User,
    edition: Edition,
    participation_ids: list[int],
    *,
    actor: User,
    period: str = AVAILABLE_ALL,
    now: datetime | None = None,
) -> list[Wish]:
    """Replace the candidate's ranked list (first = rank 1)."""
    now = now or utcnow()
    if actor.id != candidate.id:
        raise errors.BookingNotFound()
    if not wish_window_open(edition, now):
        raise errors.WishWindowClosed()
    registration = bookings.lock_registration(candidate.id, edition.id)
    if registration is None or registration.status != RegistrationStatus.REGISTERED:
        raise errors.NotRegistered()
    ids = list(dict.fromkeys(pid for pid in participation_ids if pid))
    if len(ids) != len([pid for pid in participation_ids if pid]):
        raise errors.InvalidInput("wishes", _l("Each company can appear only once in your list."))
    if len(ids) > edition.max_wishes:
        raise errors.InvalidInput("wishes", _l("At most %(n)d companies, please.", n=edition.max_wishes))
    if period not in PERIODS:
        raise errors.InvalidInput("period", _l("Choose when you can come."))
    approved = set(
        db.session.scalars(
            select(Participation.id).where(
                Participation.edition_id == edition.id,
                Participation.status == APPROVED,
                Participation.id.in_(ids),
            )
        )
    )
    if set(ids) - approved:
        raise errors.InvalidInput("wishes", _l("Choose among the companies taking part in this edition."))
    db.session.execute(delete(Wish).where(Wish.candidate_id == candidate.id, Wish.edition_id == edition.id))
    wishes = [
        Wish(
            edition_id=edition.id, candidate_id=candidate.id, participation_id=pid, rank=rank, created_at=now
        )
        for rank, pid in enumerate(ids, start=1)
    ]
    db.session.add_all(wishes)
    row = db.session.get(Availability, (edition.id, candidate.id))
    if row is None:
        db.session.add(Availability(edition_id=edition.id, candidate_id=candidate.id, period=period))
    else:
        row.period = period
    db.session.flush()
    return wishes
