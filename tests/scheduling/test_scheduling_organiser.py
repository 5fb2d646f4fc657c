"""The organiser's grid, export and the fair scheduler on the database: problem building,
preview against the greedy baseline, locks, re-run, publish (bookings and e-mails), CLI."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from jobday.db import utcnow
from jobday.scheduling import booking as bookings
from jobday.scheduling import planning, wishes
from jobday.scheduling.models import Booking, ScheduleAssignment, ScheduleRun, Shortlist
from tests import factories
from tests.scheduling.conftest import registered_candidate

EN = {"Accept-Language": "en"}


@pytest.fixture
def organiser(db):
    return factories.make_user(roles=("admin",), email="anne@example.org")


@pytest.fixture
def wished(fair, db):
    fair.edition.wishes_open_at = utcnow() - timedelta(days=1)
    fair.edition.wishes_close_at = utcnow() + timedelta(days=1)
    for user, ranked, period in (
        (fair.alice, [fair.acme, fair.biolab], "morning"),
        (fair.bob, [fair.acme], "afternoon"),
        (fair.carol, [fair.biolab, fair.acme], "all"),
    ):
        wishes.set_wishes(user, fair.edition, [p.id for p in ranked], actor=user, period=period)
    db.session.commit()
    return fair


def test_the_problem_respects_bookings_availability_and_apply_mode(db, wished):
    fair = wished
    existing = bookings.book_slot(fair.carol, fair.biolab_slots[0].id, actor=fair.carol)
    fair.biolab.booking_mode = "apply"
    db.session.add(Shortlist(participation_id=fair.biolab.id, candidate_id=fair.carol.id))
    db.session.flush()
    built = planning.build_problem(fair.edition)
    problem = built.problem
    by_id = {c.id: c for c in problem.candidates}
    assert set(by_id) == {fair.alice.id, fair.bob.id, fair.carol.id}
    # Alice wished Biolab, an apply-mode company that neither accepted nor shortlisted her.
    pairs = {(w.candidate_id, w.company_id, w.rank, w.shortlisted) for w in problem.wishes}
    assert (fair.alice.id, fair.acme.id, 1, False) in pairs
    assert not any(c == fair.alice.id and k == fair.biolab.id for c, k, _, _ in pairs)
    assert (fair.carol.id, fair.biolab.id, 1, True) in pairs
    assert by_id[fair.carol.id].existing[0].slot_id == existing.slot_id
    assert by_id[fair.alice.id].windows and by_id[fair.carol.id].windows is None
    assert problem.settings.gap_minutes == 10 and problem.settings.max_per_candidate == 4


def test_run_preview_lock_rerun_and_publish(client, db, wished, organiser, login_as, mailbox):
    fair = wished
    login_as(organiser)
    response = client.post_form("/organiser/scheduler/run", {"keep_locks": "y"})
    assert response.status_code == 303 and "/jobs/" in response.location
    run = db.session.scalar(select(ScheduleRun))
    assert run.status == "preview", run.error
    stats = run.stats
    assert stats["coverage"] == 3 and stats["wishes_met"] == 5 and stats["baseline"]["coverage"] == 3
    page = client.get("/organiser/scheduler", headers=EN).get_data(as_text=True)
    assert "Greedy baseline" in page and "3 / 3" in page
    alice_slot = db.session.scalar(
        select(ScheduleAssignment).where(
            ScheduleAssignment.candidate_id == fair.alice.id,
            ScheduleAssignment.participation_id == fair.acme.id,
        )
    )
    assert (
        client.post_form(f"/organiser/scheduler/runs/{run.id}/assignments/{alice_slot.id}/lock").status_code
        == 303
    )
    db.session.refresh(alice_slot)
    assert alice_slot.locked
    client.post_form("/organiser/scheduler/run", {"keep_locks": "y"})
    second = db.session.scalar(select(ScheduleRun).order_by(ScheduleRun.id.desc()))
    db.session.refresh(run)
    assert run.status == "discarded" and second.status == "preview"
    kept = db.session.scalar(
        select(ScheduleAssignment).where(ScheduleAssignment.run_id == second.id, ScheduleAssignment.locked)
    )
    assert (kept.candidate_id, kept.slot_id) == (fair.alice.id, alice_slot.slot_id)
    people = planning.audience(fair.edition.id).total
    assert client.post_form(f"/organiser/scheduler/runs/{second.id}/publish",
                            {"confirm": "y", "recipients": people}).status_code == 303
    db.session.refresh(second)
    assert second.status == "published"
    active = list(db.session.scalars(select(Booking).where(Booking.active)))
    assert len(active) == 5 and {b.source for b in active} == {"scheduler"}
    assert any("Acme Bio" in mailbox.text(m) for m in mailbox.to("alice@example.org"))
    assert mailbox.to(fair.recruiter.email)  # the company gets its schedule
    # Publishing twice is refused.
    client.post_form(f"/organiser/scheduler/runs/{second.id}/publish", {"confirm": "y", "recipients": people})
    assert db.session.scalar(select(func.count(Booking.id))) == 5


def test_organiser_pages_refuse_others(client, db, fair, login_as):
    login_as(fair.alice)
    for url in ("/organiser/interviews", "/organiser/scheduler", "/organiser/interviews.csv"):
        assert client.get(url).status_code == 403
    assert client.post_form("/organiser/scheduler/run").status_code == 403
    assert db.session.scalar(select(func.count(ScheduleRun.id))) == 0


def test_the_grid_fill_rates_and_candidates_without_interviews(client, db, fair, organiser, login_as):
    bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    db.session.commit()
    login_as(organiser)
    page = client.get("/organiser/interviews", headers=EN).get_data(as_text=True)
    assert "Acme Bio" in page and "17 % (1/6)" in page  # the morning of the fill per half-day
    assert "Candidates without any interview (2)" in page and "bob@example.org" in page
    csv_text = client.get("/organiser/interviews.csv").get_data(as_text=True)
    assert "Acme Bio" in csv_text and "alice@example.org" in csv_text


def test_the_cli_solves_and_publishes(runner, db, wished, organiser):
    result = runner.invoke(
        args=["schedule", "solve", "--edition", str(wished.edition.year), "--publish", "--time-limit", "5"]
    )
    assert result.exit_code == 0, result.output
    assert "Couverture\u00a0: 3 candidat·es sur 3" in result.output
    assert "Publié\u00a0: 5 entretiens réservés" in result.output
    assert db.session.scalar(select(func.count(Booking.id)).where(Booking.active)) == 5
    result = runner.invoke(args=["schedule", "solve", "--edition", "1999"])
    assert result.exit_code != 0 and "Aucune édition" in result.output


def test_the_cli_expires_offers(runner, db):
    result = runner.invoke(args=["schedule", "expire-offers"])
    assert result.exit_code == 0 and "0 offre expirée." in result.output  # French, singular for 0


def test_scheduler_bookings_still_keep_every_rule(db, wished, organiser):
    fair = wished
    run = planning.start_run(fair.edition, actor=organiser)
    planning.execute_run(run, time_limit=5)
    # Meanwhile Alice books by hand at the time the preview gave her at Acme.
    mine = db.session.scalar(
        select(ScheduleAssignment).where(
            ScheduleAssignment.candidate_id == fair.alice.id,
            ScheduleAssignment.participation_id == fair.acme.id,
        )
    )
    dave = registered_candidate(fair.edition)
    bookings.book_slot(dave, mine.slot_id, actor=dave)
    result = planning.publish_run(run, actor=organiser)
    assert result.skipped == 1 and result.booked == 4
    assert (
        db.session.scalar(
            select(func.count(Booking.id)).where(Booking.slot_id == mine.slot_id, Booking.active)
        )
        == 1
    )


def test_the_preview_says_in_plain_words_how_far_from_the_best_it_can_be(client, db, wished, organiser, login_as):
    login_as(organiser)
    client.post_form("/organiser/scheduler/run", {"keep_locks": "y"})
    run = db.session.scalar(select(ScheduleRun))
    assert run.stats["proven_optimal"] and run.stats["weight_short"] == 0
    page = client.get("/organiser/scheduler").get_data(as_text=True)  # French, the default
    assert "Optimal\u00a0: aucun planning ne peut faire mieux." in page

    for changes, words in (
        ({"weight_short": 3}, "Au plus 3 souhaits pondérés de moins que le meilleur planning possible."),
        ({"weight_short": 1}, "Au plus 1 souhait pondéré de moins que le meilleur planning possible."),
        ({"coverage_short": 2, "weight_short": None},
         "Au plus 2 candidats de plus pourraient avoir un entretien dans le meilleur planning possible."),
        ({"coverage_short": 1, "weight_short": None},
         "Au plus 1 candidat de plus pourrait avoir un entretien dans le meilleur planning possible."),
        ({"coverage_short": None, "weight_short": None}, "Meilleure solution trouvée dans le temps imparti."),
    ):
        run.stats = {**run.stats, "proven_optimal": False, "coverage_short": 0, **changes}
        db.session.commit()
        page = client.get("/organiser/scheduler").get_data(as_text=True)
        assert words in page, changes
        assert "Optimal :" not in page


def test_the_distance_to_the_best_comes_from_the_solver_bound():
    from dataclasses import replace

    from jobday.scheduling import solver as S
    from jobday.scheduling.planning.runs import _distance
    from tests.scheduling.demo_problem import demo_problem

    problem = demo_problem(seed=1, candidates=30, companies=4)
    stats = S.solve(problem, time_limit=5).stats
    assert _distance(replace(stats, bound=S.Bound(stats.coverage, stats.weight + 7))) == {
        "coverage_short": 0, "weight_short": 7}
    assert _distance(replace(stats, bound=S.Bound(stats.coverage + 2, 0))) == {
        "coverage_short": 2, "weight_short": None}
    assert _distance(replace(stats, bound=None)) == {"coverage_short": None, "weight_short": None}
