"""Organiser decisions: approve, decline, stands; and two organisers at once (PostgreSQL)."""

import threading

import pytest
from sqlalchemy import func, select

from jobday.companies import organiser
from jobday.companies.errors import AlreadyDecided, InvalidField, PlanConflict, StandTaken
from jobday.companies.models import InterviewSlot, Participation
from jobday.errors import PermissionDenied
from jobday.extensions import db as _db
from jobday.mail.models import OutboundEmail
from jobday.security import Role
from tests import factories


@pytest.fixture
def pending(db):
    edition = factories.make_edition()
    company = factories.make_company(name="Vaxolis")
    factories.add_recruiter(company, is_admin=True, email="second-admin@vaxolis.example", locale="en")
    factories.add_recruiter(company, email="plain@vaxolis.example")
    participation = factories.make_participation(company, edition, status="pending", hours="09:30-10:30")
    return participation


def slots(db) -> int:
    return db.session.scalar(select(func.count(InterviewSlot.id)))


def test_approval_generates_slots_sets_the_stand_and_mails_every_admin(db, pending, mailbox):
    organiser_user = factories.make_user(roles=(Role.ADMIN,))
    organiser.decide_participation(
        pending.id, approve=True, actor=organiser_user, message="Bienvenue !", stand=" b 12 "
    )
    db.session.commit()
    assert (pending.status, pending.stand, pending.decided_by_id) == ("approved", "B12", organiser_user.id)
    assert slots(db) == 2
    admins = {member.user.email for member in pending.company.admins}
    assert {m["To"] for m in mailbox.messages} == admins  # the plain recruiter is not mailed
    english = mailbox.to("second-admin@vaxolis.example")[0]
    assert "approved" in english["Subject"] and "B12" in mailbox.text(english)
    assert "Bienvenue !" in mailbox.text(english)


def test_decline_removes_free_slots_and_mails_the_admins(db, pending, mailbox):
    actor = factories.make_user(roles=(Role.ADMIN,))
    organiser.decide_participation(pending.id, approve=True, actor=actor, stand="A1")
    organiser.decide_participation(pending.id, approve=False, actor=actor, message="Plus de place.")
    db.session.commit()
    assert (pending.status, pending.stand) == ("declined", None)
    assert slots(db) == 0
    assert any("Plus de place." in mailbox.text(m) for m in mailbox.messages)


def test_declining_a_company_whose_slots_are_booked_is_refused(db, pending):
    actor = factories.make_user(roles=(Role.ADMIN,))
    organiser.decide_participation(pending.id, approve=True, actor=actor)
    factories.hold_slot(pending.tables[0].slots[0], factories.make_user())
    with pytest.raises(PlanConflict):
        organiser.decide_participation(pending.id, approve=False, actor=actor)


def test_approving_twice_is_refused(db, pending):
    actor = factories.make_user(roles=(Role.ADMIN,))
    organiser.decide_participation(pending.id, approve=True, actor=actor)
    with pytest.raises(AlreadyDecided):
        organiser.decide_participation(pending.id, approve=True, actor=actor)
    assert slots(db) == 2


def test_only_organisers_decide(db, pending):
    for role in (Role.RECRUITER, Role.STAFF, Role.CANDIDATE):
        with pytest.raises(PermissionDenied):
            organiser.decide_participation(pending.id, approve=True, actor=factories.make_user(roles=(role,)))
    assert pending.status == "pending"


def test_stand_numbers_are_unique_within_an_edition_only(db, pending):
    actor = factories.make_user(roles=(Role.ADMIN,))
    organiser.decide_participation(pending.id, approve=True, actor=actor, stand="A1")
    other = factories.make_participation(factories.make_company(), pending.edition, status="pending")
    with pytest.raises(StandTaken) as error:
        organiser.decide_participation(other.id, approve=True, actor=actor, stand="a1")
    assert error.value.field == "stand"
    _db.session.rollback()
    # Another edition may reuse the number.
    next_year = factories.make_participation(
        factories.make_company(), factories.make_edition(), status="approved"
    )
    organiser.assign_stand(next_year.id, "A1", actor=factories.make_user(roles=(Role.ADMIN,)))
    assert next_year.stand == "A1"


def test_the_database_refuses_a_duplicate_stand_too(db, pending):
    from sqlalchemy.exc import IntegrityError

    pending.stand = "C3"
    other = factories.make_participation(factories.make_company(), pending.edition, status="approved")
    other.stand = "C3"
    with pytest.raises(IntegrityError):
        db.session.flush()


@pytest.mark.parametrize("stand", ["A 1 2 3 4 5 6 7 8 9 10 11", "<b>", "A;1"])
def test_bad_stand_numbers_are_refused(db, pending, stand):
    with pytest.raises(InvalidField):
        organiser.decide_participation(
            pending.id, approve=True, stand=stand, actor=factories.make_user(roles=(Role.ADMIN,))
        )


def test_a_stand_needs_an_approved_company(db, pending):
    with pytest.raises(InvalidField):
        organiser.assign_stand(pending.id, "D4", actor=factories.make_user(roles=(Role.ADMIN,)))


@pytest.mark.postgres
def test_two_organisers_approving_at_once_leave_one_consistent_state(app, db):
    edition = factories.make_edition()
    company = factories.make_company()
    participation = factories.make_participation(company, edition, status="pending", tables=2)
    organisers = [factories.make_user(roles=(Role.ADMIN,)) for _ in range(2)]
    db.session.commit()
    ids = [user.id for user in organisers]
    participation_id = participation.id
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(user_id: int, stand: str) -> None:
        with app.app_context():
            from jobday.accounts.models import User

            user = _db.session.get(User, user_id)
            _db.session.get(Participation, participation_id)  # loaded before the race, as a page would
            barrier.wait(timeout=10)
            try:
                organiser.decide_participation(participation_id, approve=True, actor=user, stand=stand)
                _db.session.commit()
                outcomes.append("approved")
            except AlreadyDecided:
                _db.session.rollback()
                outcomes.append("already")
            finally:
                _db.session.remove()

    threads = [
        threading.Thread(target=approve, args=(user_id, stand))
        for user_id, stand in zip(ids, ("A1", "B2"), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["already", "approved"]
    _db.session.expire_all()
    participation = _db.session.get(Participation, participation_id)
    assert participation.status == "approved" and participation.stand in ("A1", "B2")
    assert participation.decided_by_id in ids
    # 2 tables × 12 slots, generated once; one e-mail to the one admin.
    assert _db.session.scalar(select(func.count(InterviewSlot.id))) == 24
    assert _db.session.scalar(select(func.count(OutboundEmail.id))) == 1
