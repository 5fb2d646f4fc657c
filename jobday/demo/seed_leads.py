"""Demo leads: the demo recruiter's company met a dozen candidates at its stand (ratings,
tags, follow-ups, notes, one who took the access back), two other companies met the demo
candidate, and one of them invites her to apply. Drawn from a generator of their own, so the
rest of the demo is unchanged; seeding twice adds nothing."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from jobday.accounts.models import User
from jobday.candidates.models import Registration, RegistrationStatus
from jobday.companies.models import APPROVED, CompanyMember, Participation
from jobday.demo.seed_companies import DEMO_ADMIN
from jobday.editions.models import Edition
from jobday.extensions import db
from jobday.leads.models import InterviewInvitation, Lead, LeadChange, LeadScan, LeadTag
from jobday.leads.vocabulary import InvitationKind, InvitationSource, LeadField, LeadState

DEMO_CANDIDATE = "candidate@jobday.example"
TAGS = ("Profil prioritaire", "Stage", "À rappeler", "Bilingue")
NOTES = ("Très motivée, disponible en septembre.", "Expérience en HPLC, à recontacter après le salon.",
         "Cherche un stage de six mois.", "Parle couramment néerlandais.", "")
LEADS = 12


def seed_leads(edition: Edition) -> dict[str, int]:
    if db.session.scalar(select(func.count(Lead.id)).where(Lead.edition_id == edition.id)):
        return {}
    rng = random.Random(f"leads-{edition.year}")
    zone = ZoneInfo(edition.timezone)
    demo_company = db.session.scalar(select(CompanyMember.company_id).join(User, User.id == CompanyMember.user_id)
                                     .where(User.email == DEMO_ADMIN))
    exhibitors = list(db.session.scalars(select(Participation).where(
        Participation.edition_id == edition.id, Participation.status == APPROVED).order_by(Participation.id)))
    registered = list(db.session.scalars(select(Registration.user_id).where(
        Registration.edition_id == edition.id, Registration.status == RegistrationStatus.REGISTERED)
        .order_by(Registration.user_id)))
    demo_candidate = db.session.scalar(select(User.id).where(User.email == DEMO_CANDIDATE))
    ours = next((p for p in exhibitors if p.company_id == demo_company), None)
    if ours is None or not registered:
        return {}
    recruiters = list(db.session.scalars(select(CompanyMember.user_id).where(
        CompanyMember.company_id == demo_company).order_by(CompanyMember.id)))
    tags = [LeadTag(company_id=demo_company, name=name, name_key=name.casefold()) for name in TAGS]
    db.session.add_all(tags)

    def moment(minutes: int) -> datetime:
        return datetime.combine(edition.starts_on, time(9, 45), tzinfo=zone) + timedelta(minutes=minutes)

    met = ([demo_candidate] if demo_candidate in registered else []) + rng.sample(
        [uid for uid in registered if uid != demo_candidate], LEADS - 1)
    leads = []
    for n, candidate_id in enumerate(met):
        recruiter = recruiters[n % len(recruiters)]
        at = moment(17 * n + rng.randint(0, 10))
        lead = Lead(edition_id=edition.id, company_id=demo_company, candidate_id=candidate_id,
                    first_scanned_at=at, last_scanned_at=at, first_scanned_by_id=recruiter,
                    last_scanned_by_id=recruiter, scan_count=1, updated_at=at, updated_by_id=recruiter,
                    rating=rng.choice((None, 3, 4, 5)) if n else 5,
                    state=rng.choice(list(LeadState)) if n else LeadState.CONTACTED,
                    note=NOTES[n % len(NOTES)])
        lead.tags = rng.sample(tags, rng.randint(0, 2)) if n else tags[:2]
        if n == LEADS - 1:
            lead.access_withdrawn_at = at + timedelta(hours=3)
        leads.append(lead)
    for company_offset in (1, 2):  # two more companies met the demo candidate
        other = exhibitors[(exhibitors.index(ours) + company_offset * 7) % len(exhibitors)]
        if demo_candidate in registered and other.company_id != demo_company:
            at = moment(60 * company_offset + 30)
            leads.append(Lead(edition_id=edition.id, company_id=other.company_id, candidate_id=demo_candidate,
                              first_scanned_at=at, last_scanned_at=at, scan_count=1, updated_at=at))
            if company_offset == 1:
                db.session.add(InterviewInvitation(
                    edition_id=edition.id, participation_id=other.id, candidate_id=demo_candidate,
                    kind=InvitationKind.APPLY, source=InvitationSource.LEAD, created_at=at + timedelta(hours=1),
                    message="Nous avons apprécié notre échange : postulez pour un entretien !"))
    db.session.add_all(leads)
    db.session.flush()
    for n, lead in enumerate(leads):
        db.session.add(LeadScan(lead_id=lead.id, recruiter_id=lead.first_scanned_by_id,
                                scope=f"demo{lead.company_id}", nonce=f"demo-lead-{n:04d}",
                                scanned_at=lead.first_scanned_at))
        if lead.is_withdrawn:
            db.session.add(LeadChange(lead_id=lead.id, actor_id=lead.candidate_id, field=LeadField.ACCESS,
                                      old_value="granted", new_value="withdrawn",
                                      changed_at=lead.access_withdrawn_at))
        if lead.rating:
            db.session.add(LeadChange(lead_id=lead.id, actor_id=lead.first_scanned_by_id, field=LeadField.RATING,
                                      new_value=str(lead.rating),
                                      changed_at=lead.first_scanned_at + timedelta(minutes=2)))
    db.session.flush()
    return {"leads met at the stands": len(leads)}
