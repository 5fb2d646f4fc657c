"""Work that must not happen inside the request: named steps run by the job worker.

Some work would tell an observer something through the time it takes: the e-mail of a sign-up
or a password reset is only made when the address has an account. A view that must answer in
the same time whatever the address hands such work over with ``defer(name, **params)``, after
its commit, the same call on every path; the worker runs the step (which decides what to
send) in its own transaction. Steps are registered by the features' ``init_app``
(``register``); their parameters must be JSON values.

With a job queue (production), ``defer`` only puts the step on the queue. Without one
(``JOB_QUEUE=eager``: tests, a development server without a worker) the step runs at once,
still after the request's commit, so it does take time in the request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, current_app

from jobday.extensions import db

log = logging.getLogger(__name__)
DISPATCH_KEY = "jobday.deferred_dispatch"

_steps: dict[str, Callable[..., None]] = {}


def register(name: str, step: Callable[..., None]) -> None:
    _steps[name] = step


def defer(name: str, **params) -> None:
    """Call after the commit of what the step reads (the worker may run it at once)."""
    if name not in _steps:
        raise ValueError(f"no deferred step {name!r}")
    dispatch = current_app.extensions.get(DISPATCH_KEY)
    if dispatch is None:
        run(name, params)
    else:
        dispatch(name, params)


def run(name: str, params: dict) -> None:
    """One step in its own transaction (the worker's task, or ``defer`` without a queue)."""
    try:
        _steps[name](**params)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def use_queue(app: Flask, dispatch: Callable[[str, dict], None]) -> None:
    app.extensions[DISPATCH_KEY] = dispatch
