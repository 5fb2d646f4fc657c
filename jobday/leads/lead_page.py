"""One lead as its page shows it (``views.lead``, unsent), as plain rows sent straight to the
driver: the lead, its candidate and first scanner in one statement, its tags' ids in another
(loading the ``Lead`` with its candidate and tags as objects cost more than the page's own
work). What it offers is what the page and the rules it asks (``services.what_is_shared``,
``candidates.pages.profile_facts``, the follow-up form) read of a ``Lead`` and its ``User``s.
tests/leads/test_leads_lead_page.py holds it to the ``Lead``."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import aliased

from jobday.accounts.models import User
from jobday.driver_sql import DriverStatement
from jobday.leads.models import Lead, lead_tag_links


class Person(NamedTuple):
    """A ``User`` as the page shows them."""

    id: int
    first_name: str
    last_name: str
    email: str
    is_disabled: bool

    @property
    def display_name(self) -> str:  # User.display_name's rule
        return f"{self.first_name} {self.last_name}".strip() or self.email


class LeadOnPage(NamedTuple):
    id: int
    candidate_id: int
    version: int
    rating: int | None
    state: str
    note: str
    offer_id: int | None
    scan_count: int
    first_scanned_at: datetime
    share_requested_at: datetime | None
    access_withdrawn_at: datetime | None
    candidate: Person
    first_scanned_by: Person | None
    tag_ids: frozenset[int]

    @property
    def is_withdrawn(self) -> bool:  # Lead.is_withdrawn
        return self.access_withdrawn_at is not None


_scanner = aliased(User)
_LEAD = DriverStatement(
    select(Lead.id, Lead.candidate_id, Lead.version, Lead.rating, Lead.state, Lead.note, Lead.offer_id,
           Lead.scan_count, Lead.first_scanned_at, Lead.share_requested_at, Lead.access_withdrawn_at,
           User.first_name, User.last_name, User.email, User.is_disabled,
           _scanner.id, _scanner.first_name, _scanner.last_name, _scanner.email, _scanner.is_disabled)
    .join(User, User.id == Lead.candidate_id)
    .outerjoin(_scanner, _scanner.id == Lead.first_scanned_by_id)
    .where(Lead.id == bindparam("lead_id"), Lead.company_id == bindparam("company_id"),
           Lead.edition_id == bindparam("edition_id")))
_TAG_IDS = DriverStatement(select(lead_tag_links.c.tag_id).where(lead_tag_links.c.lead_id == bindparam("lead_id")))


def lead_on_page(lead_id: int, company_id: int, edition_id: int) -> LeadOnPage | None:
    """The company's lead at the edition (``services.lead_of_company``'s rule), or None."""
    row = _LEAD.session_first(lead_id=lead_id, company_id=company_id, edition_id=edition_id)
    if row is None:
        return None
    scanner = Person(*row[15:]) if row[15] is not None else None
    tag_ids = frozenset(tag_id for (tag_id,) in _TAG_IDS.session_all(lead_id=lead_id))
    return LeadOnPage(*row[:11], Person(row[1], *row[11:15]), scanner, tag_ids)
