"""Retention: what each edition's periods make due for erasure, its export, and the purge.

Reference date: the last day of the latest edition a candidate registered for (for a
candidate who never registered, the day the account was made). After
``retention_cv_months`` the CV goes (file and fields); after ``retention_data_months`` the
candidate is erased with ``erase_candidate`` (the same code as their own deletion), and the
edition's leads (companies' notes on the candidates met at their stand) are deleted; door
scans older than ``retention_scans_months`` lose their link to the badge and the raw input.
Audit entries stay: they hold no personal data. A second run finds nothing to do.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from flask_babel import ngettext
from sqlalchemy import func, select

from jobday import storage
from jobday.accounts.models import User, UserRole
from jobday.candidates import cv
from jobday.candidates.erasure import erase_candidate
from jobday.candidates.export import personal_data
from jobday.candidates.models import CandidateProfile, Registration
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.extensions import db
from jobday.leads import retention as lead_retention
from jobday.security import Role
from jobday.staff import checkin_bridge
from jobday.staff.audit import record_audit

DEFAULT_CV_MONTHS, DEFAULT_DATA_MONTHS = 6, 24


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


@dataclass
class PurgePlan:
    cv_user_ids: list[int] = field(default_factory=list)
    erase_user_ids: list[int] = field(default_factory=list)
    scan_ids: list[int] = field(default_factory=list)
    lead_ids: list[int] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.cv_user_ids or self.erase_user_ids or self.scan_ids or self.lead_ids)

    def describe(self) -> str:
        return ", ".join((
            ngettext("%(num)d CV", "%(num)d CVs", len(self.cv_user_ids)),
            ngettext("%(num)d candidate", "%(num)d candidates", len(self.erase_user_ids)),
            ngettext("%(num)d scan", "%(num)d scans", len(self.scan_ids)),
            ngettext("%(num)d lead", "%(num)d leads", len(self.lead_ids))))


def _latest_edition_rows():
    """Per candidate: the end of their latest edition and its retention months (one query)."""
    latest = (select(Registration.user_id, func.max(Edition.ends_on).label("ends_on"))
              .join(Edition, Edition.id == Registration.edition_id).group_by(Registration.user_id).subquery())
    return db.session.execute(
        select(latest.c.user_id, latest.c.ends_on, Edition.retention_cv_months, Edition.retention_data_months)
        .join(Edition, Edition.ends_on == latest.c.ends_on)).all()


def plan_purge(now: datetime | None = None) -> PurgePlan:
    today = (now or utcnow()).date()
    plan = PurgePlan()
    candidates = dict(db.session.execute(select(UserRole.user_id, User.created_at)
                                         .join(User, User.id == UserRole.user_id)
                                         .where(UserRole.role == str(Role.CANDIDATE))).all())
    with_cv = set(db.session.scalars(select(CandidateProfile.user_id)
                                     .where(CandidateProfile.cv_stored_name.is_not(None))))
    seen: dict[int, tuple[date, int, int]] = {}
    for user_id, ends_on, cv_months, data_months in _latest_edition_rows():
        previous = seen.get(user_id)  # two editions ending the same day: the longer periods win
        if previous is None or (cv_months, data_months) > previous[1:]:
            seen[user_id] = (ends_on, cv_months, data_months)
    for user_id in sorted(candidates):
        if user_id in seen:
            ends_on, cv_months, data_months = seen[user_id]
        else:
            ends_on, cv_months, data_months = candidates[user_id].date(), DEFAULT_CV_MONTHS, DEFAULT_DATA_MONTHS
        if today >= add_months(ends_on, data_months):
            plan.erase_user_ids.append(user_id)
        elif user_id in with_cv and today >= add_months(ends_on, cv_months):
            plan.cv_user_ids.append(user_id)
    due = [edition_id for edition_id, ends_on, months in db.session.execute(
        select(Edition.id, Edition.ends_on, Edition.retention_data_months)) if today >= add_months(ends_on, months)]
    plan.lead_ids = lead_retention.lead_ids_of_editions(due)
    scan = checkin_bridge.scan_model()
    if scan is not None:
        for edition_id, ends_on, months in db.session.execute(
                select(Edition.id, Edition.ends_on, Edition.retention_scans_months)):
            if today >= add_months(ends_on, months):
                plan.scan_ids += list(db.session.scalars(select(scan.id).where(
                    scan.edition_id == edition_id, (scan.badge_id.is_not(None)) | (scan.raw_input != ""))))
    return plan


def export_plan(plan: PurgePlan) -> bytes:
    """A zip of what the purge will erase: each person's data (JSON) and CV, before it goes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("summary.json", json.dumps({
            "exported_at": utcnow().isoformat(), "cv_user_ids": plan.cv_user_ids,
            "erase_user_ids": plan.erase_user_ids, "scan_count": len(plan.scan_ids),
            "lead_count": len(plan.lead_ids)}, indent=2))
        for user_id in plan.erase_user_ids + plan.cv_user_ids:
            user = db.session.get(User, user_id)
            archive.writestr(f"{user_id}/data.json", json.dumps(personal_data(user), ensure_ascii=False, indent=2))
            profile = db.session.get(CandidateProfile, user_id)
            content = cv.read_cv(profile) if profile is not None else None
            if content is not None:
                archive.writestr(f"{user_id}/cv.pdf", content)
    return buffer.getvalue()


