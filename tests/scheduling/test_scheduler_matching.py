"""The organiser's scheduler with the matching (issue 18, item 10): off by default; when ticked,
registered candidates without wishes who share their profile with every exhibitor come in
with their best-fitting open-booking exhibitors as suggestions, which weigh less than any
wish; the preview and the command line say how many interviews came from matching."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select

from jobday.candidates.consent import record_consents
from jobday.db import utcnow
from jobday.scheduling import planning, wishes
from jobday.scheduling.models import Booking, ScheduleAssignment, ScheduleRun
from tests import factories
from tests.scheduling.conftest import registered_candidate


@pytest.fixture
def organiser(db):
    return factories.make_user(roles=("admin",), email="anne@example.org")


@pytest.fixture
def matched(fair, db):
    """Alice, Bob and Carol ranked companies; Dave did not and shares his profile with every
    exhibitor; Erin did not and shares nothing; Frank shares, but no offer fits him. Acme
    (open booking) and Biolab (apply and accept) both have an offer in quality control."""
    fair.edition.wishes_open_at = utcnow() - timedelta(days=1)
    fair.edition.wishes_close_at = utcnow() + timedelta(days=1)
    for user, ranked in ((fair.alice, [fair.acme]), (fair.bob, [fair.acme]), (fair.carol, [fair.acme])):
        wishes.set_wishes(user, fair.edition, [p.id for p in ranked], actor=user, period="all")
    fair.biolab.booking_mode = "apply"
    for participation in (fair.acme, fair.biolab):
        factories.make_offer(participation.company, job_areas=("quality_control",))
    fair.dave = registered_candidate(fair.edition, first_name="Dave", last_name="Durand", email="dave@example.org")
    fair.erin = registered_candidate(fair.edition, first_name="Erin", email="erin@example.org")
    fair.frank = registered_candidate(fair.edition, first_name="Frank", email="frank@example.org",
                                      job_areas=("logistics",))
    for user in (fair.dave, fair.frank):
        record_consents(user, {"share_with_all_exhibitors": True}, actor=user)
    db.session.commit()
    return fair


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_problem_takes_suggestions_only_when_asked(db, matched):
    fair = matched
    plain = planning.build_problem(fair.edition).problem
    assert {c.id for c in plain.candidates} == {fair.alice.id, fair.bob.id, fair.carol.id}
    assert not any(w.suggested for w in plain.wishes)

    problem = planning.build_problem(fair.edition, matching=True).problem
    assert {c.id for c in problem.candidates} == {fair.alice.id, fair.bob.id, fair.carol.id, fair.dave.id}
    suggested = [(w.candidate_id, w.company_id, w.rank) for w in problem.wishes if w.suggested]
    assert suggested == [(fair.dave.id, fair.acme.id, 1)]  # Biolab chooses its candidates itself
    real = [w for w in problem.wishes if not w.suggested]
    assert [(w.candidate_id, w.company_id) for w in real] == [(w.candidate_id, w.company_id) for w in plain.wishes]
    assert min(problem.objective_weight(w) for w in real) > problem.objective_weight(problem.wishes[-1])


def test_the_box_is_off_by_default_and_the_preview_counts_interviews_from_matching(
        client, db, matched, organiser, login_as, mailbox):
    fair = matched
    login_as(organiser)
    page = client.get("/organiser/scheduler").get_data(as_text=True)
    box = re.search(r'<input[^>]*name="matching"[^>]*>', page).group(0)
    assert "checked" not in box

    assert client.post_form("/organiser/scheduler/run", {"keep_locks": "y"}).status_code == 303
    run = db.session.scalar(select(ScheduleRun).order_by(ScheduleRun.id.desc()))
    assert run.status == "preview" and run.stats["matching"] is False
    assert fair.dave.id not in set(db.session.scalars(select(ScheduleAssignment.candidate_id)))
    assert "Entretiens issus de la mise en relation" not in _text(client.get("/organiser/scheduler").get_data(
        as_text=True))

    assert client.post_form("/organiser/scheduler/run", {"keep_locks": "y", "matching": "y"}).status_code == 303
    run = db.session.scalar(select(ScheduleRun).order_by(ScheduleRun.id.desc()))
    assert run.status == "preview", run.error
    stats = run.stats
    assert stats["matching"] is True and stats["from_matching"] == 1
    assert (stats["coverage"], stats["candidates_with_wishes"], stats["wishes"]) == (3, 3, 3)
    dave = db.session.scalars(select(ScheduleAssignment).where(ScheduleAssignment.run_id == run.id,
                                                                ScheduleAssignment.candidate_id == fair.dave.id)).all()
    assert [a.participation_id for a in dave] == [fair.acme.id]
    text = _text(client.get("/organiser/scheduler").get_data(as_text=True))
    assert "Entretiens issus de la mise en relation" in text
    assert "1 entretien de ce planning va à un·e candidat·e sans souhait" in text

    # Published, it is a booking like the others.
    people = planning.audience(fair.edition.id, run.id).total
    assert client.post_form(f"/organiser/scheduler/runs/{run.id}/publish",
                            {"confirm": "y", "recipients": people}).status_code == 303
    booked = db.session.scalars(select(Booking).where(Booking.candidate_id == fair.dave.id, Booking.active)).all()
    assert [b.participation_id for b in booked] == [fair.acme.id]
    assert mailbox.to("dave@example.org")


def test_the_command_line_says_how_many_came_from_matching(runner, db, matched):
    result = runner.invoke(args=["schedule", "solve", "--edition", str(matched.edition.year), "--matching"])
    assert result.exit_code == 0, result.output
    assert "1 entretien issu de la mise en relation" in result.output
