"""One badge as a file: the PDF of a person's badge, for a download or an e-mail attachment."""

from __future__ import annotations

import re
import unicodedata

from jobday.badges import documents
from jobday.badges.faces import BadgeData, EditionData
from jobday.badges.models import Badge
from jobday.editions.models import Edition
from jobday.extensions import db


def badge_data(badge: Badge) -> BadgeData:
    return BadgeData(code=badge.code, role=badge.role, first_name=badge.first_name, last_name=badge.last_name,
                     company=badge.company_name, stand=badge.stand, locale=badge.locale)


def edition_data(edition: Edition) -> EditionData:
    return EditionData(name=edition.name, starts_on=edition.starts_on, ends_on=edition.ends_on)


def badge_pdf(badge: Badge, layout: str = "a6") -> bytes:
    edition = badge.edition or db.session.get(Edition, badge.edition_id)
    return documents.render_one(badge_data(badge), edition_data(edition), layout)


def filename(badge: Badge) -> str:
    edition = badge.edition or db.session.get(Edition, badge.edition_id)
    plain = unicodedata.normalize("NFKD", f"{badge.first_name}-{badge.last_name}").encode("ascii", "ignore")
    stem = re.sub(r"[^A-Za-z0-9]+", "-", f"badge-{edition.year}-{plain.decode()}").strip("-")
    return f"{stem}.pdf"


def attachment(badge: Badge) -> tuple[str, str, bytes]:
    """``(filename, mimetype, content)`` for ``jobday.mail.services.queue_email``."""
    return (filename(badge), "application/pdf", badge_pdf(badge))
