"""Backups while the application runs, and restore into an empty database.

One ``.tar.gz`` holds ``database.sqlite`` (SQLite's online backup API: a consistent copy
even while requests write) or ``database.sql`` (``pg_dump`` for PostgreSQL), and
``manifest.json``. CVs and logos are in the database (jobday/storage.py); the results of jobs
are left out (they expire within days, and a backup is one of them).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from flask import current_app
from flask_babel import gettext
from sqlalchemy import inspect

from jobday.db import utcnow
from jobday.extensions import db
from jobday.storage import ExpiringFile


class RestoreRefused(Exception):
    pass


def _sqlite_path() -> Path | None:
    url = db.engine.url
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None


def _pg_env_and_url() -> tuple[dict, str, str | None]:
    """pg_dump/psql take a libpq URL; the schema comes from the search_path option if set."""
    url = db.engine.url.set(drivername="postgresql")
    options = current_app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).get("connect_args", {}).get("options", "")
    schema = options.split("search_path=", 1)[1].split()[0] if "search_path=" in options else None
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    return env, url.render_as_string(hide_password=True).replace("***@", "@") if url.password else str(url), schema


def archive_name(now) -> str:
    """The download name of a backup made at ``now`` (UTC), sortable by date."""
    return f"jobday-backup-{now:%Y%m%d-%H%M}.tar.gz"


def make_backup(destination: str | Path) -> Path:
    destination = Path(destination)
    with tempfile.TemporaryDirectory() as work:
        work_path = Path(work)
        sqlite_file = _sqlite_path()
        if sqlite_file is not None:
            database_name = "database.sqlite"
            source = sqlite3.connect(str(sqlite_file))
            target = sqlite3.connect(str(work_path / database_name))
            with target:
                source.backup(target)  # the online backup API: consistent while others write
            with target:
                target.execute(f"DELETE FROM {ExpiringFile.__tablename__}")
            target.execute("VACUUM")
            source.close()
            target.close()
        else:
            database_name = "database.sql"
            env, url, schema = _pg_env_and_url()
            command = ["pg_dump", "--no-owner", "--no-privileges", "--format=plain",
                       f"--file={work_path / database_name}", url]
            results = ExpiringFile.__tablename__
            command[1:1] = [f"--exclude-table-data={schema or 'public'}.{results}"]
            if schema:
                command[1:1] = [f"--schema={schema}"]
            subprocess.run(command, check=True, env=env, capture_output=True)
        manifest = {"created_at": utcnow().isoformat(), "database": database_name,
                    "dialect": db.engine.dialect.name}
        (work_path / "manifest.json").write_text(json.dumps(manifest))
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(destination.name + ".part")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work_path / "manifest.json", arcname="manifest.json")
            archive.add(work_path / database_name, arcname=database_name)
        os.replace(partial, destination)
    return destination


def _database_is_empty() -> bool:
    from jobday.accounts.models import User
    from jobday.editions.models import Edition

    names = set(inspect(db.engine).get_table_names())
    if "users" not in names:
        return True
    with db.engine.connect() as conn:
        return not conn.execute(User.__table__.select().limit(1)).first() and \
            not conn.execute(Edition.__table__.select().limit(1)).first()


def restore_backup(source: str | Path) -> dict:
    """Restore into an empty database (refused otherwise)."""
    source = Path(source)
    if not _database_is_empty():
        raise RestoreRefused(gettext("The database is not empty: restore only into an empty database."))
    with tempfile.TemporaryDirectory() as work:
        work_path = Path(work)
        with tarfile.open(source, "r:gz") as archive:
            archive.extractall(work_path, filter="data")
        manifest = json.loads((work_path / "manifest.json").read_text())
        db.session.remove()
        if manifest["database"] == "database.sqlite":
            target = _sqlite_path()
            if target is None:
                raise RestoreRefused(gettext("A SQLite backup restores into a SQLite database only."))
            db.engine.dispose()
            backup = sqlite3.connect(str(work_path / "database.sqlite"))
            live = sqlite3.connect(str(target))
            with live:
                backup.backup(live)
            backup.close()
            live.close()
        else:
            env, url, schema = _pg_env_and_url()
            db.engine.dispose()
            if "users" in inspect(db.engine).get_table_names():
                _drop_empty_schema_tables()
            command = ["psql", "--quiet", "--set=ON_ERROR_STOP=1", f"--file={work_path / 'database.sql'}", url]
            if schema:
                env["PGOPTIONS"] = f"-csearch_path={schema}"
            subprocess.run(command, check=True, env=env, capture_output=True)
    db.engine.dispose()
    return manifest


def _drop_empty_schema_tables() -> None:
    """An empty but migrated PostgreSQL schema: drop its tables, and the functions of the change
    stamps' triggers (migration 0020), so the dump can create them."""
    db.metadata.drop_all(db.engine)
    from sqlalchemy import text

    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        conn.execute(text("DROP FUNCTION IF EXISTS jobday_topic_written(), jobday_stamp_topic()"))
