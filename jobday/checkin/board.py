"""The arrivals board: who is inside, arrivals per gate and per quarter hour, refusals by
reason, and companies whose candidates have not arrived for their next interviews.
A few grouped queries over the edition's scans (a fair day is a few thousand rows)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from jobday.badges.models import Badge
from jobday.checkin.models import EXIT, MOVES, OK, Scan
from jobday.checkin.offline import conflicts
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.extensions import db

BUCKET = timedelta(minutes=15)
LOOKAHEAD = timedelta(minutes=60)
CHART_W, CHART_H = 600, 160


@dataclass
class Board:
    inside: int = 0
    arrivals: int = 0
    per_gate: list[tuple[str, int]] = field(default_factory=list)
    buckets: list[dict] = field(default_factory=list)  # {"start", "count", "x", "y", "w", "h"}
    refused: list[tuple[str, int]] = field(default_factory=list)
    waiting: list[dict] = field(default_factory=list)  # {"company", "stand", "missing", "next_at"}
    conflicts: list[dict] = field(default_factory=list)
    chart_w: int = CHART_W
    chart_h: int = CHART_H


def _inside_users(edition: Edition) -> set[int]:
    """Users whose last move (entry or exit) is an entry."""
    rows = db.session.execute(select(Badge.user_id, Scan.result).join(Badge, Badge.id == Scan.badge_id)
                              .where(Scan.edition_id == edition.id, Scan.result.in_(MOVES))
                              .order_by(Scan.scanned_at, Scan.id))
    last: dict[int, str] = {}
    for user_id, result in rows:
        if user_id is not None:
            last[user_id] = result
    return {user_id for user_id, result in last.items() if result == OK}


def _buckets(times: list[datetime], zone: ZoneInfo) -> list[dict]:
    if not times:
        return []
    local = [t.astimezone(zone) for t in times]
    start = min(local).replace(minute=min(local).minute // 15 * 15, second=0, microsecond=0)
    counts = Counter(int((t - start) / BUCKET) for t in local)
    n = max(counts) + 1
    top = max(counts.values())
    width = CHART_W / n
    bars = []
    for i in range(n):
        count = counts.get(i, 0)
        height = round((CHART_H - 20) * count / top)
        bars.append({"start": start + i * BUCKET, "count": count, "x": round(i * width + 1, 1),
                     "w": round(max(width - 2, 1), 1), "h": height, "y": CHART_H - 20 - height})
    return bars


def _waiting(edition: Edition, inside: set[int], now: datetime) -> list[dict]:
    from jobday.companies.models import Company, Participation
    from jobday.scheduling.models import Booking

    rows = db.session.execute(
        select(Company.name, Participation.stand, Booking.candidate_id, Booking.starts_at)
        .join(Participation, Participation.id == Booking.participation_id)
        .join(Company, Company.id == Participation.company_id)
        .where(Booking.edition_id == edition.id, Booking.active.is_(True), Booking.outcome.is_(None),
               Booking.starts_at >= now - timedelta(minutes=10), Booking.starts_at < now + LOOKAHEAD)
        .order_by(Booking.starts_at))
    found: dict[str, dict] = {}
    for company, stand, candidate_id, starts_at in rows:
        if candidate_id in inside:
            continue
        entry = found.setdefault(company, {"company": company, "stand": stand or "", "missing": 0,
                                           "next_at": starts_at})
        entry["missing"] += 1
    return sorted(found.values(), key=lambda e: e["next_at"])


def board(edition: Edition, *, now: datetime | None = None) -> Board:
    now = now or utcnow()
    zone = ZoneInfo(edition.timezone or "Europe/Brussels")
    result = Board()
    inside = _inside_users(edition)
    result.inside = len(inside)
    per_gate = db.session.execute(select(Scan.gate, func.count()).where(Scan.edition_id == edition.id,
                                                                        Scan.result == OK)
                                  .group_by(Scan.gate).order_by(Scan.gate))
    result.per_gate = [(gate, count) for gate, count in per_gate]
    result.arrivals = sum(count for _, count in result.per_gate)
    refused = db.session.execute(select(Scan.result, func.count()).where(
        Scan.edition_id == edition.id, Scan.result.not_in((OK, EXIT))).group_by(Scan.result)
        .order_by(func.count().desc()))
    result.refused = [(reason, count) for reason, count in refused]
    times = db.session.execute(select(Scan.scanned_at, Scan.client_time, Scan.is_offline).where(
        Scan.edition_id == edition.id, Scan.result == OK))
    result.buckets = _buckets([client if offline and client else at for at, client, offline in times], zone)
    result.waiting = _waiting(edition, inside, now)
    result.conflicts = conflicts(edition)
    return result
