"""Company rules: registration, profile, logo, and applying to take part in an edition.

Services never commit; the calling view or command owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from jobday import storage
from jobday.accounts.models import User
from jobday.companies import identifiers, logos, plan
from jobday.companies.access import membership_of, participation_for, require_member
from jobday.companies.errors import (
    AlreadyApplied,
    AlreadyInCompany,
    CompanyExists,
    InvalidField,
)
from jobday.companies.models import (
    APPROVED,
    PENDING,
    Company,
    CompanyMember,
    InterviewTable,
    Participation,
    Sector,
    TableOpening,
)
from jobday.editions.models import Edition
from jobday.errors import PermissionDenied
from jobday.extensions import db
from jobday.security import Role


@dataclass
class CompanyDetails:
    name: str
    enterprise_number: str = ""
    is_foreign: bool = False
    sector: str = "other"
    description_fr: str = ""
    description_en: str = ""
    website: str = ""
    contact_name: str = ""
    contact_phone: str = ""


def _clean(details: CompanyDetails) -> dict:
    name = " ".join((details.name or "").split())
    if not name:
        raise InvalidField("name", _l("Enter the company's name."))
    key = identifiers.name_key(name)
    if not key:
        raise InvalidField("name", _l("Enter the company's name."))
    number = None
    raw_number = (details.enterprise_number or "").strip()
    if raw_number:
        try:
            number = identifiers.normalise_enterprise_number(raw_number)
        except ValueError as error:
            raise InvalidField("enterprise_number", error.args[0]) from None
    elif not details.is_foreign:
        raise InvalidField("enterprise_number", _l(
            "Enter the enterprise number (BCE/KBO), or tick 'foreign company'."))
    if details.sector not in Sector.codes():
        raise InvalidField("sector", _l("Choose a sector from the list."))
    try:
        website = identifiers.normalise_website(details.website or "")
    except ValueError as error:
        raise InvalidField("website", error.args[0]) from None
    try:
        phone = identifiers.normalise_phone(details.contact_phone or "")
    except ValueError as error:
        raise InvalidField("contact_phone", error.args[0]) from None
    return {
        "name": name, "name_key": key, "enterprise_number": number, "is_foreign": bool(details.is_foreign),
        "sector": details.sector, "description_fr": (details.description_fr or "").strip(),
        "description_en": (details.description_en or "").strip(), "website": website,
        "contact_name": " ".join((details.contact_name or "").split()), "contact_phone": phone,
    }


def _existing_company(fields: dict, *, exclude_id: int | None = None) -> Company | None:
    condition = Company.name_key == fields["name_key"]
    if fields["enterprise_number"]:
        condition = or_(condition, Company.enterprise_number == fields["enterprise_number"])
    query = select(Company).where(condition)
    if exclude_id is not None:
        query = query.where(Company.id != exclude_id)
    return db.session.scalars(query.limit(1)).first()


def _exists_error(company: Company) -> CompanyExists:
    """Names the first administrator by first name only: never an e-mail address."""
    admin = next((member.user for member in company.members if member.is_admin), None)
    if admin is not None and admin.first_name:
        return CompanyExists(_l("%(company)s is already registered. Ask your colleague %(name)s "
                                "for an invitation.", company=company.name, name=admin.first_name))
    return CompanyExists(_l("%(company)s is already registered. Ask a colleague for an invitation.",
                            company=company.name))


def register_company(details: CompanyDetails, *, actor: User) -> Company:
    """The actor creates a company and becomes its first administrator (and a recruiter)."""
    if membership_of(actor) is not None:
        raise AlreadyInCompany()
    fields = _clean(details)
    existing = _existing_company(fields)
    if existing is not None:
        raise _exists_error(existing)
    company = Company(**fields)
    company.members.append(CompanyMember(user_id=actor.id, is_admin=True))
    actor.add_role(Role.RECRUITER)
    try:
        db.session.add(company)
        db.session.flush()
    except IntegrityError:  # a race with another registration; the caller rolls back
        raise CompanyExists() from None
    return company


def update_company(company: Company, details: CompanyDetails, *, actor: User) -> Company:
    require_member(company.id, actor)
    fields = _clean(details)
    existing = _existing_company(fields, exclude_id=company.id)
    if existing is not None:
        field = "name" if existing.name_key == fields["name_key"] else "enterprise_number"
        raise InvalidField(field, _l("Another company is already registered with this name or number."),
                           code="company_exists")
    for key, value in fields.items():
        setattr(company, key, value)
    try:
        db.session.flush()
    except IntegrityError:
        raise InvalidField("name", _l("Another company is already registered with this name or number."),
                           code="company_exists") from None
    return company


# --- participation ---------------------------------------------------------------------

def approved_participation_of(user: User, edition: Edition | None) -> Participation | None:
    """The user's company's participation in the edition, when it is approved."""
    member = membership_of(user)
    participation = participation_for(member.company, edition) if member is not None else None
    return participation if participation is not None and participation.is_approved else None


def edition_days(edition: Edition):
    day = edition.starts_on
    while day <= edition.ends_on:
        yield day
        day += timedelta(days=1)


def apply_for_edition(company: Company, edition: Edition, *, actor: User, recruiters_coming: int,
                      tables_wanted: int, needs_power: bool = False, needs_screen: bool = False,
                      needs_other: str = "") -> Participation:
    """Apply to take part. The plan starts from the edition's defaults: one table per table
    wanted, open during the edition's default interview hours."""
    require_member(company.id, actor)
    if participation_for(company, edition) is not None:
        raise AlreadyApplied()
    _check_counts(recruiters_coming, tables_wanted)
    participation = Participation(
        company=company, edition=edition, recruiters_coming=recruiters_coming, tables_wanted=tables_wanted,
        needs_power=needs_power, needs_screen=needs_screen, needs_other=(needs_other or "").strip()[:500],
        slot_minutes=edition.default_slot_minutes, pause_minutes=edition.default_pause_minutes)
    participation.tables.extend(_default_tables(edition, tables_wanted))
    try:
        db.session.add(participation)
        db.session.flush()
    except IntegrityError:
        raise AlreadyApplied() from None
    return participation


