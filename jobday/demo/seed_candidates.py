"""Demo candidates: profiles, languages, wishes, consents and registrations, in bulk.

Called by ``seed_demo`` once the candidate accounts exist. Profiles vary in level, field,
region and wishes; about 80% agree to share their profile with the companies they apply
to; most are registered for the demo edition. ``candidate@jobday.example`` has a complete
profile (no CV file) and is registered. Candidates that already have a profile are left
alone, so seeding twice adds nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import insert, select

from jobday.accounts.models import User, UserRole
from jobday.candidates.consent import CONSENT_TEXT_VERSION
from jobday.candidates.models import (
    CandidateContractType,
    CandidateJobArea,
    CandidateLanguage,
    CandidateProfile,
    Consent,
    ConsentKind,
    Registration,
    RegistrationStatus,
)
from jobday.db import utcnow
from jobday.demo import data
from jobday.editions.models import Edition
from jobday.extensions import db
from jobday.security import Role

DEMO_CANDIDATE = "candidate@jobday.example"
LEVELS = (("cess", 15), ("bachelor", 40), ("master", 33), ("phd", 6), ("other", 6))
AREAS = (("production", 22), ("quality_control", 22), ("quality_assurance", 12), ("rnd", 14),
         ("maintenance", 9), ("engineering", 8), ("regulatory", 5), ("logistics", 6), ("other", 2))
CONTRACTS = (("permanent", 50), ("fixed_term", 20), ("internship", 20), ("student_job", 10))


def _weighted(rng: random.Random, pairs) -> str:
    return rng.choices([code for code, _w in pairs], weights=[w for _c, w in pairs])[0]


def _several(rng: random.Random, pairs, low: int, high: int) -> list[str]:
    chosen: list[str] = []
    for _ in range(rng.randint(low, high)):
        code = _weighted(rng, pairs)
        if code not in chosen:
            chosen.append(code)
    return chosen


def seed_candidates(edition: Edition, rng: random.Random) -> dict[str, int]:
    now = utcnow()
    rows = db.session.execute(
        select(User.id, User.email).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == str(Role.CANDIDATE))
        .where(User.id.not_in(select(CandidateProfile.user_id)))
        .order_by(User.id)).all()
    registered_ids = set(db.session.scalars(select(Registration.user_id)
                                            .where(Registration.edition_id == edition.id)))
    profiles, languages, areas, contracts, consents, registrations = [], [], [], [], [], []
    for user_id, email in rows:
        demo = email == DEMO_CANDIDATE
        postcode, _town, region = rng.choice(data.PLACES)
        level = "master" if demo else _weighted(rng, LEVELS)
        years = 2 if demo else (0 if rng.random() < 0.35 else rng.randint(1, 20))
        profiles.append({
            "user_id": user_id, "phone": f"+324{rng.choice('5789')}{rng.randint(0, 9_999_999):07d}",
            "postcode": "6041" if demo else postcode, "region": "wallonia" if demo else region,
            "education_level": level,
            "field_of_study": "Biotechnologie" if demo else rng.choice(data.FIELDS_OF_STUDY),
            "years_experience": years,
            "availability_date": (now + timedelta(days=rng.randint(0, 180))).date(),
            "about": data.ABOUT_SNIPPETS[1] if demo else (
                rng.choice(data.ABOUT_SNIPPETS) if rng.random() < 0.6 else ""),
            "created_at": now, "updated_at": now,
        })
        spoken = {"fr": "native" if rng.random() < 0.85 else "fluent"}
        if demo or rng.random() < 0.75:
            spoken["en"] = rng.choice(("basic", "good", "good", "fluent"))
        if rng.random() < 0.3:
            spoken["nl"] = rng.choice(("basic", "basic", "good", "fluent"))
        if rng.random() < 0.08:
            spoken["de"] = rng.choice(("basic", "good", "native"))
        languages += [{"user_id": user_id, "language": code, "level": lvl} for code, lvl in spoken.items()]
        wanted = ["quality_control", "rnd"] if demo else _several(rng, AREAS, 1, 3)
        areas += [{"user_id": user_id, "area": area} for area in wanted]
        kinds = ["permanent", "fixed_term"] if demo else _several(rng, CONTRACTS, 1, 2)
        contracts += [{"user_id": user_id, "contract_type": kind} for kind in kinds]
        answered = now - timedelta(days=rng.randint(1, 90), minutes=rng.randint(0, 1440))
        choices = {
            ConsentKind.SHARE_WITH_APPLIED: demo or rng.random() < 0.8,
            ConsentKind.SHARE_WITH_ALL_EXHIBITORS: (not demo) and rng.random() < 0.3,
            ConsentKind.NEWS: demo or rng.random() < 0.45,
        }
        consents += [{"user_id": user_id, "kind": str(kind), "granted": granted,
                      "text_version": CONSENT_TEXT_VERSION, "recorded_at": answered}
                     for kind, granted in choices.items()]
        if user_id in registered_ids or (not demo and rng.random() < 0.08):
            continue
        withdrawn = not demo and rng.random() < 0.03
        registrations.append({
            "user_id": user_id, "edition_id": edition.id,
            "status": str(RegistrationStatus.WITHDRAWN if withdrawn else RegistrationStatus.REGISTERED),
            "created_at": answered, "registered_at": answered,
            "withdrawn_at": answered + timedelta(days=1) if withdrawn else None,
        })
    for model, batch in ((CandidateProfile, profiles), (CandidateLanguage, languages),
                         (CandidateJobArea, areas), (CandidateContractType, contracts),
                         (Consent, consents), (Registration, registrations)):
        if batch:
            db.session.execute(insert(model), batch)
    return {"candidate profiles": len(profiles),
            "registrations": sum(1 for r in registrations if r["status"] == "registered")}
