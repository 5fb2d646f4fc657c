"""On SQLite, a request that may write opens its transactions with BEGIN IMMEDIATE (the write
lock, SQLite's SELECT ... FOR UPDATE); a read-only request never takes it, even when a hook
loads the logged-in user before the view runs."""

from __future__ import annotations

from sqlalchemy import event

from jobday.db import reset_write_intent, set_write_intent


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
