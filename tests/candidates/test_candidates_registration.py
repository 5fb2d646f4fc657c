"""Registration: the window, one per edition, capacity, the waiting list, withdrawal."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from jobday.candidates import registration as reg
from jobday.candidates.models import Registration
from jobday.db import utcnow
from jobday.errors import PermissionDenied
from jobday.extensions import db as _db
from tests.factories import DEFAULT_PASSWORD, make_candidate, make_edition, make_registration, make_user


def statuses(db, edition) -> dict[int, str]:
    rows = db.session.execute(select(Registration.user_id, Registration.status)
                              .where(Registration.edition_id == edition.id)).all()
    return dict(rows)


def test_a_candidate_registers_once_and_is_mailed(db, mailbox):
    edition = make_edition()
    user = make_candidate(email="ann@example.org", locale="en")
    registration = reg.register_candidate(user, edition, actor=user)
    db.session.commit()
    assert registration.status == "registered" and registration.registered_at
    [message] = mailbox.to("ann@example.org")
    assert "is confirmed" in message["Subject"] and edition.name in message["Subject"]

    with pytest.raises(reg.AlreadyRegistered):
        reg.register_candidate(user, edition, actor=user)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Registration.id))) == 1


def test_the_confirmation_mail_is_in_the_candidates_language(db, mailbox):
    edition = make_edition()
    user = make_candidate(email="fr@example.org", locale="fr")
    reg.register_candidate(user, edition, actor=user)
    db.session.commit()
    english = make_candidate(email="en@example.org", locale="en")
    reg.register_candidate(english, edition, actor=english)
    db.session.commit()
    [message] = mailbox.to("fr@example.org")
    assert mailbox.text(message).startswith("Bonjour Zoë")
    assert edition.starts_on.strftime("%Y") in mailbox.text(message)
    [message] = mailbox.to("en@example.org")
    assert mailbox.text(message).startswith("Hello Zoë")


def test_the_database_refuses_a_second_row_for_the_same_edition(db):
    from sqlalchemy.exc import IntegrityError

    edition, user = make_edition(), make_candidate()
    make_registration(user, edition)
    with pytest.raises(IntegrityError):
        make_registration(user, edition, status="withdrawn")
    db.session.rollback()


def test_registration_is_refused_outside_the_window(db):
    user = make_candidate()
    now = utcnow()
    early = make_edition(registration_opens_at=now + timedelta(days=1))
    late = make_edition(registration_closes_at=now - timedelta(minutes=1))
    with pytest.raises(reg.RegistrationNotOpenYet):
        reg.register_candidate(user, early, actor=user)
    with pytest.raises(reg.RegistrationClosed):
        reg.register_candidate(user, late, actor=user)
    with freeze_time(now + timedelta(days=2)):
        assert reg.register_candidate(user, early, actor=user).status == "registered"
    assert statuses(db, late) == {}


def test_registration_needs_a_confirmed_address_and_a_complete_profile(db):
    edition = make_edition()
    unconfirmed = make_candidate(confirmed=False)
    incomplete = make_candidate(profile=False)
    with pytest.raises(reg.EmailNotConfirmed):
        reg.register_candidate(unconfirmed, edition, actor=unconfirmed)
    with pytest.raises(reg.ProfileIncomplete):
        reg.register_candidate(incomplete, edition, actor=incomplete)
    assert statuses(db, edition) == {}


def test_nobody_registers_someone_else_but_an_organiser_may(db):
    edition = make_edition()
    user, other, admin = make_candidate(), make_candidate(), make_user(roles=("admin",))
    with pytest.raises(PermissionDenied):
        reg.register_candidate(user, edition, actor=other)
    assert reg.register_candidate(user, edition, actor=admin).status == "registered"


def test_a_full_edition_offers_the_waiting_list(db):
    edition = make_edition(capacity=1)
    first, second = make_candidate(), make_candidate()
    reg.register_candidate(first, edition, actor=first)
    with pytest.raises(reg.EditionFull):
        reg.register_candidate(second, edition, actor=second)
    waiting = reg.register_candidate(second, edition, actor=second, join_waitlist=True)
    assert waiting.status == "waitlisted" and reg.waitlist_position(waiting) == 1
    assert reg.places_left(edition) == 0


def test_a_freed_place_goes_to_the_first_in_line_who_is_mailed(db, mailbox):
    edition = make_edition(capacity=1, waitlist_offer_hours=24)
    holder = make_candidate()
    first = make_candidate(email="first@example.org")
    second = make_candidate(email="second@example.org")
    reg.register_candidate(holder, edition, actor=holder)
    with freeze_time(utcnow() - timedelta(minutes=2)):
        reg.register_candidate(first, edition, actor=first, join_waitlist=True)
    reg.register_candidate(second, edition, actor=second, join_waitlist=True)
    db.session.commit()

    now = utcnow()
    reg.withdraw_registration(holder, edition, actor=holder, password=DEFAULT_PASSWORD, now=now)
    db.session.commit()
    offered = reg.get_registration(first, edition)
    assert offered.status == "offered" and offered.offer_expires_at == now + timedelta(hours=24)
    assert reg.get_registration(second, edition).status == "waitlisted"
    [offer] = mailbox.to("first@example.org")
    assert f"/editions/{edition.year}/offer" in mailbox.text(offer)
    assert mailbox.to("second@example.org") == []
    # The offered place is held: nobody new gets it.
    newcomer = make_candidate()
    with pytest.raises(reg.EditionFull):
        reg.register_candidate(newcomer, edition, actor=newcomer)

    confirmed = reg.confirm_offer(first, edition, actor=first, now=now + timedelta(hours=23))
    assert confirmed.status == "registered"


def test_an_expired_offer_passes_to_the_next(db, mailbox):
    edition = make_edition(capacity=1, waitlist_offer_hours=48)
    holder, first, second = make_candidate(), make_candidate(), make_candidate(email="next@example.org")
    reg.register_candidate(holder, edition, actor=holder)
    reg.register_candidate(first, edition, actor=first, join_waitlist=True)
    reg.register_candidate(second, edition, actor=second, join_waitlist=True)
    now = utcnow()
    reg.withdraw_registration(holder, edition, actor=holder, password=DEFAULT_PASSWORD, now=now)
    db.session.commit()

    assert reg.expire_waitlist_offers(now + timedelta(hours=47)) == 0
    assert reg.expire_waitlist_offers(now + timedelta(hours=48)) == 1
    db.session.commit()
    assert reg.get_registration(first, edition).status == "expired"
    assert reg.get_registration(second, edition).status == "offered"
    assert len(mailbox.to("next@example.org")) == 1
    with pytest.raises(reg.OfferNotAvailable):
        reg.confirm_offer(first, edition, actor=first, now=now + timedelta(hours=49))
    # The one whose offer expired may join the line again, at its end.
    again = reg.register_candidate(first, edition, actor=first, join_waitlist=True,
                                   now=now + timedelta(hours=50))
    assert again.status == "waitlisted"


def test_an_offer_expires_lazily_when_the_list_is_touched(db):
    edition = make_edition(capacity=1)
    holder, first, late = make_candidate(), make_candidate(), make_candidate()
    reg.register_candidate(holder, edition, actor=holder)
    reg.register_candidate(first, edition, actor=first, join_waitlist=True)
    now = utcnow()
    reg.withdraw_registration(holder, edition, actor=holder, password=DEFAULT_PASSWORD, now=now)
    # Nobody ran the command: the next registration expires the offer and takes the place.
    taken = reg.register_candidate(late, edition, actor=late, now=now + timedelta(hours=49))
    assert taken.status == "registered"
    assert reg.get_registration(first, edition).status == "expired"


def test_withdrawal_needs_the_password_and_an_active_registration(db, mailbox):
    edition = make_edition()
    user = make_candidate(email="w@example.org", locale="en")
    with pytest.raises(reg.NotRegistered):
        reg.withdraw_registration(user, edition, actor=user, password=DEFAULT_PASSWORD)
    reg.register_candidate(user, edition, actor=user)
    db.session.commit()
    from jobday.candidates.services import WrongPassword
    with pytest.raises(WrongPassword):
        reg.withdraw_registration(user, edition, actor=user, password="wrong")
    assert reg.get_registration(user, edition).status == "registered"
    reg.withdraw_registration(user, edition, actor=user, password=DEFAULT_PASSWORD)
    db.session.commit()
    assert reg.get_registration(user, edition).status == "withdrawn"
    assert any("cancelled" in m["Subject"] for m in mailbox.to("w@example.org"))
    # Registering again after withdrawing reuses the row.
    assert reg.register_candidate(user, edition, actor=user).status == "registered"
    assert db.session.scalar(select(func.count(Registration.id))) == 1


def test_withdrawal_is_refused_once_the_edition_is_over(db):
    edition = make_edition()
    user = make_candidate()
    reg.register_candidate(user, edition, actor=user)
    after = utcnow() + timedelta(days=70)
    with pytest.raises(reg.WithdrawalClosed):
        reg.withdraw_registration(user, edition, actor=user, password=DEFAULT_PASSWORD, now=after)


def test_withdrawal_sends_the_signal_for_later_features(db):
    from jobday.candidates.signals import registration_withdrawn

    edition, user = make_edition(), make_candidate()
    reg.register_candidate(user, edition, actor=user)
    received = []
    with registration_withdrawn.connected_to(lambda sender, **kw: received.append(sender)):
        reg.withdraw_registration(user, edition, actor=user, password=DEFAULT_PASSWORD)
    assert [r.user_id for r in received] == [user.id]


def test_raising_the_capacity_offers_the_new_places(db):
    edition = make_edition(capacity=1)
    users = [make_candidate() for _ in range(3)]
    reg.register_candidate(users[0], edition, actor=users[0])
    for user in users[1:]:
        reg.register_candidate(user, edition, actor=user, join_waitlist=True)
    edition.capacity = 2
    offered = reg.fill_free_places(edition)
    assert [r.user_id for r in offered] == [users[1].id]


def test_cli_command_expires_offers(app, db, runner):
    edition = make_edition(capacity=1)
    holder, first = make_candidate(), make_candidate()
    reg.register_candidate(holder, edition, actor=holder)
    reg.register_candidate(first, edition, actor=first, join_waitlist=True)
    with freeze_time(utcnow() - timedelta(days=3)):
        reg.withdraw_registration(holder, edition, actor=holder, password=DEFAULT_PASSWORD)
    db.session.commit()
    result = runner.invoke(args=["candidates", "expire-offers"])
    assert result.exit_code == 0, result.output
    assert "1" in result.output
    db.session.expire_all()
    assert reg.get_registration(first, edition).status == "expired"


# --- PostgreSQL: real concurrent connections ----------------------------------------

def _race(app, user_ids: list[int], edition_id: int, join_waitlist: bool = False) -> list[str]:
    """Each user id registers from its own thread, app context and connection, all at once."""
    barrier = threading.Barrier(len(user_ids), timeout=20)
    outcomes: list[str] = []

    def attempt(user_id: int) -> None:
        with app.app_context():
            from jobday.accounts.models import User
            from jobday.editions.models import Edition

            try:
                user = _db.session.get(User, user_id)
                edition = _db.session.get(Edition, edition_id)
                _db.session.commit()
                barrier.wait()
                registration = reg.register_candidate(user, edition, actor=user, join_waitlist=join_waitlist)
                _db.session.commit()
                outcomes.append(registration.status)
            except reg.DomainError as error:
                _db.session.rollback()
                outcomes.append(error.code)
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                barrier.abort()
                outcomes.append(repr(error))
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=attempt, args=(uid,)) for uid in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return sorted(outcomes)


@pytest.mark.postgres
def test_two_candidates_racing_for_the_last_place_only_one_gets_it(app, db):
    edition = make_edition(capacity=3)
    for _ in range(2):
        make_registration(make_candidate(), edition)
    racer_ids = [make_candidate().id for _ in range(2)]
    edition_id = edition.id
    db.session.commit()
    assert _race(app, racer_ids, edition_id) == ["edition_full", "registered"]
    assert reg.places_taken(edition) == 3


@pytest.mark.postgres
def test_many_candidates_racing_fill_exactly_the_capacity_and_queue_the_rest(app, db):
    edition = make_edition(capacity=3)
    racer_ids = [make_candidate().id for _ in range(8)]
    edition_id = edition.id
    db.session.commit()
    assert _race(app, racer_ids, edition_id, join_waitlist=True) == ["registered"] * 3 + ["waitlisted"] * 5
    assert reg.places_taken(edition) == 3


@pytest.mark.postgres
def test_the_same_candidate_twice_at_once_gets_one_registration(app, db):
    edition = make_edition()
    user_id, edition_id = make_candidate().id, edition.id
    db.session.commit()
    assert _race(app, [user_id, user_id], edition_id) == ["already_registered", "registered"]
    assert db.session.scalar(select(func.count(Registration.id))) == 1


@pytest.mark.parametrize("status", [None, "registered", "waitlisted", "offered", "expired", "withdrawn"])
def test_the_shown_registration_is_the_registrations_status(db, status):
    """``shown_registration`` (a plain row) and ``is_active`` against the registration object."""
    edition, other = make_edition(), make_edition()
    user = make_candidate()
    make_registration(user, other, status="registered")
    if status:
        make_registration(user, edition, status=status)
    db.session.commit()
    registration, shown = reg.get_registration(user, edition), reg.shown_registration(user, edition)
    if status is None:
        assert registration is None and shown is None and not reg.is_active(shown)
    else:
        assert shown.status == registration.status == status
        assert reg.is_active(shown) == registration.is_active == (status in ("registered", "waitlisted", "offered"))
