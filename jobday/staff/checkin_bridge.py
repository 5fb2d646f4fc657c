"""The door feature (checkin) is optional here: its Scan model is used when it is installed
and its table exists, otherwise attendance figures are left out."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import inspect

from jobday.extensions import db

_KEY = "jobday.staff.has_scans"


def scan_model():
    try:
        from jobday.checkin.models import Scan
    except ImportError:
        return None
    present = current_app.extensions.get(_KEY)
    if present is None:  # asked once per process, on the request's own connection: a second one
        # would wait for the SQLite write lock this request may already hold (10 s, then a 503)
        present = current_app.extensions[_KEY] = inspect(db.session.connection()).has_table(Scan.__tablename__)
    return Scan if present else None
