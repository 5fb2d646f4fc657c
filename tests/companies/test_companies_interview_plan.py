"""Interview plans: tables, hours, settings, regeneration, and booked slots never dropped silently."""

from datetime import time

import pytest
from sqlalchemy import func, select

from jobday.companies import interview_plan, plan_guard
from jobday.companies.errors import InvalidField, PlanConflict
from jobday.companies.models import InterviewSlot
from jobday.errors import DomainError
from tests import factories


@pytest.fixture
def setup(db):
    edition = factories.make_edition()
    company = factories.make_company()
    participation = factories.make_participation(company, edition, hours="09:30-10:30", slot_minutes=20,
                                                 pause_minutes=10)
    return participation, factories.company_admin(company)


def slot_count(db) -> int:
    return db.session.scalar(select(func.count(InterviewSlot.id)))


def test_approved_participation_has_generated_slots(db, setup):
    participation, _admin = setup
    assert slot_count(db) == 2
    # A pending one has none.
    pending = factories.make_participation(factories.make_company(), participation.edition, status="pending")
    assert not pending.tables[0].slots


def test_changing_hours_adds_and_removes_free_slots_keeping_the_unchanged_ones(db, setup):
    participation, admin = setup
    table = participation.tables[0]
    first_id = min(db.session.scalars(select(InterviewSlot.id)))
    change = interview_plan.update_table(table, actor=admin, name="Table A", recruiter_id=admin.id,
                                         hours_by_day={participation.edition.starts_on: "09:30-11:30"})
    assert (change.added, change.removed) == (2, 0)
    assert slot_count(db) == 4 and first_id in set(db.session.scalars(select(InterviewSlot.id)))
    change = interview_plan.update_table(table, actor=admin, name="Table A", recruiter_id=None,
                                         hours_by_day={participation.edition.starts_on: "09:30-10:00"})
    assert (change.added, change.removed) == (0, 3)


def test_a_change_that_drops_a_booked_slot_is_refused_and_lists_the_booking(db, setup):
    participation, admin = setup
    candidate = factories.make_user(first_name="Inès", last_name="Ben Salah")
    slots = participation.tables[0].slots
    factories.hold_slot(slots[1], candidate)
    with pytest.raises(PlanConflict) as error:
        interview_plan.update_settings(participation, actor=admin, slot_minutes=30, pause_minutes=0,
                                       booking_mode="open")
    [hold] = error.value.holds
    assert hold.candidate.id == candidate.id and hold.starts_at == slots[1].starts_at
    assert hold.table_name == "Table 1"


def test_a_change_that_keeps_the_booked_slot_goes_through(db, setup):
    participation, admin = setup
    factories.hold_slot(participation.tables[0].slots[0], factories.make_user())
    day = participation.edition.starts_on
    change = interview_plan.update_table(participation.tables[0], actor=admin, name="Table 1",
                                         recruiter_id=None, hours_by_day={day: "09:30-12:00"})
    assert change.removed == 0 and change.added == 3
    assert len(plan_guard.booked_slot_ids(db.session, db.session.scalars(select(InterviewSlot.id)))) == 1


def test_confirmed_cancellation_frees_the_slot_and_tells_the_candidate(db, setup, mailbox):
    participation, admin = setup
    candidate = factories.make_user(email="ines@example.org", locale="en")
    factories.hold_slot(participation.tables[0].slots[1], candidate)
    change = interview_plan.update_settings(participation, actor=admin, slot_minutes=30, pause_minutes=0,
                                            booking_mode="apply", confirm_cancel=True)
    db.session.commit()
    assert [hold.candidate.id for hold in change.cancelled] == [candidate.id]
    assert slot_count(db) == 2  # 9:30 and 10:00, both new
    assert not db.session.scalar(select(func.count(InterviewSlot.id)).where(
        InterviewSlot.held_by_candidate_id.is_not(None)))
    [message] = mailbox.to("ines@example.org")
    assert "cancelled" in message["Subject"]
    assert participation.company.name in mailbox.text(message)


