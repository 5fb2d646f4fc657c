"""Candidate pages over HTTP: browse, book, refusals (in French and English), cancel, move,
waiting lists, applications, wishes; access rules."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from jobday.db import utcnow
from jobday.scheduling import booking as bookings
from jobday.scheduling.models import Application, Booking, WaitlistEntry, Wish
from tests import factories
from tests.scheduling.conftest import registered_candidate
from tests.sql_transactions import locking, recorded_transactions

EN = {"Accept-Language": "en"}


def _active(db):
    return db.session.scalar(select(func.count(Booking.id)).where(Booking.active))


def test_a_candidate_browses_and_filters_the_companies(client, db, fair, login_as):
    factories.make_offer(fair.biolab.company, contract_type="internship", job_areas=("rnd",))
    login_as(fair.alice)
    page = client.get("/interviews", headers=EN).get_data(as_text=True)
    assert "Acme Bio" in page and "Biolab" in page and "12 free slots" in page
    page = client.get("/interviews?q=acme", headers=EN).get_data(as_text=True)
    assert "Acme Bio" in page and "Biolab" not in page
    page = client.get("/interviews?contract=internship&area=rnd", headers=EN).get_data(as_text=True)
    assert "Biolab" in page and "Acme Bio" not in page


def test_booking_from_the_company_page(client, db, fair, login_as, mailbox):
    login_as(fair.alice)
    page = client.get(f"/interviews/companies/{fair.acme.id}", headers=EN).get_data(as_text=True)
    slot = fair.acme_slots[2]
    assert f"/interviews/slots/{slot.id}/book" in page
    response = client.post_form(f"/interviews/slots/{slot.id}/book", headers=EN)
    assert response.status_code == 303 and "/interviews/agenda" in response.location
    assert _active(db) == 1
    assert "Acme Bio" in mailbox.to("alice@example.org")[0]["Subject"]
    agenda = client.get("/interviews/agenda", headers=EN).get_data(as_text=True)
    assert "Acme Bio" in agenda and "Table 1" in agenda and "Stand A1" in agenda


def test_a_booking_takes_sqlite_s_write_lock_only_to_write(client, db, fair, login_as, mailbox):
    """Under a rush every turn of SQLite's write lock is waited for: the booking request takes it
    for the booking and its e-mails' claims and records, never to read (the login, the edition,
    the new booking's id for the redirect)."""
    login_as(fair.alice)
    token = client.csrf_token()
    db.session.commit()  # the request's statements begin their own transactions, as in production
    with recorded_transactions(db.engine) as transactions:
        response = client.post(f"/interviews/slots/{fair.acme_slots[2].id}/book", data={"csrf_token": token},
                               headers=EN)
    assert response.status_code == 303 and mailbox.to("alice@example.org")
    locked = locking(transactions)
    assert any(sql.startswith("INSERT INTO bookings") for statements in locked for sql in statements)
    assert all(any(not sql.startswith("SELECT") for sql in statements[1:]) for statements in locked), locked


def test_a_refused_booking_reads_the_user_once(client, db, fair, login_as):
    """Hundreds of refusals in a rush: the user read with the request is neither read again in
    the booking's transaction (on SQLite inside the write lock) nor after its rollback for the
    refusal page's menu."""
    slot = fair.acme_slots[0]
    bookings.book_slot(fair.bob, slot.id, actor=fair.bob)
    login_as(fair.alice)
    token = client.csrf_token()
    db.session.commit()
    with recorded_transactions(db.engine) as transactions:
        response = client.post(f"/interviews/slots/{slot.id}/book", data={"csrf_token": token}, headers=EN)
    assert response.status_code == 409 and "Log out" in response.get_data(as_text=True)
    user_reads = [sql for statements in transactions for sql in statements if "FROM users" in sql]
    assert len(user_reads) == 1, user_reads


