"""Exports: the lists and their row sources (one streaming query each), the door list PDF. The
files are written by ``jobday.tabular`` (headers in the reader's language, codes as labels).

Consent: contact details (e-mail, phone) and the CV link of a candidate appear only while
the candidate shares their profile with every exhibitor (or, in a company's own lists and
in interview lists, with the companies they applied to or booked). Others keep their name,
level and areas only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from flask import render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, literal, or_, select

from jobday.accounts.models import User
from jobday.badges.models import ACTIVE as BADGE_ACTIVE
from jobday.badges.models import Badge
from jobday.candidates.consent import users_granting
from jobday.candidates.models import (
    CandidateJobArea,
    CandidateProfile,
    ConsentKind,
    Registration,
)
from jobday.collation import collated
from jobday.companies.models import (
    Company,
    InterviewSlot,
    InterviewTable,
    Participation,
)
from jobday.editions.models import Edition
from jobday.extensions import db
from jobday.scheduling.models import Application, Booking
from jobday.staff import checkin_bridge
from jobday.tabular import table_phone
from jobday.urls import public_url
from jobday.vocabulary import JobArea

STREAM_CHUNK = 500


@dataclass(frozen=True)
class Export:
    key: str
    label: object
    headers: tuple  # lazily translated: read in the language of whoever downloads
    file_stem: object  # the download's name, before "-<year>.csv"

    def filename(self, year: int, extension: str) -> str:
        return f"{self.file_stem}-{year}.{extension}"


NUMBER, FIRST_NAME, LAST_NAME, EMAIL, PHONE = _l("No."), _l("First name"), _l("Family name"), _l("E-mail"), _l("Phone")
EXPORTS = {
    "candidates": Export("candidates", _l("Candidates"), (
        NUMBER, FIRST_NAME, LAST_NAME, _l("Registration status"), _l("Education level"), _l("Field of study"),
        _l("Region"), _l("Job areas"), _l("Shares the profile"), EMAIL, PHONE, _l("CV")), _l("candidates")),
    "companies": Export("companies", _l("Companies"), (
        NUMBER, _l("Company"), _l("Status"), _l("Stand"), _l("Sector"), _l("Tables"), _l("Recruiters coming"),
        _l("Website"), _l("Contact person"), _l("Contact phone")), _l("companies")),
    "interviews": Export("interviews", _l("Interviews per company"), (
        _l("Company"), _l("Table"), _l("Start"), _l("End"), _l("Candidate no."), FIRST_NAME, LAST_NAME,
        _l("Outcome"), EMAIL), _l("interviews")),
    "attendance": Export("attendance", _l("Attendance"), (
        _l("Badge no."), _l("Role"), FIRST_NAME, LAST_NAME, _l("Company"), _l("First entry"), _l("Gate")),
        _l("attendance")),
}
COMPANY_PROFILES = Export("profiles", _l("Shared profiles"), (
    _l("Candidate no."), FIRST_NAME, LAST_NAME, EMAIL, PHONE, _l("Education level"), _l("Field of study"),
    _l("Region"), _l("Job areas"), _l("Years of experience")), _l("profiles"))


def available_exports() -> dict[str, Export]:
    exports = dict(EXPORTS)
    if checkin_bridge.scan_model() is None:
        exports.pop("attendance")
    return exports


def _aggregate(column):
    if db.engine.dialect.name == "postgresql":
        return func.string_agg(column, literal(","))
    return func.group_concat(column, ",")


def _areas(aggregated: str | None) -> list[JobArea]:
    """The job areas aggregated by the database ("rnd,quality_control"), in the vocabulary's order."""
    given = set((aggregated or "").split(","))
    return [area for area in JobArea if area.value in given]


def _stream(statement):
    return db.session.execute(statement.execution_options(yield_per=STREAM_CHUNK))


def candidate_rows(edition: Edition) -> Iterator[tuple]:
    shares = User.id.in_(users_granting(ConsentKind.SHARE_WITH_ALL_EXHIBITORS))
    areas = (select(_aggregate(CandidateJobArea.area)).where(CandidateJobArea.user_id == User.id)
             .correlate(User).scalar_subquery())
    statement = (
        select(User.id, User.first_name, User.last_name, Registration.status, CandidateProfile.education_level,
               CandidateProfile.field_of_study, CandidateProfile.region, areas, shares, User.email,
               CandidateProfile.phone, CandidateProfile.cv_stored_name)
        .join(Registration, and_(Registration.user_id == User.id, Registration.edition_id == edition.id))
        .outerjoin(CandidateProfile, CandidateProfile.user_id == User.id)
        .where(User.is_disabled.is_(False)).order_by(collated(User.last_name), collated(User.first_name), User.id))
    for (user_id, first, last, status, level, study, region, job_areas, shared, email, phone,
         cv_name) in _stream(statement):
        cv = public_url("candidates.download_cv", user_id=user_id) if shared and cv_name else ""
        yield (user_id, first, last, status, level, study or "", region or "", _areas(job_areas), bool(shared),
               email if shared else "", table_phone(phone) if shared else "", cv)


def company_rows(edition: Edition) -> Iterator[tuple]:
    statement = (select(Company.id, Company.name, Participation.status, Participation.stand, Company.sector,
                        Participation.tables_wanted, Participation.recruiters_coming, Company.website,
                        Company.contact_name, Company.contact_phone)
                 .join(Participation, Participation.company_id == Company.id)
                 .where(Participation.edition_id == edition.id).order_by(collated(Company.name), Company.id))
    for (company_id, name, status, stand, sector, tables, recruiters, website, contact,
         contact_phone) in _stream(statement):
        yield (company_id, name, status, stand or "", sector, tables, recruiters, website, contact,
               table_phone(contact_phone))


