"""The confirmation e-mail of a sign-up from an edition's page, made after the response
(``accounts.after_response`` says why): it links to the edition's registration."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from jobday import deferred
from jobday.accounts import tokens
from jobday.accounts.models import User
from jobday.editions.models import Edition
from jobday.extensions import db
from jobday.mail.services import queue_email

CONFIRM_SIGNUP = "candidates.confirm_signup"


def send_edition_confirmation(user_id: int, edition_id: int) -> None:
    user, edition = db.session.get(User, user_id), db.session.get(Edition, edition_id)
    if user is None or edition is None or user.email_confirmed_at is not None:
        return
    queue_email(to=user.email, subject=_l("Confirm your e-mail address"), template="candidates/confirm_signup",
                locale=user.locale, user=user, edition=edition, token=tokens.make_token(user, tokens.CONFIRM))


def register_steps() -> None:
    deferred.register(CONFIRM_SIGNUP, send_edition_confirmation)
