"""The ways the leads feature says no (``code`` for machines, ``message`` for people)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from jobday.errors import DomainError, NotFound


class LeadNotFound(NotFound):
    code = "lead_not_found"


class InvalidLeadInput(DomainError):
    """Bad input for one field; ``details['field']`` names it for the form."""

    code = "invalid_input"

    def __init__(self, field: str, message):
        super().__init__(message, field=field)


class AccessWithdrawn(DomainError):
    code = "access_withdrawn"
    message = _l("The candidate has taken back your access: the lead keeps the name only.")
    status = 409


class LeadChanged(DomainError):
    code = "lead_changed"
    message = _l("A colleague changed this lead meanwhile. Here it is as it is now: check it and save again.")
    status = 409


class NotAtTheFair(DomainError):
    code = "not_exhibiting"
    message = _l("Your company does not exhibit at this edition (or is not approved yet).")
    status = 403


class AlreadyAsked(DomainError):
    code = "already_asked"
    message = _l("The candidate was asked less than a day ago. Give them time to answer.")
    status = 409


class NothingToAsk(DomainError):
    code = "nothing_to_ask"
    message = _l("The candidate already shares their profile and CV with your company.")
    status = 409


class AlreadyInvited(DomainError):
    code = "already_invited"
    message = _l("This candidate already has an invitation from your company waiting for an answer.")
    status = 409


class NotInvitable(DomainError):
    code = "not_invitable"
    message = _l("You can invite the candidates met at your stand or those who share their profile with "
                 "every exhibitor.")
    status = 404


class InvitationClosed(DomainError):
    code = "invitation_closed"
    message = _l("This invitation has already been answered or is no longer valid.")
    status = 409
