"""The door's pages: scanner, service worker, search, walk-ins, gate devices, arrivals board,
the OpenAPI document and the gate-token command."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from jobday.accounts.models import User
from jobday.badges.models import Badge
from jobday.checkin.devices import device_for_token, hash_token
from jobday.checkin.models import GateDevice
from jobday.checkin.services import perform_checkin
from jobday.db import utcnow
from jobday.extensions import db as _db
from tests import factories
from tests.checkin.conftest import nonce


@pytest.mark.parametrize("role, status", [("staff", 200), ("admin", 200), ("candidate", 403),
                                          ("recruiter", 403)])
def test_scanner_page_is_for_door_staff(client, login_as, today_edition, role, status):
    login_as(role)
    response = client.get("/door")
    assert response.status_code == status
    if status == 200:
        page = response.get_data(as_text=True)
        assert 'id="door"' in page and "jsQR-1.4.0.js" in page and "js/door/scanner.js" in page


def test_service_worker_is_served_for_the_door_scope(client):
    response = client.get("/door/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/door"


def test_search_needs_three_letters_and_staff(client, login_as, today_edition):
    user = factories.make_user(first_name="Noémie", last_name="Dubois")
    factories.make_badge(user, today_edition)
    _db.session.commit()
    assert client.get("/door/search?q=Dub").status_code == 302  # anonymous: to the login page
    login_as("candidate")
    assert client.get("/door/search?q=Dub").status_code == 403
    login_as("staff")
    assert client.get("/door/search?q=Du").status_code == 400
    found = client.get("/door/search?q=dub").get_json()["badges"]
    assert [b["name"] for b in found] == ["Noémie Dubois"]
    assert set(found[0]) == {"code", "name", "company", "role", "role_label", "status", "status_label", "inside"}
    assert (found[0]["status"], found[0]["status_label"]) == ("active", "Valide")  # French, the default


def test_walk_in_candidate_is_registered_let_in_and_offered_the_badge_in_the_doors_format(backend, client, login_as,
                                                                                         today_edition):
    from jobday.badges.printing import Selection, select_badges
    from jobday.checkin.models import Scan

    staff = login_as("staff")
    response = client.post_form("/door/walk-in", {"first_name": "Léa", "last_name": "Fontaine", "gate": "B",
                                                   "email": "lea@example.org", "kind": "candidate", "layout": "card"})
    user = _db.session.scalar(select(User).where(User.email == "lea@example.org"))
    badge = _db.session.scalar(select(Badge).where(Badge.user_id == user.id))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/door?walk_in={badge.id}#walked-in"  # back at the door
    assert badge.role == "candidate" and badge.is_active
    [entry] = _db.session.scalars(select(Scan)).all()  # let in at the door's gate, by the door staff
    assert (entry.badge_id, entry.result, entry.gate, entry.staff_user_id) == (badge.id, "ok", "B", staff.id)

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    link = f"/door/walk-in/{badge.id}.pdf?layout=card"
    assert f'href="{link}"' in page and 'target="_blank"' in page
    assert 'value="B"' in page and '<option selected value="card">' in page  # the door's choices kept
    assert [b.id for b in select_badges(Selection(today_edition.id, only_new=True))] == [badge.id]
    pdf = client.get(link)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    _db.session.expire_all()
    assert badge.printed_at is not None and badge.print_count == 1
    assert select_badges(Selection(today_edition.id, only_new=True)) == []  # not "new" in the bulk print
    assert client.get(f"/door/walk-in/{badge.id}.pdf?layout=a4-8").status_code == 404


def test_walk_in_needs_an_email_for_a_candidate_not_for_a_visitor(backend, client, login_as, today_edition):
    from jobday.checkin.models import Scan

    login_as("staff")
    response = client.post_form("/door/walk-in", {"first_name": "Léa", "last_name": "Fontaine",
                                                   "kind": "candidate", "gate": "A", "layout": "a6"})
    assert response.status_code == 400
    assert "Un·e candidat·e" in response.get_data(as_text=True) or "adresse e-mail" in response.get_data(as_text=True)
    assert _db.session.scalar(select(Badge)) is None and _db.session.scalar(select(Scan)) is None
    response = client.post_form("/door/walk-in", {"first_name": "Tom", "last_name": "Peeters", "kind": "company",
                                                   "company": "UCB", "gate": "A", "layout": "a6"})
    assert response.status_code == 302
    badge = _db.session.scalar(select(Badge))
    assert (badge.role, badge.company_name, badge.user_id) == ("visitor", "UCB", None)
    assert _db.session.scalar(select(Scan)).result == "ok"


def test_walk_in_from_a_company_needs_the_company(client, login_as, today_edition):
    login_as("staff")
    response = client.post_form("/door/walk-in", {"first_name": "Tom", "last_name": "Peeters", "gate": "A",
                                                   "email": "tom@example.org", "kind": "company"},
                                headers={"Accept-Language": "en"})
    assert response.status_code == 400 and "Enter the company" in response.get_data(as_text=True)
    assert _db.session.scalar(select(User).where(User.email == "tom@example.org")) is None
    response = client.post_form("/door/walk-in", {"first_name": "Tom", "last_name": "Peeters", "gate": "A",
                                                   "email": "tom@example.org", "kind": "company",
                                                   "company": "UCB"})
    assert response.status_code == 302
    badge = _db.session.scalar(select(Badge).join(User).where(User.email == "tom@example.org"))
    assert (badge.role, badge.company_name) == ("visitor", "UCB")


def test_walk_in_refused_without_csrf(client, login_as, today_edition):
    login_as("staff")
    response = client.post("/door/walk-in", data={"first_name": "A", "last_name": "B",
                                                  "email": "ab@example.org", "kind": "candidate"})
    assert response.status_code == 400
    assert _db.session.scalar(select(User).where(User.email == "ab@example.org")) is None


def test_devices_page_shows_a_token_once_and_revokes(client, login_as, today_edition):
    login_as("staff")
    assert client.get("/staff/door/devices").status_code == 403
    login_as("admin")
    response = client.post_form("/staff/door/devices", {"gate": "B", "label": "Pixel"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    token = page.split('id="new-token">')[1].split("<")[0]
    device = _db.session.scalar(select(GateDevice))
    assert device.token_hash == hash_token(token) and device.gate == "B"
    assert token not in client.get("/staff/door/devices").get_data(as_text=True)
    assert client.post_form(f"/staff/door/devices/{device.id}/revoke").status_code == 302
    _db.session.expire_all()
    assert device_for_token(token) is None
    assert client.post_form("/staff/door/devices/9999/revoke").status_code == 404


def test_arrivals_board_for_organisers(client, login_as, today_edition):
    device, _ = factories.make_gate_device(today_edition, gate="A")
    user = factories.make_user(first_name="Ana", last_name="Lopez")
    badge = factories.make_badge(user, today_edition)
    perform_checkin(badge.code, gate="A", nonce=nonce(), edition=today_edition, device=device,
                    now=utcnow() - timedelta(minutes=1))
    perform_checkin("nope", gate="A", nonce=nonce(), edition=today_edition, device=device)
    _db.session.commit()
    login_as("staff")
    assert client.get("/staff/arrivals").status_code == 403
    login_as("admin")
    response = client.get("/staff/arrivals", headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="inside-now">1<' in page and "board-bar" in page and "Unknown code" in page
    assert 'http-equiv="refresh"' not in page  # the figures update in place


def test_openapi_document_describes_the_api(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    assert {"/api/v1/checkin", "/api/v1/checkin/sync", "/api/v1/checkin/snapshot"} <= set(document["paths"])


def test_gate_token_command_prints_a_working_token(runner, today_edition):
    result = runner.invoke(args=["gate-token", "--edition", str(today_edition.year), "--gate", "C"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[0]
    assert device_for_token(token).gate == "C"
    assert runner.invoke(args=["gate-token", "--edition", "1900", "--gate", "C"]).exit_code != 0


def test_snapshot_and_sync_over_http(client, device, today_edition):
    user = factories.make_user(first_name="Ana", last_name="Lopez")
    badge = factories.make_badge(user, today_edition)
    _db.session.commit()
    auth = {"Authorization": f"Bearer {device[1]}"}
    snap = client.get("/api/v1/checkin/snapshot", headers=auth).get_json()
    assert [b["code"] for b in snap["badges"]] == [badge.code]
    at = (utcnow() - timedelta(minutes=5)).isoformat()
    scans = [{"code": badge.code, "nonce": "offline-0001", "client_time": at, "local_result": "ok"},
             {"code": badge.code, "nonce": "offline-0002", "client_time": at,
              "local_result": "already_inside"},
             {"code": "nope", "nonce": "offline-0003", "client_time": "yesterday"}, "junk"]
    body = client.post("/api/v1/checkin/sync", json={"scans": scans}, headers=auth).get_json()
    assert [r.get("result", r.get("error")) for r in body["results"]] == [
        "ok", "already_inside", "invalid_input", "invalid_input"]
    again = client.post("/api/v1/checkin/sync", json={"scans": scans[:2]}, headers=auth).get_json()
    assert [r["result"] for r in again["results"]] == ["ok", "already_inside"]


@pytest.mark.parametrize("worker, page_modules", [
    ("/door/sw.js", {"js/door/scanner.js", "js/door/offline-store.js"}),
    ("/company/stand/sw.js", {"js/stand/stand.js"}),
])
def test_the_service_worker_keeps_every_module_of_its_page_from_the_first_visit(client, worker, page_modules):
    """Modules a page imports are not in its HTML: the worker's list follows the imports."""
    import json
    import re
    from pathlib import Path

    script = client.get(worker).get_data(as_text=True)
    manifest = json.loads(re.match(r"self\.PRECACHE = (\{.*?\});\n", script).group(1))
    kept = {url.removeprefix("/static/") for url in manifest["files"]}
    shared = {path.relative_to("static").as_posix() for path in Path("static/js/scan").glob("*.js")} - {"js/scan/sw.js"}
    assert page_modules | shared | {"vendor/jsQR-1.4.0.js", "css/scan.css", "vendor/pico-2.1.1.min.css"} <= kept
    assert manifest["page"] == worker.removesuffix("/sw.js") and len(manifest["version"]) == 16
    for url in manifest["files"]:
        response = client.get(url)
        response.close()
        assert response.status_code == 200, url