def interview_rows(edition: Edition, participation_id: int | None = None) -> Iterator[tuple]:
    """Active bookings; the e-mail only of candidates who share with the companies they booked."""
    shares = or_(User.id.in_(users_granting(ConsentKind.SHARE_WITH_ALL_EXHIBITORS)),
                 User.id.in_(users_granting(ConsentKind.SHARE_WITH_APPLIED)))
    statement = (select(Company.name, InterviewTable.name, Booking.starts_at, Booking.ends_at, User.id,
                        User.first_name, User.last_name, Booking.outcome, User.email, shares)
                 .select_from(Booking)
                 .join(Participation, Participation.id == Booking.participation_id)
                 .join(Company, Company.id == Participation.company_id)
                 .join(InterviewSlot, InterviewSlot.id == Booking.slot_id)
                 .join(InterviewTable, InterviewTable.id == InterviewSlot.table_id)
                 .join(User, User.id == Booking.candidate_id)
                 .where(Booking.edition_id == edition.id, Booking.active.is_(True)))
    if participation_id is not None:
        statement = statement.where(Booking.participation_id == participation_id)
    statement = statement.order_by(collated(Company.name), Company.id, Booking.starts_at, InterviewTable.id)
    for company, table, starts, ends, user_id, first, last, outcome, email, shared in _stream(statement):
        yield (company, table, starts, ends, user_id, first, last, outcome, email if shared else "")


def attendance_rows(edition: Edition) -> Iterator[tuple]:
    scan = checkin_bridge.scan_model()
    if scan is None:
        return
    first = (select(scan.badge_id.label("badge_id"), func.min(scan.scanned_at).label("at"))
             .where(scan.edition_id == edition.id, scan.result == "ok").group_by(scan.badge_id).subquery())
    gate = (select(scan.gate).where(scan.badge_id == first.c.badge_id, scan.scanned_at == first.c.at)
            .limit(1).scalar_subquery())
    statement = (select(Badge.id, Badge.role, Badge.first_name, Badge.last_name, Badge.company_name, first.c.at,
                        gate)
                 .join(first, first.c.badge_id == Badge.id)
                 .order_by(collated(Badge.last_name), collated(Badge.first_name), Badge.id))
    for badge_id, role, first_name, last_name, company, at, at_gate in _stream(statement):
        yield (badge_id, role, first_name, last_name, company, at, at_gate or "")


def rows_for(key: str, edition: Edition, **options) -> Iterator[tuple]:
    return {"candidates": candidate_rows, "companies": company_rows, "interviews": interview_rows,
            "attendance": attendance_rows}[key](edition, **options)


# --- the company's own lists --------------------------------------------------------------

def company_profile_rows(participation: Participation) -> Iterator[tuple]:
    """Profiles of the candidates who applied to or booked this company and share with it now
    (the rule of ``can_share_profile_with_company``, as one query)."""
    edition_id = participation.edition_id
    involved = or_(
        exists().where(Application.candidate_id == User.id, Application.participation_id == participation.id),
        exists().where(Booking.candidate_id == User.id, Booking.participation_id == participation.id,
                       Booking.active.is_(True)))
    shares = or_(User.id.in_(users_granting(ConsentKind.SHARE_WITH_ALL_EXHIBITORS)),
                 User.id.in_(users_granting(ConsentKind.SHARE_WITH_APPLIED)))
    areas = (select(_aggregate(CandidateJobArea.area)).where(CandidateJobArea.user_id == User.id)
             .correlate(User).scalar_subquery())
    statement = (select(User.id, User.first_name, User.last_name, User.email, CandidateProfile.phone,
                        CandidateProfile.education_level, CandidateProfile.field_of_study,
                        CandidateProfile.region, areas, CandidateProfile.years_experience)
                 .join(CandidateProfile, CandidateProfile.user_id == User.id)
                 .join(Registration, and_(Registration.user_id == User.id, Registration.edition_id == edition_id,
                                          Registration.status == "registered"))
                 .where(User.is_disabled.is_(False), involved, shares)
                 .order_by(collated(User.last_name), collated(User.first_name), User.id))
    for user_id, first, last, email, phone, level, study, region, areas, years in _stream(statement):
        yield (user_id, first, last, email, table_phone(phone), level, study, region, _areas(areas), years)


def door_list_entries(edition: Edition) -> list[tuple[str, str, str, str]]:
    statement = (select(Badge.last_name, Badge.first_name, Badge.company_name, Badge.code)
                 .where(Badge.edition_id == edition.id, Badge.status == BADGE_ACTIVE)
                 .order_by(collated(Badge.last_name), collated(Badge.first_name), Badge.id))
    return [tuple(row) for row in db.session.execute(statement)]


def door_list_pdf(edition: Edition) -> bytes:
    """Names and codes sorted by family name, for the door when the network fails. Rendered
    with the badges' URL fetcher (the project's own files only) and their fonts."""
    from weasyprint import HTML

    from jobday.badges import documents
    from jobday.badges.pdf import StaticOnlyFetcher
    from jobday.pdf_lock import rendering

    settings = documents.settings()
    html = render_template("staff/door_list_pdf.html", edition=edition, entries=door_list_entries(edition))
    fetcher = StaticOnlyFetcher(settings.static_folder, settings.qr_folder)
    with rendering():
        return HTML(string=html, base_url="file://" + settings.static_folder + "/", url_fetcher=fetcher).write_pdf()
