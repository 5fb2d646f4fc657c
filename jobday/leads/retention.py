"""Leads follow the candidate's data: an erased candidate's leads lose their notes and show
nobody (the name is erased with the account); a withdrawn registration ends the invitations
waiting for an answer; and leads go with the edition's data retention (the back-office purge
deletes them ``retention_data_months`` after the fair's last day, with their scans, tags and
history)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update

from jobday.db import utcnow
from jobday.extensions import db
from jobday.leads.models import InterviewInvitation, Lead
from jobday.leads.vocabulary import InvitationStatus


def _cancel_invitations(candidate_id: int, now: datetime, edition_id: int | None = None) -> None:
    query = (update(InterviewInvitation)
             .where(InterviewInvitation.candidate_id == candidate_id,
                    InterviewInvitation.status == InvitationStatus.PENDING))
    if edition_id is not None:
        query = query.where(InterviewInvitation.edition_id == edition_id)
    db.session.execute(query.values(status=InvitationStatus.CANCELLED, answered_at=now))


def erase_candidate_leads(user, *, now: datetime | None = None, **_extra) -> None:
    """Receiver of ``candidate_erased`` (the candidate's own deletion and the purge alike)."""
    now = now or utcnow()
    db.session.execute(update(Lead).where(Lead.candidate_id == user.id)
                       .values(note="", access_withdrawn_at=now, share_requested_at=None,
                               version=Lead.version + 1))
    _cancel_invitations(user.id, now)
    db.session.flush()


def end_invitations_of_withdrawn(registration, *, now: datetime | None = None, **_extra) -> None:
    """Receiver of ``registration_withdrawn``."""
    _cancel_invitations(registration.user_id, now or utcnow(), registration.edition_id)
    db.session.flush()


def lead_ids_of_editions(edition_ids: list[int]) -> list[int]:
    """The leads of these editions (those whose retention ran out, for the purge)."""
    if not edition_ids:
        return []
    return list(db.session.scalars(select(Lead.id).where(Lead.edition_id.in_(edition_ids)).order_by(Lead.id)))


def delete_leads(lead_ids: list[int]) -> None:
    """Leads go with their scans, tags' links and history (foreign keys cascade)."""
    for start in range(0, len(lead_ids), 500):
        db.session.execute(delete(Lead).where(Lead.id.in_(lead_ids[start:start + 500])))
    db.session.flush()
