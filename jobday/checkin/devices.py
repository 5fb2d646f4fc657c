"""Gate devices: a bearer token per gate and edition, shown once, kept as a SHA-256, refused
once revoked, after the edition (``expires_at`` is midnight after its last day, venue time)
or for another edition than the one at the door."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, bindparam, select

from jobday.accounts.models import User
from jobday.checkin.models import GateDevice
from jobday.checkin.services import DoorEdition
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.editions.services import current_edition_id
from jobday.errors import DomainError
from jobday.extensions import db

GATE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _-]{0,19}$")


class InvalidGate(DomainError):
    code = "invalid_gate"
    message = _l("A gate is 1 to 20 letters, digits, spaces or dashes.")


class DeviceNotFound(DomainError):
    code = "not_found"
    message = _l("Not found.")
    status = 404


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_gate(gate) -> str:
    if not isinstance(gate, str) or not GATE_PATTERN.match(gate.strip()):
        raise InvalidGate()
    return gate.strip()


def create_device(edition: Edition, gate: str, *, actor: User | None, label: str = "",
                  now: datetime | None = None) -> tuple[GateDevice, str]:
    """A new device and its token (returned once; only its hash is stored)."""
    from jobday.checkin.services import edition_day_bounds

    token = "gd_" + secrets.token_urlsafe(32)
    device = GateDevice(edition_id=edition.id, gate=check_gate(gate), label=label[:80],
                        token_hash=hash_token(token), created_by_id=actor.id if actor else None,
                        created_at=now or utcnow(), expires_at=edition_day_bounds(edition)[1])
    db.session.add(device)
    db.session.flush()
    return device, token


def revoke_device(device: GateDevice, *, actor: User | None, now: datetime | None = None) -> GateDevice:
    if device.revoked_at is None:
        device.revoked_at = now or utcnow()
    return device


_BY_TOKEN_HASH = select(GateDevice).where(GateDevice.token_hash == bindparam("token_hash"))


def device_for_token(token: str, *, now: datetime | None = None) -> GateDevice | None:
    """The usable device holding ``token``, else None. One query by the unique hash, built
    once (its edition is loaded lazily, usually from the session's identity map)."""
    if not token or len(token) > 200:
        return None
    device = db.session.scalar(_BY_TOKEN_HASH, {"token_hash": hash_token(token)})
    if device is None or not device.usable(now or utcnow()):
        return None
    return device


@dataclass(frozen=True)
class DoorDevice:
    """A usable gate device as the scan API needs it: its gate, its edition, and whether that
    edition is the current one."""

    id: int
    gate: str
    edition: DoorEdition
    edition_is_current: bool


# The scan API's authentication in one round trip: the device by its token's hash, its
# edition's columns and the current edition's id (same rule as ``current_edition``). Columns,
# not ORM objects, and no cache: a revoked device is refused by the very next request.
AT_DOOR_COLUMNS = (
    GateDevice.id, GateDevice.gate, GateDevice.revoked_at, GateDevice.expires_at,
    Edition.id.label("edition_id"), Edition.year, Edition.timezone, Edition.starts_on, Edition.ends_on,
    Edition.records_exits, current_edition_id(bindparam("today", type_=Date)).label("current_edition_id"),
)
_AT_DOOR = (
    select(*AT_DOOR_COLUMNS)
    .join(Edition, Edition.id == GateDevice.edition_id)
    .where(GateDevice.token_hash == bindparam("token_hash"))
)


def token_is_plausible(token: str | None) -> bool:
    return bool(token) and len(token) <= 200


def device_at_door(token: str, *, now: datetime | None = None) -> DoorDevice | None:
    """The usable device holding ``token`` (see ``DoorDevice``), else None."""
    if not token_is_plausible(token):
        return None
    now = now or utcnow()
    row = db.session.connection().execute(_AT_DOOR, {"token_hash": hash_token(token),
                                                     "today": now.date()}).first()
    return door_device(row, now)


def door_device(row, now: datetime) -> DoorDevice | None:
    """The ``DoorDevice`` of a row with ``_AT_DOOR``'s columns, if the device is usable."""
    if row is None or row.revoked_at is not None or now >= row.expires_at:  # GateDevice.usable
        return None
    edition = DoorEdition(row.edition_id, row.year, row.timezone, row.starts_on, row.ends_on, row.records_exits)
    return DoorDevice(row.id, row.gate, edition, row.current_edition_id == row.edition_id)


def devices_of(edition: Edition) -> list[GateDevice]:
    return list(db.session.scalars(select(GateDevice).where(GateDevice.edition_id == edition.id)
                                   .order_by(GateDevice.gate, GateDevice.id)))


def get_device(device_id: int) -> GateDevice:
    device = db.session.get(GateDevice, device_id)
    if device is None:
        raise DeviceNotFound()
    return device