def test_a_taken_slot_is_refused_with_the_reason_in_both_languages(client, db, fair, login_as):
    slot = fair.acme_slots[0]
    bookings.book_slot(fair.bob, slot.id, actor=fair.bob)
    db.session.commit()
    login_as(fair.alice)
    response = client.post_form(f"/interviews/slots/{slot.id}/book", headers=EN)
    assert response.status_code == 409
    assert "this slot has just been taken" in response.get_data(as_text=True)
    response = client.post_form(f"/interviews/slots/{slot.id}/book")  # French by default
    assert response.status_code == 409 and 'data-code="slot_taken"' in response.get_data(as_text=True)
    assert '<html lang="fr">' in response.get_data(as_text=True)
    assert _active(db) == 1


def test_booking_needs_the_csrf_token_and_the_candidate_role(client, db, fair, login_as):
    slot = fair.acme_slots[0]
    login_as(fair.alice)
    assert client.post(f"/interviews/slots/{slot.id}/book").status_code == 400
    login_as("recruiter")
    assert client.post_form(f"/interviews/slots/{slot.id}/book").status_code == 403
    assert _active(db) == 0


def test_an_unknown_or_unapproved_company_is_not_found(client, db, fair, login_as):
    login_as(fair.alice)
    pending = factories.make_participation(factories.make_company(), fair.edition, status="pending")
    assert client.get(f"/interviews/companies/{pending.id}").status_code == 404
    assert client.get("/interviews/companies/999999").status_code == 404
    assert client.post_form("/interviews/slots/999999/book").status_code == 404


def test_someone_elses_booking_is_not_found(client, db, fair, login_as):
    booking = bookings.book_slot(fair.bob, fair.acme_slots[0].id, actor=fair.bob)
    db.session.commit()
    login_as(fair.alice)
    assert client.post_form(f"/interviews/bookings/{booking.id}/cancel").status_code == 404
    assert client.get(f"/interviews/bookings/{booking.id}/move").status_code == 404
    db.session.refresh(booking)
    assert booking.active


def test_cancel_and_move_my_interview(client, db, fair, login_as):
    booking = bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    db.session.commit()
    login_as(fair.alice)
    page = client.get(f"/interviews/bookings/{booking.id}/move", headers=EN).get_data(as_text=True)
    assert "Move my interview" in page
    target = fair.acme_slots[6]
    response = client.post_form(f"/interviews/bookings/{booking.id}/move", {"slot_id": target.id})
    assert response.status_code == 303
    db.session.refresh(booking)
    assert booking.slot_id == target.id and booking.sequence == 1
    response = client.post_form(f"/interviews/bookings/{booking.id}/cancel")
    assert response.status_code == 303
    db.session.refresh(booking)
    assert not booking.active


def test_cancelling_after_the_deadline_is_refused(client, db, fair, login_as):
    booking = bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    fair.edition.interview_changes_close_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    login_as(fair.alice)
    response = client.post_form(
        f"/interviews/bookings/{booking.id}/cancel", headers=EN, follow_redirects=True
    )
    assert "can no longer be cancelled" in response.get_data(as_text=True)
    db.session.refresh(booking)
    assert booking.active


def test_the_waiting_list_over_http(client, db, fair, login_as):
    for slot in fair.acme_slots:
        user = registered_candidate(fair.edition)
        bookings.book_slot(user, slot.id, actor=user)
    db.session.commit()
    login_as(fair.alice)
    page = client.get(f"/interviews/companies/{fair.acme.id}", headers=EN).get_data(as_text=True)
    assert "Join the waiting list" in page
    response = client.post_form(f"/interviews/companies/{fair.acme.id}/waitlist", headers=EN)
    assert response.status_code == 303
    page = client.get("/interviews/waitlists", headers=EN).get_data(as_text=True)
    assert "You are number 1 on the waiting list." in page
    entry = db.session.scalar(select(WaitlistEntry))
    assert client.post_form(f"/interviews/waitlists/{entry.id}/leave").status_code == 303
    db.session.refresh(entry)
    assert entry.status == "left"


