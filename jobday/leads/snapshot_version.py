"""The version of an edition's stand snapshot (``stand.stand_snapshot_json``: the active
candidate badges of the edition whose holder has not withdrawn, each its code and names), in
one statement read from indexes: the snapshot, asked for again and again by every recruiter's
phone, is kept under it, and it changes whenever what the snapshot shows does.

* The edition's badges: the last active one's id, and how many are revoked. A badge is never
  written back to active, its code never changes, and a holder's new name or role reissues it
  (``badges.services``: the old one revoked, a new one with a new id); no code deletes badges.
  So the active set changes only by new badges (a later last id) and revocations (one more
  revoked): both read at an end of the index, or through the few revoked, not the thousands.
* The edition's withdrawn registrations: how many, and the last ``withdrawn_at``. A withdrawal
  stamps the time; a return from it lowers the count (both at once: the stamp is later).
* The last registration id of all: a registration made for a badge's holder (no code deletes
  registrations, so ids only grow).
"""

from __future__ import annotations

from sqlalchemy import bindparam, func, select

from jobday.badges.models import ACTIVE, REVOKED, Badge
from jobday.candidates.models import Registration, RegistrationStatus
from jobday.driver_sql import DriverStatement

_edition = bindparam("edition_id")
_active = (Badge.edition_id == _edition, Badge.status == ACTIVE)
_revoked = (Badge.edition_id == _edition, Badge.status == REVOKED)
_withdrawn = (Registration.edition_id == _edition, Registration.status == RegistrationStatus.WITHDRAWN)
# Each its own subquery, so that a last id is read at the end of an index, not counted through it.
_VERSION = DriverStatement(select(
    select(func.count()).select_from(Badge).where(*_revoked).scalar_subquery(),
    select(Badge.id).where(*_active).order_by(Badge.id.desc()).limit(1).scalar_subquery(),
    select(func.count()).select_from(Registration).where(*_withdrawn).scalar_subquery(),
    select(func.max(Registration.withdrawn_at)).where(*_withdrawn).scalar_subquery(),
    select(Registration.id).order_by(Registration.id.desc()).limit(1).scalar_subquery()))


def snapshot_version(edition_id: int) -> tuple:
    return tuple(_VERSION.session_first(edition_id=edition_id))
