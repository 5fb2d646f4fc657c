"""Company waiting lists: joining, places, offers to the first free person, accepting,
declining, leaving, expiry passing the slot on."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from jobday.mail.models import OutboundEmail
from jobday.scheduling import booking as bookings
from jobday.scheduling import errors, waitlist
from tests.scheduling.conftest import registered_candidate


@pytest.fixture
def full_acme(fair, db):
    """Every Acme slot booked by someone else; Alice holds the first one."""
    held = [bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)]
    for slot in fair.acme_slots[1:]:
        user = registered_candidate(fair.edition)
        held.append(bookings.book_slot(user, slot.id, actor=user))
    db.session.commit()
    return held


def test_joining_is_refused_while_a_free_slot_fits(fair, db):
    with pytest.raises(errors.WaitlistNotNeeded):
        waitlist.join_waitlist(fair.bob, fair.acme, actor=fair.bob)


def test_places_in_line_are_first_come(fair, db, full_acme):
    first = waitlist.join_waitlist(fair.bob, fair.acme, actor=fair.bob)
    second = waitlist.join_waitlist(
        fair.carol, fair.acme, actor=fair.carol, now=first.joined_at + timedelta(seconds=1)
    )
    assert waitlist.position(first) == 1 and waitlist.position(second) == 2
    with pytest.raises(errors.AlreadyWaiting):
        waitlist.join_waitlist(fair.bob, fair.acme, actor=fair.bob)


def test_a_candidate_with_an_interview_there_does_not_join(fair, db, full_acme):
    with pytest.raises(errors.CompanyLimit):
        waitlist.join_waitlist(fair.alice, fair.acme, actor=fair.alice)


def test_a_cancellation_is_offered_to_the_first_in_line_who_is_free(fair, db, full_acme):
    bob = waitlist.join_waitlist(fair.bob, fair.acme, actor=fair.bob)
    carol = waitlist.join_waitlist(
        fair.carol, fair.acme, actor=fair.carol, now=bob.joined_at + timedelta(seconds=1)
    )
    # Bob is busy at Alice's time (09:30) elsewhere: the slot goes to Carol.
    bookings.book_slot(fair.bob, fair.biolab_slots[0].id, actor=fair.bob)
    bookings.cancel_booking(full_acme[0], actor=fair.alice)
    db.session.commit()
    assert bob.status == "waiting" and carol.status == "offered"
    assert carol.offered_slot_id == fair.acme_slots[0].id
    assert carol.offer_expires_at - carol.offered_at == timedelta(minutes=fair.edition.slot_offer_minutes)
    offer_mail = db.session.scalar(
        select(OutboundEmail).where(OutboundEmail.recipient == "carol@example.org")
    )
    assert "/interviews/waitlists" in offer_mail.body_text
    # Nobody else may take the slot while it is held for Carol...
    with pytest.raises(errors.SlotTaken):
        bookings.book_slot(fair.bob, fair.acme_slots[0].id, actor=fair.bob)
    db.session.rollback()
    # ...and Carol takes it.
    booking = waitlist.accept_offer(carol, actor=fair.carol)
    db.session.commit()
    assert booking.active and booking.source == "waitlist" and carol.status == "accepted"


def test_an_expired_offer_passes_to_the_next(fair, db, full_acme):
    bob = waitlist.join_waitlist(fair.bob, fair.acme, actor=fair.bob)
    carol = waitlist.join_waitlist(
        fair.carol, fair.acme, actor=fair.carol, now=bob.joined_at + timedelta(seconds=1)
    )
    bookings.cancel_booking(full_acme[0], actor=fair.alice)
    assert bob.status == "offered"
    later = bob.offer_expires_at + timedelta(seconds=1)
    assert waitlist.offers_due(later) and waitlist.expire_slot_offers(later) == 1
    db.session.commit()
    assert bob.status == "waiting" and fair.acme_slots[0].id in bob.passed_slot_ids
    assert carol.status == "offered" and carol.offered_slot_id == fair.acme_slots[0].id
    with pytest.raises(errors.OfferExpired):
        waitlist.accept_offer(bob, actor=fair.bob, now=later)
    assert waitlist.position(bob) == 1  # Bob keeps his place for other slots


def test_an_offer_cannot_be_accepted_after_its_deadline(fair, db, full_acme):
    bob = waitlist.join_waitlist(fair.bob, fair.acme, actor=fair.bob)
    bookings.cancel_booking(full_acme[0], actor=fair.alice)
    with pytest.raises(errors.OfferExpired):
        waitlist.accept_offer(bob, actor=fair.bob, now=bob.offer_expires_at)


def test_declining_and_leaving_pass_the_slot_on(fair, db, full_acme):
    bob = waitlist.join_waitlist(fair.bob, fair.acme, actor=fair.bob)
    carol = waitlist.join_waitlist(
        fair.carol, fair.acme, actor=fair.carol, now=bob.joined_at + timedelta(seconds=1)
    )
    bookings.cancel_booking(full_acme[0], actor=fair.alice)
    waitlist.decline_offer(bob, actor=fair.bob)
    assert bob.status == "waiting" and carol.status == "offered"
    waitlist.leave_waitlist(carol, actor=fair.carol)
    assert carol.status == "left"
    assert bob.status == "waiting"  # he declined this slot: it is not offered to him again
    assert fair.acme_slots[0].held_by_candidate_id is None


def test_someone_elses_entry_is_not_found(fair, db, full_acme):
    bob = waitlist.join_waitlist(fair.bob, fair.acme, actor=fair.bob)
    with pytest.raises(errors.BookingNotFound):
        waitlist.leave_waitlist(bob, actor=fair.carol)
    with pytest.raises(errors.BookingNotFound):
        waitlist.accept_offer(bob, actor=fair.carol)


def test_offers_on_the_fair_day_are_short(fair, db, full_acme):
    from jobday.scheduling import day

    bob = waitlist.join_waitlist(fair.bob, fair.acme, actor=fair.bob)
    booking = full_acme[5]
    on_the_day = booking.starts_at - timedelta(minutes=9)
    with pytest.raises(errors.TooEarly):
        day.release_to_waitlist(booking, actor=fair.recruiter, now=booking.starts_at - timedelta(minutes=11))
    day.release_to_waitlist(booking, actor=fair.recruiter, now=on_the_day)
    assert not booking.active and booking.cancel_reason == "released"
    assert (
        bob.status == "offered" and bob.offer_expires_at == booking.starts_at
    )  # 10 min, capped at the start
    assert fair.edition.slot_offer_minutes_on_day == 10


def test_another_company_cannot_release_or_mark(fair, db, full_acme):
    from jobday.companies.errors import NotCompanyMember
    from jobday.scheduling import day

    other = fair.biolab.company.members[0].user
    with pytest.raises(NotCompanyMember):
        day.release_to_waitlist(full_acme[1], actor=other, now=full_acme[1].starts_at)
    with pytest.raises(NotCompanyMember):
        day.mark_outcome(full_acme[1], "held", actor=other)
    on_the_day = full_acme[1].starts_at
    assert day.mark_outcome(full_acme[1], "no_show", actor=fair.recruiter, now=on_the_day).outcome == "no_show"


def test_no_line_before_booking_opens(fair, db, full_acme):
    fair.edition.booking_opens_at = fair.edition.booking_closes_at - timedelta(hours=1)
    with pytest.raises(errors.BookingClosed):
        waitlist.join_waitlist(fair.bob, fair.acme, actor=fair.bob)
    on_the_day = fair.acme_slots[0].starts_at - timedelta(hours=1)
    assert waitlist.join_waitlist(fair.bob, fair.acme, actor=fair.bob, now=on_the_day).status == "waiting"


def test_the_job_worker_expires_offers_every_minute(app, fair, db, full_acme):
    bob = waitlist.join_waitlist(fair.bob, fair.acme, actor=fair.bob)
    bookings.cancel_booking(full_acme[0], actor=fair.alice)
    bob.offer_expires_at = bob.offered_at  # already overdue
    a_minute = bob.offered_at.replace(second=0, microsecond=0, tzinfo=None)
    db.session.commit()
    huey = app.extensions["jobday.huey"]
    task = next(t for t in huey._registry.periodic_tasks if t.name == "scheduling.expire_slot_offers")
    assert task.validate_datetime(a_minute)  # every minute
    db.session.rollback()  # no snapshot of ours while the task writes
    task.execute()
    db.session.rollback()
    assert db.session.get(type(bob), bob.id).status == "waiting"


def test_the_company_page_passes_overdue_offers_on_first(client, fair, db, full_acme, login_as):
    """The page asks whether offers are overdue with the company it shows (issue 17): one
    that is passes on before the page reads the slots and the line."""
    bob = waitlist.join_waitlist(fair.bob, fair.acme, actor=fair.bob)
    carol = waitlist.join_waitlist(
        fair.carol, fair.acme, actor=fair.carol, now=bob.joined_at + timedelta(seconds=1)
    )
    bookings.cancel_booking(full_acme[0], actor=fair.alice)
    bob.offer_expires_at = bob.offered_at  # already overdue
    db.session.commit()
    login_as(fair.carol)
    page = client.get(f"/interviews/companies/{fair.acme.id}", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    db.session.rollback()
    assert db.session.get(type(bob), bob.id).status == "waiting"
    assert db.session.get(type(carol), carol.id).status == "offered"
    assert "You are number 2 on the waiting list." in page.get_data(as_text=True)
