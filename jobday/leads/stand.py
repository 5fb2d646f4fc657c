"""Scanning a candidate's badge at the stand: the lead is made (or found again) and the scan
recorded, safely under a rush.

* Two recruiters of one company scanning the same badge at the same moment make one lead:
  ``INSERT ... ON CONFLICT DO NOTHING`` on the lead's unique key, then the row is read under
  a lock (``FOR UPDATE`` on PostgreSQL; SQLite's writing requests hold ``BEGIN IMMEDIATE``).
* A scan is one row per recruiter and nonce: a retried request, or an offline queue sent
  twice, finds its row and gets the first answer again without counting twice.
* A badge counts at the stand on the fair's days (the venue's clock; the phone's time for
  scans made offline), when it is an active candidate badge of the edition.

The page's offline copy (``stand_snapshot``) holds names only, keyed by a hash of each badge
code: the copy on a recruiter's phone gives no code away (a code could be typed in later).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from flask import current_app
from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite

from jobday.accounts.models import User
from jobday.badges.models import ACTIVE, Badge, RevokeReason
from jobday.candidates.models import Registration, RegistrationStatus
from jobday.checkin.codes import clean_input, read_code
from jobday.checkin.services import edition_day_bounds
from jobday.collation import collator
from jobday.companies.access import require_member
from jobday.companies.models import Participation
from jobday.db import utcnow
from jobday.driver_sql import DriverStatement
from jobday.editions.models import Edition
from jobday.extensions import db
from jobday.leads.errors import NotAtTheFair
from jobday.leads.models import Lead, LeadScan, LeadTag, lead_tag_links
from jobday.leads.services import LeadFilters
from jobday.leads.snapshot_version import snapshot_version
from jobday.leads.vocabulary import LeadState, StandResult

WITHDRAWN_BADGE = RevokeReason.WITHDRAWN
SNAPSHOT_SALT = "jobday-stand:"
KEY_LENGTH = 24  # hex characters of SHA-256 kept: 96 bits, more than a code's own 84


# A pure function of the code, the same for every reader: the snapshot, asked for again and
# again by every recruiter's phone, hashes each of the fair's thousand codes only once a process.
@lru_cache(maxsize=65536)
def snapshot_key(code: str) -> str:
    return hashlib.sha256((SNAPSHOT_SALT + code).encode()).hexdigest()[:KEY_LENGTH]


@dataclass
class StandOutcome:
    result: StandResult
    lead: Lead | None = None
    new: bool = False  # the scan made the lead
    replayed: bool = False  # a nonce already recorded: nothing was written

    @property
    def name(self) -> str:
        return self.lead.candidate.display_name if self.lead is not None else ""


def _insert(model):
    dialect = db.session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(model.__table__)


def _decide(badge: Badge | None, registration_status: str | None, edition: Edition, at: datetime) -> StandResult:
    if badge is None:
        return StandResult.UNKNOWN
    if badge.edition_id != edition.id:
        return StandResult.WRONG_EDITION
    if badge.status != ACTIVE:
        return StandResult.CANCELLED if badge.revoke_reason == WITHDRAWN_BADGE else StandResult.REVOKED
    if badge.role != "candidate" or badge.user_id is None:
        return StandResult.NOT_CANDIDATE
    if registration_status in (None, RegistrationStatus.WITHDRAWN):
        return StandResult.CANCELLED
    start, end = edition_day_bounds(edition)
    if not start <= at < end:
        return StandResult.NOT_TODAY
    return StandResult.OK


def _replay(scope: str, nonce: str) -> StandOutcome | None:
    lead_id = db.session.scalar(select(LeadScan.lead_id).where(LeadScan.scope == scope, LeadScan.nonce == nonce))
    return StandOutcome(StandResult.OK, db.session.get(Lead, lead_id), replayed=True) if lead_id else None


def scan_at_stand(raw: str, *, participation: Participation, actor: User, nonce: str,
                  client_time: datetime | None = None, now: datetime | None = None) -> StandOutcome:
    """Decide a scan and record it (see the module docstring). ``client_time``: the phone's
    time of a scan made offline. Never commits."""
    now = now or utcnow()
    require_member(participation.company_id, actor)
    if not participation.is_approved:
        raise NotAtTheFair()
    scope = f"u{actor.id}"
    replayed = _replay(scope, nonce)
    if replayed is not None:
        return replayed
    edition = participation.edition
    code = read_code(clean_input(raw))
    row = db.session.execute(
        select(Badge, select(Registration.status).where(Registration.user_id == Badge.user_id,
                                                        Registration.edition_id == Badge.edition_id)
               .scalar_subquery()).where(Badge.code == code)).first() if code else None
    badge, registration_status = row if row is not None else (None, None)
    at = client_time or now
    result = _decide(badge, registration_status, edition, at)
    if result != StandResult.OK:
        return StandOutcome(result)
    inserted = db.session.execute(
        _insert(Lead).on_conflict_do_nothing(index_elements=["edition_id", "company_id", "candidate_id"])
        .returning(Lead.__table__.c.id),
        {"edition_id": edition.id, "company_id": participation.company_id, "candidate_id": badge.user_id,
         "first_scanned_at": at, "last_scanned_at": at, "first_scanned_by_id": actor.id,
         "last_scanned_by_id": actor.id, "scan_count": 0, "state": str(LeadState.TO_CONTACT), "note": "",
         "version": 1, "updated_at": now}).scalar()
    lead = db.session.scalar(
        select(Lead).where(Lead.edition_id == edition.id, Lead.company_id == participation.company_id,
                           Lead.candidate_id == badge.user_id)
        .with_for_update().execution_options(populate_existing=True))
    scan_id = db.session.execute(
        _insert(LeadScan).on_conflict_do_nothing(index_elements=["scope", "nonce"])
        .returning(LeadScan.__table__.c.id),
        {"lead_id": lead.id, "recruiter_id": actor.id, "scope": scope, "nonce": nonce, "scanned_at": now,
         "client_time": client_time, "is_offline": client_time is not None}).scalar()
    if scan_id is None:  # the same nonce, sent twice at once: the other request recorded it
        return _replay(scope, nonce) or StandOutcome(StandResult.OK, lead, replayed=True)
    lead.scan_count += 1
    if at < lead.first_scanned_at:
        lead.first_scanned_at, lead.first_scanned_by_id = at, actor.id
    if at >= lead.last_scanned_at:
        lead.last_scanned_at, lead.last_scanned_by_id = at, actor.id
    db.session.flush()
    return StandOutcome(StandResult.OK, lead, new=inserted is not None)


# Built once (building it cost a third of running it).
_SNAPSHOT = DriverStatement(
    select(Badge.code, Badge.first_name, Badge.last_name)
    .join(Registration, (Registration.user_id == Badge.user_id) & (Registration.edition_id == Badge.edition_id))
    .where(Badge.edition_id == bindparam("edition_id"), Badge.status == ACTIVE, Badge.role == "candidate",
           Registration.status != RegistrationStatus.WITHDRAWN)
    .order_by(Badge.id)
)


def _snapshot_rows(edition: Edition) -> list:
    return _SNAPSHOT.session_all(edition_id=edition.id)


def stand_snapshot(edition: Edition) -> list[dict[str, str]]:
    """The candidates' active badges of the edition as {key: hash of the code, name}: what
    the stand page answers from when the network is gone (one query, plain rows: no ORM
    objects for a thousand names)."""
    return [{"key": snapshot_key(code), "name": f"{first} {last}".strip()}
            for code, first, last in _snapshot_rows(edition)]


@lru_cache(maxsize=65536)
def _snapshot_entry(code: str, first_name: str, last_name: str) -> str:
    # As Flask's JSON answers write it (ASCII, keys sorted, compact); a pure function of the badge.
    return json.dumps({"key": snapshot_key(code), "name": f"{first_name} {last_name}".strip()},
                      ensure_ascii=True, sort_keys=True, separators=(",", ":"))


def stand_snapshot_json(edition: Edition) -> str:
    """``stand_snapshot`` as a JSON array, each badge's entry written once a process: every
    recruiter's phone asks for the thousands of them again and again. The whole array is kept
    per edition under its ``snapshot_version``, read first (the rows read after it are never
    older than it)."""
    version = snapshot_version(edition.id)
    kept = current_app.extensions.setdefault(_KEPT_SNAPSHOTS, {})  # this application's database only
    known = kept.get(edition.id)
    if known is not None and known[0] == version:
        return known[1]
    text = "[" + ",".join(_snapshot_entry(*row) for row in _snapshot_rows(edition)) + "]"
    kept[edition.id] = (version, text)
    return text


_KEPT_SNAPSHOTS = "jobday.leads.stand_snapshots"


@dataclass(frozen=True)
class StandCandidate:
    first_name: str
    last_name: str
    display_name: str  # ``User.display_name``'s rule: the name, else the e-mail


@dataclass(frozen=True)
class StandLead:
    """What a line of the stand page shows of a lead (``leads/_lead_line.html``)."""

    id: int
    candidate: StandCandidate
    rating: int | None
    state: str
    last_scanned_at: datetime

    @property
    def state_label(self):
        return LeadState(self.state).label


@dataclass(frozen=True)
class StandTag:
    name: str


@dataclass(frozen=True)
class StandLine:
    lead: StandLead
    shared: bool
    tags: list[StandTag]  # by name, while shared


def lines_shown(lines: list[StandLine]) -> tuple:
    """What lines of leads show (``leads/_lead_line.html``): their key among kept parts."""
    return tuple((line.lead.id, line.lead.candidate.first_name, line.lead.candidate.last_name,
                  line.lead.candidate.display_name, line.shared, line.lead.rating, line.lead.state,
                  line.lead.last_scanned_at, tuple([tag.name for tag in line.tags])) for line in lines)


_RECENT = (
    select(Lead.id, Lead.rating, Lead.state, Lead.last_scanned_at, Lead.access_withdrawn_at,
           User.first_name, User.last_name, User.email, User.is_disabled)
    .join(User, User.id == Lead.candidate_id)
    .where(Lead.edition_id == bindparam("edition_id"), Lead.company_id == bindparam("company_id"))
    .order_by(Lead.last_scanned_at.desc(), Lead.id.desc())
    .limit(bindparam("limit"))
)

_TAGS = (
    select(lead_tag_links.c.lead_id, LeadTag.name)
    .join(LeadTag, LeadTag.id == lead_tag_links.c.tag_id)
    .where(lead_tag_links.c.lead_id.in_(bindparam("lead_ids", expanding=True)))
    .order_by(LeadTag.name_key)
)


def recent_leads(company_id: int, edition_id: int, *, actor: User, limit: int) -> list[StandLine]:
    """The company's ``limit`` leads last scanned at the edition, as lines of the stand page:
    the name, and while the profile is shared the rating, follow-up and tags. The rules of
    ``company_leads``, without reading every lead: plain rows in two statements built once,
    run on the session's connection (the ORM's execution path costs more than they do)."""
    require_member(company_id, actor)
    return _lines(db.session.connection().execute(_RECENT, {"edition_id": edition_id, "company_id": company_id,
                                                            "limit": limit}).all())


_ALL = _RECENT.limit(None)


def lead_lines(company_id: int, edition_id: int, *, actor: User, filters: LeadFilters) -> list[StandLine]:
    """``company_leads`` (same rules, filters and order) as the lines of the leads list: plain
    rows in two statements, the unfiltered one built once."""
    require_member(company_id, actor)
    query = filters.applied_to(_ALL)
    return _lines(db.session.connection().execute(query, {"edition_id": edition_id,
                                                          "company_id": company_id}).all())


def _lines(rows) -> list[StandLine]:
    shared = {row.id for row in rows if row.access_withdrawn_at is None and not row.is_disabled}
    tags: dict[int, list[StandTag]] = {lead_id: [] for lead_id in shared}
    if shared:
        for lead_id, name in db.session.connection().execute(_TAGS, {"lead_ids": list(shared)}):
            tags[lead_id].append(StandTag(name))
    order = collator()  # the reader's order of each lead's tags (``sorted_by``), asked once
    lines = []
    for row in rows:
        name = f"{row.first_name} {row.last_name}".strip() or row.email
        lead = StandLead(row.id, StandCandidate(row.first_name, row.last_name, name), row.rating, row.state,
                         row.last_scanned_at)
        own = tags[row.id] if row.id in shared else []
        if len(own) > 1:
            own.sort(key=lambda tag: order.getSortKey(tag.name or ""))
        lines.append(StandLine(lead, row.id in shared, own))
    return lines
