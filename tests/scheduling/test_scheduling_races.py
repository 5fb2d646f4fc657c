"""Races on PostgreSQL with real threads and connections: each ends in exactly one
consistent outcome (the locks serialise; the partial unique indexes stand behind them)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from jobday.accounts.models import User
from jobday.candidates.models import Registration
from jobday.extensions import db as _db
from jobday.scheduling import booking as bookings
from jobday.scheduling import errors, waitlist
from jobday.scheduling.models import Booking, WaitlistEntry
from tests.scheduling.conftest import registered_candidate

pytestmark = pytest.mark.postgres


def _race(app, *actions):
    """Run each action in its own thread, app context and connection, released together."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = [""] * len(actions)

    def run(index, action):
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                action()
                _db.session.commit()
                outcomes[index] = "ok"
            except errors.DomainError as error:
                _db.session.rollback()
                outcomes[index] = error.code
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    _db.session.expire_all()
    return outcomes


def _user(user_id: int) -> User:
    return _db.session.get(User, user_id)


def test_two_candidates_racing_for_one_slot(app, fair):
    slot_id, alice_id, bob_id = fair.acme_slots[0].id, fair.alice.id, fair.bob.id

    def book(user_id):
        return lambda: bookings.book_slot(_user(user_id), slot_id, actor=_user(user_id))

    outcomes = _race(app, book(alice_id), book(bob_id))
    assert sorted(outcomes) == ["ok", "slot_taken"]
    active = list(_db.session.scalars(select(Booking).where(Booking.slot_id == slot_id, Booking.active)))
    assert len(active) == 1
    assert fair.acme_slots[0].held_by_candidate_id == active[0].candidate_id


def test_one_candidate_booking_two_overlapping_slots_at_once(app, fair):
    alice_id = fair.alice.id
    slot_ids = [fair.acme_slots[0].id, fair.biolab_slots[0].id]  # both 09:30

    def book(slot_id):
        return lambda: bookings.book_slot(_user(alice_id), slot_id, actor=_user(alice_id))

    outcomes = _race(app, book(slot_ids[0]), book(slot_ids[1]))
    assert sorted(outcomes) == ["ok", "overlap"]
    assert (
        _db.session.scalar(
            select(func.count(Booking.id)).where(Booking.candidate_id == alice_id, Booking.active)
        )
        == 1
    )


def test_one_candidate_booking_two_slots_within_the_gap_at_once(app, fair):
    fair.edition.interview_gap_minutes = 15
    _db.session.commit()
    alice_id = fair.alice.id
    slot_ids = [fair.acme_slots[0].id, fair.biolab_slots[1].id]  # 09:30-09:50 and 10:00

    def book(slot_id):
        return lambda: bookings.book_slot(_user(alice_id), slot_id, actor=_user(alice_id))

    assert sorted(_race(app, book(slot_ids[0]), book(slot_ids[1]))) == ["ok", "overlap"]


def test_an_offer_accepted_while_it_expires(app, fair):
    held = bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    for slot in fair.acme_slots[1:]:
        user = registered_candidate(fair.edition)
        bookings.book_slot(user, slot.id, actor=user)
    _db.session.commit()
    bob = waitlist.join_waitlist(fair.bob, fair.acme, actor=fair.bob)
    carol = waitlist.join_waitlist(
        fair.carol, fair.acme, actor=fair.carol, now=bob.joined_at + timedelta(seconds=1)
    )
    bookings.cancel_booking(held, actor=fair.alice)
    _db.session.commit()
    assert bob.status == "offered"
    deadline, bob_id, entry_id, slot_id = bob.offer_expires_at, fair.bob.id, bob.id, bob.offered_slot_id

    def accept():
        entry = _db.session.get(WaitlistEntry, entry_id)
        waitlist.accept_offer(entry, actor=_user(bob_id), now=deadline - timedelta(milliseconds=1))

    def expire():
        if waitlist.expire_slot_offers(deadline + timedelta(milliseconds=1)) == 0:
            raise errors.OfferExpired(code="nothing_expired")

    outcomes = _race(app, accept, expire)
    active = list(_db.session.scalars(select(Booking).where(Booking.slot_id == slot_id, Booking.active)))
    bob, carol = _db.session.get(WaitlistEntry, entry_id), _db.session.get(WaitlistEntry, carol.id)
    if outcomes[0] == "ok":  # Bob accepted first: nothing left to expire
        assert outcomes[1] == "nothing_expired"
        assert [b.candidate_id for b in active] == [bob_id] and bob.status == "accepted"
        assert carol.status == "waiting"
    else:  # the expiry came first: Bob is told so and Carol gets the offer
        assert outcomes == ["offer_expired", "ok"]
        assert active == [] and bob.status == "waiting" and carol.status == "offered"
        assert carol.offered_slot_id == slot_id


def test_without_the_registration_lock_the_race_is_real(app, fair, monkeypatch):
    """The proof that the lock matters: with it replaced by a plain read, and both requests
    made to read before either writes, one candidate ends up in two interviews too close
    together (different starts, so the unique index cannot see it). The tests above show
    the same race ending in one booking with the lock."""
    real_active = bookings.active_bookings
    barrier = threading.Barrier(2)

    def read_then_wait(candidate_id, edition_id):
        found = real_active(candidate_id, edition_id)
        barrier.wait(timeout=10)
        return found

    monkeypatch.setattr(
        bookings,
        "lock_registration",
        lambda user_id, edition_id: _db.session.scalar(
            select(Registration).where(Registration.user_id == user_id, Registration.edition_id == edition_id)
        ),
    )
    monkeypatch.setattr(bookings, "active_bookings", read_then_wait)
    fair.edition.interview_gap_minutes = 15
    _db.session.commit()
    alice_id = fair.alice.id
    slot_ids = [fair.acme_slots[0].id, fair.biolab_slots[1].id]  # 09:30-09:50 and 10:00: 10 minutes apart

    def book(slot_id):
        return lambda: bookings.book_slot(_user(alice_id), slot_id, actor=_user(alice_id))

    assert _race(app, book(slot_ids[0]), book(slot_ids[1])) == ["ok", "ok"]
    assert (
        _db.session.scalar(
            select(func.count(Booking.id)).where(Booking.candidate_id == alice_id, Booking.active)
        )
        == 2
    )
