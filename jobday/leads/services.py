"""A company's leads: what its recruiters see of each candidate, the list and its filters,
edits with their history, and the company's tags.

What a recruiter sees is decided at every request (``what_is_shared``): a badge shown at the
stand shares the profile with that company until the candidate takes the access back; the CV
follows the candidate's sharing consent, as everywhere else. Several recruiters edit the same
leads: each edit names the version it started from, and an edit from an older version is
refused (``LeadChanged``) instead of overwriting a colleague's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from jobday.accounts.models import User
from jobday.candidates.models import CandidateProfile
from jobday.collation import collated, sorted_by
from jobday.companies.access import require_member
from jobday.companies.models import JobOffer, Participation
from jobday.db import utcnow
from jobday.driver_sql import DriverStatement
from jobday.errors import NotFound
from jobday.extensions import db
from jobday.leads.errors import AccessWithdrawn, InvalidLeadInput, LeadChanged, LeadNotFound
from jobday.leads.models import NOTE_MAX, TAG_MAX, Lead, LeadChange, LeadTag, lead_tag_links
from jobday.leads.vocabulary import LeadField, LeadState
from jobday.scheduling.applications import profile_shared

# --- what the company may see ------------------------------------------------------------------

@dataclass(frozen=True)
class Sharing:
    profile: bool  # the profile (contact, education, wishes): the badge shown at the stand
    cv: bool  # the CV: the candidate's sharing consent


def what_is_shared(lead: Lead, participation: Participation | None) -> Sharing:
    """Asked at every view, so a withdrawal or a changed consent applies at once."""
    candidate = lead.candidate
    if lead.is_withdrawn or candidate.is_disabled:
        return Sharing(False, False)
    cv = participation is not None and profile_shared(candidate, participation, participation.edition)
    return Sharing(True, cv)


def lead_for_company(lead_id: int, actor: User) -> Lead:
    """One of the actor's company's leads (any other is "not found")."""
    lead = db.session.get(Lead, lead_id)
    if lead is None:
        raise LeadNotFound()
    try:
        require_member(lead.company_id, actor)
    except NotFound as error:  # another company's lead: the same answer as a missing one
        raise LeadNotFound() from error
    return lead


# Built once (every lead page asks).
_LEAD_OF_COMPANY = (
    select(Lead).where(Lead.id == bindparam("lead_id"), Lead.company_id == bindparam("company_id"),
                       Lead.edition_id == bindparam("edition_id"))
    .options(joinedload(Lead.candidate).lazyload(User.role_rows), joinedload(Lead.tags)))


def lead_of_company(lead_id: int, participation: Participation) -> Lead | None:
    """The lead if it is the participation's company's, at its edition (with the candidate)."""
    return db.session.execute(_LEAD_OF_COMPANY, {
        "lead_id": lead_id, "company_id": participation.company_id, "edition_id": participation.edition_id,
    }).unique().scalar_one_or_none()


_OPEN_OFFER_TITLES = DriverStatement(  # built once (the list and every lead page ask)
    select(JobOffer.id, JobOffer.title)
    .where(JobOffer.company_id == bindparam("company_id"), JobOffer.closed_at.is_(None))
    .order_by(JobOffer.title, JobOffer.id))


def open_offer_titles(company_id: int) -> list[tuple[int, str]]:
    """The company's open offers (id, title), for a choice."""
    return [(offer_id, title) for offer_id, title in _OPEN_OFFER_TITLES.session_all(company_id=company_id)]


# --- the list ----------------------------------------------------------------------------------

@dataclass
class LeadFilters:
    min_rating: int | None = None
    tag_id: int | None = None
    state: str = ""
    offer_id: int | None = None

    @property
    def any(self) -> bool:
        return bool(self.min_rating or self.tag_id or self.state or self.offer_id)

    def applied_to(self, query: Select) -> Select:
        """``query`` (of leads) narrowed to what the filters ask. A lead whose candidate took
        the access back matches no filter: what the company noted on it is hidden."""
        if self.any:
            query = query.where(Lead.access_withdrawn_at.is_(None))
        if self.min_rating:
            query = query.where(Lead.rating >= self.min_rating)
        if self.state:
            query = query.where(Lead.state == self.state)
        if self.offer_id:
            query = query.where(Lead.offer_id == self.offer_id)
        if self.tag_id:
            query = query.where(Lead.id.in_(select(lead_tag_links.c.lead_id)
                                            .where(lead_tag_links.c.tag_id == self.tag_id)))
        return query


@dataclass
class LeadRow:
    lead: Lead
    shared: bool
    profile: CandidateProfile | None  # None when not shared, or not asked for
    tags: list[LeadTag] = field(default_factory=list)


def company_leads(company_id: int, edition_id: int, *, actor: User, filters: LeadFilters | None = None,
                  with_profiles: bool = False) -> list[LeadRow]:
    """The company's leads at the edition, last scanned first.
    Filters read what the company noted; a lead whose candidate took the access back keeps its
    name only, so it matches no filter (its rating, tags and follow-up are hidden).
    ``with_profiles``: each shared lead's profile too (the lists show none of it)."""
    require_member(company_id, actor)
    filters = filters or LeadFilters()
    query = filters.applied_to(
        select(Lead).where(Lead.edition_id == edition_id, Lead.company_id == company_id)
        .options(joinedload(Lead.candidate), selectinload(Lead.tags), joinedload(Lead.offer),
                 joinedload(Lead.last_scanned_by))
        .order_by(Lead.last_scanned_at.desc(), Lead.id.desc()))
    leads = list(db.session.scalars(query).unique())
    shared = {lead.id for lead in leads if not lead.is_withdrawn and not lead.candidate.is_disabled}
    ids = [lead.candidate_id for lead in leads if lead.id in shared] if with_profiles else []
    profiles = {p.user_id: p for p in db.session.scalars(
        select(CandidateProfile).where(CandidateProfile.user_id.in_(ids)))} if ids else {}
    return [LeadRow(lead, lead.id in shared, profiles.get(lead.candidate_id) if lead.id in shared else None,
                    sorted_by(lead.tags, lambda t: t.name) if lead.id in shared else []) for lead in leads]


