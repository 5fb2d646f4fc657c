"""Valid objects with sensible defaults. Each factory adds to the session and flushes."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from jobday.accounts.models import User
from jobday.accounts.passwords import hash_password
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.editions.services import create_edition
from jobday.extensions import db
from jobday.security import Role

DEFAULT_PASSWORD = "correct horse battery staple"
_hash_cache: dict[str, str] = {}
_sequence = itertools.count(1)


def _password_hash(password: str) -> str:
    if password not in _hash_cache:
        _hash_cache[password] = hash_password(password)
    return _hash_cache[password]


def make_user(*, email: str | None = None, password: str = DEFAULT_PASSWORD,
              roles=(Role.CANDIDATE,), first_name: str = "Zoë", last_name: str = "Müller",
              confirmed: bool = True, locale: str | None = None) -> User:
    n = next(_sequence)
    user = User(email=(email or f"user{n}@example.org").lower(), password_hash=_password_hash(password),
                first_name=first_name, last_name=last_name, locale=locale,
                email_confirmed_at=utcnow() if confirmed else None)
    for role in roles:
        user.add_role(Role(role))
    db.session.add(user)
    db.session.flush()
    return user


def make_edition(*, year: int | None = None, starts_on: date | None = None, **settings) -> Edition:
    """An edition 60 days ahead, with registration open now and booking open now."""
    now = utcnow()
    starts_on = starts_on or (now + timedelta(days=60)).date()
    year = year or 2000 + next(_sequence)
    settings.setdefault("registration_opens_at", now - timedelta(days=10))
    settings.setdefault("registration_closes_at", now + timedelta(days=50))
    settings.setdefault("booking_opens_at", now - timedelta(days=1))
    settings.setdefault("booking_closes_at", now + timedelta(days=59))
    return create_edition(year=year, starts_on=starts_on, venue_name="Biopark", **settings)


def make_edition_today(**settings) -> Edition:
    """An edition taking place today at the venue (the door and the stands scan), with its
    registration and booking windows closed."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    now = utcnow()
    settings.setdefault("registration_opens_at", now - timedelta(days=30))
    settings.setdefault("registration_closes_at", now - timedelta(days=2))
    settings.setdefault("booking_opens_at", now - timedelta(days=20))
    settings.setdefault("booking_closes_at", now - timedelta(days=1))
    return make_edition(starts_on=datetime.now(ZoneInfo("Europe/Brussels")).date(), **settings)


def earlier_today(minutes: float):
    """``minutes`` ago, or the first second of today at the venue when that is later: a time on
    the day of ``make_edition_today``, even just after midnight in Brussels (a test run then
    went back into the previous day and its scans were "not today")."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    venue = ZoneInfo("Europe/Brussels")
    first_second = datetime.combine(datetime.now(venue).date(), time(0, 0, 1), tzinfo=venue)
    return max(utcnow() - timedelta(minutes=minutes), first_second.astimezone(utcnow().tzinfo))


# --- candidates ----------------------------------------------------------------------

def make_candidate(*, education_level: str = "master", job_areas=("quality_control",),
                   profile: bool = True, **user_fields) -> User:
    """A candidate with a complete profile (required fields only) unless ``profile=False``."""
    from jobday.candidates.models import CandidateJobArea, CandidateProfile

    user = make_user(roles=(Role.CANDIDATE,), **user_fields)
    if profile:
        db.session.add(CandidateProfile(
            user_id=user.id, education_level=education_level,
            job_area_rows=[CandidateJobArea(area=area) for area in job_areas]))
        db.session.flush()
    return user


def make_registration(user: User, edition: Edition, *, status: str = "registered", **fields):
    from jobday.candidates.models import Registration

    now = utcnow()
    fields.setdefault("registered_at", now if status == "registered" else None)
    fields.setdefault("waitlisted_at", now if status in ("waitlisted", "offered") else None)
    registration = Registration(user_id=user.id, edition_id=edition.id, status=status, **fields)
    db.session.add(registration)
    db.session.flush()
    return registration


def make_pdf(extra: bytes = b"") -> bytes:
    """A tiny valid PDF (one empty page)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    out += extra
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# --- companies -----------------------------------------------------------------------

def enterprise_number(n: int) -> str:
    """A valid Belgian enterprise number (10 digits, mod-97 check) derived from ``n``."""
    base = 10_000_000 + n * 7919 % 9_000_000
    return f"{base:08d}{97 - base % 97:02d}"


def make_company(*, name: str | None = None, admin: User | None = None, **fields):
    """A company with one administrator (a new recruiter unless ``admin`` is given)."""
    from jobday.companies.identifiers import name_key
    from jobday.companies.models import Company, CompanyMember

    n = next(_sequence)
    name = name or f"Biotech {n} SA"
    fields.setdefault("enterprise_number", enterprise_number(n))
    fields.setdefault("sector", "biopharma")
    company = Company(name=name, name_key=name_key(name), **fields)
    admin = admin or make_user(roles=(Role.RECRUITER,), first_name="Sophie", last_name="Lambert")
    admin.add_role(Role.RECRUITER)
    company.members.append(CompanyMember(user_id=admin.id, is_admin=True))
    db.session.add(company)
    db.session.flush()
    return company


