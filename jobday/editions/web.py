"""The edition a page is about, for the views of every feature above editions."""

from __future__ import annotations

from flask import abort, request

from jobday.editions.models import Edition
from jobday.editions.services import current_edition, get_edition_by_year


def edition_or_404(year: int | None = None) -> Edition:
    """The edition of ``year``, else (``None``) the current one; none is a 404."""
    edition = current_edition() if year is None else get_edition_by_year(year)
    if edition is None:
        abort(404)
    return edition


def chosen_edition_or_404() -> Edition:
    """The edition the request names (``?year=``, or a posted ``year``), else the current one."""
    return edition_or_404(request.values.get("year", type=int) or None)
