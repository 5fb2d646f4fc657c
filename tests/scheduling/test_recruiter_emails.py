"""Recruiters hear of a new application, a booking and a cancellation at their company, each
recruiter unless they turned these e-mails off; what they do themselves is not e-mailed to them.
The withdrawal page lists the interviews withdrawing cancels."""

from __future__ import annotations

from sqlalchemy import select

from jobday.mail.models import OutboundEmail
from jobday.scheduling import applications
from jobday.scheduling import booking as bookings
from tests import factories

EN = {"Accept-Language": "en"}


def _mails(db, address: str) -> list[OutboundEmail]:
    return list(db.session.scalars(select(OutboundEmail).where(OutboundEmail.recipient == address)
                                   .order_by(OutboundEmail.id)))


def test_recruiters_hear_of_bookings_cancellations_and_applications(db, fair):
    colleague = factories.add_recruiter(fair.acme.company, email="lotte@acme.example", first_name="Lotte")
    recruiter = fair.recruiter.email
    booking = bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    db.session.commit()
    [mail] = _mails(db, recruiter)
    assert fair.alice.display_name in mail.subject and "/company/day" in mail.body_text
    assert "/company#my-emails" in mail.body_text
    assert len(_mails(db, colleague.email)) == 1

    bookings.cancel_booking(booking, actor=fair.alice)
    db.session.commit()
    assert "cancel" in _mails(db, recruiter)[-1].subject.lower() or "annul" in _mails(db, recruiter)[-1].subject

    fair.acme.booking_mode = "apply"
    application = applications.apply_to_company(fair.bob, fair.acme, actor=fair.bob, motivation="QC")
    db.session.commit()
    assert f"/company/applicants/{application.id}" in _mails(db, recruiter)[-1].body_text
    assert len(_mails(db, recruiter)) == 3 and len(_mails(db, colleague.email)) == 3
    assert not _mails(db, fair.biolab.company.members[0].user.email)  # another company hears nothing


def test_a_recruiter_turns_the_emails_off_and_on(client, db, fair, login_as):
    colleague = factories.add_recruiter(fair.acme.company, email="lotte@acme.example")
    db.session.commit()
    login_as(fair.recruiter)
    page = client.get("/company", headers=EN).get_data(as_text=True)
    assert 'id="my-emails"' in page and '<input checked' in page.split('id="my-emails"')[1]
    response = client.post_form("/company/emails", {})  # the box unticked
    assert response.status_code == 303
    bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    db.session.commit()
    assert not _mails(db, fair.recruiter.email) and len(_mails(db, colleague.email)) == 1
    client.post_form("/company/emails", {"email_activity": "y"})
    bookings.book_slot(fair.bob, fair.acme_slots[2].id, actor=fair.bob)
    db.session.commit()
    assert len(_mails(db, fair.recruiter.email)) == 1


def test_the_emails_choice_needs_a_recruiter_and_a_token(client, db, fair, login_as):
    login_as(fair.alice)
    assert client.post_form("/company/emails", {}).status_code == 403
    login_as(fair.recruiter)
    assert client.post("/company/emails", data={}).status_code == 400


def test_a_withdrawal_cancels_and_tells_the_company(client, db, fair, login_as):
    bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    db.session.commit()
    login_as(fair.alice)
    page = client.get(f"/editions/{fair.edition.year}/withdraw", headers=EN).get_data(as_text=True)
    assert "Acme Bio" in page  # the interview it cancels
    client.post_form(f"/editions/{fair.edition.year}/withdraw", {"password": factories.DEFAULT_PASSWORD})
    assert len(_mails(db, fair.recruiter.email)) == 2  # the booking, then its cancellation


def test_a_booking_tells_the_interview_and_greets_each_recruiter_who_hears(db, fair):
    """The candidate's e-mail names the company, table and stand; each recruiter is greeted by
    name in their language; a disabled account hears nothing."""
    colleague = factories.add_recruiter(fair.acme.company, email="lotte@acme.example", first_name="Lotte",
                                        locale="en")
    gone = factories.add_recruiter(fair.acme.company, email="gone@acme.example", first_name="Gone")
    gone.is_disabled = True
    slot = fair.acme_slots[0]
    bookings.book_slot(fair.alice, slot.id, actor=fair.alice)
    db.session.commit()
    [confirmation] = _mails(db, fair.alice.email)
    assert "Acme Bio" in confirmation.subject and "A1" in confirmation.body_text
    assert slot.table.name in confirmation.body_text
    assert [attachment.filename for attachment in confirmation.attachments] == ["interview.ics"]
    [mail] = _mails(db, colleague.email)
    assert mail.body_text.startswith("Hello Lotte,") and mail.subject.startswith("New interview")
    assert not _mails(db, gone.email)
    assert len(_mails(db, fair.recruiter.email)) == 1
