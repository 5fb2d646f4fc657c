"""The scheduling blueprint and helpers its views share."""

from __future__ import annotations

from flask import Blueprint

from jobday.editions.models import Edition
from jobday.scheduling import waitlist
from jobday.web import attempt

bp = Blueprint("scheduling", __name__)


def settle_offers(edition: Edition) -> None:
    """A page that shows slots or lines first passes overdue waiting-list offers on."""
    if not waitlist.offers_due(edition_id=edition.id):
        return
    with attempt(tell=None, writing=True):
        waitlist.expire_slot_offers(edition_id=edition.id)
