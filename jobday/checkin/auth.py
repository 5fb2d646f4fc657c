"""Who is scanning: a gate device (``Authorization: Bearer``) or a staff session (with the
CSRF token in the ``X-CSRFToken`` header for writes). The API views are exempt from the
global CSRF check, because a device has no session; they call ``validate_csrf`` themselves
for session requests, so the exemption never opens a session-authenticated write."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from wtforms.validators import ValidationError

from jobday.accounts.models import User
from jobday.checkin.devices import DoorDevice, device_at_door
from jobday.checkin.services import DoorEdition
from jobday.editions.models import Edition
from jobday.editions.services import current_edition
from jobday.errors import DomainError
from jobday.security import Role


class ApiError(DomainError):
    def __init__(self, status: int, code: str, message) -> None:
        super().__init__(message, code=code)
        self.status = status


@dataclass
class Scanner:
    edition: Edition | DoorEdition
    actor: User | None = None
    device: DoorDevice | None = None


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return None


def is_device_request() -> bool:
    return bearer_token() is not None


def limit_key() -> str:
    """The rate-limit bucket: the device's token, else the staff user, else the address."""
    token = bearer_token()
    if token:
        return "door-d-" + hashlib.sha256(token.encode()).hexdigest()[:24]
    if current_user.is_authenticated:
        return f"door-u-{current_user.get_id()}"
    return f"door-ip-{request.remote_addr}"


def device_scanner(device: DoorDevice | None) -> Scanner:
    """The scanner of a device found by its token, or the refusal of an unusable one."""
    if device is None:
        raise ApiError(401, "invalid_token", _l("This device token is not valid (revoked or expired)."))
    if not device.edition_is_current:
        raise ApiError(403, "wrong_edition_device", _l("This device belongs to another edition."))
    return Scanner(edition=device.edition, device=device)


def authenticate(*, write: bool) -> Scanner:
    token = bearer_token()
    if token is not None:
        return device_scanner(device_at_door(token))  # one query: the device, its edition, the current edition
    if not current_user.is_authenticated:
        raise ApiError(401, "unauthorized", _l("Please log in."))
    if not current_user.has_role(Role.STAFF):
        raise ApiError(403, "forbidden", _l("You are not allowed to do this."))
    if write:
        try:
            validate_csrf(request.headers.get("X-CSRFToken", ""))
        except ValidationError as error:
            raise ApiError(400, "csrf_failed", _l("The security token is missing or expired. "
                                                  "Please reload the page.")) from error
    edition = current_edition()
    if edition is None:
        raise ApiError(404, "no_edition", _l("There is no edition."))
    return Scanner(edition=edition, actor=current_user._get_current_object())
