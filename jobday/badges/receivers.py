"""Badges follow the candidates' signals: a withdrawn registration revokes the badge; an
erased candidate's badges lose their names (the rows stay for the door history)."""

from __future__ import annotations

from jobday.badges.services import erase_badges, revoke_for_withdrawal
from jobday.candidates.signals import candidate_erased, registration_withdrawn


@registration_withdrawn.connect
def _on_registration_withdrawn(registration, **extra) -> None:
    revoke_for_withdrawal(registration, now=extra.get("now"))


@candidate_erased.connect
def _on_candidate_erased(user, **extra) -> None:
    erase_badges(user, now=extra.get("now"))
