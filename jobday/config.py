"""Configuration defaults and the layering that overrides them.

Order (later wins): these defaults, ``instance/config.py``, ``JOBDAY_*`` environment
variables, then the ``test_config`` mapping given to ``create_app``.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

DEV_SECRET_KEY = "dev-insecure-change-me"


class Defaults:
    SECRET_KEY = DEV_SECRET_KEY
    # Empty means "SQLite in the instance folder"; see finalise().
    DATABASE_URL = ""
    REDIS_URL = ""
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}

    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Brussels"
    LANGUAGES = {"fr": "Français", "en": "English"}

    # Uploads (CVs, logos) and job results are kept in the database (jobday/storage.py).
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    CV_MAX_BYTES = 5 * 1024 * 1024
    # Days a job's file (bulk print, export, backup) can be downloaded; then the nightly purge removes it.
    JOB_RESULT_DAYS = 7

    # Mail: without MAIL_SERVER, messages are written to instance/outbox/.
    MAIL_SERVER = ""
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_DEFAULT_SENDER = "Jobday <noreply@jobday.local>"
    MAIL_TIMEOUT = 10

    # Accounts
    PASSWORD_MIN_LENGTH = 12
    PASSWORD_RESET_MAX_AGE = 3600
    EMAIL_CONFIRM_MAX_AGE = 7 * 24 * 3600
    REMEMBER_COOKIE_DURATION = timedelta(days=30)

    # Cookies: None means Secure unless in debug or testing (finalise()).
    SESSION_COOKIE_SECURE = None
    REMEMBER_COOKIE_SECURE = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"

    # Abuse limits ("N per M minutes/hours", counted in Redis when REDIS_URL is set).
    # Failed logins and wrong passwords on the confirm-password page, per address and per account:
    LOGIN_FAILURE_LIMIT = "5 per 15 minutes"
    # Sign-up forms sent from one address (candidate, edition and company sign-up together):
    SIGNUP_LIMIT = "20 per hour"
    # Confirmation links sent again from the "check your mailbox" page, per address waiting for one:
    CONFIRMATION_RESEND_LIMIT = "3 per hour"
    # Password-reset requests from one address (answered 429 beyond it):
    PASSWORD_RESET_ADDRESS_LIMIT = "10 per hour"
    # Reset e-mails to one account; requests beyond it get the usual answer and send nothing:
    PASSWORD_RESET_ACCOUNT_LIMIT = "1 per hour"
    # Downloads per user: back-office exports, company exports, a candidate's own data:
    EXPORT_LIMIT = "10 per hour"
    # Unknown badge codes scanned per door device (or staff session):
    CHECKIN_UNKNOWN_LIMIT = "60 per minute"
    MAIL_CLAIM_TIMEOUT = 300  # seconds before an e-mail claimed by a worker that stopped is tried again
    MAIL_JOURNAL_FOLDER = None  # default instance/mail-accepted: the messages the server accepted (mail/journal.py)
    JOB_HEARTBEAT_SECONDS = 10  # a running job's lease is renewed this often...
    JOB_LEASE_SECONDS = 45  # ...and lost after this long without a renewal (see jobs/lease.py)

    # Sessions (timedelta, or seconds from the environment).
    # Organisers and door staff: ended after this long without activity, and this long after login.
    STAFF_SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
    STAFF_SESSION_MAX_AGE = timedelta(hours=12)
    # Candidates and recruiters who did not tick "remember me": ended this long after login.
    SESSION_MAX_AGE = timedelta(hours=12)
    # Password, e-mail and role changes, exports and account deletion need a password entered this recently.
    REAUTH_MAX_AGE = timedelta(hours=1)

    # The base URL used in e-mails sent outside a request (CLI, jobs).
    SERVER_URL = "http://127.0.0.1:5000"

    # Operations
    # Logs: "json" (one object per line), "text", or "" for JSON unless in debug.
    LOG_FORMAT = ""
    LOG_LEVEL = "INFO"
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are trusted (1 behind nginx).
    TRUSTED_PROXIES = 0
    # Seconds a client is told to wait (Retry-After) when the database went away mid-request.
    DB_RETRY_AFTER = 5
    # /healthz answers 503 when the instance folder's disk has less free space than this.
    HEALTH_MIN_FREE_DISK_MB = 500


def load(app: Flask, test_config: dict[str, Any] | None) -> None:
    app.config.from_object(Defaults)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env(prefix="JOBDAY")
    else:
        app.config.from_mapping(test_config)
    finalise(app)


def finalise(app: Flask) -> None:
    cfg = app.config
    instance = Path(app.instance_path)
    cfg.setdefault("OUTBOX_FOLDER", str(instance / "outbox"))
    cfg["SQLALCHEMY_DATABASE_URI"] = database_uri(cfg.get("DATABASE_URL") or "", instance)
    if cfg.get("REDIS_URL"):
        cfg.setdefault("RATELIMIT_STORAGE_URI", cfg["REDIS_URL"])
    else:
        cfg.setdefault("RATELIMIT_STORAGE_URI", "jobday-memory://")  # jobday.rate_memory
    secure = not app.debug and not cfg.get("TESTING")
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if cfg.get(key) is None:
            cfg[key] = secure
    if cfg.get("COOKIE_INSECURE_OK"):  # plain-HTTP demo server (make run) only
        cfg["SESSION_COOKIE_SECURE"] = cfg["REMEMBER_COOKIE_SECURE"] = False
    refuse_insecure_secret(app)


def database_uri(url: str, instance: Path) -> str:
    """Turn the configured URL into a SQLAlchemy URI (SQLite file by default, psycopg 3)."""
    if not url:
        return f"sqlite:///{instance / 'jobday.sqlite'}"
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def refuse_insecure_secret(app: Flask) -> None:
    """A production app must not run with the development key or a short one."""
    if app.debug or app.config.get("TESTING"):
        return
    key = app.config.get("SECRET_KEY") or ""
    if key == DEV_SECRET_KEY or len(str(key)) < 24:
        raise RuntimeError(
            "SECRET_KEY is missing or insecure. Set it in instance/config.py or "
            "JOBDAY_SECRET_KEY (make run writes a random one)."
        )


def is_sqlite(app: Flask) -> bool:
    return str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite")


def ensure_instance_folders(app: Flask) -> None:
    for folder in (app.instance_path, app.config["OUTBOX_FOLDER"]):
        os.makedirs(folder, exist_ok=True)
