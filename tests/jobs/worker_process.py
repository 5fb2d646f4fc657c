"""A real job worker (huey's consumer in its own process) on a test's settings.

    python -m tests.jobs.worker_process SETTINGS_JSON

``running_worker(settings)`` starts one and stops it (or ``kill`` it, as a crash would) ;
the test's own app (the ``real_queue_app`` fixture: the same settings, with
``JOB_QUEUE="worker"``, huey's SQLite queue in the instance folder) enqueues the jobs it runs.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from jobday import PROJECT_ROOT, create_app


def main() -> None:
    app = create_app(json.loads(sys.argv[1]))
    huey = app.extensions["jobday.huey"]
    huey.create_consumer(workers=1, initial_delay=0.05, max_delay=0.2, periodic=True).run()


class Worker:
    def __init__(self, settings: dict, log_path: Path) -> None:
        self.log_path = log_path
        env = {key: value for key, value in os.environ.items() if not key.startswith("JOBDAY_")}
        env["PYTHONPATH"] = str(PROJECT_ROOT)
        self.log = open(log_path, "a")  # noqa: SIM115  (closed in stop)
        # A process group of its own: a kill reaches the render processes it started too.
        self.process = subprocess.Popen([sys.executable, "-m", "tests.jobs.worker_process", json.dumps(settings)],
                                        cwd=PROJECT_ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return self.log_path.read_text()

    def kill(self) -> None:
        """SIGKILL to the worker alone, as the kernel's OOM killer or a lost container would."""
        self.process.kill()
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        self.log.close()


@contextmanager
def running_worker(settings: dict, log_path: Path):
    worker = Worker(settings, log_path)
    try:
        yield worker
    finally:
        worker.stop()


def wait_for(condition, *, timeout: float = 60, worker: Worker | None = None, step: float = 0.1, what: str = ""):
    """Poll ``condition()`` until it returns something true (returned), or fail with the worker's log."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if worker is not None and worker.process.poll() is not None:
            raise AssertionError("the worker stopped:\n" + worker.output()[-4000:])
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}"
                                 + ("; worker log:\n" + worker.output()[-4000:] if worker else ""))
        time.sleep(step)


if __name__ == "__main__":
    main()

