"""Badges follow the candidates' signals: a withdrawn registration revokes the badge; an
erased candidate's badges lose their names (the rows stay for the door history); a
confirmed registration gets its badge issued and attached to the confirmation e-mail.

The outbox renders the badges that e-mails carry when it delivers them: ``init_app``
registers ``files.render_attachment`` for ``badge:<id>`` attachments (mail may not import badges)."""

from __future__ import annotations

from jobday.badges.services import badge_attachments, erase_badges, revoke_for_withdrawal
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
