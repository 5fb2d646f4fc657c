"""The e-mails of a sign-up and of a password reset, made after the response.

Whether they are sent, and which, depends on whether the address has an account: made in
the request, they made the two answers take different times (a reset for a real account did
a token, a template and an outbox row more; a sign-up an account's confirmation or the
owner's warning). The views do the same work on every path, the password hash included,
then hand one step to the worker (``jobday.deferred``), which looks the address up and
writes the e-mail.
"""

from __future__ import annotations

from sqlalchemy import inspect

from jobday import deferred
from jobday.accounts import services
from jobday.accounts.models import User
from jobday.errors import DomainError

SIGNUP_NEW = "accounts.signup_new"
SIGNUP_TAKEN = "accounts.signup_taken"
PASSWORD_RESET = "accounts.password_reset"


def register_steps() -> None:
    deferred.register(SIGNUP_NEW, services.confirm_new_account)
    deferred.register(SIGNUP_TAKEN, services.warn_of_signup_attempt)
    deferred.register(PASSWORD_RESET, services.request_password_reset)


def signup_mail(error: DomainError | None, user: User | None, email: str, *, step: str = SIGNUP_NEW,
                **params) -> User | None:
    """After a sign-up's commit: the confirmation of the new account (``step`` with its
    ``user_id``), or the warning to the owner of a taken address (``services.EmailTaken``).
    Returns the new account, None for a taken address."""
    if isinstance(error, services.EmailTaken):
        services.write_as_a_new_account_would(email)
        deferred.defer(SIGNUP_TAKEN, email=email)
        return None
    deferred.defer(step, user_id=inspect(user).identity[0], **params)
    return user


def password_reset_mail(email: str) -> None:
    deferred.defer(PASSWORD_RESET, email=email)
