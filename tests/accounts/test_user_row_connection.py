"""Where the logged-in user is read (``accounts.user_row``): on PostgreSQL on the request's own
connection, in the transaction the page goes on with (a connection of its own cost three more
round trips a request); on SQLite on a connection of its own, so that a page that writes does
not hold the write lock while the user is read."""

from __future__ import annotations

from sqlalchemy import event

from jobday.extensions import db as _db


def _checkouts_during(client, path: str) -> int:
    taken = []

    def count(*_args) -> None:
        taken.append(1)

    event.listen(_db.engine.pool, "checkout", count)
    try:
        response = client.get(path)
    finally:
        event.remove(_db.engine.pool, "checkout", count)
    assert response.status_code == 200
    return len(taken)


def test_the_user_is_read_on_the_pages_connection_on_postgresql_and_apart_on_sqlite(backend, app, db, client, login_as):
    login_as("candidate")
    client.get("/interviews")  # warm: the pool holds its connections
    expected = 1 if backend == "postgresql" else 2
    assert _checkouts_during(client, "/interviews") == expected  # the page asks for the current edition


def test_the_user_read_in_the_pages_transaction_is_the_one_the_page_sees(backend, app, db, client, login_as):
    """The user placed in the session by the read is the page's: a change of name is shown."""
    user = login_as("candidate", first_name="Zoé")
    assert "Zoé" in client.get("/account/settings").get_data(as_text=True)
    user.first_name = "Anaïs"
    db.session.commit()
    assert "Anaïs" in client.get("/account/settings").get_data(as_text=True)
