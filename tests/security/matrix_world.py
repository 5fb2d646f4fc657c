"""The small world the access matrix walks, and the requests it sends.

One edition; candidates A and B; companies X and Y, each with an administrator, a plain
recruiter, an approved participation (one table), an offer, a pending invitation and an
application and a booking by "their" candidate, a lead on "their" candidate met at the stand,
a tag and an invitation to that candidate; door staff; an organiser; a gate device,
a scheduler run, a campaign, badges and jobs. Every object a route takes in its URL is
named in ``World.ids`` ("booking_a", "offer_y", ...), so the table can say which one a
route is called with.

The world is built once per test module. A request that may have written (any allowed
request that is not a GET) is followed by ``World.restore()``: on SQLite the database file
is copied back from a snapshot (milliseconds); on PostgreSQL the
tables are emptied and the world is built again (identities restart, so the ids repeat).
"""

from __future__ import annotations

import io
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from jobday import create_app
from jobday.db import reset_write_intent, set_write_intent, utcnow
from jobday.extensions import db, limiter
from jobday.security import Role
from tests import factories
from tests.security.access_matrix import (
    ADMIN,
    ANONYMOUS,
    CANDIDATE,
    COMPANY_ADMIN,
    DEVICE,
    RECRUITER,
    STAFF,
    Access,
)

EN = {"Accept-Language": "en"}
CSRF_REFUSAL_TEXT = "Your form expired or was sent from elsewhere"


# --- building the world ------------------------------------------------------------------------------

def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (120, 40), (20, 120, 90)).save(out, format="PNG")
    return out.getvalue()


def _consent(user, kind: str) -> None:
    from jobday.candidates.consent import record_consents

    record_consents(user, {kind: True}, actor=user)


def _slots(participation) -> list:
    from jobday.companies.models import InterviewSlot, InterviewTable

    return list(db.session.scalars(
        select(InterviewSlot).join(InterviewTable).where(InterviewTable.participation_id == participation.id)
        .order_by(InterviewSlot.starts_at)))


def _book(candidate, participation, slot):
    from jobday.scheduling.models import Booking

    factories.hold_slot(slot, candidate)
    booking = Booking(edition_id=participation.edition_id, participation_id=participation.id, slot_id=slot.id,
                      candidate_id=candidate.id, starts_at=slot.starts_at, ends_at=slot.ends_at)
    db.session.add(booking)
    db.session.flush()
    return booking


def _done_job(starter, name: str):
    """A finished export with its file, as the job pages show it to the person who started it."""
    from jobday import storage
    from jobday.jobs.models import Job

    key = storage.put(b"a,b\n1,2\n", kind="job", content_type="text/csv", expires_at=utcnow() + timedelta(days=7))
    job = Job(kind="staff.export", params={}, status="done", done=1, total=1, result_key=key,
              result_name=f"{name}.csv", result_summary="1 row", started_by_id=starter.id)
    db.session.add(job)
    db.session.flush()
    return job