def test_joining_a_waiting_list_with_free_slots_is_refused(client, db, fair, login_as):
    login_as(fair.alice)
    response = client.post_form(f"/interviews/companies/{fair.acme.id}/waitlist", headers=EN)
    assert response.status_code == 400 and "book one directly" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(WaitlistEntry.id))) == 0


def test_applying_to_an_apply_mode_company(client, db, fair, login_as, mailbox):
    fair.acme.booking_mode = "apply"
    db.session.commit()
    login_as(fair.alice)
    page = client.get(f"/interviews/companies/{fair.acme.id}", headers=EN).get_data(as_text=True)
    assert "Apply to this company" in page and "/book" not in page
    response = client.post_form(
        f"/interviews/companies/{fair.acme.id}/apply", {"motivation": "", "offer_id": 0}, headers=EN
    )
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Application.id))) == 0
    response = client.post_form(
        f"/interviews/companies/{fair.acme.id}/apply", {"motivation": "I love QC.", "offer_id": 0}
    )
    assert response.status_code == 303
    response = client.post_form(
        f"/interviews/companies/{fair.acme.id}/apply", {"motivation": "Again.", "offer_id": 0}, headers=EN
    )
    assert response.status_code == 409
    assert db.session.scalar(select(func.count(Application.id))) == 1


def test_the_wish_list_in_its_window(client, db, fair, login_as):
    login_as(fair.alice)
    form = {"wish": [str(fair.biolab.id), str(fair.acme.id), ""], "period": "morning"}
    response = client.post_form("/interviews/wishes", form, headers=EN)
    assert response.status_code == 400 and "not open" in response.get_data(as_text=True)
    fair.edition.wishes_open_at = utcnow() - timedelta(days=1)
    fair.edition.wishes_close_at = utcnow() + timedelta(days=1)
    db.session.commit()
    assert client.post_form("/interviews/wishes", form).status_code == 303
    ranked = [(w.participation_id, w.rank) for w in db.session.scalars(select(Wish).order_by(Wish.rank))]
    assert ranked == [(fair.biolab.id, 1), (fair.acme.id, 2)]
    twice = {"wish": [str(fair.acme.id), str(fair.acme.id)], "period": "all"}
    assert client.post_form("/interviews/wishes", twice, headers=EN).status_code == 400
    assert db.session.scalar(select(func.count(Wish.id))) == 2


def test_the_home_page_shows_my_interviews(client, db, fair, login_as):
    bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    db.session.commit()
    login_as(fair.alice)
    page = client.get("/candidate", headers=EN).get_data(as_text=True)
    assert "My next interviews" in page and "Acme Bio" in page


def test_an_overdue_offer_passes_on_when_a_page_is_opened(client, db, fair, login_as):
    from freezegun import freeze_time

    from jobday.scheduling import waitlist

    held = [bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)]
    for slot in fair.acme_slots[1:]:
        user = registered_candidate(fair.edition)
        held.append(bookings.book_slot(user, slot.id, actor=user))
    bob = waitlist.join_waitlist(fair.bob, fair.acme, actor=fair.bob)
    carol = waitlist.join_waitlist(
        fair.carol, fair.acme, actor=fair.carol, now=bob.joined_at + timedelta(seconds=1)
    )
    bookings.cancel_booking(held[0], actor=fair.alice)
    db.session.commit()
    assert bob.status == "offered"
    with freeze_time(bob.offer_expires_at + timedelta(minutes=1)):
        login_as(fair.carol)
        page = client.get("/interviews/waitlists", headers=EN).get_data(as_text=True)
        assert "A slot is offered to you" in page
    db.session.refresh(bob)
    db.session.refresh(carol)
    assert bob.status == "waiting" and carol.status == "offered"
