"""Demo companies: profiles, recruiters, offers, participations with stands, tables and slots.

Called by ``seed_demo`` after the users exist: the recruiters whose address is at a
company's website domain join that company; ``recruiter@jobday.example`` administers the
first one. Everything is inserted in bulk, so 60 companies and their slots take well under
a second.
"""

from __future__ import annotations

import random
from datetime import time, timedelta

from sqlalchemy import insert, select

from jobday.accounts.models import User, UserRole
from jobday.companies.identifiers import name_key
from jobday.companies.models import (
    APPROVED,
    PENDING,
    Company,
    CompanyMember,
    InterviewSlot,
    InterviewTable,
    JobOffer,
    JobOfferArea,
    JobOfferLanguage,
    Participation,
    TableOpening,
)
from jobday.companies.plan import generate_slots
from jobday.db import utcnow
from jobday.demo import data
from jobday.editions.models import Edition
from jobday.extensions import db
from jobday.security import Role
from jobday.vocabulary import ContractType, EducationLevel

DEMO_ADMIN = "recruiter@jobday.example"
OPENINGS = ((time(9, 30), time(12, 30)), (time(13, 30), time(16, 30)))


def _with_check(first_eight: int) -> str:
    """A valid Belgian enterprise number from its first eight digits (mod-97 check)."""
    return f"{first_eight:08d}{97 - first_eight % 97:02d}"


def seed_companies(edition: Edition, rng: random.Random, *, companies: int) -> dict[str, int]:
    rows = data.COMPANIES[:companies]
    existing = set(db.session.scalars(select(Company.name_key)))
    now = utcnow()
    fresh = [row for row in rows if name_key(row[0]) not in existing]
    if fresh:
        db.session.execute(insert(Company), [{
            "name": name, "name_key": name_key(name), "enterprise_number": _with_check(4_000_000 + n * 7_919),
            "is_foreign": False, "sector": sector, "description_fr": fr, "description_en": en,
            "website": f"https://www.{domain}", "contact_name": "", "contact_phone": "+3271000000",
            "created_at": now,
        } for n, (name, sector, fr, en, domain) in enumerate(fresh)])
    ids = dict(db.session.execute(select(Company.name_key, Company.id)).all())
    fresh_ids = [(ids[name_key(row[0])], row) for row in fresh]
    if not fresh_ids:
        return {}
    _members(fresh_ids, first_company_id=ids[name_key(rows[0][0])])
    offers = _offers(fresh_ids, rng, now)
    approved, slots = _participations(edition, fresh_ids, rng, now)
    return {"approved companies": approved, "job offers": offers, "interview slots": slots}


def _members(companies, *, first_company_id: int) -> None:
    recruiters = db.session.execute(
        select(User.id, User.email).join(UserRole).where(UserRole.role == str(Role.RECRUITER))
        .order_by(User.id)).all()
    by_domain: dict[str, list[int]] = {}
    demo_admin = None
    for user_id, email in recruiters:
        if email == DEMO_ADMIN:
            demo_admin = user_id
        by_domain.setdefault(email.rpartition("@")[2], []).append(user_id)
    taken = set(db.session.scalars(select(CompanyMember.user_id)))
    members = []
    for company_id, row in companies:
        users = [uid for uid in by_domain.get(row[4], []) if uid not in taken]
        if company_id == first_company_id and demo_admin is not None and demo_admin not in taken:
            users = [demo_admin, *users]
        members += [{"company_id": company_id, "user_id": uid, "is_admin": n == 0, "joined_at": utcnow()}
                    for n, uid in enumerate(users)]
    if members:
        db.session.execute(insert(CompanyMember), members)


# Where the demo jobs are and the languages they need (drawn from their own generator, so the
# rest of the demo stays as it was before offers had them).
REGION_WEIGHTS = (("wallonia", 8), ("brussels", 2), ("", 1))
LANGUAGE_SETS = ((("fr",), 6), (("fr", "en"), 3), (("fr", "nl"), 1), ((), 2))


