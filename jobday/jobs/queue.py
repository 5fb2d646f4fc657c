"""The huey queue: SQLite in instance/ by default, Redis when REDIS_URL is set, eager in tests.

The worker process is ``huey_consumer jobday.jobs.worker.huey`` (``make run`` starts it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from flask import Flask
from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab
from redis import ConnectionPool

REDIS_CONNECT_TIMEOUT = 3  # seconds
STEP_PRIORITY = 10  # higher goes first; tasks default to 0
UNTRIED_MAIL_GRACE = timedelta(minutes=1)


def make_huey(app: Flask):
    mode = app.config.get("JOB_QUEUE", "")  # "eager", "worker" (a real queue, even in tests) or "" (auto)
    immediate = mode == "eager" or (bool(app.config.get("TESTING")) and mode != "worker")
    if immediate:
        huey = MemoryHuey("jobday", immediate=True)
    elif app.config.get("REDIS_URL"):
        # A Redis that does not answer must fail fast (the health check, a web request
        # enqueueing a job), not hang the caller.
        pool = ConnectionPool.from_url(app.config["REDIS_URL"], socket_connect_timeout=REDIS_CONNECT_TIMEOUT)
        huey = RedisHuey(app.config.get("JOB_QUEUE_NAME", "jobday"), connection_pool=pool)
    else:
        huey = SqliteHuey("jobday", filename=str(Path(app.instance_path) / "jobs.sqlite"))
    return huey


def init_app(app: Flask) -> None:
    from jobday import deferred
    from jobday.jobs.lease import recover_abandoned
    from jobday.jobs.services import run_job
    from jobday.mail.journal import settle as settle_accepted_mail
    from jobday.mail.services import deliver, deliver_pending, delivered_here

    huey = make_huey(app)

    @huey.task()
    def run_job_task(job_id: int) -> None:
        with app.app_context():
            run_job(job_id)

    @huey.task()
    def recover_abandoned_jobs() -> None:
        with app.app_context():
            recover_abandoned()

    @huey.on_startup()
    def _recover_on_start() -> None:
        """A worker starting: jobs left running by a worker that stopped are marked failed now
        (this machine's) and once their lease has run out (others'); e-mails the SMTP server
        accepted before a worker stopped are recorded as sent."""
        with app.app_context():
            recover_abandoned()
            settle_accepted_mail()
        recover_abandoned_jobs.schedule(delay=float(app.config["JOB_LEASE_SECONDS"]) + 1)

    @huey.periodic_task(crontab(minute="*"))
    def recover_abandoned_every_minute() -> None:
        with app.app_context():
            recover_abandoned()

    @huey.periodic_task(crontab(minute="*"))
    def send_pending_mail() -> None:
        """What failed, and what waits without a task: while tasks are queued (a rush), the
        e-mails nobody has tried yet are theirs for a minute (``deliver_pending``)."""
        with app.app_context():
            deliver_pending(untried_for=UNTRIED_MAIL_GRACE if huey.pending_count() else None)

    @huey.task()
    def deliver_mail_task(ids: list[int]) -> None:
        with app.app_context():
            deliver(ids)

    # A step writes an e-mail someone waits for (a sign-up's confirmation link): on a queue
    # that has priorities (SQLite's), it goes before the deliveries and jobs queued meanwhile.
    @huey.task(priority=STEP_PRIORITY if huey.storage.priority else None)
    def deferred_step_task(name: str, params: dict) -> None:
        with app.app_context(), delivered_here():
            deferred.run(name, params)

    app.extensions["jobday.huey"] = huey
    app.extensions["jobday.huey_run_job"] = run_job_task
    if not huey.immediate:
        deferred.use_queue(app, deferred_step_task)
        # Requests hand their committed e-mails to the worker: no SMTP conversation (or
        # timeout) inside a request, and no timing difference between a password-reset
        # request that sends a mail and one for an unknown address that sends none.
        app.extensions["jobday.mail_dispatch"] = deliver_mail_task


def periodic_task(app: Flask, schedule, name: str, function: Callable[[], object]) -> None:
    """``function`` runs in the worker on ``schedule`` (huey's ``crontab``), in an app context.
    Features register theirs from their ``init_app``."""
    huey = app.extensions["jobday.huey"]

    @huey.periodic_task(schedule, name=name)
    def _run() -> None:
        with app.app_context():
            function()


def pending_tasks(app: Flask) -> int:
    """How many tasks wait in the queue; raises if its storage (Redis, the SQLite file) cannot be reached."""
    return app.extensions["jobday.huey"].storage.queue_size()
