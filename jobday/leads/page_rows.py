"""What the leads pages read, as plain rows from statements built once (building an ORM
statement and loading whole objects cost more than the rows themselves): the free slots a
recruiter may propose, an invitation's status, the company's tags, a lead's scans, history and
pending invitation.
They are sent straight to the driver (``driver_sql``): the ORM's execution path, and even the
connection's, adds more than the statement itself costs, and plain rows need nothing of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import aliased

from jobday.accounts.models import User
from jobday.collation import collated
from jobday.companies.models import InterviewSlot
from jobday.driver_sql import DriverStatement
from jobday.extensions import db
from jobday.formats import format_date, format_time
from jobday.leads.models import InterviewInvitation, LeadChange, LeadScan, LeadTag
from jobday.leads.vocabulary import InvitationStatus
from jobday.scheduling.waitlist import free_future_slot_rows


def slot_choices(participation_id: int, now: datetime) -> list[tuple[str, str]]:
    """The invitation's choice of slot: "" (choose), then each free future slot."""
    return choices_of_slots(free_future_slot_rows(participation_id, now))


def choices_of_slots(slots) -> list[tuple[str, str]]:
    """``slot_choices`` of these slot rows (``free_future_slot_rows``)."""
    days: dict = {}  # many slots share a day: each day's words are made once
    choices = [("", _("Choose a slot"))]
    for slot in slots:
        day = format_date(slot.starts_at, "short")
        if day not in days:
            days[day] = format_date(slot.starts_at, "abbr")
        choices.append((str(slot.id), f"{days[day]} {format_time(slot.starts_at)} · {slot.table_name}"))
    return choices


def _name(first: str | None, last: str | None, email: str | None) -> str | None:
    """``User.display_name`` of an outer-joined user, None when there is none."""
    if email is None:
        return None
    return f"{first} {last}".strip() or email


@dataclass(frozen=True)
class ScanLine:
    happened_at: datetime
    is_offline: bool
    by: str | None  # the recruiter's name (None: their account is gone)


_SCANS = DriverStatement(
    select(LeadScan.scanned_at, LeadScan.client_time, LeadScan.is_offline, User.first_name, User.last_name, User.email)
    .outerjoin(User, User.id == LeadScan.recruiter_id)
    .where(LeadScan.lead_id == bindparam("lead_id")).order_by(LeadScan.id))


def scans_of(lead_id: int) -> list[ScanLine]:
    """The lead's scans, first first (``LeadScan.happened_at``: the phone's time offline)."""
    return [ScanLine(client_time if is_offline and client_time else scanned_at, is_offline,
                     _name(first, last, email))
            for scanned_at, client_time, is_offline, first, last, email
            in _SCANS.session_all(lead_id=lead_id)]


@dataclass(frozen=True)
class ChangeLine:
    changed_at: datetime
    field: str
    old_value: str
    new_value: str
    by: str | None  # who changed it (None: their account is gone, or no one)


_HISTORY = DriverStatement(
    select(LeadChange.changed_at, LeadChange.field, LeadChange.old_value, LeadChange.new_value,
           User.first_name, User.last_name, User.email)
    .outerjoin(User, User.id == LeadChange.actor_id)
    .where(LeadChange.lead_id == bindparam("lead_id")).order_by(LeadChange.id.desc()))


def history_of(lead_id: int) -> list[ChangeLine]:
    """Who changed what on the lead, last first."""
    return [ChangeLine(changed_at, field, old, new, _name(first, last, email))
            for changed_at, field, old, new, first, last, email
            in _HISTORY.session_all(lead_id=lead_id)]


@dataclass(frozen=True)
class PendingInvitation:
    created_at: datetime
    by: str | None
    slot_starts_at: datetime | None


_creator = aliased(User)
_PENDING = DriverStatement(
    select(InterviewInvitation.created_at, _creator.first_name, _creator.last_name, _creator.email,
           InterviewSlot.starts_at)
    .outerjoin(_creator, _creator.id == InterviewInvitation.created_by_id)
    .outerjoin(InterviewSlot, InterviewSlot.id == InterviewInvitation.slot_id)
    .where(InterviewInvitation.candidate_id == bindparam("candidate_id"),
           InterviewInvitation.participation_id == bindparam("participation_id"),
           InterviewInvitation.status == InvitationStatus.PENDING))


def pending_invitation(candidate_id: int, participation_id: int) -> PendingInvitation | None:
    """The company's invitation waiting for the candidate's answer (one at most)."""
    row = _PENDING.session_first(candidate_id=candidate_id, participation_id=participation_id)
    if row is None:
        return None
    created_at, first, last, email, starts_at = row
    return PendingInvitation(created_at, _name(first, last, email), starts_at)


@dataclass(frozen=True)
class TagRow:
    id: int
    name: str


_TAGS: dict[tuple[str, str], DriverStatement] = {}


def _tags_statement() -> DriverStatement:
    """Built once for each database and reader's language (the order's collation)."""
    dialect, language = db.session.get_bind().dialect.name, str(get_locale() or "fr")
    key = (dialect, language)
    if key not in _TAGS:
        _TAGS[key] = DriverStatement(
            select(LeadTag.id, LeadTag.name).where(LeadTag.company_id == bindparam("company_id"))
            .order_by(collated(LeadTag.name, language, dialect), LeadTag.id))
    return _TAGS[key]


def company_tags(company_id: int) -> list[TagRow]:
    """``services.company_tags`` as plain rows (id, name), in the reader's order."""
    return [TagRow(*row) for row in _tags_statement().session_all(company_id=company_id)]


@dataclass(frozen=True)
class SentInvitation:
    status: str

    @property
    def status_label(self):
        return InvitationStatus(self.status).label
