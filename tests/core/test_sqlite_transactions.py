"""On SQLite, a request that may write opens its transactions with BEGIN IMMEDIATE (the write
lock, SQLite's SELECT ... FOR UPDATE); a read-only request never takes it, even when a hook
loads the logged-in user before the view runs."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from jobday.db import reset_write_intent, set_write_intent
from tests.sql_transactions import locking, recorded_transactions


def _begins(engine, run) -> list[str]:
    """The BEGINs ``run`` sends, with the write intent at its default in a server's worker
    thread (the test fixture lowers it for the test's own reads)."""
    found: list[str] = []

    def statement(_conn, _cursor, sql, *_args):
        if sql.startswith("BEGIN"):
            found.append(sql)

    event.listen(engine, "before_cursor_execute", statement)
    try:
        token = set_write_intent(True)
        try:
            run()
        finally:
            reset_write_intent(token)
    finally:
        event.remove(engine, "before_cursor_execute", statement)
    return found


def test_a_logged_in_get_never_takes_the_write_lock(app, client, db, login_as):
    login_as("candidate")
    begins = _begins(db.engine, lambda: client.get("/account/settings"))
    assert begins and set(begins) == {"BEGIN"}


def test_a_post_takes_the_write_lock_from_its_first_query(app, client, db, login_as):
    login_as("candidate")
    token = client.csrf_token()
    begins = _begins(db.engine, lambda: client.post("/language", data={"lang": "en", "csrf_token": token}))
    assert begins and begins[0] == "BEGIN IMMEDIATE"


def test_a_login_checks_the_password_without_the_write_lock(app, client, db, monkeypatch):
    """The hash takes ~0.1 s (more under load): held under the write lock, every sign-up,
    booking and save queued behind logins, past the busy timeout (503s in the rush)."""
    import sqlite3

    from jobday.accounts import services
    from jobday.accounts.models import User
    from tests import factories

    user = factories.make_user(email="rush@example.org")
    db.session.commit()
    check = services.verify_password
    others_wrote = []

    def verify_while_another_writes(stored, password):
        other = sqlite3.connect(db.engine.url.database, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # 'database is locked' at once if the login holds the lock
            other.execute("ROLLBACK")
            others_wrote.append(True)
        finally:
            other.close()
        return check(stored, password)

    monkeypatch.setattr(services, "verify_password", verify_while_another_writes)
    token = client.csrf_token()
    response = client.post("/account/login", data={"email": "rush@example.org", "password": factories.DEFAULT_PASSWORD,
                                                   "csrf_token": token})

    assert response.status_code == 302 and others_wrote == [True]
    db.session.expire_all()
    assert db.session.get(User, user.id).last_login_at is not None  # the login is still recorded


def test_a_refused_login_records_nothing(app, client, db):
    from jobday.accounts.models import User
    from tests import factories

    user = factories.make_user(email="rush@example.org")
    db.session.commit()
    token = client.csrf_token()
    response = client.post("/account/login", data={"email": "rush@example.org", "password": "not the password",
                                                   "csrf_token": token})

    assert response.status_code == 401
    db.session.expire_all()
    assert db.session.get(User, user.id).last_login_at is None


def test_a_read_begun_at_the_driver_holds_a_transaction_without_the_lock(app, db):
    """Without statement listeners a read's BEGIN goes straight to the driver: it must still
    open a transaction (one snapshot for the request), and leave the write lock free."""
    import sqlite3

    db.session.remove()
    token = set_write_intent(False)
    try:
        assert not db.engine.dispatch.before_cursor_execute
        driver = db.session.connection().connection.driver_connection
        assert driver.in_transaction
        other = sqlite3.connect(db.engine.url.database, timeout=0.1)
        try:
            other.execute("BEGIN IMMEDIATE")  # would fail with "database is locked" under a write lock
            other.rollback()
        finally:
            other.close()
    finally:
        reset_write_intent(token)
        db.session.remove()


def test_a_write_begun_without_listeners_takes_the_lock(app, db):
    import sqlite3

    db.session.remove()
    token = set_write_intent(True)
    try:
        db.session.connection()
        other = sqlite3.connect(db.engine.url.database, timeout=0.05)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()
    finally:
        reset_write_intent(token)
        db.session.remove()


# --- writers take turns on a lock file: the next one is let in when a transaction ends ------

def _writer(engine):
    """A connection of the app's engine (the driver's, as the pool makes them), in a write transaction."""
    token = set_write_intent(True)
    try:
        connection = engine.connect()
        connection.begin()
    finally:
        reset_write_intent(token)
    return connection


def test_a_waiting_writer_gets_in_as_soon_as_the_transaction_before_it_ends(app, db):
    """SQLite's own wait sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50... ms between its tries: a
    writer that began waiting 60 ms before the lock came free got it 18 ms late. Taking turns,
    it gets in within a few milliseconds (the median of three tries, after one that opens the
    connections)."""
    import threading
    import time

    lateness = []
    for _ in range(4):
        holder = _writer(db.engine)
        got_in = []

        def wait_for_the_lock(got_in=got_in, engine=db.engine):
            started = _writer(engine)
            got_in.append(time.monotonic())
            started.rollback()
            started.close()

        waiter = threading.Thread(target=wait_for_the_lock)
        waiter.start()
        time.sleep(0.06)
        freed = time.monotonic()
        holder.commit()
        holder.close()
        waiter.join(timeout=15)
        lateness.append(got_in[0] - freed)
    assert sorted(lateness[1:])[1] < 0.008, lateness


def test_the_turn_ends_with_the_transaction_committed_or_rolled_back(app, db):
    import fcntl
    import os

    turns = db.engine.url.database + ".writers"
    for end in ("commit", "rollback"):
        connection = _writer(db.engine)
        probe = os.open(turns, os.O_RDWR)
        try:
            try:
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
                taken = False
            except BlockingIOError:
                taken = True
            assert taken  # held during the transaction
            getattr(connection, end)()
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free at once after it
            fcntl.flock(probe, fcntl.LOCK_UN)
        finally:
            os.close(probe)
            connection.close()


def test_a_turn_held_too_long_is_passed_over_and_sqlite_s_lock_decides(app, db, monkeypatch):
    import fcntl
    import os

    from jobday import db as db_module

    monkeypatch.setattr(db_module, "WRITE_TURN_WAIT", 0.05)
    holder = os.open(db.engine.url.database + ".writers", os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)  # a stuck turn, no SQLite lock behind it
    try:
        connection = _writer(db.engine)
        connection.exec_driver_sql("CREATE TABLE turn_probe (id INTEGER)")
        connection.commit()
        connection.close()
    finally:
        os.close(holder)


def test_a_login_takes_the_write_lock_only_to_record_it(app, client, db):
    """After the login's record, what the answer reads (the user again) is read without the lock."""
    from tests import factories

    factories.make_user(email="rush@example.org")
    db.session.commit()
    token = client.csrf_token()
    db.session.commit()  # the request's statements begin their own transactions, as in production
    with recorded_transactions(db.engine) as transactions:
        response = client.post("/account/login", data={"email": "rush@example.org",
                                                       "password": factories.DEFAULT_PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    locked = locking(transactions)
    assert len(locked) == 1 and any(sql.startswith("UPDATE users") for sql in locked[0]), transactions
