"""The scan service without HTTP: two gates at once, offline scans and their conflicts,
reading codes typed on French and German keyboards, who is inside."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from jobday.badges.codes import for_humans
from jobday.checkin.codes import read_code
from jobday.checkin.devices import device_for_token
from jobday.checkin.gate_scan import device_checkin
from jobday.checkin.models import Scan
from jobday.checkin.offline import conflicts, snapshot
from jobday.checkin.services import is_inside, perform_checkin
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.extensions import db as _db
from jobday.scheduling.day import candidate_checked_in
from tests import factories
from tests.checkin.conftest import nonce

# --- two gates, one badge, the same moment --------------------------------------------


def _service_scan(code: str, edition, device, token: str):
    return perform_checkin(code, gate=device.gate, nonce=nonce(), edition=edition, device=device)


def _device_scan(code: str, _edition, _device, token: str):
    """The scan API's path for gate devices (device, edition and badge read in one statement)."""
    return device_checkin(token, code, nonce=nonce(), gate_of=lambda device: device.gate, now=utcnow())


def _race(app, edition_id: int, code: str, gates=("A", "B"), scan=_service_scan) -> list[str]:
    barrier = threading.Barrier(len(gates))
    results, errors = [], []

    def gate(name: str) -> None:
        try:
            with app.app_context():
                edition = _db.session.get(Edition, edition_id)
                device, token = factories.make_gate_device(edition, gate=name)
                _db.session.commit()
                barrier.wait(timeout=10)
                outcome = scan(code, edition, device, token)
                _db.session.commit()
                results.append(outcome.result)
                _db.session.remove()
        except Exception as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=gate, args=(name,)) for name in gates]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return sorted(results)


def _race_case(app, today_edition, scan=_service_scan):
    user = factories.make_user()
    badge = factories.make_badge(user, today_edition)
    _db.session.commit()
    results = _race(app, today_edition.id, badge.code, gates=("A", "B", "C", "D"), scan=scan)
    assert results == ["already_inside"] * 3 + ["ok"]
    _db.session.rollback()  # end the test's own read (it would keep an older snapshot)
    rows = list(_db.session.scalars(select(Scan.result).where(Scan.badge_id == badge.id)))
    assert sorted(rows) == results


def test_two_gates_at_once_give_one_ok(backend, app, today_edition):
    _race_case(app, today_edition)


def test_two_gate_devices_at_once_give_one_ok(backend, app, today_edition):
    _race_case(app, today_edition, scan=_device_scan)


def test_a_retried_nonce_writes_one_row(backend, app, today_edition, device):
    user = factories.make_user()
    badge = factories.make_badge(user, today_edition)
    _db.session.commit()
    first = perform_checkin(badge.code, gate="A", nonce="same-nonce-1", edition=today_edition,
                            device=device[0])
    again = perform_checkin(badge.code, gate="A", nonce="same-nonce-1", edition=today_edition,
                            device=device[0])
    _db.session.commit()
    assert again.replayed and again.scan.id == first.scan.id
    assert len(list(_db.session.scalars(select(Scan)))) == 1


# --- offline scans --------------------------------------------------------------------

def test_offline_scans_keep_their_time_and_conflicts_are_listed(app, today_edition):
    user = factories.make_user(first_name="Zoé", last_name="Martin")
    badge = factories.make_badge(user, today_edition)
    a, _ = factories.make_gate_device(today_edition, gate="A")
    b, _ = factories.make_gate_device(today_edition, gate="B")
    earlier = factories.earlier_today(minutes=20)
    first = perform_checkin(badge.code, gate="A", nonce=nonce(), edition=today_edition, device=a,
                            client_time=earlier, offline=True, local_result="ok")
    second = perform_checkin(badge.code, gate="B", nonce=nonce(), edition=today_edition, device=b,
                             client_time=earlier + timedelta(minutes=1), offline=True, local_result="ok")
    _db.session.commit()
    assert (first.result, second.result) == ("ok", "already_inside")
    assert first.scan.client_time == earlier and first.scan.is_offline
    [conflict] = conflicts(today_edition)
    assert conflict["name"] == "Zoé Martin" and conflict["gate"] == "B" and conflict["first_gate"] == "A"
    assert conflict["first_at"] == earlier


