"""The demo companies: members, offers, participations with stands, tables and slots."""

from sqlalchemy import func, select

from jobday.accounts.models import User
from jobday.companies.models import (
    Company,
    CompanyMember,
    InterviewSlot,
    InterviewTable,
    JobOffer,
    Participation,
)
from jobday.demo.seed import seed_demo


def test_demo_companies_are_complete_and_consistent(app, db):
    summary = seed_demo(candidates=20, companies=12, year=2031)
    db.session.commit()
    assert db.session.scalar(select(func.count(Company.id))) == 12
    assert summary.counts["approved companies"] == 11
    assert 24 <= summary.counts["job offers"] <= 60
    # The demo recruiter administers the first company; every company has exactly one admin.
    demo = db.session.scalar(select(User).where(User.email == "recruiter@jobday.example"))
    member = db.session.scalar(select(CompanyMember).where(CompanyMember.user_id == demo.id))
    assert member.is_admin and member.company.name == "Vaxolis"
    admins = db.session.execute(select(CompanyMember.company_id, func.count()).where(CompanyMember.is_admin)
                                .group_by(CompanyMember.company_id)).all()
    assert len(admins) == 12 and all(n == 1 for _cid, n in admins)
    # Recruiters belong to the company of their e-mail domain.
    for member in db.session.scalars(select(CompanyMember)):
        if member.user.email != "recruiter@jobday.example":
            assert member.company.website.endswith(member.user.email.rpartition("@")[2])
    # Stands are set for approved companies only; slots exist for approved companies only.
    participations = list(db.session.scalars(select(Participation)))
    assert all((p.stand is not None) == (p.status == "approved") for p in participations)
    held_by_pending = db.session.scalar(
        select(func.count(InterviewSlot.id)).join(InterviewTable).join(Participation)
        .where(Participation.status != "approved"))
    assert held_by_pending == 0
    assert db.session.scalar(select(func.count(InterviewSlot.id))) == summary.counts["interview slots"] > 0
    assert all(offer.job_areas for offer in db.session.scalars(select(JobOffer)))