def apply_purge(plan: PurgePlan, *, actor: User | None, now: datetime | None = None) -> PurgePlan:
    """Erase what the plan lists; files go when the caller commits."""
    now = now or utcnow()
    for user_id in plan.cv_user_ids:
        profile = db.session.get(CandidateProfile, user_id)
        if profile is not None and profile.has_cv:
            cv.delete_cv(profile)
            record_audit("erasure", actor=actor, object_type="cv", object_id=user_id, detail="retention", now=now)
    for user_id in plan.erase_user_ids:
        user = db.session.get(User, user_id)
        erase_candidate(user, now=now)
        record_audit("erasure", actor=actor, object_type="user", object_id=user_id, detail="retention", now=now)
    lead_retention.delete_leads(plan.lead_ids)
    scan = checkin_bridge.scan_model()
    if scan is not None and plan.scan_ids:
        from sqlalchemy import update

        for start in range(0, len(plan.scan_ids), 500):
            db.session.execute(update(scan).where(scan.id.in_(plan.scan_ids[start:start + 500]))
                               .values(badge_id=None, raw_input=""))
    if not plan.empty:
        record_audit("purge", actor=actor, object_type="retention", detail=(
            f"cv={len(plan.cv_user_ids)};candidates={len(plan.erase_user_ids)};scans={len(plan.scan_ids)};"
            f"leads={len(plan.lead_ids)}"),
            now=now)
    db.session.flush()
    return plan


def write_export(plan: PurgePlan, path: Path | None = None) -> Path:
    """Write the export of ``plan`` (default: instance/purge/purge-<time>.zip)."""
    from flask import current_app

    if path is None:
        folder = Path(current_app.instance_path) / "purge"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"purge-{utcnow():%Y%m%dT%H%M%S}.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(export_plan(plan))
    return path


def run_daily_purge() -> PurgePlan:
    """The worker's daily task: export, then erase, then commit; and the job results past their time."""
    plan = plan_purge()
    if not plan.empty:
        write_export(plan)
        apply_purge(plan, actor=None)
    storage.purge_expired()
    db.session.commit()
    return plan


PURGE_HOUR_UTC, PURGE_MINUTE = 3, 15  # the worker's nightly purge (see ``init_app``)


def next_purge(now: datetime | None = None) -> datetime:
    """When the worker's nightly purge runs next."""
    from datetime import timedelta

    now = now or utcnow()
    at = now.replace(hour=PURGE_HOUR_UTC, minute=PURGE_MINUTE, second=0, microsecond=0)
    return at if at > now else at + timedelta(days=1)


def last_purge() -> datetime | None:
    """When a purge last erased something (purges with nothing to do leave no entry)."""
    from jobday.staff.models import AuditEntry

    return db.session.scalar(select(func.max(AuditEntry.created_at)).where(AuditEntry.action == "purge"))


@dataclass
class EditionPeriods:
    edition: Edition
    cv_due: date
    data_due: date
    scans_due: date


def periods() -> list[EditionPeriods]:
    """Each edition's retention periods as the dates they fall due, newest edition first."""
    rows = db.session.scalars(select(Edition).order_by(Edition.starts_on.desc()))
    return [EditionPeriods(e, add_months(e.ends_on, e.retention_cv_months),
                           add_months(e.ends_on, e.retention_data_months),
                           add_months(e.ends_on, e.retention_scans_months)) for e in rows]
