"""E-mails of the scheduling feature, queued in the caller's transaction.

Each interview e-mail links to the candidate's agenda and carries the interview as a calendar
file (.ics, same UID and a higher SEQUENCE on every change, STATUS:CANCELLED when cancelled).
"""

from __future__ import annotations

from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select

from jobday.accounts.models import User
from jobday.companies.models import Company, CompanyMember, InterviewSlot, InterviewTable, Participation
from jobday.driver_sql import DriverStatement
from jobday.editions.models import Edition
from jobday.extensions import db
from jobday.mail.services import queue_email

# The interview's company, table and stand: one statement straight to the driver (three ORM
# reads before, each a round trip on PostgreSQL, in the rush's busiest request).
_FACTS = DriverStatement(
    select(Company.name.label("company"), InterviewTable.name.label("table"), Participation.stand,
           Participation.edition_id)
    .select_from(InterviewSlot)
    .join(InterviewTable, InterviewTable.id == InterviewSlot.table_id)
    .join(Participation, Participation.id == InterviewTable.participation_id)
    .join(Company, Company.id == Participation.company_id)
    .where(InterviewSlot.id == bindparam("slot_id"))
)


def interview_facts(booking) -> dict:
    """What an e-mail says about one interview."""
    row = _FACTS.session_first(slot_id=booking.slot_id)
    return {
        "company": row.company,
        "table": row.table,
        "stand": row.stand or "",
        "starts_at": booking.starts_at,
        "ends_at": booking.ends_at,
        "edition": db.session.get(Edition, row.edition_id),  # the page's current edition, already loaded
    }


def _send(user: User | Recruiter, subject, template: str, *, to: str | None = None, **context) -> None:
    queue_email(
        to=to or user.email,
        subject=subject,
        template=f"scheduling/{template}",
        locale=user.locale,
        user=user,
        **context,
    )


def _calendar_attachment(booking, facts: dict, user: User) -> list[tuple[str, str, bytes]]:
    from flask_babel import force_locale

    from jobday.scheduling.agenda import booking_calendar

    with force_locale(user.locale or "fr"):
        content = booking_calendar(booking, company=facts["company"], table=facts["table"],
                                   stand=facts["stand"], edition=facts["edition"])
    return [("interview.ics", "text/calendar", content)]


def booking_confirmed(booking, facts: dict | None = None) -> None:
    """``facts``: ``interview_facts(booking)`` when the caller has them (a booking tells the
    candidate and the company the same facts)."""
    facts = facts or interview_facts(booking)
    _send(
        booking.candidate,
        _l("Your interview with %(company)s", company=facts["company"]),
        "booking_confirmed",
        booking=booking,
        attachments=_calendar_attachment(booking, facts, booking.candidate),
        **facts,
    )


def booking_moved(booking, previous_start) -> None:
    facts = interview_facts(booking)
    _send(
        booking.candidate,
        _l("Your interview with %(company)s has moved", company=facts["company"]),
        "booking_moved",
        booking=booking,
        attachments=_calendar_attachment(booking, facts, booking.candidate),
        previous_start=previous_start,
        **facts,
    )


def booking_cancelled(booking, *, reason: str) -> None:
    facts = interview_facts(booking)
    _send(
        booking.candidate,
        _l("Your interview with %(company)s is cancelled", company=facts["company"]),
        "booking_cancelled",
        booking=booking,
        attachments=_calendar_attachment(booking, facts, booking.candidate),
        reason=reason,
        **facts,
    )


def slot_offered(entry) -> None:
    slot = entry.offered_slot
    participation = db.session.get(Participation, entry.participation_id)
    company = db.session.get(Company, participation.company_id)
    table = db.session.get(InterviewTable, slot.table_id)
    _send(
        entry.candidate,
        _l("A slot with %(company)s is free for you", company=company.name),
        "slot_offered",
        entry=entry,
        company=company.name,
        table=table.name,
        starts_at=slot.starts_at,
        expires_at=entry.offer_expires_at,
        edition=participation.edition,
    )


