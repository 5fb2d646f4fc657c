"""Slot generation and opening-hour parsing: pure functions, no database."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from jobday.companies.plan import format_ranges, generate_slots, parse_ranges

FAIR_DAY = date(2027, 3, 18)  # winter time in Brussels: UTC+1


def utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def test_one_range_is_filled_with_slots_and_pauses_in_utc():
    slots = generate_slots([(FAIR_DAY, time(9, 30), time(10, 30))], 20, 10, "Europe/Brussels")
    assert slots == [(utc(FAIR_DAY, 8, 30), utc(FAIR_DAY, 8, 50)),
                     (utc(FAIR_DAY, 9, 0), utc(FAIR_DAY, 9, 20))]


def test_a_range_that_is_not_a_multiple_of_the_slot_leaves_the_remainder_unused():
    # 9:30-10:45 with 30-minute slots and no pause: 9:30, 10:00; 10:30 would end at 11:00.
    slots = generate_slots([(FAIR_DAY, time(9, 30), time(10, 45))], 30, 0, "Europe/Brussels")
    assert [start for start, _end in slots] == [utc(FAIR_DAY, 8, 30), utc(FAIR_DAY, 9, 0)]
    assert all(end - start == timedelta(minutes=30) for start, end in slots)


def test_the_last_slot_may_end_exactly_at_the_end_of_the_range():
    slots = generate_slots([(FAIR_DAY, time(9, 0), time(10, 0))], 15, 0, "Europe/Brussels")
    assert len(slots) == 4
    assert slots[-1][1] == utc(FAIR_DAY, 9, 0)


def test_several_ranges_per_day_and_several_days():
    day2 = FAIR_DAY + timedelta(days=1)
    openings = [(FAIR_DAY, time(9, 30), time(12, 30)), (FAIR_DAY, time(13, 30), time(16, 30)),
                (day2, time(9, 30), time(10, 30))]
    slots = generate_slots(openings, 20, 10, "Europe/Brussels")
    assert len(slots) == 6 + 6 + 2
    assert slots == sorted(slots)
    assert utc(FAIR_DAY, 12, 30) in [start for start, _ in slots]  # 13:30 local
    assert not any(utc(FAIR_DAY, 11, 30) <= start < utc(FAIR_DAY, 12, 30) for start, _ in slots)


def test_summer_time_changes_the_utc_offset():
    summer = date(2027, 6, 17)  # UTC+2
    slots = generate_slots([(summer, time(9, 30), time(10, 0))], 30, 0, "Europe/Brussels")
    assert slots == [(utc(summer, 7, 30), utc(summer, 8, 0))]


def test_a_range_across_the_spring_clock_change_holds_real_minutes_only():
    dst = date(2027, 3, 28)  # 02:00 becomes 03:00 in Brussels
    slots = generate_slots([(dst, time(1, 0), time(4, 0))], 60, 0, "Europe/Brussels")
    # 01:00 CET = 00:00 UTC; 04:00 CEST = 02:00 UTC: two real hours, two slots.
    assert slots == [(utc(dst, 0), utc(dst, 1)), (utc(dst, 1), utc(dst, 2))]
    assert all(end - start == timedelta(hours=1) for start, end in slots)


def test_a_range_across_the_autumn_clock_change_holds_the_extra_hour():
    dst = date(2027, 10, 31)  # 03:00 becomes 02:00
    slots = generate_slots([(dst, time(1, 0), time(4, 0))], 60, 0, "Europe/Brussels")
    # 01:00 CEST = 23:00 UTC the day before; 04:00 CET = 03:00 UTC: four real hours.
    assert [start for start, _ in slots] == [datetime(2027, 10, 30, 23, tzinfo=UTC), utc(dst, 0), utc(dst, 1),
                                             utc(dst, 2)]


@pytest.mark.parametrize("minutes", [9, 61, 0])
def test_slot_length_outside_10_to_60_minutes_is_refused(minutes):
    with pytest.raises(ValueError):
        generate_slots([(FAIR_DAY, time(9), time(12))], minutes, 0, "Europe/Brussels")


@pytest.mark.parametrize("pause", [-1, 61])
def test_pause_outside_0_to_60_minutes_is_refused(pause):
    with pytest.raises(ValueError):
        generate_slots([(FAIR_DAY, time(9), time(12))], 20, pause, "Europe/Brussels")


def test_no_openings_no_slots():
    assert generate_slots([], 20, 5, "Europe/Brussels") == []


def test_parse_ranges_reads_several_ranges_in_any_order_and_common_spellings():
    assert parse_ranges("13h30-16h30, 9:30 - 12:30") == [(time(9, 30), time(12, 30)),
                                                         (time(13, 30), time(16, 30))]
    assert parse_ranges("") == []
    assert format_ranges(parse_ranges("9:30-12:30;13:30-16:30")) == "09:30-12:30, 13:30-16:30"


@pytest.mark.parametrize("text", ["9:30", "9:30-25:00", "12:30-09:30", "10:00-10:00",
                                  "9:30-11:00, 10:30-12:00", "nine to five", "9:60-10:00"])
def test_parse_ranges_refuses_bad_ranges(text):
    with pytest.raises(ValueError):
        parse_ranges(text)
