"""The demo shows leads: the demo recruiter's company met a dozen candidates, the demo candidate
was met by three companies and invited by one; offers say where and in which languages; the
demo candidate gets recommendations; seeding twice adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from jobday.accounts.models import User
from jobday.companies.models import CompanyMember, JobOffer, JobOfferLanguage
from jobday.demo.seed import seed_demo
from jobday.extensions import db
from jobday.leads.models import InterviewInvitation, Lead, LeadScan
from jobday.matching.home import recommendations


def test_the_demo_has_leads_at_the_stand(app):
    summary = seed_demo(candidates=120, companies=30, year=2033)
    db.session.commit()
    assert summary.counts["leads met at the stands"] == 14
    recruiter_company = db.session.scalar(select(CompanyMember.company_id).join(User).where(
        User.email == "recruiter@jobday.example"))
    ours = db.session.scalars(select(Lead).where(Lead.company_id == recruiter_company)).all()
    assert len(ours) == 12 and sum(1 for lead in ours if lead.is_withdrawn) == 1
    assert any(lead.tags for lead in ours) and any(lead.rating for lead in ours) and any(lead.note for lead in ours)
    candidate = db.session.scalar(select(User).where(User.email == "candidate@jobday.example"))
    assert db.session.scalar(select(func.count(Lead.id)).where(Lead.candidate_id == candidate.id)) == 3
    assert db.session.scalar(select(func.count(InterviewInvitation.id))) == 1
    assert db.session.scalar(select(func.count(LeadScan.id))) == 14
    assert db.session.scalar(select(func.count(JobOffer.id)).where(JobOffer.region != "")) > 0
    assert db.session.scalar(select(func.count(JobOfferLanguage.offer_id))) > 0
    edition_id = ours[0].edition_id
    assert recommendations(candidate.id, edition_id)
    again = seed_demo(candidates=120, companies=30, year=2033)
    assert "leads met at the stands" not in again.counts
    assert db.session.scalar(select(func.count(Lead.id))) == 14
