"""The candidate's side of leads: which companies hold their details ("met at the fair"),
taking a company's access back (the lead keeps the name only) or giving it again, and a
recruiter's request to share."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from jobday.accounts.models import User
from jobday.companies.access import require_member
from jobday.companies.models import Participation
from jobday.db import utcnow
from jobday.extensions import db
from jobday.leads.errors import AlreadyAsked, LeadNotFound, NothingToAsk
from jobday.leads.invitations import cancel_pending
from jobday.leads.models import Lead
from jobday.leads.services import record_change, what_is_shared
from jobday.leads.vocabulary import LeadField
from jobday.mail.services import queue_email

ASK_AGAIN_AFTER = timedelta(days=1)
GRANTED, WITHDRAWN = "granted", "withdrawn"


def own_lead(lead_id: int, actor: User) -> Lead:
    lead = db.session.get(Lead, lead_id)
    if lead is None or lead.candidate_id != actor.id:
        raise LeadNotFound()
    return lead


def _locked(lead: Lead) -> Lead:
    return db.session.scalar(select(Lead).where(Lead.id == lead.id).with_for_update()
                             .execution_options(populate_existing=True))


def withdraw_access(lead: Lead, *, actor: User, now: datetime | None = None) -> Lead:
    """From now on the company sees the name only (lists, lead page, exports); its waiting
    invitations to the candidate end."""
    now = now or utcnow()
    own_lead(lead.id, actor)
    lead = _locked(lead)
    if lead.access_withdrawn_at is None:
        lead.access_withdrawn_at = now
        lead.version += 1
        record_change(lead, actor, LeadField.ACCESS, GRANTED, WITHDRAWN, now=now)
        cancel_pending(lead.candidate_id, lead.company_id, now=now)
        db.session.flush()
    return lead


def restore_access(lead: Lead, *, actor: User, now: datetime | None = None) -> Lead:
    now = now or utcnow()
    own_lead(lead.id, actor)
    lead = _locked(lead)
    if lead.access_withdrawn_at is not None:
        lead.access_withdrawn_at = None
        lead.share_requested_at = None
        lead.version += 1
        record_change(lead, actor, LeadField.ACCESS, WITHDRAWN, GRANTED, now=now)
        db.session.flush()
    return lead


def request_share(lead: Lead, *, actor: User, now: datetime | None = None) -> Lead:
    """A recruiter asks the candidate to share again (their profile after a withdrawal, or
    their CV): an e-mail, once a day at most; the candidate answers from their home page."""
    now = now or utcnow()
    require_member(lead.company_id, actor)
    lead = _locked(lead)
    if lead.candidate.is_disabled:
        raise LeadNotFound()
    participation = db.session.scalar(select(Participation).where(
        Participation.company_id == lead.company_id, Participation.edition_id == lead.edition_id))
    if what_is_shared(lead, participation).cv:
        raise NothingToAsk()
    if lead.share_requested_at is not None and now - lead.share_requested_at < ASK_AGAIN_AFTER:
        raise AlreadyAsked()
    lead.share_requested_at = now
    record_change(lead, actor, LeadField.SHARE_REQUEST, now=now)
    candidate = lead.candidate
    queue_email(to=candidate.email, locale=candidate.locale, template="leads/share_request",
                subject=_l("%(company)s would like to see your profile", company=lead.company.name),
                user=candidate, company=lead.company.name)
    db.session.flush()
    return lead