def _default_tables(edition: Edition, count: int) -> list[InterviewTable]:
    """``count`` tables open during the edition's default interview hours, every day."""
    try:
        ranges = plan.parse_ranges(edition.default_interview_hours)
    except ValueError:
        ranges = []
    tables = []
    for n in range(1, count + 1):
        table = InterviewTable(name=str(_l("Table %(n)s", n=n)))
        table.openings = [TableOpening(day=day, starts_at=start, ends_at=end)
                          for day in edition_days(edition) for start, end in ranges]
        tables.append(table)
    return tables


def invite_companies_from(source_edition: Edition, target_edition: Edition) -> list[Participation]:
    """The companies approved in ``source_edition`` get a pending participation in
    ``target_edition`` (same tables wanted and needs, no stand, the target's plan defaults).
    Companies already taking part in the target are left alone."""
    already = select(Participation.company_id).where(Participation.edition_id == target_edition.id)
    approved = db.session.scalars(select(Participation).where(
        Participation.edition_id == source_edition.id, Participation.status == APPROVED,
        Participation.company_id.not_in(already)).order_by(Participation.id))
    created = []
    for old in approved:
        participation = Participation(
            company_id=old.company_id, edition_id=target_edition.id, status=PENDING,
            recruiters_coming=old.recruiters_coming, tables_wanted=old.tables_wanted,
            needs_power=old.needs_power, needs_screen=old.needs_screen, needs_other=old.needs_other,
            booking_mode=old.booking_mode, slot_minutes=target_edition.default_slot_minutes,
            pause_minutes=target_edition.default_pause_minutes)
        participation.tables.extend(_default_tables(target_edition, old.tables_wanted))
        db.session.add(participation)
        created.append(participation)
    db.session.flush()
    return created


def _check_counts(recruiters_coming: int, tables_wanted: int) -> None:
    if not 1 <= recruiters_coming <= 30:
        raise InvalidField("recruiters_coming", _l("Between 1 and 30 recruiters."))
    if not 1 <= tables_wanted <= 10:
        raise InvalidField("tables_wanted", _l("Between 1 and 10 tables."))


# --- logo ------------------------------------------------------------------------------

def set_logo(company: Company, data: bytes, *, actor: User, max_bytes: int, max_pixels: int) -> None:
    """Check, re-encode and store a new logo in place of the old one."""
    require_member(company.id, actor)
    logo = logos.process_logo(data, max_bytes=max_bytes, max_pixels=max_pixels)
    old = company.logo_filename
    company.logo_filename = logos.store(logo)
    company.logo_content_type = logo.content_type
    storage.remove(old)


def set_email_activity(member: CompanyMember, wanted: bool, *, actor: User) -> None:
    """A recruiter's own choice: e-mails about the company's new applications, bookings and
    cancellations, or none."""
    if member.user_id != actor.id:
        raise PermissionDenied()
    member.email_activity = wanted
    db.session.flush()
