"""SQLite's write lock in the candidate's sign-up journey: taken only to write, and never
held while something slow runs (a password's hash), since during the opening rush every
other writer, the job worker sending the confirmation links included, waits for it in turn."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from jobday.accounts.models import User
from tests.factories import make_candidate, make_edition
from tests.sql_transactions import locking, recorded_transactions

EN = {"Accept-Language": "en"}
STRONG = "violet tractor under moonlight"


@pytest.mark.parametrize("link", ["edition", "account"])
def test_a_confirmation_link_writes_in_a_write_transaction(app, client, db, link):
    """A GET that writes opens SQLite's write transaction for its write (BEGIN IMMEDIATE): a read
    transaction upgraded later fails at once ("database is locked") whenever anyone else wrote
    in between, as during a sign-up rush."""

    from jobday.accounts import tokens

    make_edition(year=2026)
    user = make_candidate(confirmed=False)
    db.session.commit()
    token = tokens.make_token(user, tokens.CONFIRM)
    statements: list[str] = []

    def listen(_conn, _cursor, statement, *_rest):
        statements.append(statement.split(None, 2)[0].upper() + (" IMMEDIATE" if "IMMEDIATE" in statement else ""))

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        path = f"/editions/2026/confirm/{token}" if link == "edition" else f"/account/confirm/{token}"
        assert client.get(path).status_code == 302
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    update = statements.index("UPDATE")
    begins = [n for n, statement in enumerate(statements[:update]) if statement.startswith("BEGIN")]
    assert statements[begins[-1]] == "BEGIN IMMEDIATE", statements
    db.session.expire_all()
    assert db.session.get(type(user), user.id).email_confirmed_at is not None


def test_a_registration_takes_sqlite_s_write_lock_only_to_write(client, db, login_as, mailbox):
    """Under the opening rush every turn of SQLite's write lock is waited for: after the
    registration's commit, the answer does not read it again in a locking transaction."""
    make_edition(year=2026)
    candidate = make_candidate(email="rush@example.org")
    db.session.commit()
    login_as(candidate)
    token = client.csrf_token()
    db.session.commit()  # the request's statements begin their own transactions, as in production
    with recorded_transactions(db.engine) as transactions:
        response = client.post("/editions/2026/register", data={"csrf_token": token}, headers=EN)
    assert response.status_code == 302 and response.location.endswith("/candidate")
    locked = locking(transactions)
    assert any(sql.startswith("INSERT INTO registrations") for statements in locked for sql in statements)
    assert all(any(not sql.startswith("SELECT") for sql in statements[1:]) for statements in locked), locked


def test_a_sign_up_hashes_the_password_before_it_takes_sqlite_s_write_lock(client, db, mailbox, monkeypatch):
    """The hash takes a tenth of a second: held under the write lock, it made every other
    sign-up (and the job worker sending their links) wait for it, in turn, during a rush."""
    from jobday.accounts import services as account_services

    make_edition(year=2026)
    db.session.commit()
    token = client.csrf_token()
    db.session.commit()
    events: list[str] = []
    hash_password = account_services.hash_password

    def hashing(password: str) -> str:
        events.append("hash")
        return hash_password(password)

    monkeypatch.setattr(account_services, "hash_password", hashing)

    def statement(_conn, _cursor, sql, *_args):
        if sql == "BEGIN IMMEDIATE":
            events.append("write lock")

    event.listen(db.engine, "before_cursor_execute", statement)
    try:
        response = client.post("/editions/2026/signup", data={
            "csrf_token": token, "first_name": "Éloïse", "last_name": "Dubois", "email": "eloise@example.org",
            "password": STRONG, "password_confirm": STRONG}, headers=EN)
    finally:
        event.remove(db.engine, "before_cursor_execute", statement)
    assert response.status_code == 200
    assert events[:2] == ["hash", "write lock"], events
    assert db.session.scalar(select(func.count()).select_from(User).where(User.email == "eloise@example.org")) == 1
