"""The load scenarios' database checks judge the server, not the load generator's luck.

The registration scenario's recruiters save their plans under load; a save whose answer never
came (the client's timeout) may have been saved later, or dropped unread from the server's
queue when it stopped. Either way the company holds a plan it had: the last one acknowledged,
or the seeded one when none was.
"""

from __future__ import annotations

from tests.bench import scenario_registration as scenario
from tests.bench.scenario_common import migrated_app, server_settings

PLAN_CHECK = "each plan stored as its recruiter last saved it"


def _plan_check_failed(checks) -> bool:
    return any(failure.startswith(PLAN_CHECK) for failure in checks.failed)


def _seeded(tmp_path, monkeypatch):
    monkeypatch.setattr(scenario, "COMPANIES", 2)
    settings = server_settings(tmp_path, None, f"sqlite:///{tmp_path / 'scenario.sqlite'}")
    companies = scenario.seed(migrated_app(tmp_path, settings))
    return settings, companies


def test_a_first_save_left_unanswered_and_never_made_keeps_the_seeded_plan(tmp_path, monkeypatch):
    settings, companies = _seeded(tmp_path, monkeypatch)
    companies[0].unanswered = {**scenario.SEEDED_PLAN, "slot_minutes": 30, "pause_minutes": 5}

    checks, _notes = scenario.check(settings, scenario.Outcome([], companies))

    assert not _plan_check_failed(checks), checks.failed


def test_an_acknowledged_save_missing_from_the_database_is_caught(tmp_path, monkeypatch):
    settings, companies = _seeded(tmp_path, monkeypatch)
    companies[1].acknowledged.append({**scenario.SEEDED_PLAN, "slot_minutes": 25, "pause_minutes": 0})

    checks, _notes = scenario.check(settings, scenario.Outcome([], companies))

    assert _plan_check_failed(checks)


def test_a_company_that_saved_nothing_must_still_hold_its_seeded_plan(tmp_path, monkeypatch):
    settings, companies = _seeded(tmp_path, monkeypatch)
    monkeypatch.setitem(scenario.SEEDED_PLAN, "slot_minutes", 15)  # the database holds 20

    checks, _notes = scenario.check(settings, scenario.Outcome([], companies))

    assert _plan_check_failed(checks)
