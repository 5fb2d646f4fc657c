"""Password hashing (scrypt, through Werkzeug) and the strength rule."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

# zxcvbn scores 0-4; 3 refuses common passwords, keyboard walks, repeated words and
# names (its dictionaries), while a long passphrase passes.
MIN_SCORE = 3
ZXCVBN_MAX_LENGTH = 72
# A real hash of an unguessable value: checking against it when the account does not
# exist takes as long as a real check, so timing does not reveal which e-mails exist.
_DUMMY_HASH = generate_password_hash("not-a-real-password-jobday")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        check_password_hash(_DUMMY_HASH, password)
        return False
    return check_password_hash(password_hash, password)


def password_problem(password: str, *, user_inputs: tuple[str, ...] = ()):
    """Why ``password`` is refused (a translatable message), or None when it is fine."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return _l("Use at least %(n)d characters.", n=minimum)
    if len(password) > 200:
        return _l("Use at most 200 characters.")
    # zxcvbn is slow on very long input and refuses more than 72 characters (ValueError): the
    # first 72 decide.
    if zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=[part for part in user_inputs if part])["score"] < MIN_SCORE:
        return _l("This password is too common or too easy to guess. Try a few unrelated words.")
    return None