def test_deleting_a_table_with_a_booking_is_refused_unless_confirmed(db, setup):
    participation, admin = setup
    factories.hold_slot(participation.tables[0].slots[0], factories.make_user())
    with pytest.raises(PlanConflict):
        interview_plan.delete_table(participation.tables[0], actor=admin)
    interview_plan.delete_table(participation.tables[0], actor=admin, confirm_cancel=True)
    assert slot_count(db) == 0 and not participation.tables


def test_adding_a_table_generates_its_slots(db, setup):
    participation, admin = setup
    day = participation.edition.starts_on
    table = interview_plan.add_table(participation, actor=admin, name="Table 2", recruiter_id=None,
                                     hours_by_day={day: "09:30-12:30, 13:30-16:30"})
    slots = db.session.scalars(select(InterviewSlot).where(InterviewSlot.table_id == table.id)).all()
    assert len(slots) == 12


@pytest.mark.parametrize("hours, message_part", [
    ("08:00-10:00", "while the fair is open"),
    ("10:00-09:00", "end after"),
    ("09:30-11:00, 10:30-12:00", "overlap"),
    ("morning", "ranges"),
])
def test_bad_hours_are_refused(db, setup, hours, message_part):
    participation, admin = setup
    from flask_babel import force_locale

    with pytest.raises(InvalidField) as error:
        interview_plan.update_table(participation.tables[0], actor=admin, name="T", recruiter_id=None,
                                    hours_by_day={participation.edition.starts_on: hours})
    with force_locale("en"):
        assert message_part in str(error.value.message)


def test_hours_on_a_day_outside_the_fair_are_refused(db, setup):
    participation, admin = setup
    from datetime import timedelta

    with pytest.raises(InvalidField):
        day = participation.edition.starts_on + timedelta(days=3)
        interview_plan.add_table(participation, actor=admin, name="T2", recruiter_id=None,
                                 hours_by_day={day: "10:00-11:00"})


def test_duplicate_table_name_and_foreign_recruiter_are_refused(db, setup):
    participation, admin = setup
    day = participation.edition.starts_on
    with pytest.raises(InvalidField) as error:
        interview_plan.add_table(participation, actor=admin, name="Table 1", recruiter_id=None,
                                 hours_by_day={day: ""})
    assert error.value.field == "name"
    stranger = factories.company_admin(factories.make_company())
    with pytest.raises(InvalidField) as error:
        interview_plan.add_table(participation, actor=admin, name="Table 9", recruiter_id=stranger.id,
                                 hours_by_day={day: ""})
    assert error.value.field == "recruiter_id"


@pytest.mark.parametrize("slot, pause", [(5, 0), (61, 0), (20, 61)])
def test_slot_and_pause_lengths_are_bounded(db, setup, slot, pause):
    participation, admin = setup
    with pytest.raises(InvalidField):
        interview_plan.update_settings(participation, actor=admin, slot_minutes=slot, pause_minutes=pause,
                                       booking_mode="open")


def test_another_companys_recruiter_cannot_touch_the_plan(db, setup):
    participation, _admin = setup
    stranger = factories.company_admin(factories.make_company())
    with pytest.raises(DomainError) as error:
        interview_plan.update_settings(participation, actor=stranger, slot_minutes=30, pause_minutes=0,
                                       booking_mode="open")
    assert error.value.status == 404
    with pytest.raises(DomainError):
        interview_plan.delete_table(participation.tables[0], actor=stranger)
    assert slot_count(db) == 2


def test_a_blocked_slot_stays_blocked_and_a_held_one_cannot_be_blocked(db, setup):
    participation, admin = setup
    free, held = participation.tables[0].slots
    interview_plan.set_slot_blocked(free, actor=admin, blocked=True)
    assert free.status == "blocked"
    factories.hold_slot(held, factories.make_user())
    with pytest.raises(PlanConflict):
        interview_plan.set_slot_blocked(held, actor=admin, blocked=True)
    assert time(9, 30) == participation.tables[0].openings[0].starts_at
