"""Printing badges: which badges (all, a role, a company, only new or changed), the rule
that a badge printed before is printed again only with a reason, the print records, and
the background job that makes the PDF.

"New" is a badge never printed; "changed" one whose printed text changed since its last
print; "printed" one printed and unchanged since. Printing a "printed" badge again is a
reprint and needs a reason, recorded with the run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from jobday.accounts.models import User
from jobday.badges import documents, layouts
from jobday.badges.faces import BadgeData, build_faces, overflow_report
from jobday.badges.files import badge_data, edition_data
from jobday.badges.holders import PRECEDENCE
from jobday.badges.models import ACTIVE, Badge, PrintRun
from jobday.badges.services import plan_sync, sync_edition
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.errors import DomainError
from jobday.extensions import db
from jobday.jobs.services import JobResult, start_job

NEW, CHANGED, PRINTED = "new", "changed", "printed"
JOB_KIND = "badges.print"


class ReprintNeedsReason(DomainError):
    code = "reprint_needs_reason"
    message = _l("Some of these badges were printed before and have not changed. "
                 "Give a reason to print them again.")


class NothingToPrint(DomainError):
    code = "nothing_to_print"
    message = _l("No badge matches this selection.")


class UnknownLayout(DomainError):
    code = "unknown_layout"
    message = _l("Choose one of the layouts.")


@dataclass(frozen=True)
class Selection:
    edition_id: int
    role: str | None = None
    company_id: int | None = None
    only_new: bool = False

    def describe(self) -> str:
        parts = [f"role={self.role}" if self.role else "all roles"]
        if self.company_id:
            parts.append(f"company={self.company_id}")
        if self.only_new:
            parts.append("only new or changed")
        return ", ".join(parts)

    def matches(self, role: str, company_id: int | None, state: str) -> bool:
        return ((self.role is None or role == self.role)
                and (self.company_id is None or company_id == self.company_id)
                and (not self.only_new or state != PRINTED))


@dataclass
class Preview:
    count: int = 0
    new: int = 0
    changed: int = 0
    reprints: int = 0
    pages: int = 0
    pending: int = 0  # badges to issue, update or revoke first
    overflow: list[str] = field(default_factory=list)


def print_state(printed_at, printed_hash: str | None, current_hash: str) -> str:
    if printed_at is None:
        return NEW
    return CHANGED if printed_hash != current_hash else PRINTED


def _sort_key(role: str, company: str, last: str, first: str, tie: int) -> tuple:
    return (PRECEDENCE.index(role) if role in PRECEDENCE else 99, company.casefold(), last.casefold(),
            first.casefold(), tie)


def preview(edition: Edition, selection: Selection, layout_key: str) -> Preview:
    """What printing would do, without writing: the badges still to issue or update count as
    they will be once ``sync_edition`` has run."""
    plan = plan_sync(edition)
    entries: list[tuple[str, int | None, str, BadgeData]] = []
    for holder in plan.issue + [holder for _badge, holder, _reason in plan.reissue]:
        entries.append((holder.role, holder.company_id, NEW, _data(holder)))
    for badge, holder in plan.refresh:
        state = print_state(badge.printed_at, badge.printed_hash, holder.display_hash)
        entries.append((holder.role, holder.company_id, state, _data(holder)))
    for badge in plan.keep:
        state = print_state(badge.printed_at, badge.printed_hash, badge.display_hash)
        entries.append((badge.role, badge.company_id, state, badge_data(badge)))
    chosen = [(state, data) for role, company_id, state, data in entries
              if selection.matches(role, company_id, state)]
    layout = layouts.get_layout(layout_key)
    faces = build_faces([data for _state, data in chosen], edition_data(edition), layout.face)
    states = [state for state, _data_ in chosen]
    return Preview(count=len(chosen), new=states.count(NEW), changed=states.count(CHANGED),
                   reprints=states.count(PRINTED), pages=layouts.page_count(layout, len(chosen)),
                   pending=plan.changes, overflow=overflow_report(faces))


def _data(holder) -> BadgeData:
    return BadgeData(code="", role=holder.role, first_name=holder.first_name, last_name=holder.last_name,
                     company=holder.company_name, stand=holder.stand, locale=holder.locale)


def select_badges(selection: Selection) -> list[Badge]:
    """The active badges of the selection, in print order (role, company, family name)."""
    statement = select(Badge).where(Badge.edition_id == selection.edition_id, Badge.status == ACTIVE)
    if selection.role:
        statement = statement.where(Badge.role == selection.role)
    if selection.company_id:
        statement = statement.where(Badge.company_id == selection.company_id)
    if selection.only_new:
        statement = statement.where(Badge.printed_hash.is_(None) | (Badge.printed_hash != Badge.display_hash))
    badges = list(db.session.scalars(statement))
    badges.sort(key=lambda b: _sort_key(b.role, b.company_name, b.last_name, b.first_name, b.id))
    return badges


def reprints(badges: list[Badge]) -> list[Badge]:
    return [b for b in badges if print_state(b.printed_at, b.printed_hash, b.display_hash) == PRINTED]


def check_reprint(badges: list[Badge], reason: str | None) -> None:
    if not badges:
        raise NothingToPrint()
    if reprints(badges) and not (reason or "").strip():
        raise ReprintNeedsReason(count=len(reprints(badges)))


def record_print(badges: list[Badge], *, edition_id: int, layout: str, selection: str, reason: str,
                 actor_id: int | None, job_id: int | None = None, now: datetime | None = None) -> PrintRun:
    now = now or utcnow()
    run = PrintRun(edition_id=edition_id, job_id=job_id, started_by_id=actor_id, layout=layout,
                   selection=selection[:200], badge_count=len(badges), reprint_count=len(reprints(badges)),
                   reason=(reason or "").strip()[:300], created_at=now)
    for badge in badges:
        badge.printed_at, badge.printed_hash = now, badge.display_hash
        badge.print_count = (badge.print_count or 0) + 1
    db.session.add(run)
    db.session.flush()
    return run


def prepare_print(selection: Selection, *, layout: str, reason: str | None,
                  actor: User | None) -> list[Badge]:
    """Bring the edition's badges up to date, then the selection, refused if it holds
    reprints without a reason. The caller commits."""
    if layout not in layouts.LAYOUTS:
        raise UnknownLayout()
    edition = db.session.get(Edition, selection.edition_id)
    sync_edition(edition, actor=actor)
    badges = select_badges(selection)
    check_reprint(badges, reason)
    return badges


def start_print(selection: Selection, *, layout: str, offset: tuple[float, float], reason: str | None,
                actor: User) -> tuple[object, list[Badge]]:
    """The background job that prints the selection, as confirmed now (its badge ids)."""
    badges = prepare_print(selection, layout=layout, reason=reason, actor=actor)
    job = start_job(JOB_KIND, actor=actor, params={
        "edition_id": selection.edition_id, "layout": layout, "offset": list(offset),
        "reason": (reason or "").strip(), "selection": selection.describe(),
        "badge_ids": [b.id for b in badges]})
    return job, badges


def render_badges(badges: list[Badge], edition: Edition, layout: str, *, offset=(0.0, 0.0),
                  progress: Callable[[int, int], None] | None = None) -> documents.RenderedRun:
    return documents.render_run([badge_data(b) for b in badges], edition_data(edition), layout,
                                offset=tuple(offset), progress=progress, title=edition.name)


def summary(run: documents.RenderedRun) -> str:
    text = ngettext("%(num)d badge on %(pages)s.", "%(num)d badges on %(pages)s.",
                    run.count, pages=ngettext("%(num)d page", "%(num)d pages", run.pages))
    if run.overflow:
        text += " " + _("Names that do not fit: %(names)s", names="; ".join(run.overflow[:10]))
    return text


def print_job(job, progress) -> JobResult:
    params = job.params
    job_id, started_by_id = job.id, job.started_by_id
    edition = db.session.get(Edition, params["edition_id"])
    wanted = params["badge_ids"]
    found = {b.id: b for b in db.session.scalars(
        select(Badge).where(Badge.id.in_(wanted), Badge.status == ACTIVE))}
    badges = [found[badge_id] for badge_id in wanted if badge_id in found]  # revoked since: left out
    if not badges:
        raise NothingToPrint()
    items, ids = [badge_data(b) for b in badges], [b.id for b in badges]
    year, edition_id, about = edition.year, edition.id, edition_data(edition)
    starter = db.session.get(User, started_by_id) if started_by_id else None
    locale = (starter.locale if starter else None) or current_app.config["BABEL_DEFAULT_LOCALE"]
    # End this read before rendering: progress() writes from another connection, which
    # SQLite refuses while this session holds a transaction.
    db.session.commit()
    progress(0, len(items))
    run = documents.render_run(items, about, params["layout"], offset=tuple(params.get("offset") or (0, 0)),
                               progress=progress, title=about.name)
    printed = list(db.session.scalars(select(Badge).where(Badge.id.in_(ids))))
    record_print(printed, edition_id=edition_id, layout=params["layout"],
                 selection=params.get("selection", ""), reason=params.get("reason", ""),
                 actor_id=started_by_id, job_id=job_id)
    with force_locale(locale):
        text = summary(run)
    return JobResult(data=run.pdf, name=f"badges-{year}-{params['layout']}.pdf", summary=text)


def print_counts(edition: Edition) -> dict[str, int]:
    """Active badges per role, and how many were never printed."""
    rows = db.session.execute(select(Badge.role, func.count(), func.count(Badge.printed_at))
                              .where(Badge.edition_id == edition.id, Badge.status == ACTIVE)
                              .group_by(Badge.role))
    return {role: (total, printed) for role, total, printed in rows}
