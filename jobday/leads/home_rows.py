""""Met at the fair" on the candidate's home, as plain rows from statements built once and sent
to the driver: the companies holding the candidate's details, and the companies' invitations
(the home is every candidate's first page; loading the leads and invitations as objects with
their companies and slots cost more than the rest of the section)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select

from jobday.companies.models import Company, InterviewSlot, Participation
from jobday.driver_sql import DriverStatement
from jobday.extensions import db
from jobday.leads.models import InterviewInvitation, Lead
from jobday.leads.vocabulary import InvitationStatus


@dataclass(frozen=True)
class MetCompany:
    """A company holding the candidate's details (a lead)."""
    id: int
    company: str
    first_scanned_at: datetime
    is_withdrawn: bool
    share_requested_at: datetime | None


@dataclass(frozen=True)
class CompanyInvitation:
    id: int
    company: str
    status: str
    slot_starts_at: datetime | None  # None: an invitation to apply
    message: str


_LEADS = DriverStatement(
    select(Lead.id, Company.name, Lead.first_scanned_at, Lead.access_withdrawn_at.is_not(None),
           Lead.share_requested_at)
    .join(Company, Company.id == Lead.company_id)
    .where(Lead.candidate_id == bindparam("candidate_id"))
    .order_by(Lead.last_scanned_at.desc(), Lead.id.desc()))

_INVITATIONS = DriverStatement(
    select(InterviewInvitation.id, Company.name, InterviewInvitation.status, InterviewSlot.starts_at,
           InterviewInvitation.message)
    .join(Participation, Participation.id == InterviewInvitation.participation_id)
    .join(Company, Company.id == Participation.company_id)
    .outerjoin(InterviewSlot, InterviewSlot.id == InterviewInvitation.slot_id)
    # "edition_id + 0", which no index serves: SQLite's planner (no statistics) took the edition's
    # index and read every invitation of the edition; the candidate's finds their few.
    .where(InterviewInvitation.candidate_id == bindparam("candidate_id"),
           InterviewInvitation.edition_id + 0 == bindparam("edition_id"))
    .order_by(InterviewInvitation.status != InvitationStatus.PENDING, InterviewInvitation.created_at.desc()))


def companies_met(candidate_id: int) -> list[MetCompany]:
    """The companies holding the candidate's details, last met first."""
    db.session.flush()  # as Session.execute would
    rows = _LEADS.session_all(candidate_id=candidate_id)
    return [MetCompany(lead_id, name, first, bool(withdrawn), requested)
            for lead_id, name, first, withdrawn, requested in rows]


def invitations_to(candidate_id: int, edition_id: int) -> list[CompanyInvitation]:
    """The companies' invitations to the candidate at the edition: pending ones first, newest first."""
    db.session.flush()  # as Session.execute would
    rows = _INVITATIONS.session_all(candidate_id=candidate_id, edition_id=edition_id)
    return [CompanyInvitation(*row) for row in rows]
