"""The login's query reads the user's roles with the user (one statement a request); what
it read is forgotten as soon as the roles change or the user's state expires."""

from __future__ import annotations

from sqlalchemy import delete

from jobday.accounts.models import User, UserRole
from jobday.accounts.views import load_user
from jobday.security import Role
from tests import factories


def _loaded(db, user_id: int) -> User:
    db.session.expunge_all()
    return load_user(db.session.get(User, user_id).get_id())


def test_the_roles_come_with_the_user(app, db):
    user_id = factories.make_candidate(email="roles@example.org").id
    db.session.commit()
    user = _loaded(db, user_id)
    assert user.has_role(Role.CANDIDATE) and not user.has_role(Role.STAFF)
    assert user.roles == {Role.CANDIDATE}


def test_an_admin_is_also_staff(app, db):
    user = factories.make_user(email="boss@example.org", roles=(Role.ADMIN,))
    db.session.commit()
    loaded = _loaded(db, user.id)
    assert loaded.has_role(Role.STAFF) and loaded.has_role(Role.ADMIN) and not loaded.has_role(Role.CANDIDATE)


def test_added_and_removed_roles_count_at_once(app, db):
    user_id = factories.make_candidate(email="grows@example.org").id
    db.session.commit()
    user = _loaded(db, user_id)
    user.add_role(Role.STAFF)
    assert user.has_role(Role.STAFF)
    user.remove_role(Role.CANDIDATE)
    assert not user.has_role(Role.CANDIDATE)
    user.role_rows = []
    assert user.roles == set()


def test_roles_taken_away_elsewhere_count_after_the_commit(app, db):
    user_id = factories.make_candidate(email="taken@example.org").id
    db.session.commit()
    user = _loaded(db, user_id)
    assert user.has_role(Role.CANDIDATE)
    db.session.execute(delete(UserRole).where(UserRole.user_id == user_id))
    db.session.commit()  # expires the user: what the login read is forgotten
    assert not user.has_role(Role.CANDIDATE)


def test_a_rotated_session_version_loads_no_one(app, db):
    user = factories.make_candidate(email="rotated@example.org")
    db.session.commit()
    key = user.get_id()
    user.end_all_sessions()
    db.session.commit()
    assert load_user(key) is None
    assert load_user("not-a-number:x") is None


def test_a_refreshed_user_reads_its_roles_again(app, db):
    user_id = factories.make_candidate(email="refresh@example.org").id
    db.session.commit()
    user = _loaded(db, user_id)
    db.session.execute(delete(UserRole).where(UserRole.user_id == user_id))
    db.session.refresh(user)
    assert not user.has_role(Role.CANDIDATE)


def test_the_user_met_again_in_another_query_keeps_its_roles(app, db):
    """A page that lists people (a lead's scans) meets the logged-in user again in its rows:
    the roles read at login stay, no second query for them."""
    from sqlalchemy import event, select

    user_id = factories.make_candidate(email="again@example.org").id
    db.session.commit()
    user = _loaded(db, user_id)
    db.session.scalars(select(User).where(User.id == user_id)).all()
    seen = []

    def listen(_conn, _cursor, statement, *_rest):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        assert user.has_role(Role.CANDIDATE)
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    assert not seen
