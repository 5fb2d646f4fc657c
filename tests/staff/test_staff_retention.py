"""Purge: nothing before its time, then files gone, fields blanked, audit kept, second run a no-op;
backup then restore gives the same rows and files."""

from __future__ import annotations

from datetime import date, timedelta

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
