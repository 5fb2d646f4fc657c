"""The ways the scheduling feature says no (``code`` for machines, ``message`` for people)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from jobday.errors import DomainError, NotFound


class SlotTaken(DomainError):
    code = "slot_taken"
    message = _l("Sorry, this slot has just been taken. Please choose another one.")
    status = 409


class SlotUnavailable(DomainError):
    code = "slot_unavailable"
    message = _l("This slot cannot be booked.")
    status = 409


class SlotPast(DomainError):
    code = "slot_past"
    message = _l("This slot has already started.")


class BookingClosed(DomainError):
    code = "booking_closed"
    message = _l("Interview booking is not open at the moment.")


class ChangesClosed(DomainError):
    code = "changes_closed"
    message = _l("Interviews can no longer be cancelled or moved online. Please contact the company.")


class NotRegistered(DomainError):
    code = "not_registered"
    message = _l("Only candidates registered for this edition can book interviews.")


class CompanyNotApproved(DomainError):
    code = "company_not_approved"
    message = _l("This company does not take part in this edition.")


class ApplicationRequired(DomainError):
    code = "application_required"
    message = _l("This company meets candidates it has accepted: apply first.")


class Overlap(DomainError):
    code = "overlap"
    message = _l("You already have an interview at that time (or too close to it).")
    status = 409


class CandidateBusy(DomainError):
    """A company proposes a slot the candidate cannot take (told without the other company)."""

    code = "candidate_busy"
    message = _l("The candidate has another interview at that time (or too close to it): choose another slot.")
    status = 409


class CompanyLimit(DomainError):
    code = "company_limit"
    message = _l("You already have an interview with this company.")
    status = 409


class CandidateCap(DomainError):
    code = "candidate_cap"
    message = _l("You have reached the maximum number of interviews for this edition.")
    status = 409


class BookingNotFound(NotFound):
    code = "not_found"


class BookingNotActive(DomainError):
    code = "booking_not_active"
    message = _l("This interview is already cancelled.")
    status = 409


class OfferExpired(DomainError):
    code = "offer_expired"
    message = _l("This offer is no longer available: the time to accept it has passed.")
    status = 409


class AlreadyWaiting(DomainError):
    code = "already_waiting"
    message = _l("You are already on this company's waiting list.")
    status = 409


class WaitlistNotNeeded(DomainError):
    code = "waitlist_not_needed"
    message = _l("This company still has free slots: book one directly.")


class AlreadyApplied(DomainError):
    code = "already_applied"
    message = _l("You have already applied to this company.")
    status = 409


class NotApplyMode(DomainError):
    code = "not_apply_mode"
    message = _l("This company takes open bookings: book a slot directly.")


class AlreadyDecided(DomainError):
    code = "already_decided"
    message = _l("This application has already been decided.")
    status = 409


class InvalidInput(DomainError):
    """Bad input for one field; ``details['field']`` names it."""

    code = "invalid_input"

    def __init__(self, field: str, message, *, code: str | None = None):
        super().__init__(message, code=code or self.code, field=field)


class WishWindowClosed(DomainError):
    code = "wish_window_closed"
    message = _l("The wish list is not open at the moment.")


class TooEarly(DomainError):
    code = "too_early"
    message = _l("A candidate can be released only from 10 minutes before the interview.")


class NotTheFairDay(DomainError):
    code = "not_the_fair_day"
    message = _l("Interviews can be marked held or no-show only on the fair's days.")


class CheckedIn(DomainError):
    code = "checked_in"
    message = _l("This candidate has checked in: the interview cannot be released.")


class RunNotReady(DomainError):
    code = "run_not_ready"
    message = _l("This scheduler run has no preview to act on.")
    status = 409
