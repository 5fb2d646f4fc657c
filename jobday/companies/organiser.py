"""Organiser decisions on participations: approve, decline, stands."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from jobday import signals
from jobday.accounts.models import User
from jobday.companies.errors import AlreadyDecided, InvalidField, StandTaken
from jobday.companies.interview_plan import lock_participation, regenerate_slots
from jobday.companies.models import APPROVED, DECLINED, Participation
from jobday.db import utcnow
from jobday.errors import PermissionDenied
from jobday.extensions import db
from jobday.mail.services import queue_email
from jobday.security import Role


def _require_organiser(actor: User) -> None:
    if not actor.has_role(Role.ADMIN):
        raise PermissionDenied()


def normalise_stand(raw: str | None) -> str | None:
    stand = "".join((raw or "").split()).upper()
    if not stand:
        return None
    if len(stand) > 12 or not all(ch.isalnum() or ch in "-/." for ch in stand):
        raise InvalidField("stand", _l("A stand number has at most 12 letters and digits."))
    return stand


def _set_stand(participation: Participation, stand: str | None) -> None:
    if stand is not None:
        taken = db.session.scalar(select(Participation.id).where(
            Participation.edition_id == participation.edition_id, Participation.stand == stand,
            Participation.id != participation.id))
        if taken is not None:
            raise StandTaken(stand)
    participation.stand = stand
    try:
        db.session.flush()
    except IntegrityError:
        raise StandTaken(stand or "") from None


def decide_participation(participation_id: int, *, approve: bool, actor: User, message: str = "",
                         stand: str | None = None) -> Participation:
    """Approve (slots are generated) or decline (free slots go; booked ones block it).

    The row is locked, so two organisers deciding at once leave one decision: the second
    finds it taken. The company's administrators are told by e-mail, each in their language."""
    _require_organiser(actor)
    stand = normalise_stand(stand)
    participation = lock_participation(participation_id)
    status = APPROVED if approve else DECLINED
    if participation.status == status:
        raise AlreadyDecided(_l("This company is already approved.") if approve
                             else _l("This company is already declined."))
    participation.status = status
    participation.decision_message = (message or "").strip()
    participation.decided_at = utcnow()
    participation.decided_by_id = actor.id
    _set_stand(participation, stand if approve else None)
    regenerate_slots(participation, actor=actor)
    edition = participation.edition
    if approve:
        subject = _l("Your participation in %(edition)s is approved", edition=edition.name)
        template = "companies/participation_approved"
    else:
        subject = _l("Your participation in %(edition)s", edition=edition.name)
        template = "companies/participation_declined"
    for member in participation.company.admins:
        queue_email(to=member.user.email, locale=member.user.locale, subject=subject, template=template,
                    user=member.user, participation=participation, company=participation.company,
                    edition=edition)
    # The audit log records the decision; badges are issued to the recruiters of an approved company.
    signals.participation_decided.send(current_app._get_current_object(), actor=actor,
                                       participation_id=participation.id, approved=approve)
    return participation


def assign_stand(participation_id: int, stand: str | None, *, actor: User) -> Participation:
    _require_organiser(actor)
    stand = normalise_stand(stand)
    participation = lock_participation(participation_id)
    if stand is not None and participation.status != APPROVED:
        raise InvalidField("stand", _l("Approve the company before assigning a stand."))
    _set_stand(participation, stand)
    return participation