def _offers(companies, rng: random.Random, now) -> int:
    offer_rows, areas = [], []
    place = random.Random(f"offer-places-{len(companies)}")
    languages = []
    for company_id, _row in companies:
        for title, area in rng.sample(data.JOB_TITLES, rng.randint(2, 5)):
            offer_rows.append({
                "company_id": company_id, "title": title, "contract_type": rng.choice(ContractType.codes()),
                "education_level": rng.choice(EducationLevel.codes()), "location": "Wallonie",
                "description": "", "open_for_interviews": rng.random() < 0.8, "created_at": now,
                "updated_at": now, "closed_at": None,
                "region": place.choices([r for r, _w in REGION_WEIGHTS], [w for _r, w in REGION_WEIGHTS])[0]})
            areas.append(area)
            languages.append(place.choices([s for s, _w in LANGUAGE_SETS], [w for _s, w in LANGUAGE_SETS])[0])
    db.session.execute(insert(JobOffer), offer_rows)
    offer_ids = list(db.session.scalars(select(JobOffer.id).where(
        JobOffer.company_id.in_([cid for cid, _ in companies])).order_by(JobOffer.id)))
    db.session.execute(insert(JobOfferArea), [{"offer_id": oid, "area": area}
                                              for oid, area in zip(offer_ids, areas, strict=True)])
    language_rows = [{"offer_id": oid, "language": code}
                     for oid, codes_ in zip(offer_ids, languages, strict=True) for code in codes_]
    if language_rows:
        db.session.execute(insert(JobOfferLanguage), language_rows)
    return len(offer_rows)


def _participations(edition: Edition, companies, rng: random.Random, now) -> tuple[int, int]:
    approved_count = len(companies) - max(1, len(companies) // 12)  # 55 of 60
    rows = []
    for n, (company_id, _row) in enumerate(companies):
        approved = n < approved_count
        rows.append({
            "company_id": company_id, "edition_id": edition.id, "status": APPROVED if approved else PENDING,
            "recruiters_coming": rng.randint(1, 4), "tables_wanted": rng.randint(1, 4),
            "needs_power": rng.random() < 0.5, "needs_screen": rng.random() < 0.3, "needs_other": "",
            "stand": f"{'ABCD'[n // 15]}{n % 15 + 1:02d}" if approved else None, "decision_message": "",
            "decided_at": now if approved else None, "decided_by_id": None,
            # The first company is the demo recruiter's: it decides applications (jobday.demo.seed_journeys).
            "booking_mode": "open" if rng.random() < 0.7 and n > 0 else "apply",
            "slot_minutes": edition.default_slot_minutes, "pause_minutes": edition.default_pause_minutes,
            "created_at": now})
    db.session.execute(insert(Participation), rows)
    participations = db.session.execute(
        select(Participation.id, Participation.tables_wanted, Participation.status)
        .where(Participation.edition_id == edition.id,
               Participation.company_id.in_([cid for cid, _ in companies]))
        .order_by(Participation.id)).all()
    db.session.execute(insert(InterviewTable), [
        {"participation_id": pid, "name": f"Table {k}", "recruiter_id": None}
        for pid, wanted, _status in participations for k in range(1, wanted + 1)])
    status_of = {pid: status for pid, _wanted, status in participations}
    tables = db.session.execute(select(InterviewTable.id, InterviewTable.participation_id).where(
        InterviewTable.participation_id.in_(list(status_of)))).all()
    span = (edition.ends_on - edition.starts_on).days + 1
    days = [edition.starts_on + timedelta(days=d) for d in range(span)]
    openings = [(day, start, end) for day in days for start, end in OPENINGS]
    db.session.execute(insert(TableOpening), [
        {"table_id": tid, "day": day, "starts_at": start, "ends_at": end}
        for tid, _pid in tables for day, start, end in openings])
    template = generate_slots(openings, edition.default_slot_minutes, edition.default_pause_minutes,
                              edition.timezone)
    slots = [{"table_id": tid, "starts_at": start, "ends_at": end, "status": "free"}
             for tid, pid in tables if status_of[pid] == APPROVED for start, end in template]
    if slots:
        db.session.execute(insert(InterviewSlot), slots)
    return approved_count, len(slots)
