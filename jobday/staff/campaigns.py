"""E-mail campaigns: a text in French and English for a filtered group, sent through the job queue.

Each person receives a campaign once: their e-mail carries the dedup key
``campaign:<id>:user:<id>``, people who already have one are skipped, and the database
refuses a second row with the same key (a retried job, a double click). Sending is
throttled: one job run queues at most ``CAMPAIGN_BATCH_SIZE`` e-mails, then schedules the
next run ``CAMPAIGN_BATCH_INTERVAL`` seconds later (no sleeping in the worker).
"""

from __future__ import annotations

import logging

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.exc import IntegrityError

from jobday.accounts.models import User
from jobday.candidates.models import Registration, RegistrationStatus
from jobday.companies.models import CompanyMember, Participation
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.errors import DomainError
from jobday.extensions import db
from jobday.jobs.services import JobResult, start_job
from jobday.mail.models import OutboundEmail
from jobday.mail.services import queue_email
from jobday.scheduling.models import Booking
from jobday.staff import checkin_bridge
from jobday.staff.audit import record_audit
from jobday.staff.models import (
    CAMPAIGN_DRAFT,
    CAMPAIGN_SENDING,
    CAMPAIGN_SENT,
    Audience,
    Campaign,
)
from jobday.staff.reminders import not_yet_sent

log = logging.getLogger(__name__)
JOB_KIND = "staff.campaign"

AUDIENCES = {audience.value: audience.lazy_label for audience in Audience}


class CampaignAlreadySent(DomainError):
    code = "campaign_already_sent"
    message = _l("This campaign has already been sent.")


class UnknownAudience(DomainError):
    code = "unknown_audience"
    message = _l("Choose the recipients from the list.")


class EmptyCampaign(DomainError):
    code = "campaign_empty"
    message = _l("Write a subject and a text in French.")


def available_audiences() -> dict:
    audiences = dict(AUDIENCES)
    if checkin_bridge.scan_model() is None:
        audiences.pop("not_arrived")
    return audiences


def recipients_query(audience: str, edition: Edition) -> Select:
    """A SELECT of the users an audience means at an edition (active accounts only)."""
    base = select(User).where(User.is_disabled.is_(False))
    registered = and_(Registration.user_id == User.id, Registration.edition_id == edition.id)
    if audience == "registered":
        return base.where(exists().where(registered, Registration.status == str(RegistrationStatus.REGISTERED)))
    if audience == "waitlisted":
        return base.where(exists().where(registered, Registration.status == str(RegistrationStatus.WAITLISTED)))
    if audience == "registered_no_interview":
        return base.where(exists().where(registered, Registration.status == str(RegistrationStatus.REGISTERED)),
                          ~exists().where(Booking.candidate_id == User.id, Booking.edition_id == edition.id,
                                          Booking.active.is_(True)))
    if audience == "approved_companies":
        return base.where(exists().where(CompanyMember.user_id == User.id,
                                         Participation.company_id == CompanyMember.company_id,
                                         Participation.edition_id == edition.id,
                                         Participation.status == "approved"))
    if audience == "not_arrived":
        scan = checkin_bridge.scan_model()
        if scan is None:
            raise UnknownAudience()
        from jobday.badges.models import Badge

        arrived = exists().where(Badge.user_id == User.id, Badge.edition_id == edition.id,
                                 scan.badge_id == Badge.id, scan.result == "ok")
        return base.where(exists().where(registered, Registration.status == str(RegistrationStatus.REGISTERED)),
                          ~arrived)
    raise UnknownAudience()


def count_recipients(audience: str, edition: Edition) -> int:
    return db.session.scalar(select(func.count()).select_from(recipients_query(audience, edition).subquery()))


def create_campaign(edition: Edition, *, audience: str, subject_fr: str, subject_en: str, body_fr: str,
                    body_en: str, actor: User) -> Campaign:
    if audience not in available_audiences():
        raise UnknownAudience()
    if not subject_fr.strip() or not body_fr.strip():
        raise EmptyCampaign()
    campaign = Campaign(edition_id=edition.id, audience=audience, subject_fr=subject_fr.strip(),
                        subject_en=subject_en.strip(), body_fr=body_fr.strip(), body_en=body_en.strip(),
                        created_by_id=actor.id)
    db.session.add(campaign)
    db.session.flush()
    return campaign


def dedup_prefix(campaign: Campaign) -> str:
    return f"campaign:{campaign.id}:user:"


GREETINGS = ("bonjour", "bonsoir", "salut", "cher", "chère", "madame", "monsieur", "hello", "hi", "dear",
             "good morning", "good afternoon", "goede", "beste", "hallo")


def opens_with_greeting(body: str) -> bool:
    """Whether the organiser's text starts with its own greeting ("Bonjour à toutes et à tous,"):
    the e-mail then does not add "Bonjour <first name>," above it (one greeting, not two)."""
    first = body.lstrip().split("\n", 1)[0].casefold()
    return any(first == word or first.startswith((word + " ", word + ",", word + "!")) for word in GREETINGS)


def queue_campaign_email(campaign: Campaign, user: User, *, edition: Edition, preview: bool = False,
                         to: str | None = None):
    body = campaign.body(user.locale)
    return queue_email(to=to or user.email, subject=campaign.subject(user.locale), template="staff/campaign",
                       locale=user.locale, user=user, edition=edition, body=body,
                       greet=not opens_with_greeting(body),
                       dedup_key=None if preview else f"{dedup_prefix(campaign)}{user.id}")


