"""A small fair for the fuzz tests, built once per session and put back before every example.

Why an image instead of the ``db`` fixture alone: hypothesis runs many examples inside one
test, and each example must start from the same state, or a failure found on example 7 (after
six successful posts changed the data) would not replay when hypothesis shrinks it. Requests
commit on their own connections (as in production), so a savepoint around an example cannot
undo them. Instead the world is built once on a SQLite file and kept as an *image*: the
database's bytes (``sqlite3.Connection.serialize``) and the instance folder's files (uploads,
job results). ``restore`` copies the image back over the test's database with SQLite's online
backup API (after closing the pool, so no connection holds a transaction) and puts the files
back as they were; the rate limiter's memory is cleared too. Restoring takes a few
milliseconds, so every example starts from the same rows, files and limits.

On PostgreSQL (the fuzzers run there too: a NUL character was a 500 on PostgreSQL only) the
image is a schema of its own holding a copy of every table (``build_pg_image``); ``restore``
truncates the test's tables, copies the rows back and sets each id sequence after the
highest id, in one transaction.

``fingerprint`` is a checksum per table of every row (plus one of the instance files), so a
refused request can be shown to have written nothing at all, not just to have kept row counts.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from jobday.db import reset_write_intent, set_write_intent, utcnow
from jobday.extensions import db, limiter
from tests import factories

SKIPPED_FILES = ("jobday.sqlite", "jobs.sqlite")


@dataclass
class World:
    """Ids and secrets of the fair's objects (never ORM objects: they would not survive a restore)."""

    edition_id: int = 0
    year: int = 0
    users: dict[str, int] = field(default_factory=dict)  # role name -> user id
    login_ids: dict[str, str] = field(default_factory=dict)  # role name -> User.get_id()
    params: dict[str, object] = field(default_factory=dict)  # URL parameter -> value
    endpoint_params: dict[str, dict[str, object]] = field(default_factory=dict)
    device_token: str = ""
    badge_code: str = ""
    revoked_badge_code: str = ""


@dataclass
class Image:
    world: World
    database: bytes | None  # SQLite: the file's bytes
    files: dict[str, bytes]
    pg_schema: str | None = None  # PostgreSQL: the schema that holds the image's rows

    def restore(self, app) -> None:
        restore(app, self)


# --- building ------------------------------------------------------------------------

