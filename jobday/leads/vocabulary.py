"""The leads' coded values, each with its label (French by default through Flask-Babel)."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class LeadState(StrEnum):
    """Where the company stands with a candidate met at the stand."""

    TO_CONTACT = "to_contact"
    CONTACTED = "contacted"
    INTERVIEW_PLANNED = "interview_planned"
    HIRED = "hired"
    NOT_RETAINED = "not_retained"

    @property
    def label(self):
        return _STATE_LABELS[self]


_STATE_LABELS = {
    LeadState.TO_CONTACT: _l("To contact"),
    LeadState.CONTACTED: _l("Contacted"),
    LeadState.INTERVIEW_PLANNED: _l("Interview planned"),
    LeadState.HIRED: _l("Hired"),
    LeadState.NOT_RETAINED: _l("Not retained"),
}


class LeadField(StrEnum):
    """What a line of a lead's history is about."""

    RATING = "rating"
    STATE = "state"
    TAGS = "tags"
    NOTE = "note"
    OFFER = "offer"
    ACCESS = "access"  # the candidate took the company's access back, or gave it again
    SHARE_REQUEST = "share_request"  # a recruiter asked the candidate to share

    @property
    def label(self):
        return _FIELD_LABELS[self]


_FIELD_LABELS = {
    LeadField.RATING: _l("Rating"),
    LeadField.STATE: _l("Follow-up"),
    LeadField.TAGS: _l("Tags"),
    LeadField.NOTE: _l("Note"),
    LeadField.OFFER: _l("Offer"),
    LeadField.ACCESS: _l("Access to the profile"),
    LeadField.SHARE_REQUEST: _l("Request to share"),
}


class StandResult(StrEnum):
    """The answer to a badge scanned at a stand."""

    OK = "ok"  # a lead, new or found again
    UNKNOWN = "unknown"
    REVOKED = "revoked"
    WRONG_EDITION = "wrong_edition"
    NOT_TODAY = "not_today"
    NOT_CANDIDATE = "not_candidate"  # a recruiter's, staff or visitor badge
    CANCELLED = "cancelled"  # the candidate's registration was withdrawn

    @property
    def label(self):
        return _RESULT_LABELS[self]


_RESULT_LABELS = {
    StandResult.OK: _l("Lead saved."),
    StandResult.UNKNOWN: _l("Unknown code."),
    StandResult.REVOKED: _l("This badge was revoked."),
    StandResult.WRONG_EDITION: _l("This badge is for another edition."),
    StandResult.NOT_TODAY: _l("Badges are scanned at the stand on the days of the fair."),
    StandResult.NOT_CANDIDATE: _l("This is not a candidate's badge."),
    StandResult.CANCELLED: _l("The registration was cancelled."),
}


class InvitationKind(StrEnum):
    APPLY = "apply"  # come and apply (or book) with us
    SLOT = "slot"  # this interview slot is yours if you confirm it


class InvitationSource(StrEnum):
    LEAD = "lead"  # met at the stand
    MATCH = "match"  # found among the candidates who match the company's offers


class InvitationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"  # the slot went to someone else, the candidate left, ...

    @property
    def label(self):
        return _INVITATION_LABELS[self]


_INVITATION_LABELS = {
    InvitationStatus.PENDING: _l("Waiting for the candidate"),
    InvitationStatus.ACCEPTED: _l("Accepted"),
    InvitationStatus.DECLINED: _l("Declined"),
    InvitationStatus.CANCELLED: _l("No longer valid"),
}


def check_in(column: str, enum: type[StrEnum]) -> str:
    """A CHECK constraint's text: the column holds one of the enum's values."""
    return f"{column} IN ({', '.join(repr(str(member)) for member in enum)})"
