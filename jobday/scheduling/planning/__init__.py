"""The fair scheduler on the database (the pure algorithms are in ``..solver``): the
edition's rows read into a ``Problem`` (``problem``, ``loaders``), a run solved into a preview
(``runs``), the organiser's locks on it (``locks``), publication as bookings with an e-mail to
each person (``publish``), and the worker's jobs (``jobs``).

Callers use this facade::

    run = planning.start_run(edition, actor=organiser)
    planning.execute_run(run, time_limit=10)
    planning.publish_run(run, actor=organiser)
"""

from __future__ import annotations

from jobday.scheduling.planning.locks import previous_locks, set_locked
from jobday.scheduling.planning.problem import Built, build_problem
from jobday.scheduling.planning.publish import Published, audience, begin_publication, publish_run, send_test
from jobday.scheduling.planning.runs import (
    DEFAULT_TIME_LIMIT,
    execute_run,
    prepare_run,
    solve_built,
    start_run,
    store_preview,
)

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "Built",
    "Published",
    "audience",
    "begin_publication",
    "send_test",
    "build_problem",
    "execute_run",
    "prepare_run",
    "previous_locks",
    "publish_run",
    "set_locked",
    "solve_built",
    "start_run",
    "store_preview",
]