def test_snapshot_lists_codes_names_and_status_only(app, today_edition):
    user = factories.make_user(first_name="Zoé", last_name="Martin")
    active = factories.make_badge(user, today_edition)
    other = factories.make_user()
    factories.make_badge(other, today_edition, status="revoked", revoke_reason="withdrawn")
    rows = {row["code"]: row for row in snapshot(today_edition)}
    assert rows[active.code] == {"code": active.code, "name": "Zoé Martin", "role": "candidate",
                                 "company": "", "status": "active"}
    assert sorted(r["status"] for r in rows.values()) == ["active", "cancelled"]


# --- reading codes --------------------------------------------------------------------

AZERTY_ROW = str.maketrans("1234567890", "&é\"'(-è_çà")


@pytest.fixture
def code():
    from jobday.badges.codes import new_code

    while True:  # a code with digits and both Y and Z-free letters covers the mappings below
        found = new_code()
        if sum(ch.isdigit() for ch in found) >= 3:
            return found


def test_plain_codes_with_case_spaces_and_groups_are_read(code):
    assert read_code(f"  {for_humans(code).lower()} \r\n") == code


def test_azerty_digit_row_is_read_as_digits(code):
    assert read_code(code.translate(AZERTY_ROW)) == code
    assert read_code(code.lower().translate(AZERTY_ROW)) == code


def test_us_scanner_on_an_azerty_host_is_read_back(code):
    from jobday.badges.codes import is_well_formed, new_code, normalise
    from jobday.checkin.codes import AZERTY_DIGITS

    us_on_azerty = str.maketrans("1234567890AQZWM", "&é\"'(-è_çàQAWZ?")

    def ambiguous(typed: str) -> bool:
        """About one garbled code in 31 is well formed under a reading tried before the full
        AZERTY one (as typed, or digits only); it cannot be undone. The rule is about the others."""
        return any(is_well_formed(normalise(typed.translate(table))) for table in (str.maketrans({}), AZERTY_DIGITS))

    while ambiguous(code.translate(us_on_azerty)) and code.translate(us_on_azerty).translate(AZERTY_DIGITS) != code:
        code = next(c for c in iter(new_code, None) if sum(ch.isdigit() for ch in c) >= 3)  # as the fixture
    assert read_code(code.translate(us_on_azerty)) == code


def test_qwertz_y_z_swap_is_undone_only_when_the_check_symbol_agrees(code):
    from jobday.badges.codes import is_well_formed, new_code, normalise, with_check
    from jobday.checkin.codes import AZERTY_DIGITS, AZERTY_KEYS

    swap = str.maketrans("YZ", "ZY")

    def ambiguous(typed: str) -> bool:
        """About one garbled code in 31 is itself well formed as typed, or after one of the
        readings tried before QWERTZ; it cannot be undone. The rule is about the others."""
        return any(is_well_formed(normalise(typed.translate(table)))
                   for table in (str.maketrans({}), AZERTY_DIGITS, AZERTY_KEYS))

    body = "YZ" + code[2:17]
    while ambiguous(with_check(body).translate(swap)):
        body = "YZ" + new_code()[2:17]
    real = with_check(body)
    swapped = real.translate(swap)
    assert read_code(swapped) == real
    assert read_code(real) == real  # a good code with Y and Z is never "fixed"


def test_garbage_is_returned_as_is_and_stays_unknown():
    assert read_code("hello world") == "HELLOWORLD"
    assert read_code("\x00\x1b[31m") == "[31M"


# --- the scheduling question ----------------------------------------------------------

def test_candidate_checked_in_follows_the_door(app, today_edition):
    today_edition.records_exits = True
    user = factories.make_user()
    badge = factories.make_badge(user, today_edition)
    device, token = factories.make_gate_device(today_edition)
    assert device_for_token(token).id == device.id
    assert not candidate_checked_in(user.id, today_edition.id)
    perform_checkin(badge.code, gate="A", nonce=nonce(), edition=today_edition, device=device)
    assert candidate_checked_in(user.id, today_edition.id) and is_inside(user.id, today_edition.id)
    perform_checkin(badge.code, gate="A", nonce=nonce(), edition=today_edition, device=device, exit_scan=True)
    assert not candidate_checked_in(user.id, today_edition.id)
