"""The check-in blueprint, shared by the API (``api.py``) and the pages (``views.py``)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("checkin", __name__, cli_group=None)  # `flask gate-token` at the top level
