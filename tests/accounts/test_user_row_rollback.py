"""The logged-in user after a rollback (``accounts.user_row``): a refusal rolls the request's
transaction back, which expires every object; the user and its roles are put back as they were
read, so the refusal page's menu reads nothing again, unless a commit may have changed them."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event, select

from jobday.accounts.user_row import user_with_roles
from jobday.security import Role
from tests import factories


@contextmanager
def _statements(db):
    seen = []

    def record(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _read_as_a_request_does(db, user_id: int):
    db.session.commit()
    db.session.expunge_all()  # a request's session starts empty
    user, roles = user_with_roles(user_id)
    user.remember_roles(roles)
    return user


def test_a_rollback_puts_the_user_back_as_read_without_reading_it_again(backend, app, db):
    candidate = factories.make_candidate(first_name="Zoé")
    user = _read_as_a_request_does(db, candidate.id)
    user.first_name = "Changed in the refused action"
    db.session.flush()
    db.session.rollback()
    with _statements(db) as seen:
        assert user.first_name == "Zoé" and user.has_role(Role.CANDIDATE) and not user.has_role(Role.ADMIN)
    assert seen == []


def test_after_a_commit_the_user_is_read_again(backend, app, db):
    candidate = factories.make_candidate(first_name="Zoé")
    user = _read_as_a_request_does(db, candidate.id)
    user.first_name = "Anaïs"
    db.session.commit()  # the database holds the new name now
    db.session.execute(select(1))  # a next transaction, refused
    db.session.rollback()
    with _statements(db) as seen:
        assert user.first_name == "Anaïs"
    assert seen  # read again, not put back to the old name


def test_ending_a_transaction_that_only_read_keeps_the_user_and_expires_the_rest(backend, app, db):
    """``db.end_reading`` (before a write, ``attempt(writing=True)``): the user read with the
    request is not read again inside the write transaction; everything else is, as after any
    commit, so the write decides on what the database holds now."""
    from sqlalchemy import update

    from jobday.db import end_reading
    from jobday.editions.models import Edition

    edition_id = factories.make_edition(name="Jobday 2027").id
    candidate = factories.make_candidate(first_name="Zoé")
    user = _read_as_a_request_does(db, candidate.id)
    seen_edition = db.session.get(Edition, edition_id)
    with db.engine.begin() as elsewhere:  # another request renames the edition meanwhile
        elsewhere.execute(update(Edition).where(Edition.id == edition_id).values(name="Jobday 2027 bis"))
    end_reading(db.session())
    with _statements(db) as seen:
        assert user.first_name == "Zoé" and user.has_role(Role.CANDIDATE)
    assert seen == []
    assert seen_edition.name == "Jobday 2027 bis"


def test_a_transaction_that_wrote_does_not_keep_the_user(backend, app, db):
    from jobday.db import end_reading

    candidate = factories.make_candidate(first_name="Zoé")
    user = _read_as_a_request_does(db, candidate.id)
    user.first_name = "Anaïs"
    db.session.flush()
    end_reading(db.session())  # misused after a write: it commits as any commit does
    with _statements(db) as seen:
        assert user.first_name == "Anaïs"
    assert seen  # read again
