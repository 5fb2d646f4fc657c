"""The check-in blueprint, shared by the API (``api.py``) and the pages (``pages.py``)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("checkin", __name__)
