"""A person's own badge (PDF), and the blueprint that also carries the organiser's pages,
the ``flask badges`` commands and the print job (imported here so that registering ``bp``
registers them all)."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user, login_required

from jobday.badges import cli, home, printing, receivers, staff_views  # noqa: F401  (job, signals)
from jobday.badges.blueprint import bp, pdf_response
from jobday.badges.files import badge_pdf, filename
from jobday.badges.layouts import SINGLE_LAYOUTS
from jobday.badges.models import Badge
from jobday.badges.services import current_badge, ensure_badge, needs_update
from jobday.db import reset_write_intent, set_write_intent
from jobday.editions.services import current_edition, get_edition_by_year
from jobday.errors import DomainError
from jobday.extensions import db
from jobday.security import Role

__all__ = ["bp"]
cli.register(bp)


def _layout() -> str:
    layout = request.args.get("layout", "a6")
    return layout if layout in SINGLE_LAYOUTS else "a6"


@bp.get("/badges/mine.pdf")
@login_required
def my_badge():
    """The logged-in person's badge for the current edition (or ``?year=``), issued or
    brought up to date on the way; 404 for someone who does not take part."""
    year = request.args.get("year", type=int)
    edition = get_edition_by_year(year) if year else current_edition()
    if edition is None:
        abort(404)
    badge = None
    if needs_update(current_user, edition):
        # A GET that writes: end the read transaction and start a writing one.
        db.session.rollback()
        token = set_write_intent(True)
        try:
            badge = ensure_badge(current_user, edition, actor=current_user)
            db.session.commit()
        except DomainError:
            db.session.rollback()
            abort(409)
        finally:
            reset_write_intent(token)
    else:
        badge = current_badge(current_user, edition)
    if badge is None:
        abort(404)
    return pdf_response(badge_pdf(badge, _layout()), filename(badge))


@bp.get("/badges/<int:badge_id>.pdf")
@login_required
def download(badge_id: int):
    """One badge: its holder while it is active; organisers any badge. Anyone else: 404."""
    badge = db.session.get(Badge, badge_id)
    if badge is None:
        abort(404)
    is_admin = current_user.has_role(Role.ADMIN)
    if not is_admin and not (badge.user_id == current_user.id and badge.is_active):
        abort(404)
    return pdf_response(badge_pdf(badge, _layout()), filename(badge))