def build_world(app: Flask) -> tuple[dict[str, Any], dict[str, int]]:
    """Objects by name and the acting user of each role. Deterministic: built twice on an
    emptied PostgreSQL database, it gives the same ids."""
    from jobday.badges.services import ensure_badge
    from jobday.candidates import cv
    from jobday.candidates.services import get_profile
    from jobday.companies import services as company_services
    from jobday.companies.access import membership_of
    from jobday.companies.team import invite_colleague
    from jobday.leads.models import InterviewInvitation
    from jobday.scheduling import ics
    from jobday.scheduling.models import (
        RUN_PREVIEW,
        WAITING,
        Application,
        ScheduleAssignment,
        ScheduleRun,
        WaitlistEntry,
    )
    from jobday.staff.models import Campaign

    edition = factories.make_edition()
    cand_a = factories.make_candidate(first_name="Alice", last_name="Martin", email="alice@example.org")
    cand_b = factories.make_candidate(first_name="Bruno", last_name="Lejeune", email="bruno@example.org")
    for candidate in (cand_a, cand_b):
        factories.make_registration(candidate, edition)
        cv.store_cv(get_profile(candidate), factories.make_pdf(), f"cv-{candidate.first_name}.pdf")
    _consent(cand_a, "share_with_all_exhibitors")  # X sees A's CV
    _consent(cand_b, "share_with_applied")  # only Y, where B applied, sees B's CV
    door = factories.make_user(roles=(Role.STAFF,), email="door@example.org", first_name="Dora")
    organiser = factories.make_user(roles=(Role.ADMIN,), email="organiser@example.org", first_name="Olga")

    companies = {}
    for key, name in (("x", "Xylo Bio"), ("y", "Yew Pharma")):
        admin = factories.make_user(roles=(Role.RECRUITER,), email=f"admin@{key}.example", first_name="Ada")
        company = factories.make_company(name=name, admin=admin)
        recruiter = factories.add_recruiter(company, email=f"recruiter@{key}.example", first_name="Remi")
        participation = factories.make_participation(company, edition, stand=key.upper() + "1")
        offer = factories.make_offer(company, title=f"QC analyst at {name}")
        invitation, token = invite_colleague(company, f"newcomer@{key}.example", actor=admin)
        companies[key] = dict(company=company, admin=admin, recruiter=recruiter, participation=participation,
                              offer=offer, invitation=invitation, token=token,
                              member=membership_of(recruiter), table=participation.tables[0],
                              slots=_slots(participation))
    x, y = companies["x"], companies["y"]
    company_services.set_logo(x["company"], _png(), actor=x["admin"], max_bytes=1024 * 1024,
                              max_pixels=16_000_000)
    pending = factories.make_company(name="Zinc Labs")  # applied, not approved: its logo is not public
    pending_participation = factories.make_participation(pending, edition, status="pending")
    company_services.set_logo(pending, _png(), actor=factories.company_admin(pending), max_bytes=1024 * 1024,
                              max_pixels=16_000_000)

    # A applied to and meets X and waits at Y; B the other way round.
    booking_a = _book(cand_a, x["participation"], x["slots"][0])
    booking_b = _book(cand_b, y["participation"], y["slots"][0])
    applications, entries = {}, {}
    for key, candidate, own, other in (("a", cand_a, x, y), ("b", cand_b, y, x)):
        applications[key] = Application(edition_id=edition.id, participation_id=own["participation"].id,
                                        candidate_id=candidate.id, motivation="I love quality control.")
        entries[key] = WaitlistEntry(edition_id=edition.id, participation_id=other["participation"].id,
                                     candidate_id=candidate.id, status=WAITING, passed_slot_ids=[])
        db.session.add_all([applications[key], entries[key]])
    run = ScheduleRun(edition_id=edition.id, status=RUN_PREVIEW, created_by_id=organiser.id, stats={})
    db.session.add(run)
    db.session.flush()
    assignment = ScheduleAssignment(run_id=run.id, candidate_id=cand_a.id, slot_id=x["slots"][4].id,
                                    participation_id=x["participation"].id)
    campaign = Campaign(edition_id=edition.id, audience="registered", subject_fr="Bienvenue", subject_en="Welcome",
                        body_fr="Bonjour", body_en="Hello", created_by_id=organiser.id)
    db.session.add_all([assignment, campaign])
    device, device_token = factories.make_gate_device(edition, gate="A")
    job_a, job_b = _done_job(cand_a, "job-a"), _done_job(cand_b, "job-b")
    leads, tags, lead_invitations = {}, {}, {}
    for key, candidate, own in (("x", cand_a, x), ("y", cand_b, y)):
        leads[key] = factories.make_lead(own["company"], candidate, edition, note=f"Note of {key.upper()}")
        tags[key] = factories.make_tag(own["company"], f"Tag {key.upper()}")
        lead_invitations[key] = InterviewInvitation(
            edition_id=edition.id, participation_id=own["participation"].id, candidate_id=candidate.id,
            kind="apply", source="lead", created_by_id=own["admin"].id)
        db.session.add(lead_invitations[key])
    feed = ics.create_or_renew_feed(cand_a)
    badges = {user.id: ensure_badge(user, edition, actor=None)
              for user in (cand_a, cand_b, x["admin"], x["recruiter"], door, organiser)}
    db.session.flush()

    ids: dict[str, Any] = {
        "year": edition.year, "edition": edition.id,
        "candidate_a": cand_a.id, "candidate_b": cand_b.id,
        "booking_a": booking_a.id, "booking_b": booking_b.id,
        "application_a": applications["a"].id, "application_b": applications["b"].id,
        "waitlist_a": entries["a"].id, "waitlist_b": entries["b"].id,
        "badge_a": badges[cand_a.id].id, "badge_b": badges[cand_b.id].id,
        "job_a": job_a.id, "job_b": job_b.id,
        "free_slot_x": x["slots"][2].id,
        "company_x": x["company"].id, "company_pending": pending.id,
        "participation_pending": pending_participation.id,
        "run": run.id, "assignment": assignment.id, "campaign": campaign.id, "device": device.id,
        "feed_token_a": ics.feed_token(feed),
        "lead_x": leads["x"].id, "lead_y": leads["y"].id, "tag_x": tags["x"].id, "tag_y": tags["y"].id,
        "lead_invitation_a": lead_invitations["x"].id, "lead_invitation_b": lead_invitations["y"].id,
        "export_key": "candidates", "window": "registration", "window_action": "open",
        "bad_token": "not-a-valid-token", "static_file": "css/app.css", "missing": 999_999,
    }
    for key, parts in companies.items():
        ids.update({f"participation_{key}": parts["participation"].id, f"offer_{key}": parts["offer"].id,
                    f"table_{key}": parts["table"].id, f"member_{key}": parts["member"].id,
                    f"invitation_{key}": parts["invitation"].id, f"invitation_token_{key}": parts["token"]})
    users = {CANDIDATE: cand_a.id, RECRUITER: x["recruiter"].id, COMPANY_ADMIN: x["admin"].id,
             STAFF: door.id, ADMIN: organiser.id}
    ids["device_token"] = device_token
    db.session.commit()
    return ids, users


