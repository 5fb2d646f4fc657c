"""The audit log (append-only) and e-mail campaigns. Retention periods are edition columns."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from jobday.db import Base, UTCDateTime, utcnow
from jobday.vocabulary import Vocabulary, VocabularyType, check_constraint


class AuditAction(Vocabulary):
    LOGIN = "login", _l("Organiser login")
    ROLE_CHANGE = "role_change", _l("Roles changed")
    CV_VIEW = "cv_view", _l("CV viewed")
    EXPORT = "export", _l("Export")
    FORCED_SCAN = "forced_scan", _l("Badge let in by force")
    BADGE_REISSUE = "badge_reissue", _l("New badge code")
    ERASURE = "erasure", _l("Erasure")
    CAMPAIGN_SEND = "campaign_send", _l("Campaign sent")
    REGISTRATION_WITHDRAW = "registration_withdraw", _l("Registration withdrawn")
    EMAIL_RESEND = "email_resend", _l("E-mail sent again")
    PURGE = "purge", _l("Purge")
    EDITION_CHANGE = "edition_change", _l("Edition changed")
    COMPANY_APPROVE = "company_approve", _l("Company approved")
    COMPANY_DECLINE = "company_decline", _l("Company declined")
    SCHEDULE_PUBLISH = "schedule_publish", _l("Schedule published")
    BACKUP = "backup", _l("Backup made")


class AuditObject(Vocabulary):
    USER = "user", _l("Person")
    EDITION = "edition", _l("Edition")
    CAMPAIGN = "campaign", _l("Campaign")
    REGISTRATION = "registration", _l("Registration")
    BADGE = "badge", _l("Badge")
    CV = "cv", _l("CV")
    RETENTION = "retention", _l("Retention")
    SCAN = "scan", _l("Scan")
    PARTICIPATION = "participation", _l("Participation")
    SCHEDULE_RUN = "schedule_run", _l("Scheduler run")


class CampaignStatus(Vocabulary):
    DRAFT = "draft", _l("Draft"), "muted"
    SENDING = "sending", _l("Sending"), "warn"
    SENT = "sent", _l("Sent"), "ok"


class Audience(Vocabulary):
    REGISTERED = "registered", _l("Registered candidates")
    REGISTERED_NO_INTERVIEW = "registered_no_interview", _l("Registered candidates without an interview")
    WAITLISTED = "waitlisted", _l("Candidates on the waiting list")
    APPROVED_COMPANIES = "approved_companies", _l("Recruiters of approved companies")
    NOT_ARRIVED = "not_arrived", _l("Registered candidates who did not arrive")


class AuditEntry(Base):
    """Who did what to which object, when and from where; never the personal data itself."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_action_created_at", "action", "created_at"),
                      check_constraint(AuditAction, "action", "action_known"),
                      check_constraint(AuditObject, "object_type", "object_type_known", blank=True))

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[AuditAction] = mapped_column(VocabularyType(AuditAction, 40))
    object_type: Mapped[AuditObject | str] = mapped_column(VocabularyType(AuditObject, 40), default="")
    object_id: Mapped[int | None]
    ip: Mapped[str] = mapped_column(String(45), default="")
    # Machine words only (a format, a count, a role): no names, e-mails or free text.
    detail: Mapped[str] = mapped_column(String(200), default="")


@event.listens_for(AuditEntry, "before_update")
def _append_only(_mapper, _connection, _target):
    raise ValueError("audit entries are append-only")


@event.listens_for(AuditEntry, "before_delete")
def _never_deleted(_mapper, _connection, _target):
    raise ValueError("audit entries are append-only")


CAMPAIGN_DRAFT, CAMPAIGN_SENDING, CAMPAIGN_SENT = CampaignStatus


class Campaign(Base):
    __tablename__ = "campaigns"
    __table_args__ = (check_constraint(CampaignStatus, "status", "status_known"),
                      check_constraint(Audience, "audience", "audience_known"))

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    audience: Mapped[Audience] = mapped_column(VocabularyType(Audience, 40))
    subject_fr: Mapped[str] = mapped_column(String(200))
    subject_en: Mapped[str] = mapped_column(String(200))
    body_fr: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text)
    status: Mapped[CampaignStatus] = mapped_column(VocabularyType(CampaignStatus, 10), default=CAMPAIGN_DRAFT)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    send_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recipient_count: Mapped[int] = mapped_column(default=0)

    def subject(self, locale: str | None) -> str:
        return self.subject_en if locale == "en" and self.subject_en else self.subject_fr

    def body(self, locale: str | None) -> str:
        return self.body_en if locale == "en" and self.body_en else self.body_fr

