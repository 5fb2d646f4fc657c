"""Badge codes: random secrets that are short in a QR code and easy to type.

A code is 17 symbols drawn with ``secrets`` from a 31-symbol alphabet (uppercase letters
and digits without the look-alikes 0/O and 1/I/L), ≈ 84 bits, followed by one check symbol
(weighted sum modulo 31) that catches any mistyped symbol and any swap of two neighbours. It carries
no personal data and no database id. Every symbol belongs to the QR alphanumeric mode, so
18 symbols fit a version 2 code even at the highest error correction level.

This module is pure: no Flask, no database.
"""

from __future__ import annotations

import math
import re
import secrets
import unicodedata

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RANDOM_LENGTH = 17
CODE_LENGTH = RANDOM_LENGTH + 1
ENTROPY_BITS = RANDOM_LENGTH * math.log2(len(ALPHABET))
_INDEX = {symbol: n for n, symbol in enumerate(ALPHABET)}
# What people and scanners put between groups: spaces, dashes of every kind, dots, underscores.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212_.·/]+")


def _check_symbol(body: str) -> str:
    """Weighted sum modulo 31 (a prime) with weights 1..17: every single wrong symbol and
    every swap of two different neighbours changes it (weights are distinct and non-zero)."""
    total = sum(weight * _INDEX[symbol] for weight, symbol in enumerate(body, start=1))
    return ALPHABET[total % len(ALPHABET)]


def new_code() -> str:
    return with_check("".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH)))


def with_check(body: str) -> str:
    """``body`` (17 symbols of the alphabet) followed by its check symbol."""
    if len(body) != RANDOM_LENGTH or any(symbol not in _INDEX for symbol in body):
        raise ValueError("a code body is 17 symbols of the alphabet")
    return body + _check_symbol(body)


def is_well_formed(code: str) -> bool:
    """Right length, right alphabet and a correct check symbol (the code may still be unknown)."""
    if len(code) != CODE_LENGTH or any(symbol not in _INDEX for symbol in code):
        return False
    return _check_symbol(code[:-1]) == code[-1]


def normalise(typed: str) -> str:
    """The code as stored, from what a person typed or a scanner sent: compatibility forms
    folded (full-width letters), upper case, separators removed. Does not validate."""
    text = unicodedata.normalize("NFKC", typed or "")
    return _SEPARATORS.sub("", text).upper()


def parse(typed: str) -> str | None:
    """The normalised code if it is well formed, else None."""
    code = normalise(typed)
    return code if is_well_formed(code) else None


def for_humans(code: str, group: int = 6) -> str:
    """``ABCDEF-GHJKMN-PQRSTU``: groups that are easy to read aloud and to type."""
    return "-".join(code[i:i + group] for i in range(0, len(code), group))
