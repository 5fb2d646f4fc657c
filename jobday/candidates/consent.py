"""Consent: three separate choices, each recorded as a row with its date and text version.

The latest row per kind (highest id) is the candidate's current choice; no row means
"no". ``can_share_profile_with_company`` is the one question later features ask before
showing a profile or a CV to a company.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, bindparam, func, or_, select

from jobday.accounts.models import User
from jobday.candidates.models import Consent, ConsentKind, Registration, RegistrationStatus
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.errors import PermissionDenied
from jobday.extensions import db
from jobday.security import Role

# Bump when the wording below changes: rows keep the version the candidate agreed to.
# 2026-2: the stand rule (STAND_SCAN_TEXT) joins the texts shown with the choices.
CONSENT_TEXT_VERSION = "2026-2"

CONSENT_TEXTS = {
    ConsentKind.SHARE_WITH_APPLIED: _l(
        "Share my profile and CV with the companies I apply to or book an interview with."),
    ConsentKind.SHARE_WITH_ALL_EXHIBITORS: _l(
        "Share my profile and CV with all the exhibiting companies of the editions I register for."),
    ConsentKind.NEWS: _l("Send me news about the next editions of the Jobdays."),
}

# Not a choice: what showing one's badge at a stand does (jobday.leads), stated with the choices
# and on the badge itself.
STAND_SCAN_TEXT = _l(
    "When you let a company scan your badge at its stand, it sees your profile (contact details, "
    "education, wishes), not your CV unless you share it with that company above. You can take "
    "this access back at any time on your Jobdays page, under \"Met at the fair\".")


def latest_consents(user_id: int) -> dict[str, Consent]:
    """The current row of each kind the user has ever answered."""
    latest_ids = (select(func.max(Consent.id)).where(Consent.user_id == user_id)
                  .group_by(Consent.kind).scalar_subquery())
    rows = db.session.scalars(select(Consent).where(Consent.id.in_(latest_ids)))
    return {row.kind: row for row in rows}


def current_choices(user_id: int) -> dict[str, bool]:
    latest = latest_consents(user_id)
    return {str(kind): bool(latest.get(kind) and latest[kind].granted) for kind in ConsentKind}


_LATEST_CHOICE = (select(Consent.granted).where(Consent.user_id == bindparam("user_id"),
                                                Consent.kind == bindparam("kind"))
                  .order_by(Consent.id.desc()).limit(1))


def consent_granted(user_id: int, kind: ConsentKind) -> bool:
    return bool(db.session.scalar(_LATEST_CHOICE, {"user_id": user_id, "kind": str(kind)}))


def record_consents(user: User, choices: dict[str, bool], *, actor: User,
                    now: datetime | None = None) -> list[Consent]:
    """Record each choice that differs from the current one (and every first answer)."""
    if actor.id != user.id:
        raise PermissionDenied()
    now = now or utcnow()
    latest = latest_consents(user.id)
    recorded = []
    for kind in ConsentKind:
        if str(kind) not in choices:
            continue
        granted = bool(choices[str(kind)])
        previous = latest.get(str(kind))
        if previous is not None and previous.granted == granted:
            continue
        row = Consent(user_id=user.id, kind=str(kind), granted=granted,
                      text_version=CONSENT_TEXT_VERSION, recorded_at=now)
        db.session.add(row)
        recorded.append(row)
    db.session.flush()
    return recorded


def withdraw_all_consents(user: User, *, now: datetime | None = None) -> None:
    """Every granted choice becomes "no" (account deletion, back-office erasure)."""
    now = now or utcnow()
    for kind, row in latest_consents(user.id).items():
        if row.granted:
            db.session.add(Consent(user_id=user.id, kind=kind, granted=False,
                                   text_version=CONSENT_TEXT_VERSION, recorded_at=now))
    db.session.flush()


def users_granting(kind: ConsentKind) -> Select:
    """A SELECT of the user ids whose current choice for ``kind`` is "yes" (for exports, filters)."""
    latest_ids = select(func.max(Consent.id)).where(Consent.kind == str(kind)).group_by(Consent.user_id)
    return select(Consent.user_id).where(Consent.id.in_(latest_ids), Consent.granted.is_(True))


def says_yes(user_id, kind: ConsentKind) -> ColumnElement[bool]:
    """The user's current choice of ``kind`` is "yes", as a condition on a query's rows
    (``user_id``: their column); one look-up in the user's own rows, where ``users_granting``
    reads every user's."""
    return _latest_of(user_id, kind).is_(True)


def _latest_of(user_id, kind: ConsentKind):
    """The user's current choice of ``kind`` (``user_id``: a value, a parameter or a column)."""
    return (select(Consent.granted).where(Consent.user_id == user_id, Consent.kind == str(kind))
            .order_by(Consent.id.desc()).limit(1).correlate_except(Consent).scalar_subquery())


