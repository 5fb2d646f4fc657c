"""Calendar files and feeds, and the printable agenda."""

from __future__ import annotations

from icalendar import Calendar
from sqlalchemy import select

from jobday.scheduling import booking as bookings
from jobday.scheduling.models import CalendarFeed

EN = {"Accept-Language": "en"}


def _events(body: bytes):
    return [c for c in Calendar.from_ical(body).walk("VEVENT")]


def test_the_ics_has_stable_uids_sequences_alarms_and_cancellations(client, db, fair, login_as):
    first = bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    second = bookings.book_slot(fair.alice, fair.biolab_slots[4].id, actor=fair.alice)
    db.session.commit()
    login_as(fair.alice)
    response = client.get("/interviews/agenda.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    events = {str(e["UID"]): e for e in _events(response.data)}
    uid = f"booking-{first.id}@jobday.test"
    assert uid in events and int(events[uid]["SEQUENCE"]) == 0
    alarm = events[uid].walk("VALARM")[0]
    assert alarm["TRIGGER"].to_ical() == b"-PT30M"
    assert events[uid]["DTSTART"].dt == first.starts_at
    bookings.move_booking(first, fair.acme_slots[6].id, actor=fair.alice)
    bookings.cancel_booking(second, actor=fair.alice)
    db.session.commit()
    events = {str(e["UID"]): e for e in _events(client.get("/interviews/agenda.ics").data)}
    assert int(events[uid]["SEQUENCE"]) == 1 and events[uid]["DTSTART"].dt == fair.acme_slots[6].starts_at
    cancelled = events[f"booking-{second.id}@jobday.test"]
    assert str(cancelled["STATUS"]) == "CANCELLED" and int(cancelled["SEQUENCE"]) == 1


def test_the_private_feed_works_until_revoked(client, db, fair, login_as):
    bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    db.session.commit()
    login_as(fair.alice)
    assert client.post("/calendar/feed").status_code == 400  # no CSRF token
    assert client.post_form("/calendar/feed").status_code == 303
    page = client.get("/interviews/agenda", headers=EN).get_data(as_text=True)
    url = page.split('readonly value="')[1].split('"')[0]
    path = url.replace("http://localhost", "")
    client.post_form("/account/logout") if False else None
    with client.session_transaction() as session:
        session.clear()
    response = client.get(path)
    assert response.status_code == 200 and len(_events(response.data)) == 1
    assert client.get(path[:-6] + "x.ics").status_code == 404  # a forged token
    login_as(fair.alice)
    assert client.post_form("/calendar/feed/revoke").status_code == 303
    assert db.session.scalar(select(CalendarFeed)) is None
    assert client.get(path).status_code == 404


def test_the_company_feed_and_ics(client, db, fair, login_as):
    bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    db.session.commit()
    login_as(fair.recruiter)
    events = _events(client.get("/company/interviews.ics").data)
    assert len(events) == 1 and "Alice" in str(events[0]["SUMMARY"])
    client.post_form("/calendar/feed")
    page = client.get("/company/day", headers=EN).get_data(as_text=True)
    url = page.split('readonly value="')[1].split('"')[0]
    with client.session_transaction() as session:
        session.clear()
    assert len(_events(client.get(url.replace("http://localhost", "")).data)) == 1


def test_the_printable_agenda(client, db, fair, login_as):
    bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    db.session.commit()
    login_as(fair.alice)
    response = client.get("/interviews/agenda.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    login_as("recruiter")
    assert client.get("/interviews/agenda.pdf").status_code == 403


def _mailed_event(mailbox, address: str, index: int = -1):
    message = mailbox.to(address)[index]
    [attachment] = [part for part in message.iter_attachments() if part.get_filename() == "interview.ics"]
    assert attachment.get_content_type() == "text/calendar"
    [event] = _events(attachment.get_payload(decode=True))
    return event


def test_booking_move_and_cancel_emails_carry_the_updated_event(db, fair, mailbox):
    booking = bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    db.session.commit()
    booked = _mailed_event(mailbox, fair.alice.email)
    uid = f"booking-{booking.id}@jobday.test"
    assert (str(booked["UID"]), int(booked["SEQUENCE"]), str(booked["STATUS"])) == (uid, 0, "CONFIRMED")
    assert booked["DTSTART"].dt == fair.acme_slots[0].starts_at

    bookings.move_booking(booking, fair.acme_slots[6].id, actor=fair.alice)
    db.session.commit()
    moved = _mailed_event(mailbox, fair.alice.email)
    assert (str(moved["UID"]), int(moved["SEQUENCE"])) == (uid, 1)
    assert moved["DTSTART"].dt == fair.acme_slots[6].starts_at

    bookings.cancel_booking(booking, actor=fair.alice)
    db.session.commit()
    cancelled = _mailed_event(mailbox, fair.alice.email)
    assert (str(cancelled["UID"]), int(cancelled["SEQUENCE"]), str(cancelled["STATUS"])) == (uid, 2, "CANCELLED")


def test_the_company_calendar_rows_are_its_bookings_with_the_cancelled_ones(db, fair):
    """``company_calendar_bookings`` (plain rows) against ``company_bookings`` (ORM bookings)."""
    from jobday.scheduling import booking_queries

    kept = bookings.book_slot(fair.alice, fair.acme_slots[3].id, actor=fair.alice)
    cancelled = bookings.book_slot(fair.bob, fair.acme_slots[0].id, actor=fair.bob)
    bookings.cancel_booking(cancelled, actor=fair.bob)
    bookings.book_slot(fair.bob, fair.biolab_slots[0].id, actor=fair.bob)
    db.session.commit()
    expected = [(b.id, b.sequence, b.starts_at, b.ends_at, b.active, b.updated_at, table, b.candidate.display_name)
                for b, table in booking_queries.company_bookings(fair.acme.id, include_cancelled=True)]
    assert {row[0] for row in expected} == {kept.id, cancelled.id}
    assert [(*row[:7], row.candidate.display_name) for row in booking_queries.company_calendar_bookings(fair.acme.id)] \
        == expected