def application_decided(application) -> None:
    company = db.session.get(Company, application.participation.company_id)
    subject = (
        _l("%(company)s would like to meet you", company=company.name)
        if application.status == "accepted"
        else _l("Your application to %(company)s", company=company.name)
    )
    _send(
        application.candidate,
        subject,
        "application_decided",
        application=application,
        company=company.name,
        edition=application.participation.edition,
    )


def slot_proposed(application) -> None:
    company = db.session.get(Company, application.participation.company_id)
    slot = application.proposed_slot
    table = db.session.get(InterviewTable, slot.table_id)
    _send(
        application.candidate,
        _l("%(company)s proposes an interview time", company=company.name),
        "slot_proposed",
        application=application,
        company=company.name,
        table=table.name,
        starts_at=slot.starts_at,
        edition=application.participation.edition,
    )


def company_recruiters(company_id: int) -> list[User]:
    return [
        member.user
        for member in db.session.scalars(
            select(CompanyMember).where(CompanyMember.company_id == company_id).order_by(CompanyMember.id)
        )
    ]


def schedule_published_candidate(user: User, edition, interviews: list[dict], *, to: str | None = None,
                                 dedup_key: str | None = None) -> None:
    """``to``: another address (the organiser's test of the e-mail ``user`` will receive)."""
    _send(
        user,
        _l("Your interviews at %(edition)s", edition=edition.name),
        "schedule_candidate",
        to=to,
        dedup_key=dedup_key,
        edition=edition,
        interviews=interviews,
    )


def schedule_published_company(user: User, edition, company_name: str, interviews: list[dict], *,
                               dedup_key: str | None = None) -> None:
    _send(
        user,
        _l("Your interview schedule at %(edition)s", edition=edition.name),
        "schedule_company",
        dedup_key=dedup_key,
        edition=edition,
        company=company_name,
        interviews=interviews,
    )


# --- the company's side: its recruiters hear of what candidates do ----------------------------


class Recruiter(NamedTuple):
    """What an e-mail to a recruiter reads of them (plain: no ORM users to load)."""

    email: str
    first_name: str
    locale: str | None


# Straight to the driver, without an autoflush: the e-mail queued just before (the candidate's
# confirmation) is then written with this one, in one statement at the commit.
_RECRUITERS_WHO_HEAR = DriverStatement(
    select(User.email, User.first_name, User.locale)
    .join(CompanyMember, CompanyMember.user_id == User.id)
    .where(CompanyMember.company_id == bindparam("company_id"), CompanyMember.email_activity.is_(True),
           User.is_disabled.is_(False))
    .order_by(CompanyMember.id)
)


def _recruiters_who_hear(company_id: int) -> list[Recruiter]:
    """The company's recruiters who keep the activity e-mails on (their own choice)."""
    rows = _RECRUITERS_WHO_HEAR.all(db.session.connection(), {"company_id": company_id})  # no autoflush
    return [Recruiter(*row) for row in rows]


def _tell_company(company_id: int, subject_of, template: str, **context) -> None:
    for recruiter in _recruiters_who_hear(company_id):
        _send(recruiter, subject_of(), template, **context)


def _tell_company_of(booking, subject_for, template: str, facts: dict | None = None) -> None:
    """``subject_for(candidate name)``: the subject, made in each recruiter's language."""
    facts = facts or interview_facts(booking)
    participation = db.session.get(Participation, booking.participation_id)
    candidate = booking.candidate.display_name
    _tell_company(participation.company_id, lambda: subject_for(candidate), template,
                  booking=booking, candidate=candidate, **facts)


def company_booking(booking, facts: dict | None = None) -> None:
    """A candidate booked (or took an offered or proposed slot) at the company."""
    _tell_company_of(booking, lambda name: _l("New interview: %(candidate)s", candidate=name), "company_booking",
                     facts)


def company_cancellation(booking) -> None:
    """A candidate cancelled their interview with the company, or withdrew from the fair."""
    _tell_company_of(booking, lambda name: _l("Interview cancelled: %(candidate)s", candidate=name),
                     "company_cancellation")


def company_application(application) -> None:
    participation = db.session.get(Participation, application.participation_id)
    candidate = application.candidate.display_name
    _tell_company(participation.company_id,
                  lambda: _l("New application: %(candidate)s", candidate=candidate),
                  "company_application", application=application, candidate=candidate,
                  edition=participation.edition)
