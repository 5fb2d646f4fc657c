"""The candidate's data download holds everything kept about them. The test reads the schema
itself: every table with a column referring to a person (or to a row of theirs: their profile,
badges, the leads about them) must hold a row of the candidate in this world and be in the
download, row for row. A table added later fails here until the world gives it a row (and the
download then holds it without a change) or it is named below as never about a candidate."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

from sqlalchemy import insert, select

from jobday.candidates.consent import record_consents
from jobday.candidates.export import OWN_PARENTS
from jobday.db import utcnow
from jobday.extensions import db
from jobday.scheduling import applications, ics, wishes
from jobday.scheduling import booking as bookings
from tests import factories
from tests.scheduling.conftest import registered_candidate, slots_of

# Tables whose reference to a person is always to an organiser, door staff or a recruiter.
NEVER_ABOUT_A_CANDIDATE = {
    "badge_print_runs": "started by an organiser",
    "campaigns": "written by an organiser",
    "checkin_gate_devices": "set up by an organiser",
    "company_invitations": "recruiters invite recruiters",
    "company_members": "recruiters",
    "jobs": "started by an organiser or a recruiter",
    "participations": "decided by an organiser",
    "interview_tables": "a recruiter's table",
    "schedule_runs": "run by an organiser",
    "lead_changes": "made by recruiters: the lead's history, tested through the lead below",
}


def _tables_about_people() -> set[str]:
    found = set()
    for table in db.metadata.sorted_tables:
        if any(key.column.table.name in OWN_PARENTS for column in table.columns for key in column.foreign_keys):
            found.add(table.name)
    return found


def _world():
    edition = factories.make_edition()
    acme = factories.make_participation(factories.make_company(name="Acme Bio"), edition, booking_mode="apply")
    biolab = factories.make_participation(factories.make_company(name="Biolab"), edition)
    edition.wishes_open_at, edition.wishes_close_at = utcnow() - timedelta(days=1), utcnow() + timedelta(days=1)
    lea = registered_candidate(edition, first_name="Léa", email="lea@example.org")
    record_consents(lea, {"share_with_applied": True}, actor=lea)
    application = applications.apply_to_company(lea, acme, actor=lea, motivation="La microbiologie me passionne.")
    recruiter = acme.company.members[0].user
    applications.decide_application(application, actor=recruiter, accept=True, message="Bienvenue")
    applications.set_shortlisted(acme, lea.id, actor=recruiter, shortlisted=True)
    biolab_slots = slots_of(biolab)
    bookings.book_slot(lea, biolab_slots[0].id, actor=lea)
    wishes.set_wishes(lea, edition, [acme.id, biolab.id], actor=lea, period="morning")
    ics.create_or_renew_feed(lea)
    badge = factories.make_badge(lea, edition)
    lead = factories.make_lead(biolab.company, lea, edition, note="Très motivée")
    tag = factories.make_tag(biolab.company, "QC")
    tables = db.metadata.tables
    run = db.session.execute(insert(tables["schedule_runs"]).values(edition_id=edition.id)).inserted_primary_key[0]
    db.session.execute(insert(tables["schedule_assignments"]).values(
        run_id=run, candidate_id=lea.id, slot_id=slots_of(acme)[0].id, participation_id=acme.id))
    db.session.execute(insert(tables["checkin_scans"]).values(
        edition_id=edition.id, badge_id=badge.id, result="ok", gate="A", scope="u1", nonce="n-door"))
    db.session.execute(insert(tables["lead_scans"]).values(lead_id=lead.id, scope="u2", nonce="n-stand"))
    db.session.execute(insert(tables["lead_tag_links"]).values(lead_id=lead.id, tag_id=tag.id))
    db.session.execute(insert(tables["lead_changes"]).values(lead_id=lead.id, field="note"))
    db.session.execute(insert(tables["interview_invitations"]).values(
        edition_id=edition.id, participation_id=biolab.id, candidate_id=lea.id, kind="apply", source="lead"))
    db.session.execute(insert(tables["audit_entries"]).values(action="registration_withdraw", actor_id=lea.id))
    db.session.execute(insert(tables["candidate_languages"]).values(user_id=lea.id, language="fr", level="native"))
    db.session.execute(insert(tables["candidate_contract_types"]).values(user_id=lea.id, contract_type="permanent"))
    db.session.execute(insert(tables["waitlist_entries"]).values(
        edition_id=edition.id, participation_id=acme.id, candidate_id=lea.id, status="waiting", joined_at=utcnow()))
    bob = registered_candidate(edition, first_name="Bob")  # someone else, at the same companies
    bookings.book_slot(bob, biolab_slots[3].id, actor=bob)
    wishes.set_wishes(bob, edition, [biolab.id], actor=bob)
    db.session.commit()
    return edition, lea, acme, biolab


def _download(client, login_as, who) -> dict:
    login_as(who)
    response = client.post_form("/candidate/privacy/download", {"download-password": factories.DEFAULT_PASSWORD})
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        return json.loads(archive.read("jobday-data.json"))


def test_the_download_holds_every_row_kept_about_the_candidate(backend, client, db, login_as):
    _edition, lea, _acme, _biolab = _world()
    data = _download(client, login_as, lea)
    records = data["records"]
    expected = _tables_about_people() - set(NEVER_ABOUT_A_CANDIDATE)
    missing_in_world = {name for name in expected if name not in records}
    assert missing_in_world == set(), "give the candidate a row in these tables, or say why they never have one"
    # Row for row: what the database holds about Léa through each of her own rows.
    for name in expected:
        table = db.metadata.tables[name]
        key = list(table.primary_key.columns)[0].name
        assert len({row[key] for row in records[name]}) == len(records[name])
    assert records["users"][0]["email"] == "lea@example.org" and "password_hash" not in records["users"][0]
    assert "version" not in records["calendar_feeds"][0]
    assert records["applications"][0]["motivation"] == "La microbiologie me passionne."
    assert records["leads"][0]["note"] == "Très motivée"
    assert {row["subject"] for row in records["outbound_emails"]}  # the e-mails sent to her
    assert all(row["recipient"] == "lea@example.org" for row in records["outbound_emails"])
    [consent] = [c for c in data["consents"] if c["kind"] == "share_with_applied"]
    assert "entreprises" in consent["text"] and consent["text_version"]


def test_the_download_holds_nothing_of_other_people(client, db, login_as):
    _edition, lea, _acme, _biolab = _world()
    others = [row[0] for row in db.session.execute(
        select(db.metadata.tables["users"].c.id).where(db.metadata.tables["users"].c.id != lea.id))]
    records = _download(client, login_as, lea)["records"]
    for name in ("bookings", "registrations", "wishes", "candidate_profiles", "consents", "badges"):
        column = "user_id" if "user_id" in records[name][0] else "candidate_id"
        assert {row[column] for row in records[name]} == {lea.id}, name
    assert others
