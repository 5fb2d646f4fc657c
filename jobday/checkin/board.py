"""The arrivals board of the fair's day: who is inside, arrivals per gate and per quarter hour,
refusals by reason, and the candidates late for their next interview (with the company and the
time). Only the day's scans count (a rehearsal the day before, or the first day of a two-day
fair, is not today's arrivals). A few grouped queries over the day's scans (a fair day is a few
thousand rows)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select

from jobday.badges.models import Badge
from jobday.checkin.models import EXIT, MOVES, OK, Scan
from jobday.checkin.offline import conflicts
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.extensions import db

BUCKET = timedelta(minutes=15)
LATE_SINCE = timedelta(minutes=45)  # an interview that started longer ago is lost, not late
DUE_WITHIN = timedelta(minutes=15)  # ... and one starting within this is worth a call already
CHART_W, CHART_H = 640, 200
LEFT, BOTTOM, TOP = 36, 24, 18  # room for the y axis's values, the times, the bars' values


@dataclass
class Board:
    day: date | None = None
    inside: int = 0
    arrivals: int = 0
    per_gate: list[tuple[str, int]] = field(default_factory=list)
    buckets: list[dict] = field(default_factory=list)  # {"start", "count", "x", "y", "w", "h", "label"}
    ticks: list[dict] = field(default_factory=list)  # the y axis: {"value", "y"}
    refused: list[tuple[str, int]] = field(default_factory=list)
    late: list[dict] = field(default_factory=list)  # {"name", "company", "stand", "starts_at", "minutes"}
    conflicts: list[dict] = field(default_factory=list)
    chart_w: int = CHART_W
    chart_h: int = CHART_H
    left: int = LEFT
    base: int = CHART_H - BOTTOM


def fair_day(edition: Edition, now: datetime) -> date:
    """The day the board shows: today at the venue during the fair, else its nearest day."""
    today = now.astimezone(ZoneInfo(edition.timezone or "Europe/Brussels")).date()
    return min(max(today, edition.starts_on), edition.ends_on)


def _happened_at():
    """When the person stood at the gate: the device's time for scans made offline."""
    return case((and_(Scan.is_offline.is_(True), Scan.client_time.is_not(None)), Scan.client_time),
                else_=Scan.scanned_at)


def _of_the_day(edition: Edition, day: date):
    zone = ZoneInfo(edition.timezone or "Europe/Brussels")
    start = datetime.combine(day, time(0, 0), tzinfo=zone)
    at = _happened_at()
    return and_(Scan.edition_id == edition.id, at >= start, at < start + timedelta(days=1))


def _inside_users(edition: Edition, day: date) -> set[int | tuple[str, int]]:
    """People whose last move (entry or exit) of the day is an entry: their user id, or for a
    badge without an account (a visitor registered at the door without an e-mail) ("badge", id)."""
    rows = db.session.execute(select(Badge.user_id, Badge.id, Scan.result).join(Badge, Badge.id == Scan.badge_id)
                              .where(_of_the_day(edition, day), Scan.result.in_(MOVES))
                              .order_by(Scan.scanned_at, Scan.id))
    last: dict[int | tuple[str, int], str] = {}
    for user_id, badge_id, result in rows:
        last[user_id if user_id is not None else ("badge", badge_id)] = result
    return {person for person, result in last.items() if result == OK}


def _scale_top(top: int) -> int:
    """A round top for the y axis (1, 2, 5, 10, 20, 50, ...) at or above ``top``."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= top:
                return step * factor
        step *= 10


def _buckets(times: list[datetime], zone: ZoneInfo) -> tuple[list[dict], list[dict]]:
    if not times:
        return [], []
    local = [t.astimezone(zone) for t in times]
    first = min(local)
    start = first.replace(minute=first.minute // 15 * 15, second=0, microsecond=0)
    counts = Counter(int((t - start) / BUCKET) for t in local)
    n = max(counts) + 1
    top = _scale_top(max(counts.values()))
    plot_h = CHART_H - BOTTOM - TOP
    width = (CHART_W - LEFT) / n
    bars = []
    for i in range(n):
        count = counts.get(i, 0)
        height = round(plot_h * count / top, 1)
        bars.append({"start": start + i * BUCKET, "count": count, "x": round(LEFT + i * width + 1, 1),
                     "w": round(max(width - 2, 1), 1), "h": height, "y": round(CHART_H - BOTTOM - height, 1),
                     "mid": round(LEFT + (i + 0.5) * width, 1), "label": (start + i * BUCKET).minute == 0 or i == 0})
    values = sorted({0, top} | ({top // 2} if top % 2 == 0 else set()))
    ticks = [{"value": value, "y": round(CHART_H - BOTTOM - plot_h * value / top, 1)} for value in values]
    return bars, ticks


def _late(edition: Edition, inside: set[int | tuple[str, int]], now: datetime) -> list[dict]:
    """Candidates not inside whose next interview started a little while ago or starts soon."""
    from jobday.accounts.models import User
    from jobday.companies.models import Company, Participation
    from jobday.scheduling.models import Booking

    rows = db.session.execute(
        select(Booking.candidate_id, User.first_name, User.last_name, Company.name, Participation.stand,
               Booking.starts_at)
        .join(Participation, Participation.id == Booking.participation_id)
        .join(Company, Company.id == Participation.company_id)
        .join(User, User.id == Booking.candidate_id)
        .where(Booking.edition_id == edition.id, Booking.active.is_(True), Booking.outcome.is_(None),
               Booking.starts_at >= now - LATE_SINCE, Booking.starts_at < now + DUE_WITHIN)
        .order_by(Booking.starts_at, Booking.id))
    found: dict[int, dict] = {}
    for candidate_id, first, last, company, stand, starts_at in rows:
        if candidate_id in inside or candidate_id in found:
            continue  # inside, or already listed for an earlier interview
        found[candidate_id] = {"name": f"{first} {last}".strip(), "company": company, "stand": stand or "",
                               "starts_at": starts_at, "minutes": round((now - starts_at).total_seconds() / 60)}
    return list(found.values())


def board(edition: Edition, *, now: datetime | None = None) -> Board:
    now = now or utcnow()
    zone = ZoneInfo(edition.timezone or "Europe/Brussels")
    day = fair_day(edition, now)
    result = Board(day=day)
    of_the_day = _of_the_day(edition, day)
    inside = _inside_users(edition, day)
    result.inside = len(inside)
    per_gate = db.session.execute(select(Scan.gate, func.count()).where(of_the_day, Scan.result == OK)
                                  .group_by(Scan.gate).order_by(Scan.gate))
    result.per_gate = [(gate, count) for gate, count in per_gate]
    result.arrivals = sum(count for _, count in result.per_gate)
    refused = db.session.execute(select(Scan.result, func.count()).where(
        of_the_day, Scan.result.not_in((OK, EXIT))).group_by(Scan.result)
        .order_by(func.count().desc()))
    result.refused = [(reason, count) for reason, count in refused]
    times = db.session.scalars(select(_happened_at()).where(of_the_day, Scan.result == OK))
    result.buckets, result.ticks = _buckets(list(times), zone)
    result.late = _late(edition, inside, now)
    result.conflicts = conflicts(edition)
    return result
