"""The job queue: progress, results, failures with their reason, retries, and who may see."""

from __future__ import annotations

from datetime import timedelta

from jobday import storage
from jobday.db import utcnow
from jobday.jobs.models import Job
from jobday.jobs.services import JobResult, enqueue, register_job_handler, start_job
from jobday.security import Role
from tests.factories import make_user

calls: list[dict] = []


def _write_file(job, progress):
    for n in range(1, 4):
        progress(n, 3)
    calls.append(dict(job.params))
    return JobResult(data=("hello " + job.params["name"]).encode(), name="hello.txt", summary="3 lines")


def _explode(job, progress):
    if not job.params.get("fixed"):
        raise ValueError("the printer caught fire")
    return JobResult(summary="fine now")


register_job_handler("test.write_file", _write_file)
register_job_handler("test.explode", _explode)


def _run(kind, actor, **params):
    job = start_job(kind, actor=actor, params=params)
    from jobday.extensions import db

    db.session.commit()
    job_id = job.id
    enqueue(job)
    return db.session.get(Job, job_id)


def test_a_job_runs_reports_progress_and_offers_its_result(db, client, login_as):
    admin = login_as("admin")
    job = _run("test.write_file", admin, name="Zoë")
    db.session.refresh(job)
    assert (job.status, job.done, job.total, job.percent) == ("done", 3, 3, 100)
    assert job.result_summary == "3 lines"
    status = client.get(f"/jobs/{job.id}.json").get_json()
    assert status["status"] == "done" and status["download"]
    download = client.get(status["download"])
    assert download.get_data().decode() == "hello Zoë"
    assert "attachment" in download.headers["Content-Disposition"]
    download.close()
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page
    assert f'href="/jobs/{job.id}/download"' in page and "hello.txt" in page  # the page's button


def test_a_failed_job_says_why_and_can_be_retried(db, client, login_as):
    admin = login_as("admin")
    job = _run("test.explode", admin)
    db.session.refresh(job)
    assert job.status == "failed" and "the printer caught fire" in job.error
    assert "the printer caught fire" in client.get(f"/jobs/{job.id}").get_data(as_text=True)
    job.params = {"fixed": True}
    db.session.commit()
    response = client.post_form(f"/jobs/{job.id}/retry")
    assert response.status_code == 302
    again = db.session.query(Job).filter(Job.retry_of_id == job.id).one()
    assert again.status == "done" and again.result_summary == "fine now"


def test_a_finished_job_cannot_be_retried(db, client, login_as):
    admin = login_as("admin")
    job = _run("test.write_file", admin, name="x")
    client.post_form(f"/jobs/{job.id}/retry")
    assert db.session.query(Job).filter(Job.retry_of_id == job.id).count() == 0


def test_retry_without_csrf_is_refused(db, client, login_as):
    admin = login_as("admin")
    job = _run("test.explode", admin)
    assert client.post(f"/jobs/{job.id}/retry").status_code == 400
    assert db.session.query(Job).count() == 1


def test_someone_elses_job_is_404_and_anonymous_must_log_in(app, db, client, login_as):
    owner = make_user(roles=(Role.STAFF,))
    job = _run("test.write_file", owner, name="x")
    login_as("recruiter")
    for url in (f"/jobs/{job.id}", f"/jobs/{job.id}.json", f"/jobs/{job.id}/download"):
        assert client.get(url).status_code == 404
    anonymous = app.test_client()
    assert anonymous.get(f"/jobs/{job.id}").status_code == 302


def test_a_result_past_its_time_is_purged_and_no_longer_offered(app, db, client, login_as):
    admin = login_as("admin")
    job = _run("test.write_file", admin, name="x")
    assert client.get(f"/jobs/{job.id}/download").status_code == 200
    days = app.config["JOB_RESULT_DAYS"]
    assert storage.purge_expired(utcnow() + timedelta(days=days) - timedelta(minutes=1)) == 0
    assert storage.purge_expired(utcnow() + timedelta(days=days, minutes=1)) == 1
    db.session.commit()
    assert client.get(f"/jobs/{job.id}/download").status_code == 404
    assert f'href="/jobs/{job.id}/download"' not in client.get(f"/jobs/{job.id}").get_data(as_text=True)
