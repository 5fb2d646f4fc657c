"""Badges follow the candidates' and companies' signals: a withdrawn registration revokes the
badge; an erased candidate's badges lose their names (the rows stay for the door history); a
confirmed registration gets its badge issued and attached to the confirmation e-mail; the
recruiters of an approved company, and a recruiter joining one, get theirs at once (so every
person taking part has a badge from the moment they do, before any bulk print).

The outbox renders the badges that e-mails carry when it delivers them: ``init_app``
registers ``files.render_attachment`` for ``badge:<id>`` attachments (mail may not import badges)."""

from __future__ import annotations

from sqlalchemy import select

from jobday.badges.services import badge_attachments, ensure_badge, erase_badges, revoke_for_withdrawal
from jobday.mail.services import Attachment


def on_registration_withdrawn(registration, **extra) -> None:
    revoke_for_withdrawal(registration, now=extra.get("now"))


def on_candidate_erased(user, **extra) -> None:
    erase_badges(user, now=extra.get("now"))


def attach_badge(registration, **extra) -> list[Attachment]:
    """The badge (issued now if it was not yet) for the confirmation e-mail, rendered when the
    e-mail is delivered; nothing for a registration that does not hold a place. Idempotent:
    sent twice, the same badge."""
    return badge_attachments(registration.user, registration.edition, now=extra.get("now"))


def on_participation_decided(_app, actor, participation_id: int, approved: bool, **_extra) -> None:
    """Approved: each recruiter's badge is issued; declined: their badges are revoked."""
    from jobday.companies.models import CompanyMember, Participation
    from jobday.extensions import db

    participation = db.session.get(Participation, participation_id)
    for member in db.session.scalars(select(CompanyMember).where(
            CompanyMember.company_id == participation.company_id).order_by(CompanyMember.id)):
        ensure_badge(member.user, participation.edition, actor=actor)


def on_member_joined(_app, member, **_extra) -> None:
    """A recruiter joining a company approved for editions still ahead gets those badges."""
    from jobday.companies.models import APPROVED, Participation
    from jobday.db import utcnow
    from jobday.editions.models import Edition
    from jobday.extensions import db

    for edition in db.session.scalars(select(Edition).join(Participation, Participation.edition_id == Edition.id)
                                      .where(Participation.company_id == member.company_id,
                                             Participation.status == APPROVED,
                                             Edition.ends_on >= utcnow().date())):
        ensure_badge(member.user, edition, actor=member.user)
