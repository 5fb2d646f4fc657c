"""create-admin and seed-demo."""

from __future__ import annotations

from sqlalchemy import func, select

from jobday.accounts.models import User
from jobday.accounts.passwords import verify_password
from jobday.security import Role


def test_create_admin_makes_an_organiser_who_can_log_in(runner, db, client):
    result = runner.invoke(args=["create-admin", "Boss@Example.org", "--password",
                                 "violet tractor under moonlight"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "boss@example.org"))
    assert user.has_role(Role.ADMIN) and user.has_role(Role.STAFF) and user.email_confirmed
    assert verify_password(user.password_hash, "violet tractor under moonlight")


def test_create_admin_refuses_a_weak_password(runner, db):
    result = runner.invoke(args=["create-admin", "boss@example.org", "--password", "password"])
    assert result.exit_code != 0
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_seed_demo_is_deterministic_and_idempotent(runner, db):
    result = runner.invoke(args=["seed-demo", "--candidates", "50", "--companies", "5", "--year", "2031"])
    assert result.exit_code == 0, result.output
    assert "admin@jobday.example" in result.output and "demo-jobdays-wallonia" in result.output
    summary = next(line for line in result.output.splitlines() if line.startswith("Édition de démonstration"))
    for french in ("CV de démonstration", "candidatures à décider", "badges", "contacts pris"):
        assert french in summary, summary
    for english in ("applications", "leads", "demo CV", "interviews of"):
        assert english not in summary, summary
    emails = sorted(db.session.scalars(select(User.email)))
    candidates = [u for u in db.session.scalars(select(User)) if u.has_role(Role.CANDIDATE)]
    assert len(candidates) == 50
    assert any(not u.first_name.isascii() or not u.last_name.isascii() for u in candidates)

    skipped = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "la démo n’est pas créée" in skipped.output
    assert sorted(db.session.scalars(select(User.email))) == emails


def test_seed_demo_gives_the_same_people_every_time(app, runner, db):
    runner.invoke(args=["seed-demo", "--candidates", "30", "--companies", "3", "--year", "2031"])
    first = sorted((u.email, u.first_name, u.last_name) for u in db.session.scalars(select(User)))
    from tests.conftest import _truncate_all  # noqa: F401

    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    runner.invoke(args=["seed-demo", "--candidates", "30", "--companies", "3", "--year", "2031"])
    second = sorted((u.email, u.first_name, u.last_name) for u in db.session.scalars(select(User)))
    assert first == second
