"""``validate`` catches every broken rule, and contradictory input raises ``ProblemError``."""

from __future__ import annotations

import pytest

from jobday.scheduling.solver import (
    Assignment,
    Candidate,
    ExistingInterview,
    Lock,
    Problem,
    ProblemError,
    Settings,
    solve,
    validate,
)
from tests.scheduling import company, hm, wishes


def problem(**changes) -> Problem:
    base = dict(
        candidates=(Candidate("c1"), Candidate("c2"), Candidate("m", windows=((hm("8:00"), hm("12:00")),))),
        companies=(company("A", ["9:00", "9:30", "14:00"]), company("B", ["9:00", "9:40"]),
                   company("C", ["9:00"])),
        wishes=wishes(("c1", "A", 1), ("c1", "B", 2), ("c2", "A", 1), ("c2", "B", 2), ("m", "A", 1)),
        settings=Settings(gap_minutes=20, max_per_candidate=2))
    base.update(changes)
    return Problem(**base)


def at(candidate: str, slot: str, locked: bool = False) -> Assignment:
    company_id, rest = slot[0], slot.split("@")[1]
    return Assignment(candidate_id=candidate, company_id=company_id, table_id=f"{company_id}1", slot_id=slot,
                      start=hm(rest), end=hm(rest) + 20, locked=locked)


def test_a_valid_schedule_has_no_finding():
    assert validate(problem(), [at("c1", "A1@9:00"), at("c1", "B1@9:40"), at("c2", "B1@9:00")]) == []


@pytest.mark.parametrize(("assignments", "words"), [
    ([at("c1", "A1@9:00"), at("c2", "A1@9:00")], "given to 2 interviews"),
    ([at("c1", "A1@9:00"), at("c1", "B1@9:00")], "overlap"),
    ([at("c1", "A1@9:00"), at("c1", "B1@9:40"), at("c1", "A1@14:00")], "more than the cap"),
    ([at("c1", "A1@9:30"), at("c1", "B1@9:40")], "less than 20 minutes"),
    ([at("c1", "C1@9:00")], "not among the candidate's wishes"),
    ([at("m", "A1@14:00")], "outside the candidate's availability"),
    ([at("c1", "A1@9:00"), at("c1", "A1@14:00")], "limit 1"),
    ([at("nobody", "A1@9:00")], "unknown candidate"),
    ([Assignment("c1", "B", "B1", "A1@9:00", hm("9:00"), hm("9:20"))], "not a slot of company"),
    ([at("c1", "A1@9:00", locked=True)], "marked locked but not locked"),
])
def test_each_broken_rule_is_reported(assignments, words):
    findings = validate(problem(), assignments)
    assert any(words in finding for finding in findings), findings


def test_taken_slots_locks_and_existing_interviews_are_checked():
    existing = ExistingInterview(company_id="B", start=hm("9:00"), end=hm("9:20"), slot_id="B1@9:00")
    p = problem(candidates=(Candidate("c1"), Candidate("c2", existing=(existing,)), Candidate("m")),
                taken_slots=frozenset({"A1@14:00"}), locked=(Lock("c1", "A1@9:00"),))
    assert any("is taken" in f for f in validate(p, [at("c1", "A1@9:00", True), at("c1", "A1@14:00")]))
    assert any("missing" in f for f in validate(p, [at("c1", "B1@9:40")]))
    assert any("returned as a new" in f for f in validate(p, [at("c1", "A1@9:00")]))
    assert any("given to 2" in f for f in validate(p, [at("c1", "A1@9:00", True), at("c1", "B1@9:00")]))
    assert any("less than 20" in f for f in validate(p, [at("c1", "A1@9:00", True), at("c2", "A1@9:30")]))
    schedule = solve(p)
    assert validate(p, schedule) == []


def test_allowed_slots_are_checked():
    p = problem(candidates=(Candidate("c1", allowed_slots=frozenset({"A1@9:00"})),))
    assert any("allowed slots" in f for f in validate(p, [at("c1", "A1@9:30")]))


@pytest.mark.parametrize(("changes", "words"), [
    (dict(wishes=wishes(("c1", "Z", 1))), "unknown candidate or company"),
    (dict(wishes=wishes(("c1", "A", 1), ("c1", "A", 2))), "wishes 'A' twice"),
    (dict(wishes=wishes(("c1", "A", 3)), settings=Settings(max_rank=2)), "rank 3 outside"),
    (dict(companies=(company("A", ["9:00"]), company("A", ["10:00"]))), "appears twice"),
    (dict(candidates=(Candidate("c1"), Candidate("c1"))), "appears twice"),
    (dict(locked=(Lock("c1", "A1@9:00"), Lock("c2", "A1@9:00"))), "is held by"),
    (dict(locked=(Lock("c1", "nowhere"),)), "unknown candidate or slot"),
    (dict(locked=(Lock("m", "A1@14:00"),)), "outside their availability"),
    (dict(locked=(Lock("c1", "A1@9:00"), Lock("c1", "B1@9:00"))), "clash"),
    (dict(candidates=(Candidate("c1", existing=(
        ExistingInterview("A", hm("9:00"), hm("9:20"), "A1@9:30"),)),)), "does not match"),
    (dict(candidates=(Candidate("c1", cap=0, existing=(ExistingInterview("X", 0, 20),)),)), "more fixed"),
    (dict(settings=Settings(gap_minutes=-1)), "negative"),
])
def test_contradictory_input_is_refused(changes, words):
    with pytest.raises(ProblemError) as caught:
        solve(problem(**changes))
    assert any(words in issue for issue in caught.value.issues), caught.value.issues
