"""The huey queue: SQLite in instance/ by default, Redis when REDIS_URL is set, eager in tests.

The worker process is ``huey_consumer jobday.jobs.worker.huey`` (``make run`` starts it).
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab


def make_huey(app: Flask):
    mode = app.config.get("JOB_QUEUE", "")
    immediate = bool(app.config.get("TESTING")) or mode == "eager"
    if immediate:
        huey = MemoryHuey("jobday", immediate=True)
    elif app.config.get("REDIS_URL"):
        huey = RedisHuey("jobday", url=app.config["REDIS_URL"])
    else:
        huey = SqliteHuey("jobday", filename=str(Path(app.instance_path) / "jobs.sqlite"))
    return huey


def init_app(app: Flask) -> None:
    from jobday.jobs.services import run_job
    from jobday.mail.services import deliver_pending

    huey = make_huey(app)

    @huey.task()
    def run_job_task(job_id: int) -> None:
        with app.app_context():
            run_job(job_id)

    @huey.periodic_task(crontab(minute="*"))
    def send_pending_mail() -> None:
        with app.app_context():
            deliver_pending()

    app.extensions["jobday.huey"] = huey
    app.extensions["jobday.huey_run_job"] = run_job_task
