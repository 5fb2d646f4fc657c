"""Invitations from a company to a candidate: to apply (or book), or to take one of its free
slots. A company invites the candidates met at its stand (who have not taken its access back)
and those who share their profile with every exhibitor. The candidate accepts (a slot is
booked through every booking rule: one place at a time, the gap, the caps) or declines.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from jobday.accounts.models import User
from jobday.candidates.consent import consent_granted
from jobday.candidates.models import ConsentKind, Registration, RegistrationStatus
from jobday.companies.access import require_member
from jobday.companies.models import Participation
from jobday.db import utcnow
from jobday.errors import NotFound
from jobday.extensions import db
from jobday.leads.errors import AlreadyInvited, InvalidLeadInput, InvitationClosed, NotAtTheFair, NotInvitable
from jobday.leads.models import InterviewInvitation, Lead
from jobday.leads.vocabulary import InvitationKind, InvitationSource, InvitationStatus
from jobday.mail.services import queue_email
from jobday.scheduling import errors as scheduling_errors
from jobday.scheduling.booking import book_slot
from jobday.scheduling.models import SOURCE_INVITATION, Booking
from jobday.scheduling.waitlist import free_future_slots

MESSAGE_MAX = 1000


def lead_of(candidate_id: int, participation: Participation) -> Lead | None:
    """The company's lead on the candidate at the participation's edition, if any."""
    return db.session.scalar(select(Lead).where(Lead.edition_id == participation.edition_id,
                                                Lead.company_id == participation.company_id,
                                                Lead.candidate_id == candidate_id))


def source_for(candidate_id: int, participation: Participation) -> InvitationSource | None:
    """Why the company may invite this candidate: a lead it holds, or the candidate's consent
    to share with every exhibitor (while registered); None when it may not."""
    lead = lead_of(candidate_id, participation)
    if lead is not None:
        return None if lead.is_withdrawn or lead.candidate.is_disabled else InvitationSource.LEAD
    candidate = db.session.get(User, candidate_id)
    registered = db.session.scalar(select(Registration.id).where(
        Registration.user_id == candidate_id, Registration.edition_id == participation.edition_id,
        Registration.status == RegistrationStatus.REGISTERED))
    if (candidate is None or candidate.is_disabled or registered is None
            or not consent_granted(candidate_id, ConsentKind.SHARE_WITH_ALL_EXHIBITORS)):
        return None
    return InvitationSource.MATCH


def pending_invitation(candidate_id: int, participation_id: int) -> InterviewInvitation | None:
    return db.session.scalar(select(InterviewInvitation).where(
        InterviewInvitation.candidate_id == candidate_id, InterviewInvitation.participation_id == participation_id,
        InterviewInvitation.status == InvitationStatus.PENDING))


def invite(candidate_id: int, participation: Participation, *, actor: User, kind: str, slot_id: int | None = None,
           message: str = "", now: datetime | None = None) -> InterviewInvitation:
    now = now or utcnow()
    require_member(participation.company_id, actor)
    if not participation.is_approved:
        raise NotAtTheFair()
    source = source_for(candidate_id, participation)
    if source is None:
        raise NotInvitable()
    if kind not in set(InvitationKind):
        raise InvalidLeadInput("kind", _l("Choose what to propose."))
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise InvalidLeadInput("message", _l("At most %(n)d characters, please.", n=MESSAGE_MAX))
    if kind == InvitationKind.SLOT:
        if slot_id not in {slot.id for slot in free_future_slots(participation.id, now)}:
            raise scheduling_errors.SlotTaken()
    else:
        slot_id = None
    if pending_invitation(candidate_id, participation.id) is not None:
        raise AlreadyInvited()
    invitation = InterviewInvitation(
        edition_id=participation.edition_id, participation_id=participation.id, candidate_id=candidate_id,
        kind=str(kind), source=str(source), slot_id=slot_id, message=message, status=InvitationStatus.PENDING,
        created_by_id=actor.id, created_at=now)
    db.session.add(invitation)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:  # a colleague invited the same candidate at the same moment
        raise AlreadyInvited() from error
    _tell_candidate(invitation)
    return invitation


def _tell_candidate(invitation: InterviewInvitation) -> None:
    candidate, company = invitation.candidate, invitation.participation.company
    queue_email(to=candidate.email, locale=candidate.locale, template="leads/invitation",
                subject=_l("%(company)s invites you to an interview", company=company.name),
                user=candidate, company=company.name, invitation=invitation,
                starts_at=invitation.slot.starts_at if invitation.slot else None)


def invitation_for_candidate(invitation_id: int, actor: User) -> InterviewInvitation:
    invitation = db.session.get(InterviewInvitation, invitation_id)
    if invitation is None or invitation.candidate_id != actor.id:
        raise NotFound()
    return invitation


def answer_invitation(invitation: InterviewInvitation, *, actor: User, accept: bool,
                      now: datetime | None = None) -> Booking | None:
    """Decline, or accept: an invitation to apply is accepted (the candidate goes on to the
    company's page); a slot is booked for the candidate, or the booking rule's refusal is
    raised and the invitation stays open."""
    now = now or utcnow()
    if invitation.candidate_id != actor.id:
        raise NotFound()
    invitation = db.session.scalar(select(InterviewInvitation).where(InterviewInvitation.id == invitation.id)
                                   .with_for_update().execution_options(populate_existing=True))
    if invitation.status != InvitationStatus.PENDING:
        raise InvitationClosed()
    booking = None
    if accept and invitation.kind == InvitationKind.SLOT:
        if invitation.slot_id is None:
            raise scheduling_errors.SlotTaken()
        booking = book_slot(actor, invitation.slot_id, actor=actor, source=SOURCE_INVITATION, now=now)
    invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    invitation.answered_at = now
    db.session.flush()
    return booking


def cancel_pending(candidate_id: int, company_id: int, *, now: datetime | None = None) -> int:
    """The company's waiting invitations to the candidate end (the candidate took its access
    back, or was erased); how many."""
    participation_ids = select(Participation.id).where(Participation.company_id == company_id)
    result = db.session.execute(
        update(InterviewInvitation)
        .where(InterviewInvitation.candidate_id == candidate_id, InterviewInvitation.status == InvitationStatus.PENDING,
               InterviewInvitation.participation_id.in_(participation_ids))
        .values(status=InvitationStatus.CANCELLED, answered_at=now or utcnow()))
    return result.rowcount