# The three facts the question needs, in one statement (pages that show a profile ask it each time).
_SHARING_FACTS = select(
    select(Registration.id).where(Registration.user_id == bindparam("user_id"),
                                  Registration.edition_id == bindparam("edition_id"),
                                  Registration.status == RegistrationStatus.REGISTERED).exists(),
    _latest_of(bindparam("user_id"), ConsentKind.SHARE_WITH_ALL_EXHIBITORS),
    _latest_of(bindparam("user_id"), ConsentKind.SHARE_WITH_APPLIED))


def can_share_profile_with_company(candidate: User, company_id: int, edition: Edition, *,
                                   applied_or_booked: bool) -> bool:
    """May this company see the candidate's profile and CV now?

    The caller (a higher-level feature) knows the company exhibits at ``edition`` and
    whether the candidate applied to it or booked one of its interviews. The candidate
    must hold a place at the edition; then either consent to share with every exhibitor,
    or, when they applied or booked, consent to share with the companies they chose.
    Each question reads the latest choice, so a withdrawal takes effect at once.
    """
    del company_id  # the decision does not depend on which exhibitor asks
    if candidate.is_disabled:
        return False
    registered, with_all, with_applied = db.session.execute(
        _SHARING_FACTS, {"user_id": candidate.id, "edition_id": edition.id}).one()
    return bool(registered) and (bool(with_all) or (applied_or_booked and bool(with_applied)))


def shares_profile_with_company(user_id, edition_id, *, applied_or_booked) -> ColumnElement[bool]:
    """``can_share_profile_with_company`` as a condition on a query's rows, for lists that read
    it with each person: ``user_id`` a column of user ids whose row also has ``User.is_disabled``
    in reach, ``applied_or_booked`` true, or a condition on the row (an application found)."""
    registered = (select(Registration.id).where(Registration.user_id == user_id, Registration.edition_id == edition_id,
                                                Registration.status == RegistrationStatus.REGISTERED)
                  .correlate_except(Registration).exists())
    with_all = says_yes(user_id, ConsentKind.SHARE_WITH_ALL_EXHIBITORS)
    with_applied = says_yes(user_id, ConsentKind.SHARE_WITH_APPLIED)
    chosen = or_(with_all, with_applied) if applied_or_booked is True else or_(with_all, and_(applied_or_booked,
                                                                                            with_applied))
    return and_(registered, User.is_disabled.is_(False), chosen)


def profiles_shared_with_companies(candidate_ids, edition: Edition, *, applied_or_booked) -> set[int]:
    """``can_share_profile_with_company`` for many candidates at once (two queries): the ids
    of those whose profile an exhibitor of ``edition`` may see. ``applied_or_booked``: whether
    they all applied to or booked with the company, or the set of those who did."""
    ids = list(set(candidate_ids))
    if not ids:
        return set()
    if not isinstance(applied_or_booked, bool):
        involved = set(applied_or_booked) & set(ids)
        kinds = [str(ConsentKind.SHARE_WITH_ALL_EXHIBITORS), str(ConsentKind.SHARE_WITH_APPLIED)]
        latest = (select(func.max(Consent.id)).where(Consent.user_id.in_(ids), Consent.kind.in_(kinds))
                  .group_by(Consent.user_id, Consent.kind))
        granted = db.session.execute(select(Consent.user_id, Consent.kind).where(
            Consent.id.in_(latest), Consent.granted.is_(True))).all()
        sharing = {user_id for user_id, kind in granted
                   if kind == ConsentKind.SHARE_WITH_ALL_EXHIBITORS or user_id in involved}
        return _registered(ids, edition) & sharing
    registered = _registered(ids, edition)
    kinds = [str(ConsentKind.SHARE_WITH_ALL_EXHIBITORS)]
    if applied_or_booked:
        kinds.append(str(ConsentKind.SHARE_WITH_APPLIED))
    latest = (select(func.max(Consent.id)).where(Consent.user_id.in_(ids), Consent.kind.in_(kinds))
              .group_by(Consent.user_id, Consent.kind))
    granting = set(db.session.scalars(select(Consent.user_id).where(Consent.id.in_(latest),
                                                                    Consent.granted.is_(True))))
    return registered & granting


def _registered(ids: list[int], edition: Edition) -> set[int]:
    return set(db.session.scalars(
        select(Registration.user_id).join(User, User.id == Registration.user_id)
        .where(Registration.user_id.in_(ids), Registration.edition_id == edition.id,
               Registration.status == RegistrationStatus.REGISTERED, User.is_disabled.is_(False))))


def may_view_cv(viewer: User, candidate: User) -> bool:
    """The CV view's own rule: the candidate, or an organiser. Companies come through
    ``can_share_profile_with_company`` in the features that know them."""
    return viewer.id == candidate.id or viewer.has_role(Role.ADMIN)