def render_preview(campaign: Campaign, user: User) -> tuple[str, str]:
    """The subject and text as ``user`` would receive them (nothing is queued)."""
    from flask import render_template
    from flask_babel import force_locale

    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = campaign.body(user.locale)
        text = render_template("email/staff/campaign.txt", user=user, edition=campaign_edition(campaign),
                               body=body, greet=not opens_with_greeting(body), subject=campaign.subject(user.locale),
                               server_url=current_app.config["SERVER_URL"].rstrip("/"))
    return campaign.subject(user.locale), text


def campaign_edition(campaign: Campaign) -> Edition:
    return db.session.get(Edition, campaign.edition_id)


class RecipientsChanged(DomainError):
    code = "campaign_recipients_changed"
    message = _l("The number of recipients changed since the page was shown. Check it and confirm again.")
    status = 409


class NoRecipient(DomainError):
    code = "campaign_no_recipient"
    message = _l("No one matches these recipients.")


def start_sending(campaign: Campaign, *, actor: User, expected: int | None = None):
    """The organiser confirms "send to N people": a job is started (the caller commits, then
    enqueues). ``expected``: the N the organiser saw; another count now is refused."""
    if campaign.status != CAMPAIGN_DRAFT:
        raise CampaignAlreadySent()
    count = count_recipients(campaign.audience, campaign_edition(campaign))
    if expected is not None and expected != count:
        raise RecipientsChanged(count=count)
    campaign.status = CAMPAIGN_SENDING
    campaign.send_started_at = utcnow()
    campaign.recipient_count = count
    record_audit("campaign_send", actor=actor, object_type="campaign", object_id=campaign.id,
                 detail=f"audience={campaign.audience};recipients={campaign.recipient_count}")
    return start_job(JOB_KIND, actor=actor, params={"campaign_id": campaign.id})


def send_test(campaign: Campaign, *, to: str, recipient_id: int | None = None) -> User:
    """The campaign as one recipient will receive it (the previewed one), sent to ``to``."""
    query = recipients_query(campaign.audience, campaign_edition(campaign))
    recipient = db.session.scalar(query.where(User.id == recipient_id)) if recipient_id else None
    recipient = recipient or db.session.scalar(query.order_by(User.id).limit(1))
    if recipient is None:
        raise NoRecipient()
    queue_campaign_email(campaign, recipient, edition=campaign_edition(campaign), preview=True, to=to)
    return recipient


def send_batch(campaign: Campaign, limit: int) -> tuple[int, bool]:
    """Queue up to ``limit`` e-mails not queued yet; returns (queued, more left)."""
    edition = campaign_edition(campaign)
    statement = not_yet_sent(recipients_query(campaign.audience, edition), dedup_prefix(campaign))
    users = list(db.session.scalars(statement.order_by(User.id).limit(limit + 1)))
    batch, more = users[:limit], len(users) > limit
    for user in batch:
        queue_campaign_email(campaign, user, edition=edition)
    if not more:
        campaign.status = CAMPAIGN_SENT
    db.session.flush()
    return len(batch), more


def campaign_job(job, progress) -> JobResult:
    campaign = db.session.get(Campaign, job.params["campaign_id"])
    limit = int(current_app.config.get("CAMPAIGN_BATCH_SIZE", 100))
    try:
        queued, more = send_batch(campaign, limit)
        db.session.commit()  # e-mails go out after this commit
    except IntegrityError:  # a concurrent run queued some of these people: the next run sees them
        db.session.rollback()
        queued, more = 0, True
    done = db.session.scalar(select(func.count()).where(OutboundEmail.dedup_key.like(f"{dedup_prefix(campaign)}%")))
    total = campaign.recipient_count or done
    db.session.commit()  # end this read: progress() writes from another connection (SQLite's lock)
    progress(done, total)
    if more:
        _schedule_next(campaign, job.started_by_id)
    text = ngettext("%(num)d e-mail queued, %(done)d in all.", "%(num)d e-mails queued, %(done)d in all.", queued,
                    done=done)
    more_text = _("More to come.")
    return JobResult(summary=f"{text} {more_text}" if more else text)


def _schedule_next(campaign: Campaign, started_by_id: int | None) -> None:
    """The next batch, later: huey's delayed task (at once when the queue is eager)."""
    job = start_job(JOB_KIND, actor=db.session.get(User, started_by_id) if started_by_id else None,
                    params={"campaign_id": campaign.id})
    job_id = job.id
    db.session.commit()
    huey = current_app.extensions["jobday.huey"]
    task = current_app.extensions["jobday.huey_run_job"]
    if huey.immediate:
        task(job_id)
    else:
        task.schedule((job_id,), delay=int(current_app.config.get("CAMPAIGN_BATCH_INTERVAL", 60)))


def delivery_report(campaign: Campaign) -> dict:
    """Counts and the failures, from the outbox rows of this campaign (one query each)."""
    like = OutboundEmail.dedup_key.like(f"{dedup_prefix(campaign)}%")
    queued, sent = db.session.execute(select(func.count(), func.count(OutboundEmail.sent_at)).where(like)).one()
    failures = list(db.session.execute(
        select(OutboundEmail.recipient, OutboundEmail.attempts, OutboundEmail.last_error)
        .where(like, OutboundEmail.sent_at.is_(None), OutboundEmail.last_error.is_not(None))
        .order_by(OutboundEmail.id).limit(500)))
    return {"queued": queued, "sent": sent, "pending": queued - sent, "failures": failures}