def company_admin(company) -> User:
    return next(member.user for member in company.members if member.is_admin)


def add_recruiter(company, *, is_admin: bool = False, **user_fields) -> User:
    from jobday.companies.models import CompanyMember

    user = make_user(roles=(Role.RECRUITER,), **user_fields)
    company.members.append(CompanyMember(user_id=user.id, is_admin=is_admin))
    db.session.flush()
    return user


def make_participation(company, edition, *, status: str = "approved", stand: str | None = None,
                       tables: int = 1, hours: str = "09:30-12:30, 13:30-16:30", slot_minutes: int = 20,
                       pause_minutes: int = 10, **fields):
    """A participation with ``tables`` tables open during ``hours`` each day; slots are
    generated when it is approved."""
    from jobday.companies import plan
    from jobday.companies.interview_plan import regenerate_slots
    from jobday.companies.models import InterviewTable, Participation, TableOpening

    participation = Participation(company_id=company.id, edition_id=edition.id, status=status, stand=stand,
                                  tables_wanted=tables, slot_minutes=slot_minutes,
                                  pause_minutes=pause_minutes, **fields)
    for n in range(1, tables + 1):
        table = InterviewTable(name=f"Table {n}")
        table.openings = [TableOpening(day=edition.starts_on, starts_at=start, ends_at=end)
                          for start, end in plan.parse_ranges(hours)]
        participation.tables.append(table)
    db.session.add(participation)
    db.session.flush()
    regenerate_slots(participation, actor=None)
    db.session.flush()
    return participation


def make_offer(company, **fields):
    from jobday.companies.models import JobOffer

    fields.setdefault("title", "Technicien QC microbiologie")
    fields.setdefault("contract_type", "permanent")
    fields.setdefault("education_level", "bachelor")
    areas = fields.pop("job_areas", ("quality_control",))
    offer = JobOffer(company_id=company.id, **fields)
    offer.job_areas = areas
    db.session.add(offer)
    db.session.flush()
    return offer


def hold_slot(slot, candidate: User):
    """Put a candidate in a slot directly (the scheduling feature books through its rules)."""
    slot.held_by_candidate_id = candidate.id
    slot.held_at = utcnow()
    db.session.flush()
    return slot


# --- badges --------------------------------------------------------------------------

def make_badge(user: User, edition: Edition, *, role: str = "candidate", **fields):
    """An active badge for ``user`` at ``edition`` (whatever the person's registrations), as
    the door sees it; ``status="revoked"`` with ``revoke_reason`` for a revoked one."""
    from jobday.badges.codes import new_code
    from jobday.badges.models import Badge

    now = utcnow()
    fields.setdefault("status", "active")
    if fields["status"] == "revoked":
        fields.setdefault("revoked_at", now)
        fields.setdefault("revoke_reason", "lost")
    badge = Badge(code=fields.pop("code", None) or new_code(), user_id=user.id, edition_id=edition.id,
                  role=role, first_name=user.first_name, last_name=user.last_name, locale=user.locale or "fr",
                  issued_at=now, changed_at=now, print_count=0, **fields)
    badge.refresh_hash()
    db.session.add(badge)
    db.session.flush()
    return badge


def make_gate_device(edition: Edition, *, gate: str = "A", **fields):
    """A gate device of ``edition`` and its bearer token (``revoked_at=...`` for a revoked one)."""
    from jobday.checkin.devices import create_device

    device, token = create_device(edition, gate, actor=None)
    for key, value in fields.items():
        setattr(device, key, value)
    db.session.flush()
    return device, token


# --- leads ---------------------------------------------------------------------------

def make_lead(company, candidate: User, edition: Edition, *, recruiter: User | None = None, **fields):
    """A lead as a scan at the stand makes it (``scan_count`` 1, scanned now)."""
    from jobday.leads.models import Lead

    now = utcnow()
    recruiter = recruiter or company_admin(company)
    fields.setdefault("first_scanned_at", now)
    fields.setdefault("last_scanned_at", fields["first_scanned_at"])
    lead = Lead(edition_id=edition.id, company_id=company.id, candidate_id=candidate.id,
                first_scanned_by_id=recruiter.id, last_scanned_by_id=recruiter.id, scan_count=1,
                updated_at=now, **fields)
    db.session.add(lead)
    db.session.flush()
    return lead


def make_tag(company, name: str):
    from jobday.leads.models import LeadTag

    tag = LeadTag(company_id=company.id, name=name, name_key=name.casefold())
    db.session.add(tag)
    db.session.flush()
    return tag
