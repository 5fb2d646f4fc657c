"""Configuration layers and the refusal to run in production with an insecure key."""

from __future__ import annotations

import pytest

from jobday import create_app
from jobday.config import DEV_SECRET_KEY, database_uri


def _base(tmp_path, **extra):
    return {"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite", **extra}


@pytest.mark.parametrize("key", [None, "", DEV_SECRET_KEY, "short"])
def test_production_refuses_an_insecure_secret_key(tmp_path, key):
    config = _base(tmp_path)
    if key is not None:
        config["SECRET_KEY"] = key
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config)


def test_production_starts_with_a_real_key_and_secure_cookies(tmp_path):
    app = create_app(_base(tmp_path, SECRET_KEY="k" * 40))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_instance_file_then_environment_override_defaults(tmp_path, monkeypatch):
    """Without test_config the real layers apply: defaults < instance/config.py < JOBDAY_*."""
    (tmp_path / "config.py").write_text(
        'SECRET_KEY = "' + "i" * 40 + '"\nMAIL_SERVER = "smtp.instance"\nMAIL_PORT = 2525\n'
    )
    monkeypatch.setenv("JOBDAY_MAIL_SERVER", "smtp.env")
    monkeypatch.setenv("JOBDAY_DATABASE_URL", f"sqlite:///{tmp_path}/env.sqlite")
    import jobday

    monkeypatch.setattr(jobday, "PROJECT_ROOT", tmp_path.parent)
    app = jobday.Flask("jobday", instance_path=str(tmp_path), instance_relative_config=True)
    from jobday import config

    config.load(app, None)
    assert app.config["SECRET_KEY"] == "i" * 40
    assert app.config["MAIL_PORT"] == 2525  # from the instance file
    assert app.config["MAIL_SERVER"] == "smtp.env"  # the environment wins
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/env.sqlite"
    assert app.config["BABEL_DEFAULT_LOCALE"] == "fr"  # a default nobody overrode


def test_database_urls():
    from pathlib import Path

    assert database_uri("", Path("/x")) == "sqlite:////x/jobday.sqlite"
    assert database_uri("postgresql:///test", Path("/x")) == "postgresql+psycopg:///test"
    assert database_uri("postgres://u@h/db", Path("/x")) == "postgresql+psycopg://u@h/db"


def test_redis_url_moves_rate_limits_to_redis(tmp_path):
    app = create_app(_base(tmp_path, TESTING=True, SECRET_KEY="k" * 40, REDIS_URL="redis://127.0.0.1:6379/3"))
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"
    memory = create_app(_base(tmp_path, TESTING=True, SECRET_KEY="k" * 40))
    assert memory.config["RATELIMIT_STORAGE_URI"] == "jobday-memory://"


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(app, db):
    from sqlalchemy import text

    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
