"""The free slots as plain rows (``waitlist.free_future_slot_rows``: the move page, the leads'
invitations) are the slots of ``waitlist.free_future_slots``, in the same order, on SQLite and
PostgreSQL: free, nobody holds them, nobody is offered them (an expired offer no longer counts),
starting after now."""

from __future__ import annotations

from datetime import timedelta

from jobday.companies.models import SLOT_BLOCKED
from jobday.extensions import db as _db
from jobday.scheduling import booking as bookings
from jobday.scheduling import waitlist
from jobday.scheduling.models import OFFERED, WaitlistEntry
from tests import factories


def test_the_same_free_slots_as_the_waiting_lists(backend, fair):
    slots = fair.acme_slots
    factories.make_participation(factories.make_company(name="Cobalt"), fair.edition, tables=2)
    bookings.book_slot(fair.alice, slots[0].id, actor=fair.alice)
    slots[1].status = SLOT_BLOCKED
    slots[2].held_by_candidate_id = fair.bob.id
    now = slots[3].starts_at - timedelta(hours=2)
    for candidate, slot, expires in ((fair.bob, slots[4], now + timedelta(minutes=5)),
                                     (fair.carol, slots[5], now - timedelta(minutes=5))):
        _db.session.add(WaitlistEntry(edition_id=fair.edition.id, participation_id=fair.acme.id,
                                      candidate_id=candidate.id, status=OFFERED, offered_slot_id=slot.id,
                                      offered_at=now - timedelta(minutes=30), offer_expires_at=expires))
    _db.session.commit()

    for participation, moment in ((fair.acme, now), (fair.acme, slots[7].starts_at), (fair.biolab, now)):
        expected = waitlist.free_future_slots(participation.id, moment)
        found = waitlist.free_future_slot_rows(participation.id, moment)
        assert [(s.id, s.starts_at, s.ends_at, s.table.name) for s in expected] == [tuple(s) for s in found]
    ids = [slot.id for slot in waitlist.free_future_slot_rows(fair.acme.id, now)]
    assert ids == [slot.id for slot in slots[3:4] + slots[5:]]  # booked, blocked, held, offered: not free
