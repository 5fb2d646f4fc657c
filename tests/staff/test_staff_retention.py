"""Purge: nothing before its time, then files gone, fields blanked, audit kept, second run a no-op;
backup then restore gives the same rows and files."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from jobday import storage
from jobday.accounts.models import User
from jobday.candidates import cv
from jobday.candidates.models import CandidateProfile
from jobday.db import utcnow
from jobday.staff.models import AuditEntry
from jobday.staff.retention import apply_purge, plan_purge
from tests import factories


def _candidate_with_cv(db, edition):
    user = factories.make_candidate(email="cv@example.org", last_name="Keeper")
    factories.make_registration(user, edition)
    profile = db.session.get(CandidateProfile, user.id)
    cv.store_cv(profile, factories.make_pdf(), "cv.pdf")
    db.session.commit()
    return user, profile.cv_stored_name


def test_purge_waits_then_erases_cv_then_data_and_runs_once(app, db, runner, tmp_path):
    edition = factories.make_edition(year=2030, starts_on=date(2030, 3, 10))
    user, key = _candidate_with_cv(db, edition)
    assert storage.exists(key)

    with freeze_time("2030-09-09"):  # six months after the fair, one day short
        assert plan_purge().empty
    with freeze_time("2030-09-10"):
        plan = plan_purge()
        assert plan.cv_user_ids == [user.id] and plan.erase_user_ids == []
        result = runner.invoke(args=["purge", "--export", str(tmp_path / "out.zip")])
        assert result.exit_code == 0, result.output
        assert (tmp_path / "out.zip").is_file()
    db.session.expire_all()
    assert not storage.exists(key)
    assert db.session.get(CandidateProfile, user.id).cv_stored_name is None
    assert db.session.get(User, user.id).email == "cv@example.org"  # the rest stays for now

    with freeze_time("2032-03-09"):
        assert plan_purge().empty
    with freeze_time("2032-03-10"):  # 24 months
        assert runner.invoke(args=["purge"]).exit_code == 0
        db.session.expire_all()
        erased = db.session.get(User, user.id)
        assert erased.email.startswith("deleted-") and erased.first_name == "" and erased.is_disabled
        audit_count = db.session.scalar(select(func.count()).select_from(AuditEntry))
        assert audit_count >= 3
        assert "cv@example.org" not in str([e.detail for e in db.session.scalars(select(AuditEntry))])
        again = runner.invoke(args=["purge"])
        assert "0 CV, 0 candidat·e" in again.output
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == audit_count


def test_dry_run_changes_nothing(app, db, runner, tmp_path):
    edition = factories.make_edition(year=2031, starts_on=date(2031, 3, 10))
    user, key = _candidate_with_cv(db, edition)
    with freeze_time("2033-06-01"):
        result = runner.invoke(args=["purge", "--dry-run", "--export", str(tmp_path / "x.zip")])
    assert result.exit_code == 0 and (tmp_path / "x.zip").is_file()
    db.session.expire_all()
    assert storage.exists(key) and db.session.get(User, user.id).email == "cv@example.org"


def test_apply_purge_of_an_empty_plan_writes_nothing(app, db):
    apply_purge(plan_purge(), actor=None)
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_backup_then_restore_into_an_empty_database(app, db, runner, tmp_path):
    from jobday import create_app
    from jobday.badges.models import Badge
    from jobday.extensions import db as _db
    from tests.conftest import SECRET

    edition = factories.make_edition(year=2032, starts_on=date.today() + timedelta(days=30))
    user, key = _candidate_with_cv(db, edition)
    badge = factories.make_badge(user, edition)
    code = badge.code
    storage.put(b"an earlier backup", kind="job", content_type="application/gzip",
                expires_at=utcnow() + timedelta(days=7))
    db.session.commit()
    counts = {t: db.session.scalar(select(func.count()).select_from(_db.metadata.tables[t]))
              for t in ("users", "registrations", "badges", "candidate_profiles", "stored_files")}
    archive = tmp_path / "backup.tar.gz"
    assert runner.invoke(args=["backup", str(archive)]).exit_code == 0

    # A second installation: an empty database.
    other = tmp_path / "other"
    other.mkdir()
    fresh = create_app({"TESTING": True, "SECRET_KEY": SECRET, "DATABASE_URL": f"sqlite:///{other / 'db.sqlite'}",
                        "INSTANCE_PATH": str(other),
                        "RATELIMIT_STORAGE_URI": "memory://"})
    with fresh.app_context():
        result = fresh.test_cli_runner().invoke(args=["restore", str(archive)])
        assert result.exit_code == 0, result.output
        for table, count in counts.items():
            assert _db.session.scalar(select(func.count()).select_from(_db.metadata.tables[table])) == count
        restored = _db.session.scalar(select(Badge).where(Badge.code == code))
        assert restored.status == "active" and restored.user_id == user.id
        assert storage.read(key).data == factories.make_pdf()  # the CV came back with the database
        assert _db.session.scalar(select(func.count()).select_from(storage.ExpiringFile)) == 0  # results left out
        # A restore never overwrites data.
        again = fresh.test_cli_runner().invoke(args=["restore", str(archive)])
        assert again.exit_code != 0 and "pas vide" in again.output
        _db.session.remove()
        _db.engine.dispose()


@pytest.mark.postgres
def test_backup_then_restore_into_a_migrated_empty_postgresql_database(app, tmp_path):
    """As in production (the public schema of a database of its own): pg_dump's file restored
    where the migrations ran (tables, the change stamps' trigger functions) but nothing was
    written; the rows come back, and the change stamps' triggers work."""
    import uuid
    from types import SimpleNamespace

    from flask_migrate import upgrade
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from jobday import change_stamps, create_app
    from jobday.extensions import db as _db
    from tests.conftest import POSTGRES_URL, _config, _pg_uri

    smtp = SimpleNamespace(hostname=app.config["MAIL_SERVER"], port=app.config["MAIL_PORT"])
    names = [f"jobday_restore_{uuid.uuid4().hex[:10]}_{side}" for side in ("from", "to")]
    admin = create_engine(_pg_uri(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for name in names:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        source, target = (make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
                          for name in names)
        first = create_app(_config(tmp_path / "from", source, smtp))
        archive = tmp_path / "backup.tar.gz"
        with first.app_context():
            upgrade()
            edition = factories.make_edition(year=2032, starts_on=date.today() + timedelta(days=30))
            user, key = _candidate_with_cv(_db, edition)
            user_id = user.id
            assert first.test_cli_runner().invoke(args=["backup", str(archive)]).exit_code == 0
            _db.session.remove()
            _db.engine.dispose()
        second = create_app(_config(tmp_path / "to", target, smtp))
        with second.app_context():
            upgrade()
            result = second.test_cli_runner().invoke(args=["restore", str(archive)])
            assert result.exit_code == 0, (result.output, getattr(result.exception, "stderr", None))
            assert _db.session.get(User, user_id).email == "cv@example.org"
            assert storage.read(key).data == factories.make_pdf()
            before = change_stamps.current(change_stamps.CANDIDATES)
            _db.session.rollback()
            _db.session.execute(text("UPDATE users SET first_name = 'Zoë' WHERE id = :id"), {"id": user_id})
            _db.session.commit()
            assert before is not None and change_stamps.current(change_stamps.CANDIDATES) not in (None, before)
            _db.session.remove()
            _db.engine.dispose()
    finally:
        with admin.connect() as connection:
            for name in names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