# --- the world's lifetime: a module-scoped app, snapshot and restore ------------------------------------

@dataclass
class World:
    app: Flask
    ids: dict[str, Any]
    users: dict[str, int]
    restore: Callable[[], None]
    backend: str
    restores: int = field(default=0)

    def url(self, access: Access, args: dict[str, str] | None = None) -> str:
        values = {name: self.ids[ref] for name, ref in (access.args if args is None else args).items()}
        values.update(access.query)
        return self.app.url_map.bind("jobday.test").build(access.endpoint, values, method=access.method)


def _sqlite_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]


def open_world(tmp_path: Path, smtp, sqlite_template: Path | None, postgres_schema: str | None = None):
    """A generator for a module-scoped fixture: yields the World, then tears it down."""
    from tests.conftest import POSTGRES_URL, _config, _truncate_all

    if postgres_schema:
        app = create_app(_config(tmp_path, POSTGRES_URL, smtp, schema=postgres_schema))
    else:
        database = tmp_path / "jobday.sqlite"
        shutil.copy(sqlite_template, database)
        app = create_app(_config(tmp_path, f"sqlite:///{database}", smtp))
    app.test_client_class = _client_class()
    write = set_write_intent(True)
    with app.app_context():
        if postgres_schema:
            _truncate_all()
        ids, users = build_world(app)
        snapshot = tmp_path / "snapshot"
        world = World(app=app, ids=ids, users=users, restore=lambda: None,
                      backend="postgresql" if postgres_schema else "sqlite")

        def close_connections() -> None:
            db.session.remove()
            db.engine.dispose()

        if postgres_schema:
            def restore() -> None:
                close_connections()
                _truncate_all()
                token = set_write_intent(True)
                try:
                    world.ids, world.users = build_world(app)
                finally:
                    reset_write_intent(token)
                world.restores += 1
        else:
            close_connections()  # the last connection checkpoints the WAL into the file
            snapshot.mkdir()
            shutil.copy(database, snapshot / "jobday.sqlite")

            def restore() -> None:
                close_connections()
                for extra in _sqlite_files(database):
                    extra.unlink(missing_ok=True)
                shutil.copy(snapshot / "jobday.sqlite", database)
                world.restores += 1

        world.restore = restore
        # Requests choose their own transactions; the test's reads must not take SQLite's write lock.
        read = set_write_intent(False)
        try:
            yield world
        finally:
            reset_write_intent(read)
            close_connections()
    reset_write_intent(write)


