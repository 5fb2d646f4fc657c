"""Dates and times in the reader's language: French, and English with British conventions
(day before month, 24-hour clock), no seconds, no zone name unless the zone is not the fair's;
and nothing else in the code formats dates for people."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from flask_babel import force_locale

from jobday.formats import format_date, format_date_range, format_datetime, format_time

# 09:20 UTC is 10:20 in Brussels on 18 March 2027 (a Thursday).
MOMENT = datetime(2027, 3, 18, 9, 20, 5, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("locale", "expected"), [
    ("fr", {"time": "10:20", "short": "18/03/2027", "long": "18 mars 2027", "full": "jeudi 18 mars 2027",
            "datetime": "18/03/2027 10:20", "datetime_full": "jeudi 18 mars 2027 à 10:20"}),
    ("en", {"time": "10:20", "short": "18/03/2027", "long": "18 March 2027", "full": "Thursday 18 March 2027",
            "datetime": "18/03/2027 10:20", "datetime_full": "Thursday 18 March 2027 at 10:20"}),
])
def test_dates_and_times_in_each_language(app, locale, expected):
    with force_locale(locale):
        assert format_time(MOMENT) == expected["time"]
        assert format_date(MOMENT) == expected["short"]
        assert format_date(MOMENT.date(), "long") == expected["long"]
        assert format_date(MOMENT, "full") == expected["full"]
        assert format_datetime(MOMENT) == expected["datetime"]
        assert format_datetime(MOMENT, "full") == expected["datetime_full"]


def test_an_english_reader_never_gets_us_dates(app):
    """12 June, not December 6th: the English of Jobday is British."""
    with force_locale("en"):
        assert format_date(date(2026, 6, 12)) == "12/06/2026"
        assert format_time(time(15, 5)) == "15:05"


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_the_numeric_forms_written_directly_read_as_babels_patterns(app, locale):
    """The short date and the clock skip Babel's pattern machinery: they must still read exactly
    as its patterns do, in both languages, over a year of days and every minute of a day."""
    from babel.dates import format_date as babel_date
    from babel.dates import format_time as babel_time

    from jobday.formats import DATE_PATTERNS, babel_locale

    with force_locale(locale):
        days = [date(2027, 1, 1) + timedelta(days=n) for n in range(366)] + [date(999, 9, 9)]
        assert [format_date(day) for day in days] == [babel_date(day, DATE_PATTERNS["short"], locale=babel_locale())
                                                      for day in days]
        clocks = [time(hour, minute, 59) for hour in range(24) for minute in range(60)]
        assert [format_time(clock) for clock in clocks] == [babel_time(clock, "HH:mm", locale=babel_locale())
                                                            for clock in clocks]


def test_no_zone_name_in_the_fairs_zone_and_one_in_another(app):
    with force_locale("fr"):
        assert format_time(MOMENT) == "10:20"
        assert format_time(MOMENT, tz="Europe/London") == "09:20 GMT"
        assert format_datetime(MOMENT, tz="Europe/Brussels") == "18/03/2027 10:20"


def test_date_ranges(app):
    with force_locale("fr"):
        assert format_date_range(date(2027, 3, 18), date(2027, 3, 18)) == "18 mars 2027"
        assert format_date_range(date(2027, 3, 18), date(2027, 3, 19)) == "18–19 mars 2027"
        assert format_date_range(date(2027, 3, 31), date(2027, 4, 1)) == "31 mars – 1 avril 2027"
    with force_locale("en"):
        assert format_date_range(date(2027, 3, 18), date(2027, 3, 19)) == "18–19 March 2027"


def test_the_filters_in_a_template(app):
    from flask import render_template_string

    with app.test_request_context(headers={"Accept-Language": "fr"}):
        page = render_template_string("{{ m|time }} {{ m|date('full') }} {{ m|datetime('long') }} {{ m|iso }}",
                                      m=MOMENT)
    assert page == "10:20 jeudi 18 mars 2027 18 mars 2027 à 10:20 2027-03-18T09:20:05+00:00"


# --- nothing formats dates by hand ----------------------------------------------------------

MACHINE_FORMATS = {  # files whose dates are for machines (logs, API, calendars, archives), not people
    "jobday/logs.py", "jobday/checkin/api.py", "jobday/candidates/export.py", "jobday/staff/backup.py",
    "jobday/staff/retention.py", "jobday/scheduling/organiser_views.py", "jobday/staff/dashboard.py",
    "jobday/formats.py", "jobday/staff/editions_forms.py",  # the value of a datetime-local input
}


def test_no_template_formats_dates_by_hand():
    pattern = re.compile(r"datetimeformat|dateformat|timeformat|strftime|isoformat\(")
    found = [f"{path.relative_to(ROOT)}:{n}" for path in (ROOT / "templates").rglob("*.*")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert found == []


def test_no_python_module_formats_dates_for_people_by_hand():
    pattern = re.compile(r"\.strftime\(|\bformat_(date|datetime|time)\b.*flask_babel|from flask_babel import.*"
                         r"\bformat_(date|datetime|time)\b|:%[YmdHM]")
    found = []
    for path in (ROOT / "jobday").rglob("*.py"):
        name = str(path.relative_to(ROOT))
        if name in MACHINE_FORMATS or "/migrations/" in name:
            continue
        found += [f"{name}:{n}" for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                  if pattern.search(line) and not re.search(r"\b(key|name) = f", line)]  # keys, file names
    assert found == []
