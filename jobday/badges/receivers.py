"""Badges follow the candidates' signals: a withdrawn registration revokes the badge; an
erased candidate's badges lose their names (the rows stay for the door history); a
confirmed registration gets the badge attached to its e-mail.

The last one needs, on the candidates' side, a ``registration_confirmed`` signal whose
receivers return attachments, collected where the confirmation e-mail is queued::

    attachments = [a for _receiver, found in registration_confirmed.send(registration) for a in found or ()]
"""

from __future__ import annotations

from jobday.badges.services import badge_attachments, erase_badges, revoke_for_withdrawal
from jobday.candidates import signals as candidate_signals
from jobday.candidates.signals import candidate_erased, registration_withdrawn


@registration_withdrawn.connect
def _on_registration_withdrawn(registration, **extra) -> None:
    revoke_for_withdrawal(registration, now=extra.get("now"))


@candidate_erased.connect
def _on_candidate_erased(user, **extra) -> None:
    erase_badges(user, now=extra.get("now"))


def attach_badge(registration, **extra) -> list[tuple[str, str, bytes]]:
    return badge_attachments(registration.user, registration.edition)


_confirmed = getattr(candidate_signals, "registration_confirmed", None)
if _confirmed is not None:  # pragma: no branch - connected once the candidates send it
    _confirmed.connect(attach_badge)
