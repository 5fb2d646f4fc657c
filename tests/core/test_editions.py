"""Editions: creation rules, the current edition, windows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from jobday.db import utcnow
from jobday.editions.services import (
    EditionExists,
    InvalidEditionDates,
    booking_open,
    create_edition,
    current_edition,
    registration_open,
)


def test_windows_are_derived_from_the_fair_date_in_brussels_time(db):
    edition = create_edition(year=2030, starts_on=date(2030, 3, 21))
    assert edition.timezone == "Europe/Brussels"
    # the evening before the fair, 20:00 in Brussels = 19:00 UTC in March (CET)
    assert edition.booking_closes_at == datetime(2030, 3, 20, 19, 0, tzinfo=UTC)
    assert edition.registration_closes_at < edition.booking_closes_at
    assert edition.registration_opens_at < edition.booking_opens_at


def test_one_edition_per_year(db):
    create_edition(year=2030, starts_on=date(2030, 3, 21))
    with pytest.raises(EditionExists):
        create_edition(year=2030, starts_on=date(2030, 4, 1))


def test_an_edition_cannot_end_before_it_starts(db):
    with pytest.raises(InvalidEditionDates):
        create_edition(year=2030, starts_on=date(2030, 3, 21), ends_on=date(2030, 3, 20))


def test_current_edition_is_the_next_one_then_the_last_one(db):
    today = date(2030, 6, 1)
    assert current_edition(today) is None
    past = create_edition(year=2029, starts_on=date(2029, 3, 15))
    assert current_edition(today) == past
    future = create_edition(year=2031, starts_on=date(2031, 3, 20))
    later = create_edition(year=2032, starts_on=date(2032, 3, 18))
    assert current_edition(today) == future
    assert current_edition(date(2031, 3, 20)) == future  # on the day itself
    assert current_edition(date(2031, 3, 21)) == later


def test_windows_open_and_close(db):
    now = utcnow()
    edition = create_edition(year=2040, starts_on=(now + timedelta(days=30)).date(),
                             registration_opens_at=now - timedelta(hours=1),
                             registration_closes_at=now + timedelta(hours=1),
                             booking_opens_at=now + timedelta(hours=1))
    assert registration_open(edition, now)
    assert not registration_open(edition, now + timedelta(hours=2))
    assert not registration_open(edition, now - timedelta(hours=2))
    assert not booking_open(edition, now)
    assert booking_open(edition, now + timedelta(hours=2))


def test_cli_creates_and_lists_editions(runner, db):
    result = runner.invoke(args=["edition", "create", "--year", "2033", "--starts-on", "2033-03-17",
                                 "--venue", "Biopark"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["edition", "create", "--year", "2033", "--starts-on", "2033-03-17"])
    assert again.exit_code != 0
    listing = runner.invoke(args=["edition", "list"])
    assert "2033" in listing.output
