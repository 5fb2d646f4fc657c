"""The leads' coded values, each with its label (French by default through Flask-Babel)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from jobday.vocabulary import Vocabulary


class LeadState(Vocabulary):
    """Where the company stands with a candidate met at the stand."""

    TO_CONTACT = "to_contact", _l("To contact"), "warn"
    CONTACTED = "contacted", _l("Contacted"), "muted"
    INTERVIEW_PLANNED = "interview_planned", _l("Interview planned"), "ok"
    HIRED = "hired", _l("Hired"), "ok"
    NOT_RETAINED = "not_retained", _l("Not retained"), "muted"


class LeadField(Vocabulary):
    """What a line of a lead's history is about."""

    RATING = "rating", _l("Rating")
    STATE = "state", _l("Follow-up")
    TAGS = "tags", _l("Tags")
    NOTE = "note", _l("Note")
    OFFER = "offer", _l("Offer")
    ACCESS = "access", _l("Access to the profile")  # the candidate took it back, or gave it again
    SHARE_REQUEST = "share_request", _l("Request to share")  # a recruiter asked the candidate to share


class StandResult(Vocabulary):
    """The answer to a badge scanned at a stand (the label is the sentence shown)."""

    OK = "ok", _l("Lead saved."), "ok"  # a lead, new or found again
    UNKNOWN = "unknown", _l("Unknown code."), "bad"
    REVOKED = "revoked", _l("This badge was revoked."), "bad"
    WRONG_EDITION = "wrong_edition", _l("This badge is for another edition."), "bad"
    NOT_TODAY = "not_today", _l("Badges are scanned at the stand on the days of the fair."), "warn"
    NOT_CANDIDATE = "not_candidate", _l("This is not a candidate's badge."), "warn"  # recruiter, staff, visitor
    CANCELLED = "cancelled", _l("The registration was cancelled."), "bad"  # registration withdrawn


class InvitationKind(Vocabulary):
    APPLY = "apply", _l("Invitation to apply")  # come and apply (or book) with us
    SLOT = "slot", _l("Interview slot offered")  # this interview slot is yours if you confirm it


class InvitationSource(Vocabulary):
    LEAD = "lead", _l("Met at the stand")
    MATCH = "match", _l("Matching profile")  # found among the candidates who match the company's offers


class InvitationStatus(Vocabulary):
    PENDING = "pending", _l("Waiting for the candidate"), "warn"
    ACCEPTED = "accepted", _l("Accepted"), "ok"
    DECLINED = "declined", _l("Declined"), "bad"
    CANCELLED = "cancelled", _l("No longer valid"), "muted"  # the slot went to someone else, the candidate left


def check_in(column: str, enum: type[Vocabulary]) -> str:
    """A CHECK constraint's text: the column holds one of the vocabulary's codes."""
    return enum.sql_in(column)
