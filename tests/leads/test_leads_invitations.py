"""Invitations: whom a company may invite (its leads, candidates sharing with every
exhibitor), slots proposed and booked through the booking rules, answers, and their end."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from jobday.errors import NotFound
from jobday.extensions import db
from jobday.leads import invitations, sharing
from jobday.leads.errors import AlreadyInvited, InvalidLeadInput, InvitationClosed, NotInvitable
from jobday.leads.models import InterviewInvitation
from jobday.scheduling import errors as scheduling_errors
from jobday.scheduling.models import Booking
from tests import factories
from tests.leads.conftest import registered
from tests.scheduling.conftest import slots_of


def _invite(stand, candidate, kind="apply", actor=None, **kwargs):
    return invitations.invite(candidate.id, stand.acme, actor=actor or stand.alice_recruiter, kind=kind, **kwargs)


def test_whom_a_company_may_invite(future_stand):
    stand = future_stand
    factories.make_lead(stand.acme.company, stand.zoe, stand.edition)
    stranger = registered(stand.edition, first_name="Sans", last_name="Partage")
    assert _invite(stand, stand.zoe).source == "lead"
    assert _invite(stand, stand.yann).source == "match"  # Yann shares with every exhibitor
    with pytest.raises(NotInvitable):
        _invite(stand, stranger)
    withdrawn = registered(stand.edition, first_name="Retirée", consent="share_with_all_exhibitors")
    lead = factories.make_lead(stand.acme.company, withdrawn, stand.edition)
    sharing.withdraw_access(lead, actor=withdrawn)
    with pytest.raises(NotInvitable):  # a lead taken back weighs more than the general consent
        _invite(stand, withdrawn)


def test_only_the_companys_recruiters_invite_for_it(future_stand):
    stand = future_stand
    for outsider in (stand.biolab_recruiter, stand.door, stand.yann):
        with pytest.raises(NotFound):
            _invite(stand, stand.yann, actor=outsider)
    assert db.session.scalars(select(InterviewInvitation)).all() == []


def test_one_pending_invitation_per_company_and_candidate(future_stand, mailbox):
    stand = future_stand
    _invite(stand, stand.yann, message="Nous aimerions vous rencontrer.")
    with pytest.raises(AlreadyInvited):
        _invite(stand, stand.yann, actor=stand.bruno_recruiter)
    with pytest.raises(InvalidLeadInput):
        invitations.invite(stand.yann.id, stand.biolab, actor=stand.biolab_recruiter, kind="coffee")
    db.session.commit()
    [message] = mailbox.to("yann@example.org")
    assert "Acme Bio" in message["Subject"]
    assert "Nous aimerions vous rencontrer." in mailbox.text(message)


def test_a_proposed_slot_is_booked_when_accepted_even_in_apply_mode(future_stand):
    stand = future_stand
    stand.acme.booking_mode = "apply"
    slot = slots_of(stand.acme)[3]
    invitation = _invite(stand, stand.yann, "slot", slot_id=slot.id)
    with pytest.raises(NotFound):
        invitations.answer_invitation(invitation, actor=stand.zoe, accept=True)
    booking = invitations.answer_invitation(invitation, actor=stand.yann, accept=True)
    assert booking.slot_id == slot.id and booking.source == "invitation" and booking.candidate_id == stand.yann.id
    assert invitation.status == "accepted"
    with pytest.raises(InvitationClosed):
        invitations.answer_invitation(invitation, actor=stand.yann, accept=False)


def test_a_slot_must_be_free_and_the_companys(future_stand):
    stand = future_stand
    taken = slots_of(stand.acme)[0]
    factories.hold_slot(taken, stand.zoe)
    with pytest.raises(scheduling_errors.SlotTaken):
        _invite(stand, stand.yann, "slot", slot_id=taken.id)
    with pytest.raises(scheduling_errors.SlotTaken):
        _invite(stand, stand.yann, "slot", slot_id=slots_of(stand.biolab)[0].id)


def test_accepting_goes_through_the_booking_rules(future_stand):
    stand = future_stand
    slot = slots_of(stand.acme)[2]
    invitation = _invite(stand, stand.yann, "slot", slot_id=slot.id)
    factories.hold_slot(slot, stand.zoe)  # someone took it meanwhile
    db.session.commit()
    with pytest.raises(scheduling_errors.SlotTaken):
        invitations.answer_invitation(invitation, actor=stand.yann, accept=True)
    db.session.rollback()
    assert db.session.get(InterviewInvitation, invitation.id).status == "pending"
    assert db.session.scalars(select(Booking)).all() == []


def test_declining_and_what_ends_invitations(future_stand):
    stand = future_stand
    declined = _invite(stand, stand.yann)
    invitations.answer_invitation(declined, actor=stand.yann, accept=False)
    assert declined.status == "declined" and declined.answered_at is not None
    lead = factories.make_lead(stand.acme.company, stand.zoe, stand.edition)
    pending = _invite(stand, stand.zoe)
    sharing.withdraw_access(lead, actor=stand.zoe)
    db.session.expire_all()
    assert db.session.get(InterviewInvitation, pending.id).status == "cancelled"


def test_a_withdrawn_registration_ends_pending_invitations(future_stand):
    from jobday.candidates.registration import withdraw_registration

    stand = future_stand
    invitation = _invite(stand, stand.yann)
    withdraw_registration(stand.yann, stand.edition, actor=stand.yann, password=factories.DEFAULT_PASSWORD)
    db.session.expire_all()
    assert db.session.get(InterviewInvitation, invitation.id).status == "cancelled"