def module_world(request, tmp_path_factory, smtp_server, name: str):
    """The body of a module-scoped ``world`` fixture: SQLite, or PostgreSQL when
    ``JOBDAY_MATRIX_BACKEND=postgresql`` (and ``JOBDAY_TEST_POSTGRES_URL``) are set."""
    if os.environ.get("JOBDAY_MATRIX_BACKEND") == "postgresql":
        schema, template = request.getfixturevalue("postgres_schema"), None
    else:
        schema, template = None, request.getfixturevalue("sqlite_template")
    yield from open_world(tmp_path_factory.mktemp(name), smtp_server[0], template, schema)


def _client_class():
    from tests.conftest import JobdayClient

    return JobdayClient


# --- requests ----------------------------------------------------------------------------------------

def client_for(world: World, role: str) -> FlaskClient:
    """A fresh client, logged in as the role's user (anonymous and device: no session)."""
    from jobday.accounts import session_policy
    from jobday.accounts.models import User

    client = world.app.test_client()
    if role not in (ANONYMOUS, DEVICE):
        user = db.session.get(User, world.users[role])
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
            session.update(session_policy.login_stamps(remembered=False))  # a password login, just now
        db.session.commit()
    return client


def csrf_token(client: FlaskClient) -> str:
    page = client.get("/").get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "no CSRF token on the home page"
    return match.group(1)


def send(world: World, client: FlaskClient, role: str, access: Access, *, with_csrf: bool = True,
         args: dict[str, str] | None = None):
    """The route's request as the role sends it: form data (or JSON for the API) with the CSRF
    token in the form and in the X-CSRFToken header, or without any token."""
    limiter.reset()  # each request is a visitor of its own: no abuse counter carries over
    headers = dict(EN)
    if role == DEVICE:
        headers["Authorization"] = f"Bearer {world.ids['device_token']}"
    kwargs: dict[str, Any] = {}
    if access.method != "GET":
        data = dict(access.data)
        if with_csrf:  # taken from a page, as a browser does (a visitor gets a session for it)
            token = csrf_token(client)
            headers["X-CSRFToken"] = token
            data.setdefault("csrf_token", token)
        if access.api:
            data.pop("csrf_token", None)
            kwargs["json"] = data
        else:
            kwargs["data"] = data
    return client.open(world.url(access, args), method=access.method, headers=headers, **kwargs)


def is_csrf_refusal(response) -> bool:
    if response.status_code != 400:
        return False
    if response.is_json:
        return (response.get_json(silent=True) or {}).get("error") == "csrf_failed"
    return CSRF_REFUSAL_TEXT in response.get_data(as_text=True)


def row_counts() -> dict[str, int]:
    """Rows per table (one statement), read in a transaction of the test's own session."""
    tables = db.metadata.sorted_tables
    row = db.session.execute(select(*[select(func.count()).select_from(table).scalar_subquery()
                                      for table in tables])).one()
    db.session.commit()
    return dict(zip([table.name for table in tables], row, strict=True))
