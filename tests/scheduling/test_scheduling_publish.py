"""Publishing the schedule (issue 14, item 7): asked for with the number of people it e-mails
and a ticked box, tried first with "send me a test", run as a job in short transactions whose
progress shows, and the site answers throughout, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from jobday.extensions import db as _db
from jobday.jobs.models import Job
from jobday.scheduling import planning
from jobday.scheduling.models import Booking, ScheduleRun
from jobday.staff.models import AuditEntry
from tests.factories import DEFAULT_PASSWORD
from tests.scheduling.test_scheduling_organiser import organiser, wished  # noqa: F401  (fixtures)

FR = {"Accept-Language": "fr"}


def _preview(db, fair, organiser):  # noqa: F811
    run = planning.start_run(fair.edition, actor=organiser)
    planning.execute_run(run, time_limit=5)
    db.session.commit()
    return run


def test_publishing_asks_for_the_number_of_people_and_a_ticked_box(client, db, wished, organiser, login_as,  # noqa: F811
                                                                  mailbox):
    run = _preview(db, wished, organiser)
    login_as(organiser)
    people = planning.audience(wished.edition.id)
    page = client.get("/organiser/scheduler", headers=FR).get_data(as_text=True)
    assert f"Publier et écrire à {people.total} personnes" in page and "M'envoyer d'abord un test" in page
    url = f"/organiser/scheduler/runs/{run.id}/publish"
    for refused in ({"recipients": people.total}, {"confirm": "y", "recipients": people.total + 1}, {"confirm": "y"}):
        assert client.post_form(url, refused).status_code == 303
        db.session.refresh(run)
        assert run.status == "preview" and db.session.scalar(select(func.count(Booking.id))) == 0
    assert not mailbox.messages
    assert client.post_form(url, {"confirm": "y", "recipients": people.total}).status_code == 303
    db.session.refresh(run)
    assert run.status == "published"
    job = db.session.get(Job, run.stats["publish_job_id"])
    assert job.status == "done" and job.done == job.total > 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "schedule_publish"))
    assert entry.actor_id == organiser.id and entry.object_id == run.id and "booked=5" in entry.detail


def test_send_me_a_test_first_mails_the_organiser_only(client, db, wished, organiser, login_as, mailbox):  # noqa: F811
    run = _preview(db, wished, organiser)
    login_as(organiser)
    response = client.post_form(f"/organiser/scheduler/runs/{run.id}/test-mail")
    assert response.status_code == 303
    [message] = mailbox.messages
    assert message["To"] == organiser.email and "Acme Bio" in mailbox.text(message)
    db.session.refresh(run)
    assert run.status == "preview" and db.session.scalar(select(func.count(Booking.id))) == 0


def test_a_publication_resumed_after_a_stop_books_and_mails_each_once(app, db, wished, organiser, mailbox):  # noqa: F811
    """The job marks, books, marks published and mails in steps; started again after a stop
    (its run still "publishing"), it goes on without a second booking or e-mail."""
    from jobday.jobs.services import run_job, start_job

    run = _preview(db, wished, organiser)
    planning.begin_publication(run, actor=organiser)
    first = start_job("scheduling.publish", actor=organiser, params={"run_id": run.id})
    db.session.commit()
    run_job(first.id)
    again = start_job("scheduling.publish", actor=organiser, params={"run_id": run.id})
    db.session.commit()
    run_job(again.id)
    db.session.expire_all()
    assert db.session.get(Job, again.id).status == "failed"  # published already: nothing to resume
    assert db.session.scalar(select(func.count(Booking.id))) == 5
    assert len(mailbox.to("alice@example.org")) == 1


def _publish_while_browsing(app, client_factory, publish_url, form, logins, candidate_email, run_id):
    """The organiser publishes (the eager job runs inside that request) while a candidate logs
    in and opens pages again and again; returns what the candidate's requests saw."""
    seen, errors, done = [], [], threading.Event()

    def organiser_side():
        try:
            with app.app_context():
                response = logins["organiser"].post_form(publish_url, form)
                errors.append(None if response.status_code == 303 else response.status_code)
                _db.session.remove()
        finally:
            done.set()

    def progress() -> tuple[int, int]:
        with app.app_context():
            job = _db.session.scalar(select(Job).where(Job.kind == "scheduling.publish"))
            value = (job.done, job.total) if job is not None else (0, 0)
            _db.session.remove()
        return value

    thread = threading.Thread(target=organiser_side)
    thread.start()
    while not done.is_set():
        visitor = client_factory()
        token = visitor.csrf_token()
        login = visitor.post("/account/login", data={"csrf_token": token, "email": candidate_email,
                                                     "password": DEFAULT_PASSWORD})
        page = visitor.get("/candidate")
        seen.append((login.status_code, page.status_code, progress()))
        done.wait(0.5)  # a visitor every half second, not a flood competing for the interpreter
    thread.join()
    return seen, errors


def _demo_with_preview(app, db):
    from jobday.demo.seed import seed_demo
    from jobday.editions.services import get_edition_by_year
    from jobday.security import Role
    from tests import factories

    seed_demo(candidates=200, companies=10, year=2034)
    edition = get_edition_by_year(2034)
    olga = factories.make_user(roles=(Role.ADMIN,), email="olga@example.org")
    candidate = factories.make_candidate(email="zoe.publish@example.org")
    factories.make_registration(candidate, edition)
    db.session.commit()
    run = planning.start_run(edition, actor=olga)
    planning.execute_run(run, time_limit=5)
    db.session.commit()
    return edition, olga, candidate, run


def _check_pages_answer_during_a_publish(app, db, client):
    from tests.conftest import JobdayClient

    app.config["SCHEDULE_PUBLISH_BATCH"] = 20
    edition, olga, candidate, run = _demo_with_preview(app, db)
    rows = db.session.scalar(select(func.count()).select_from(
        select(planning.publish.ScheduleAssignment).where(planning.publish.ScheduleAssignment.run_id == run.id)
        .subquery()))
    assert rows > 60, "the demo preview is too small to show anything"
    app.test_client_class = JobdayClient
    staff = app.test_client()
    staff.post("/account/login", data={"csrf_token": staff.csrf_token(), "email": olga.email,
                                       "password": DEFAULT_PASSWORD})
    people = planning.audience(edition.id).total
    seen, errors = _publish_while_browsing(
        app, app.test_client, f"/organiser/scheduler/runs/{run.id}/publish",
        {"confirm": "y", "recipients": people}, {"organiser": staff}, candidate.email, run.id)
    assert errors == [None]
    assert seen and all(login < 500 and page < 500 for login, page, _progress in seen), seen
    # Logins (which write) went through while the publication was half done: it no longer holds
    # the database from the first booking to the last e-mail.
    assert any(0 < done < total for _login, _page, (done, total) in seen), seen
    db.session.expire_all()
    assert db.session.get(ScheduleRun, run.id).status == "published"
    assert db.session.scalar(select(func.count(Booking.id)).where(Booking.source == "scheduler")) > 60


def test_pages_answer_while_the_demo_schedule_is_published_on_sqlite(app, db, client):
    _check_pages_answer_during_a_publish(app, db, client)


@pytest.mark.postgres
def test_pages_answer_while_the_demo_schedule_is_published_on_postgresql(app, db, client):
    _check_pages_answer_during_a_publish(app, db, client)