def build_world() -> World:
    """An edition with a registered candidate (CV, booking, accepted application with a proposed
    slot, a place on a waiting list, a badge), a company in open booking (admin, colleague,
    pending invitation, offer, tables and slots, an applicant), a company in apply mode, a
    pending company, staff, an organiser, a scheduler run, a failed job, a draft campaign, a
    gate device, and a lead on the candidate (with a tag and a proposed slot). Everything
    through the factories or the feature services."""
    from jobday.accounts import tokens
    from jobday.candidates import cv
    from jobday.candidates.services import get_profile
    from jobday.companies import services as company_services
    from jobday.companies.models import CompanyMember, InterviewSlot, InterviewTable
    from jobday.companies.team import invite_colleague
    from jobday.jobs.models import Job
    from jobday.leads.models import InterviewInvitation
    from jobday.scheduling import applications, booking
    from jobday.scheduling.models import Application, ScheduleAssignment, ScheduleRun, WaitlistEntry
    from jobday.staff.campaigns import create_campaign

    def slots(participation) -> list[int]:
        return list(db.session.scalars(
            select(InterviewSlot.id).join(InterviewTable)
            .where(InterviewTable.participation_id == participation.id).order_by(InterviewSlot.starts_at)))

    edition = factories.make_edition(waitlist_offer_hours=2)
    admin = factories.make_user(roles=("admin",), first_name="Anne", last_name="Organiser")
    staff = factories.make_user(roles=("staff",), first_name="Thomas", last_name="Door")
    candidate = factories.make_candidate(first_name="Zoë", last_name="Müller")
    factories.make_registration(candidate, edition)
    other = factories.make_candidate(first_name="Omar", last_name="Other")
    factories.make_registration(other, edition)
    cv.store_cv(get_profile(candidate), factories.make_pdf(), "cv.pdf")

    vaxolis = factories.make_company(name="Vaxolis")
    recruiter = factories.company_admin(vaxolis)
    colleague = factories.add_recruiter(vaxolis, first_name="Colin", last_name="League")
    open_part = factories.make_participation(vaxolis, edition, stand="A1")
    offer = factories.make_offer(vaxolis)
    company_services.set_logo(vaxolis, _png(), actor=recruiter,
                              max_bytes=1024 * 1024, max_pixels=1_000_000)
    biolab = factories.make_company(name="Biolab")
    apply_part = factories.make_participation(biolab, edition, stand="B2", booking_mode="apply")
    factories.make_offer(biolab, title="Analyste HPLC")
    pending = factories.make_participation(factories.make_company(name="Pending Bio"), edition, status="pending")
    open_slots, apply_slots = slots(open_part), slots(apply_part)

    booked = booking.book_slot(candidate, open_slots[0], actor=candidate, notify_candidate=False)
    applied = applications.apply_to_company(candidate, apply_part, actor=candidate, motivation="I like HPLC.")
    biolab_admin = factories.company_admin(biolab)
    applications.decide_application(applied, actor=biolab_admin, accept=True)
    applications.propose_slot(applied, apply_slots[-1], actor=biolab_admin)  # not at her booked time
    applicant = Application(edition_id=edition.id, participation_id=open_part.id, candidate_id=other.id,
                            motivation="Hello")
    db.session.add(applicant)
    entry = WaitlistEntry(edition_id=edition.id, participation_id=apply_part.id, candidate_id=candidate.id)
    db.session.add(entry)
    run = ScheduleRun(edition_id=edition.id, status="preview", created_by_id=admin.id, stats={})
    run.assignments.append(ScheduleAssignment(candidate_id=other.id, slot_id=open_slots[3],
                                              participation_id=open_part.id))
    db.session.add(run)
    job = Job(kind="staff.export", params={"key": "candidates", "edition_id": edition.id}, status="failed",
              error="boom", started_by_id=admin.id, finished_at=utcnow())
    db.session.add(job)
    campaign = create_campaign(edition, audience="registered", subject_fr="Bonjour", subject_en="Hello",
                               body_fr="Texte", body_en="Text", actor=admin)
    badge = factories.make_badge(candidate, edition)
    revoked = factories.make_badge(other, edition, status="revoked")
    device, device_token = factories.make_gate_device(edition)
    invitation, join_token = invite_colleague(vaxolis, "newcomer@example.org", actor=recruiter)
    lead = factories.make_lead(vaxolis, candidate, edition, note="Vue au stand")
    tag = factories.make_tag(vaxolis, "Prioritaire")
    lead.tags = [tag]
    lead_invitation = InterviewInvitation(edition_id=edition.id, participation_id=open_part.id,
                                          candidate_id=candidate.id, kind="slot", slot_id=open_slots[4],
                                          source="lead", created_by_id=recruiter.id)
    db.session.add(lead_invitation)
    db.session.flush()
    colleague_member = db.session.scalar(select(CompanyMember.id).where(CompanyMember.user_id == colleague.id))
    table_id = db.session.scalar(select(InterviewTable.id).where(InterviewTable.participation_id == open_part.id))

    users = {"admin": admin, "staff": staff, "candidate": candidate, "recruiter": recruiter}
    world = World(edition_id=edition.id, year=edition.year,
                  users={role: user.id for role, user in users.items()},
                  login_ids={role: user.get_id() for role, user in users.items()},
                  device_token=device_token, badge_code=badge.code, revoked_badge_code=revoked.code)
    world.params = {
        "year": edition.year, "edition_id": edition.id, "user_id": candidate.id, "candidate_id": candidate.id,
        "application_id": applicant.id, "booking_id": booked.id, "member_id": colleague_member,
        "offer_id": offer.id, "table_id": table_id, "invitation_id": invitation.id,
        "participation_id": apply_part.id, "slot_id": open_slots[1], "entry_id": entry.id, "job_id": job.id,
        "run_id": run.id, "assignment_id": run.assignments[0].id, "badge_id": badge.id,
        "device_id": device.id, "campaign_id": campaign.id, "window": "registration", "action": "close",
        "key": "candidates", "token": "not-a-token", "lead_id": lead.id, "tag_id": tag.id,
    }
    world.endpoint_params = {
        "accounts.reset_password": {"token": tokens.make_token(candidate, tokens.RESET)},
        "companies.join": {"token": join_token},
        "scheduling.confirm_proposal": {"application_id": applied.id},
        "companies.staff_decide": {"participation_id": pending.id},
        "companies.staff_assign_stand": {"participation_id": open_part.id},
        "leads.accept_invitation": {"invitation_id": lead_invitation.id},
        "leads.decline_invitation": {"invitation_id": lead_invitation.id},
    }
    world.params["spare_slot_id"] = open_slots[2]
    world.params["expires"] = (utcnow() + timedelta(days=1)).isoformat()
    db.session.commit()
    return world


