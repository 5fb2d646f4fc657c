"""Pure checks and normal forms for what identifies a company: name, enterprise number,
website and phone. Each raises ``ValueError`` with a lazily translated message."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import phonenumbers
from flask_babel import lazy_gettext as _l

from jobday.collation import fold


def name_key(name: str) -> str:
    """Two names that differ only by case, accents, punctuation or spacing are the same
    ("Crèvecœur" and "CREVECOEUR"); it is also the companies' search form (``collation.fold``)."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(name)).split())


def normalise_enterprise_number(raw: str) -> str:
    """A Belgian BCE/KBO number (0123.456.749, BE0123456749, 123456749) as 10 digits.

    The number is 10 digits starting with 0 or 1; its last two digits are
    97 - (the first eight digits mod 97)."""
    text = re.sub(r"[\s.\-/]", "", raw.strip().upper())
    if text.startswith("BE"):
        text = text[2:]
    if len(text) == 9 and text.isdigit():  # the old 9-digit form
        text = "0" + text
    if len(text) != 10 or not text.isascii() or not text.isdigit() or text[0] not in "01":
        raise ValueError(_l("An enterprise number has 10 digits and starts with 0 or 1, "
                            "e.g. 0123.456.749."))
    if 97 - int(text[:8]) % 97 != int(text[8:]):
        raise ValueError(_l("This enterprise number is not valid (its check digits do not match)."))
    return text


def format_enterprise_number(number: str | None) -> str:
    if not number:
        return ""
    return f"{number[:4]}.{number[4:7]}.{number[7:]}"


def normalise_website(raw: str) -> str:
    """An http(s) address with a host; a bare host gets https://."""
    url = raw.strip()
    if not url:
        return ""
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "." not in parts.hostname:
        raise ValueError(_l("Enter a web address starting with http:// or https://."))
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise ValueError(_l("Enter a web address starting with http:// or https://."))
    return url


def normalise_phone(raw: str, region: str = "BE") -> str:
    """A valid phone number in E.164 form (+3271...)."""
    text = raw.strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValueError(_l("Enter a valid phone number, e.g. +32 71 12 34 56."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