def history_of(lead: Lead) -> list[LeadChange]:
    return list(db.session.scalars(select(LeadChange).where(LeadChange.lead_id == lead.id)
                                   .options(joinedload(LeadChange.actor)).order_by(LeadChange.id.desc())))


# --- edits -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LeadInput:
    version: int
    rating: int | None
    state: str
    note: str
    tag_ids: tuple[int, ...] = ()
    offer_id: int | None = None


def _locked(lead: Lead) -> Lead:
    return db.session.scalar(select(Lead).where(Lead.id == lead.id).with_for_update()
                             .execution_options(populate_existing=True))


def record_change(lead: Lead, actor: User | None, what: LeadField, old: str = "", new: str = "", *,
                  now: datetime) -> None:
    db.session.add(LeadChange(lead_id=lead.id, actor_id=actor.id if actor else None, changed_at=now,
                              field=str(what), old_value=old[:500], new_value=new[:500]))


def _tag_names(tags) -> str:
    return ", ".join(tag.name for tag in sorted_by(tags, lambda t: t.name))


def update_lead(lead: Lead, data: LeadInput, *, actor: User, now: datetime | None = None) -> Lead:
    """Rating, follow-up, note, tags and offer together; each change is a line of history."""
    now = now or utcnow()
    require_member(lead.company_id, actor)
    lead = _locked(lead)
    if lead.is_withdrawn:
        raise AccessWithdrawn()
    if data.version != lead.version:
        raise LeadChanged()
    if data.rating is not None and not 1 <= data.rating <= 5:
        raise InvalidLeadInput("rating", _l("Give a rating from 1 to 5 stars, or none."))
    if data.state not in set(LeadState):
        raise InvalidLeadInput("state", _l("Choose a follow-up from the list."))
    note = (data.note or "").strip()
    if len(note) > NOTE_MAX:
        raise InvalidLeadInput("note", _l("At most %(n)d characters, please.", n=NOTE_MAX))
    tags = list(db.session.scalars(select(LeadTag).where(LeadTag.id.in_(set(data.tag_ids)),
                                                         LeadTag.company_id == lead.company_id)))
    if len(tags) != len(set(data.tag_ids)):
        raise InvalidLeadInput("tags", _l("Choose tags from your company's list."))
    offer = db.session.get(JobOffer, data.offer_id) if data.offer_id else None
    if data.offer_id and (offer is None or offer.company_id != lead.company_id):
        raise InvalidLeadInput("offer_id", _l("Choose one of your company's offers."))

    def _num(value: int | None) -> str:
        return "" if value is None else str(value)

    changes = [(LeadField.RATING, _num(lead.rating), _num(data.rating)),
               (LeadField.STATE, lead.state, data.state),
               (LeadField.TAGS, _tag_names(lead.tags), _tag_names(tags)),
               (LeadField.OFFER, _num(lead.offer_id), _num(data.offer_id))]
    changed = False
    for what, old, new in changes:
        if old != new:
            record_change(lead, actor, what, old, new, now=now)
            changed = True
    if note != lead.note:
        record_change(lead, actor, LeadField.NOTE, now=now)  # the text stays in the lead only
        changed = True
    if not changed:
        return lead
    lead.rating, lead.state, lead.note, lead.offer_id = data.rating, data.state, note, data.offer_id
    lead.tags = tags
    lead.version += 1
    lead.updated_at, lead.updated_by_id = now, actor.id
    db.session.flush()
    return lead


# --- tags --------------------------------------------------------------------------------------

def company_tags(company_id: int) -> list[LeadTag]:
    """The company's tags in the reader's order ("Électronique" between "anglais" and "Stage")."""
    return list(db.session.scalars(select(LeadTag).where(LeadTag.company_id == company_id)
                                   .order_by(collated(LeadTag.name), LeadTag.id)))


def add_tag(company_id: int, name: str, *, actor: User) -> LeadTag:
    require_member(company_id, actor)
    name = " ".join((name or "").split())
    if not name or len(name) > TAG_MAX:
        raise InvalidLeadInput("name", _l("A tag has 1 to %(n)d characters.", n=TAG_MAX))
    key = name.casefold()
    if db.session.scalar(select(LeadTag.id).where(LeadTag.company_id == company_id, LeadTag.name_key == key)):
        raise InvalidLeadInput("name", _l("Your company already has this tag."))
    tag = LeadTag(company_id=company_id, name=name, name_key=key)
    db.session.add(tag)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:  # a colleague added it at the same moment
        raise InvalidLeadInput("name", _l("Your company already has this tag.")) from error
    return tag


def delete_tag(tag_id: int, *, actor: User) -> None:
    """The tag goes from the list and from every lead that had it."""
    tag = db.session.get(LeadTag, tag_id)
    if tag is None:
        raise LeadNotFound()
    try:
        require_member(tag.company_id, actor)
    except NotFound as error:
        raise LeadNotFound() from error
    db.session.execute(delete(lead_tag_links).where(lead_tag_links.c.tag_id == tag.id))
    db.session.delete(tag)
    db.session.flush()
