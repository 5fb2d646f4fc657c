"""The job worker of ``bench_badges`` on the bench's own settings and instance folder (queue
file, results, QR cache), as ``python -m jobday.jobs.worker --workers 2`` runs it on the project's.

    python -m tests.bench.print_worker SETTINGS_JSON
"""

from __future__ import annotations

import json
import sys

from jobday import create_app


def main() -> None:
    app = create_app(json.loads(sys.argv[1]))
    huey = app.extensions["jobday.huey"]
    huey.create_consumer(workers=2, initial_delay=0.05, max_delay=0.2, periodic=False).run()


if __name__ == "__main__":
    main()
