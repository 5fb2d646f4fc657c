"""A person's own badge (PDF)."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user, login_required

from jobday.badges.blueprint import bp, pdf_response
from jobday.badges.files import badge_pdf, filename
from jobday.badges.layouts import SINGLE_LAYOUTS
from jobday.badges.models import Badge
from jobday.badges.services import current_badge, ensure_badge, needs_update
from jobday.editions.web import chosen_edition_or_404
from jobday.extensions import db
from jobday.security import Role
from jobday.web import attempt


def _layout() -> str:
    layout = request.args.get("layout", "a6")
    return layout if layout in SINGLE_LAYOUTS else "a6"


@bp.get("/badges/mine.pdf")
@login_required
def my_badge():
    """The logged-in person's badge for the current edition (or ``?year=``), issued or
    brought up to date on the way; 404 for someone who does not take part."""
    edition = chosen_edition_or_404()
    badge = None
    if needs_update(current_user, edition):
        with attempt(tell=None, writing=True) as outcome:
            badge = ensure_badge(current_user, edition, actor=current_user)
        if outcome.error:
            abort(409)
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
