"""The demo logins' own story, so that each has something to do at once.

- ``candidate@jobday.example`` has a CV, two interviews booked at open-booking companies (a
  morning and an afternoon one, keeping the gap rule) and a pending application to the demo
  company;
- the demo company (administered by ``recruiter@jobday.example``) meets the candidates it
  accepts: applications wait for its decision, two accepted candidates have their interview
  booked, one has been declined.

Bookings and the demo candidate's application go through the booking and application rules
(no e-mail); the other applications are inserted in bulk. Runs before the demo's random
bookings (which leave booked candidates alone). Seeding twice adds nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select

from jobday.accounts.models import User
from jobday.candidates import cv
from jobday.candidates.consent import CONSENT_TEXT_VERSION
from jobday.candidates.models import CandidateProfile, Consent, ConsentKind, Registration, RegistrationStatus
from jobday.companies.models import (
    APPLY_BOOKING,
    OPEN_BOOKING,
    CompanyMember,
    InterviewSlot,
    InterviewTable,
    Participation,
)
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.errors import DomainError
from jobday.extensions import db
from jobday.scheduling import applications
from jobday.scheduling import booking as bookings
from jobday.scheduling.models import (
    APP_ACCEPTED,
    APP_DECLINED,
    APP_PENDING,
    SOURCE_APPLY,
    SOURCE_OPEN,
    Application,
)

DEMO_CANDIDATE = "candidate@jobday.example"
DEMO_RECRUITER = "recruiter@jobday.example"
PENDING_APPLICATIONS = 8

MOTIVATIONS = (
    "Votre site de production m'intéresse beaucoup : j'aimerais vous présenter mon parcours en GMP.",
    "Je termine mon master en biochimie et je cherche un premier poste en contrôle qualité.",
    "Technicienne de laboratoire depuis cinq ans, je voudrais rejoindre une équipe R&D.",
    "J'ai suivi une formation en maintenance industrielle et je cherche un CDI en Wallonie.",
    "Vos offres en affaires réglementaires correspondent à mon stage de fin d'études.",
    "Je souhaite évoluer vers l'assurance qualité après trois ans en production stérile.",
)


def seed_journeys(edition: Edition, rng: random.Random) -> dict[str, int]:
    candidate = db.session.scalar(select(User).where(User.email == DEMO_CANDIDATE))
    demo_company = db.session.scalar(
        select(Participation).join(CompanyMember, CompanyMember.company_id == Participation.company_id)
        .join(User, User.id == CompanyMember.user_id)
        .where(User.email == DEMO_RECRUITER, Participation.edition_id == edition.id))
    if candidate is None or demo_company is None or not demo_company.is_approved:
        return {}
    if db.session.scalar(select(Application.id).where(Application.participation_id == demo_company.id).limit(1)):
        return {}  # seeded before
    if demo_company.booking_mode != APPLY_BOOKING:  # a demo edition seeded before
        return {}
    pending, accepted_booked = _applications(edition, demo_company, candidate, rng)
    counts = {"demo CV": _demo_cv(candidate), "applications to decide": pending,
              "demo interviews": accepted_booked + _demo_bookings(edition, demo_company, candidate)}
    applications.apply_to_company(
        candidate, demo_company, actor=candidate,
        motivation="Votre laboratoire de contrôle qualité m'intéresse : j'ai fait mon stage en "
                   "microbiologie et je parle couramment anglais.")
    return counts


def _demo_cv(candidate: User) -> int:
    profile = db.session.get(CandidateProfile, candidate.id)
    if profile is None or profile.has_cv:
        return 0
    cv.store_cv(profile, _cv_pdf(candidate, profile), "CV Zoë Müller.pdf")
    return 1


def _cv_pdf(candidate: User, profile: CandidateProfile) -> bytes:
    from markupsafe import escape
    from weasyprint import HTML

    html = f"""<!doctype html><html lang="fr"><head><meta charset="utf-8"><style>
      body {{ font-family: 'DejaVu Sans', sans-serif; font-size: 11pt; margin: 2cm; }}
      h1 {{ margin: 0; }} h2 {{ border-bottom: 1px solid #888; margin-top: 1.2em; }}
    </style></head><body>
      <h1>{escape(candidate.first_name)} {escape(candidate.last_name)}</h1>
      <p>{escape(profile.field_of_study or "")} · Gosselies · {escape(candidate.email)}</p>
      <h2>Profil</h2><p>{escape(profile.about or "")}</p>
      <h2>Formation</h2><p>Master en biotechnologie, Université de Mons (2024)</p>
      <h2>Expérience</h2>
      <p>Stage en microbiologie, monitoring environnemental de salles blanches (6 mois)</p>
      <p>Technicienne de laboratoire QC, analyses physico-chimiques (2 ans)</p>
      <h2>Langues</h2><p>Français (langue maternelle), anglais (bon)</p>
    </body></html>"""
    return HTML(string=html).write_pdf()


def _applications(edition: Edition, company: Participation, demo: User, rng: random.Random) -> tuple[int, int]:
    """Registered candidates who share their profile with the companies they apply to: most
    wait for a decision, two are accepted (their interview is booked), one is declined."""
    sharing = select(Consent.user_id).where(
        Consent.kind == str(ConsentKind.SHARE_WITH_APPLIED), Consent.granted.is_(True),
        Consent.text_version == CONSENT_TEXT_VERSION)
    people = list(db.session.scalars(
        select(Registration.user_id).where(
            Registration.edition_id == edition.id, Registration.status == RegistrationStatus.REGISTERED,
            Registration.user_id != demo.id, Registration.user_id.in_(sharing))
        .order_by(Registration.user_id).limit(40)))
    chosen = rng.sample(people, min(len(people), PENDING_APPLICATIONS + 3))
    now = utcnow()
    statuses = [APP_ACCEPTED, APP_ACCEPTED, APP_DECLINED] + [APP_PENDING] * PENDING_APPLICATIONS
    rows = [{"edition_id": edition.id, "participation_id": company.id, "candidate_id": user_id,
             "motivation": MOTIVATIONS[n % len(MOTIVATIONS)], "status": str(status),
             "created_at": now - timedelta(days=n + 1, hours=rng.randint(0, 20)),
             "decided_at": now - timedelta(days=1) if status != APP_PENDING else None}
            for n, (user_id, status) in enumerate(zip(chosen, statuses, strict=False))]
    if rows:
        db.session.execute(insert(Application), rows)
    accepted = [row["candidate_id"] for row in rows if row["status"] == APP_ACCEPTED]
    booked = sum(_book_first_free(db.session.get(User, user_id), [company.id], after_hour=9,
                                  source=SOURCE_APPLY) is not None for user_id in accepted)
    return sum(1 for row in rows if row["status"] == APP_PENDING), booked


def _demo_bookings(edition: Edition, demo_company: Participation, candidate: User) -> int:
    """A morning and an afternoon interview at two open-booking companies."""
    open_ids = list(db.session.scalars(
        select(Participation.id).where(Participation.edition_id == edition.id, Participation.status == "approved",
                                       Participation.booking_mode == OPEN_BOOKING,
                                       Participation.id != demo_company.id)
        .order_by(Participation.id)))
    booked = 0
    for after_hour in (10, 14):
        booking = _book_first_free(candidate, open_ids, after_hour=after_hour, source=SOURCE_OPEN)
        if booking is not None:
            open_ids.remove(booking.participation_id)
            booked += 1
    return booked


def _book_first_free(candidate: User, participation_ids: list[int], *, after_hour: int, source: str):
    """The first free slot from ``after_hour`` (the fair's time) that the rules let the
    candidate book, booked without e-mail (none when booking is closed)."""
    edition = db.session.scalar(
        select(Edition).join(Participation).where(Participation.id.in_(participation_ids or [0])).limit(1))
    if edition is None:
        return None
    zone = ZoneInfo(edition.timezone)
    slots = db.session.execute(
        select(InterviewSlot, InterviewTable.participation_id).join(InterviewTable)
        .where(InterviewTable.participation_id.in_(participation_ids), InterviewSlot.status == "free",
               InterviewSlot.held_by_candidate_id.is_(None))
        .order_by(InterviewSlot.starts_at, InterviewSlot.id)).all()
    for slot, participation_id in slots:
        if slot.starts_at.astimezone(zone).hour < after_hour:
            continue
        if bookings.candidate_is_free(candidate.id, edition, slot, participation_id):
            try:
                return bookings.book_slot(candidate, slot.id, actor=candidate, source=source,
                                          notify_candidate=False)
            except DomainError:  # booking closed in an edition seeded before
                return None
    return None
