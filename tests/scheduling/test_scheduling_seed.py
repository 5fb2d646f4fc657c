"""The demo interviews: wishes, availability, and open bookings that keep every rule; the
scheduler runs on the result; seeding twice adds nothing."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from jobday.companies.models import InterviewSlot
from jobday.demo.seed import seed_demo
from jobday.editions.services import get_edition_by_year
from jobday.scheduling import planning
from jobday.scheduling.models import Booking, Wish
from jobday.scheduling.solver import validate


def test_demo_wishes_and_bookings_are_consistent(db):
    summary = seed_demo(candidates=120, companies=8, year=2032)
    db.session.commit()
    wishes = db.session.scalars(select(Wish)).all()
    assert len(wishes) == summary.counts["interview wishes"] > 120 * 3 * 0.7
    per_candidate = Counter(w.candidate_id for w in wishes)
    assert min(per_candidate.values()) >= 3 and max(per_candidate.values()) <= 8
    every = db.session.scalars(select(Booking).where(Booking.active)).all()
    assert len(every) == summary.counts["interviews booked"] + summary.counts["demo interviews"]
    assert len({b.slot_id for b in every}) == len(every)
    demo_people = {b.candidate_id for b in every if b.source != "open" or b.candidate.email.endswith("@jobday.example")}
    bookings = [b for b in every if b.candidate_id not in demo_people]
    assert len(bookings) == summary.counts["interviews booked"] > 0
    assert len({b.candidate_id for b in bookings}) == len(bookings)
    for booking in bookings:
        assert db.session.get(InterviewSlot, booking.slot_id).held_by_candidate_id == booking.candidate_id
    edition = get_edition_by_year(2032)
    built = planning.build_problem(edition)
    schedule = planning.solve_built(built, time_limit=5)
    assert validate(built.problem, schedule) == [] and schedule.stats.coverage > 0
    again = seed_demo(candidates=120, companies=8, year=2032)
    db.session.commit()
    assert "interview wishes" not in again.counts
    assert db.session.scalar(select(func.count(Wish.id))) == len(wishes)
