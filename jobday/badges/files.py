"""One badge as a file: the PDF of a person's badge, for a download or an e-mail attachment.

E-mails carry the badge as ``AttachmentSource("badge", id)``: the outbox renders it when it
delivers the e-mail (``render_attachment``), so the request that queued the e-mail, which
may hold its edition's lock, does not render a PDF.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from jobday.badges import documents
from jobday.badges.faces import BadgeData, EditionData
from jobday.badges.models import ACTIVE, Badge
from jobday.collation import ascii_text
from jobday.editions.models import Edition
from jobday.extensions import db
from jobday.mail.sources import AttachmentSource, AttachmentUnavailable

SOURCE_KIND = "badge"
EMAIL_LAYOUT = "a6"


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
    plain = ascii_text(f"{badge.first_name}-{badge.last_name}")
    stem = re.sub(r"[^A-Za-z0-9]+", "-", f"badge-{edition.year}-{plain}").strip("-")
    return f"{stem}.pdf"


def attachment(badge: Badge) -> tuple[str, str, bytes]:
    """``(filename, mimetype, content)`` for ``jobday.mail.services.queue_email``, rendered now."""
    return (filename(badge), "application/pdf", badge_pdf(badge, EMAIL_LAYOUT))


def deferred_attachment(badge: Badge) -> tuple[str, str, AttachmentSource]:
    """The same attachment, rendered by the outbox when it delivers the e-mail."""
    if badge.id is None:
        db.session.flush()
    return (filename(badge), "application/pdf", AttachmentSource(SOURCE_KIND, badge.id))


def render_attachment(ident: str) -> bytes:
    """The outbox's renderer for ``badge:<id>``: the PDF of that badge or, if it was reissued
    since the e-mail was queued, of the badge that replaced it (the person's current one).
    A badge revoked for good (withdrawn, erased, no longer taking part) is not mailed:
    ``AttachmentUnavailable``. Reads in a session of its own, ended before rendering."""
    with Session(db.engine) as session:
        badge = session.get(Badge, int(ident))
        followed: set[int] = set()
        while (badge is not None and badge.status != ACTIVE and badge.replaced_by_id is not None
               and badge.id not in followed):
            followed.add(badge.id)
            badge = session.get(Badge, badge.replaced_by_id)
        if badge is None or badge.status != ACTIVE:
            raise AttachmentUnavailable(f"badge {ident} is revoked and has no active replacement")
        item, edition = badge_data(badge), edition_data(badge.edition)
    return documents.render_one(item, edition, EMAIL_LAYOUT)
