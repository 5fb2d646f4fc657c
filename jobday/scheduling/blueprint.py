"""The scheduling blueprint (its CLI group is ``flask schedule``) and helpers its views share."""

from __future__ import annotations

from flask import Blueprint, abort, flash
from flask_login import current_user

from jobday import db as db_module
from jobday.editions.models import Edition
from jobday.editions.services import current_edition
from jobday.errors import DomainError
from jobday.extensions import db
from jobday.scheduling import waitlist

bp = Blueprint("scheduling", __name__, cli_group="schedule")


def edition_or_404() -> Edition:
    edition = current_edition()
    if edition is None:
        abort(404)
    return edition


def settle_offers(edition: Edition) -> None:
    """A page that shows slots or lines first passes overdue waiting-list offers on."""
    if not waitlist.offers_due(edition_id=edition.id):
        return
    db.session.commit()  # end the read transaction; the write starts with BEGIN IMMEDIATE on SQLite
    token = db_module.set_write_intent(True)
    try:
        waitlist.expire_slot_offers(edition_id=edition.id)
        db.session.commit()
    except DomainError:
        db.session.rollback()
    finally:
        db_module.reset_write_intent(token)


def attempt(action, success: str | None = None):
    """Run a service call in the request's transaction: commit, or roll back and flash why.
    Returns (result, error)."""
    try:
        result = action()
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return None, error
    if success:
        flash(success, "success")
    return result, None


def is_mine(obj, attribute: str = "candidate_id"):
    if obj is None or getattr(obj, attribute) != current_user.id:
        abort(404)
    return obj
