"""Entry point of the job worker: ``huey_consumer jobday.jobs.worker.huey``."""

from jobday import create_app

app = create_app()
huey = app.extensions["jobday.huey"]