def test_search_ignores_accents_and_case_and_says_who_is_inside(backend, client, login_as, today_edition):
    zoe = factories.make_user(first_name="Zoë", last_name="Müller")
    inside = factories.make_badge(zoe, today_edition, role="recruiter", company_name="Bioxodes")
    factories.make_badge(factories.make_user(first_name="Jean", last_name="Crèvecœur"), today_edition)
    factories.make_badge(factories.make_user(first_name="Other", last_name="Person"), today_edition)
    device, _ = factories.make_gate_device(today_edition, gate="A")
    perform_checkin(inside.code, gate="A", nonce=nonce(), edition=today_edition, device=device)
    _db.session.commit()
    login_as("staff")
    [found] = client.get("/door/search?q=MULLER").get_json()["badges"]
    assert (found["name"], found["company"], found["inside"]) == ("Zoë Müller", "Bioxodes", True)
    [found] = client.get("/door/search?q=crevecoeur").get_json()["badges"]
    assert (found["name"], found["inside"], found["role_label"]) == ("Jean Crèvecœur", False, "Candidat·e")
    assert [b["name"] for b in client.get("/door/search?q=bioxo").get_json()["badges"]] == ["Zoë Müller"]


def test_a_door_with_a_label_printer_prints_walk_ins_on_labels(client, login_as, today_edition):
    import pypdfium2

    from jobday.badges.models import PrintRun

    login_as("staff")
    response = client.post_form("/door/walk-in", {"first_name": "Tom", "last_name": "Peeters", "kind": "company",
                                                   "company": "UCB", "gate": "A", "layout": "label"})
    badge = _db.session.scalar(select(Badge))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"/door/walk-in/{badge.id}.pdf?layout=label" in page
    assert "Imprimer le badge\u00a0: Étiquette (101 × 54 mm)" in page  # one pair of brackets
    pdf = client.get(f"/door/walk-in/{badge.id}.pdf?layout=label")
    first = pypdfium2.PdfDocument(pdf.data)[0]
    assert (round(first.get_width() * 25.4 / 72), round(first.get_height() * 25.4 / 72)) == (101, 54)
    run = _db.session.scalar(select(PrintRun))
    assert (run.layout, run.selection, run.badge_count) == ("label", "door", 1)