def _png() -> bytes:
    from PIL import Image as PilImage

    out = io.BytesIO()
    PilImage.new("RGB", (40, 20), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def build_image(sqlite_template, smtp_server, tmp_path_factory, *, fair_today: bool = False) -> Image:
    """The world built on a copy of the session's migrated SQLite template (for a session fixture);
    ``fair_today`` moves the fair to today (the door's answers then include ok, exit, already inside)."""
    from jobday import create_app
    from tests.conftest import _config

    folder = tmp_path_factory.mktemp("fuzz_world")
    shutil.copy(sqlite_template, folder / "jobday.sqlite")
    app = create_app(_config(folder, f"sqlite:///{folder / 'jobday.sqlite'}", smtp_server[0]))
    return make_image(app, fair_today=fair_today)


def make_image(app, *, fair_today: bool = False) -> Image:
    """Build the world in ``app`` (a fresh database) and keep its bytes and files."""
    token = set_write_intent(False)  # as the app fixture: the builder's reads take no write lock
    try:
        with app.app_context():
            world = build_world()
            if fair_today:
                _move_fair_to_today(world)
            db.session.remove()
            db.engine.dispose()
            path = _database_path(app)
    finally:
        reset_write_intent(token)
    with sqlite3.connect(path) as source:
        # A WAL-mode image cannot be opened in memory; the app's connections set WAL again.
        source.execute("PRAGMA journal_mode=DELETE")
        database = source.serialize()
    source.close()
    return Image(world=world, database=database, files=instance_files(app))


def build_session_pg_image(postgres_schema: str, smtp_server, tmp_path_factory, *,
                           fair_today: bool = False) -> Image:
    """``build_image`` on PostgreSQL: the world built in the session's test schema, kept in a
    schema of its own (``drop_pg_image`` removes it)."""
    import uuid

    from jobday import create_app
    from tests.conftest import POSTGRES_URL, _config

    folder = tmp_path_factory.mktemp("fuzz_world_pg")
    app = create_app(_config(folder, POSTGRES_URL, smtp_server[0], schema=postgres_schema))
    token = set_write_intent(False)
    try:
        return build_pg_image(app, f"{postgres_schema}_image_{uuid.uuid4().hex[:6]}", fair_today=fair_today)
    finally:
        reset_write_intent(token)


def drop_pg_image(image: Image) -> None:
    from sqlalchemy import create_engine, text

    from tests.conftest import POSTGRES_URL, _pg_uri

    engine = create_engine(_pg_uri(POSTGRES_URL))
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{image.pg_schema}" CASCADE'))
    engine.dispose()


def image_fixtures(*, fair_today: bool = False):
    """The fixtures a fuzz module declares: ``world_image`` is the SQLite image, or the
    PostgreSQL one for a test marked ``postgres`` (the ``backend`` fixture's second value)."""
    import pytest

    @pytest.fixture(scope="session")
    def sqlite_world_image(sqlite_template, smtp_server, tmp_path_factory) -> Image:
        return build_image(sqlite_template, smtp_server, tmp_path_factory, fair_today=fair_today)

    @pytest.fixture(scope="session")
    def postgres_world_image(postgres_schema, smtp_server, tmp_path_factory):
        image = build_session_pg_image(postgres_schema, smtp_server, tmp_path_factory, fair_today=fair_today)
        yield image
        drop_pg_image(image)

    @pytest.fixture
    def world_image(request, app) -> Image:
        postgres = request.node.get_closest_marker("postgres") is not None
        return request.getfixturevalue("postgres_world_image" if postgres else "sqlite_world_image")

    return sqlite_world_image, postgres_world_image, world_image


def build_pg_image(app, image_schema: str, *, fair_today: bool = False) -> Image:
    """The world built in ``app``'s PostgreSQL schema (emptied first), its rows copied to
    ``image_schema``."""
    from sqlalchemy import text

    with app.app_context():
        tables = [t.name for t in db.metadata.sorted_tables]
        with db.engine.begin() as connection:
            connection.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        world = build_world()
        if fair_today:
            _move_fair_to_today(world)
        db.session.remove()
        with db.engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{image_schema}"'))
            for table in tables:
                connection.execute(text(f'CREATE TABLE "{image_schema}"."{table}" AS TABLE "{table}"'))
        db.engine.dispose()
    return Image(world=world, database=None, files=instance_files(app), pg_schema=image_schema)


def _restore_pg(image: Image) -> None:
    from sqlalchemy import text

    tables = db.metadata.sorted_tables
    statements = ["TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables) + " RESTART IDENTITY CASCADE"]
    for table in tables:
        statements.append(f'INSERT INTO "{table.name}" SELECT * FROM "{image.pg_schema}"."{table.name}"')
        if "id" in table.c and table.c.id.autoincrement in (True, "auto") and table.c.id.type.python_type is int:
            statements.append(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                              f'COALESCE(MAX(id), 0) + 1, false) FROM "{table.name}"')
    with db.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


def _move_fair_to_today(world: World) -> None:
    from zoneinfo import ZoneInfo

    from jobday.editions.models import Edition

    edition = db.session.get(Edition, world.edition_id)
    edition.starts_on = edition.ends_on = datetime.now(ZoneInfo(edition.timezone)).date()
    db.session.commit()


# --- restoring -----------------------------------------------------------------------

def restore(app, image: Image) -> None:
    """Put the database and the instance files back as in ``image``; clear the rate limits."""
    db.session.remove()
    db.engine.dispose()
    if image.pg_schema:
        _restore_pg(image)
    else:
        _restore_sqlite(app, image)
    _restore_files(app, image)
    limiter.reset()


def _restore_sqlite(app, image: Image) -> None:
    source = sqlite3.connect(":memory:")
    target = sqlite3.connect(_database_path(app))
    try:
        source.deserialize(image.database)
        source.backup(target)
    finally:
        source.close()
        target.close()


def _restore_files(app, image: Image) -> None:
    root = Path(app.instance_path)
    current = instance_files(app)
    for name in current.keys() - image.files.keys():
        (root / name).unlink()
    for name, content in image.files.items():
        if current.get(name) != content:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(content)


def _database_path(app) -> str:
    with app.app_context():
        path = db.engine.url.database
    assert path and path != ":memory:", "the fuzz world needs a SQLite file"
    return path


def instance_files(app) -> dict[str, bytes]:
    """Every file under the instance folder (uploads, job results), by relative path, but the
    databases."""
    root = Path(app.instance_path)
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.startswith(SKIPPED_FILES)}


# --- fingerprints ----------------------------------------------------------------------

def fingerprint(app) -> dict[str, tuple[int, str]]:
    """Per table: (row count, checksum of every row); plus the instance files under "files"."""
    result = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            rows = sorted(repr(tuple(row)) for row in connection.execute(select(table)))
            result[table.name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16])
        connection.rollback()
    files = instance_files(app)
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    result["files"] = (len(files), digest.hexdigest()[:16])
    return result


def changed_tables(before: dict, after: dict) -> dict[str, tuple]:
    return {name: (before.get(name), after.get(name)) for name in before.keys() | after.keys()
            if before.get(name) != after.get(name)}
