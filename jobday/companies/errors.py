"""The ways the companies feature says no."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from jobday.errors import DomainError, NotFound, PermissionDenied


class InvalidField(DomainError):
    """Bad input for one field; ``details['field']`` names it for the form."""

    code = "invalid_field"

    def __init__(self, field: str, message, *, code: str | None = None):
        super().__init__(message, code=code or self.code, field=field)

    @property
    def field(self) -> str:
        return self.details["field"]


class CompanyExists(DomainError):
    code = "company_exists"
    message = _l("This company is already registered. Ask a colleague for an invitation.")


class AlreadyInCompany(DomainError):
    code = "already_in_company"
    message = _l("Your account already belongs to a company.")


class NotCompanyMember(NotFound):
    code = "not_found"


class NotCompanyAdmin(PermissionDenied):
    code = "not_company_admin"
    message = _l("Only an administrator of the company can do this.")


class InvalidInvitation(DomainError):
    code = "invalid_invitation"
    message = _l("This invitation is invalid, has expired or has already been used.")


class LastAdmin(DomainError):
    code = "last_admin"
    message = _l("The company needs at least one administrator: hand over the role first.")


class AlreadyApplied(DomainError):
    code = "already_applied"
    message = _l("Your company has already applied for this edition.")


class AlreadyDecided(DomainError):
    code = "already_decided"
    message = _l("This decision has already been taken.")
    status = 409


class StandTaken(InvalidField):
    code = "stand_taken"

    def __init__(self, stand: str):
        super().__init__("stand", _l("Stand %(stand)s is already assigned to another company.", stand=stand))


class PlanConflict(DomainError):
    """The change would drop slots that candidates hold; ``holds`` lists them."""

    code = "plan_conflict"
    message = _l("This change would remove interviews that candidates have booked.")
    status = 409

    def __init__(self, holds):
        super().__init__(holds=holds)
        self.holds = holds


class LogoRejected(InvalidField):
    code = "logo_rejected"

    def __init__(self, message):
        super().__init__("logo", message)
