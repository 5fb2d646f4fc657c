"""The demo candidates: varied complete profiles, consents, registrations; idempotent."""

from __future__ import annotations

from sqlalchemy import func, select

from jobday.candidates.consent import current_choices, users_granting
from jobday.candidates.models import CandidateProfile, ConsentKind, Registration
from jobday.candidates.services import get_profile, profile_is_complete
from jobday.demo.seed import seed_demo


def test_demo_candidates_have_varied_complete_profiles_and_registrations(db):
    summary = seed_demo(candidates=200, companies=3, year=2031)
    db.session.commit()
    profiles = db.session.scalars(select(CandidateProfile)).all()
    assert len(profiles) == 200 == summary.counts["candidate profiles"]
    assert all(profile_is_complete(p.user, p) for p in profiles)
    assert len({p.education_level for p in profiles}) == 5 and len({p.region for p in profiles}) >= 3
    assert len({area for p in profiles for area in p.job_areas}) >= 7
    sharing = len(db.session.scalars(users_granting(ConsentKind.SHARE_WITH_APPLIED)).all())
    assert 0.7 * 200 <= sharing <= 0.9 * 200
    registered = db.session.scalar(
        select(func.count(Registration.id)).where(Registration.status == "registered"))
    assert registered == summary.counts["registrations"] and registered > 0.8 * 200

    demo = next(p for p in profiles if p.user.email == "candidate@jobday.example")
    assert demo.phone and demo.languages and demo.contract_types and demo.about
    assert current_choices(demo.user_id)["share_with_applied"] is True
    status = db.session.scalar(select(Registration.status).where(Registration.user_id == demo.user_id))
    assert status == "registered"
    assert get_profile(demo.user).has_cv is True  # jobday.demo.seed_journeys

    again = seed_demo(candidates=200, companies=3, year=2031)
    assert again.counts["candidate profiles"] == 0 and again.counts["registrations"] == 0
    assert db.session.scalar(select(func.count(CandidateProfile.user_id))) == 200
