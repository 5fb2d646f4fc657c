"""The back office's blueprint (organisers only), shared by its page modules."""

from __future__ import annotations

from flask import Blueprint

from jobday.security import Role, role_required

bp = Blueprint("staff", __name__, url_prefix="/staff")
admin_required = role_required(Role.ADMIN)
