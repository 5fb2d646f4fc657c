"""The logged-in user, read at the start of every request straight from the database driver.

Through the ORM the read cost as much as the rest of a trivial request: the statement's
machinery and the object's loading. Here one statement (compiled once per database dialect)
runs on the driver's cursor, its values go through the columns' own types (UTC times,
booleans), and the ``User`` is placed in the request's session as if a query had loaded it.
On SQLite the statement runs on a connection taken from the pool for it alone (a page that
may write begins its own transaction with the write lock; ``/livez`` opens none); on
PostgreSQL it begins the request's transaction, on the connection the page goes on with (a
connection of its own cost three more round trips). The user's roles come as a yes/no column
each (``User.remember_roles``).

When statement listeners watch the engine (the statement counts of the tests), the same
statement runs through the ORM so that they see it.

A rollback expires every object of the session, the user too, so a refusal page read it and
its roles again for the menu. The values read here are kept with the user and put back after a
rollback (what the database holds again then) and after the commit that ends a transaction
which only read (``db.end_reading``); any other commit, which may have changed the user, drops
them."""

from __future__ import annotations

from operator import methodcaller

from sqlalchemy import bindparam, event, exc, exists, select
from sqlalchemy.orm import lazyload, make_transient_to_detached
from sqlalchemy.orm.attributes import manager_of_class, set_committed_value
from sqlalchemy.orm.util import identity_key

from jobday.accounts.models import User, UserRole
from jobday.db import ONLY_READ, on_driver_cursor
from jobday.extensions import db
from jobday.security import Role

ROLES = tuple(Role)
_COLUMNS = tuple(User.__table__.columns)
_ROLE_COLUMNS = tuple(exists().where(UserRole.user_id == User.id, UserRole.role == str(role)).label(f"is_{role}")
                      for role in ROLES)
# Built once (a statement built per call cost more than the query itself).
_BY_ORM = select(User, *_ROLE_COLUMNS).options(lazyload(User.role_rows)).where(User.id == bindparam("user_id"))
_BY_DRIVER = select(*_COLUMNS, *_ROLE_COLUMNS).where(User.id == bindparam("user_id"))
_compiled: dict[str, tuple] = {}  # dialect name -> (SQL, parameters, value processors)
_MANAGER = manager_of_class(User)


def _for_dialect(dialect):
    """The statement's SQL for the dialect, its parameters (a function of the user id: the role
    codes are parameters too) and the columns' value processors; made once per dialect."""
    held = _compiled.get(dialect.name)
    if held is None:
        compiled = _BY_DRIVER.compile(dialect=dialect)
        fixed = compiled.construct_params({"user_id": 0})
        if compiled.positional:
            names = tuple(compiled.positiontup)

            def parameters(user_id: int, names=names, fixed=fixed):
                return tuple(user_id if name == "user_id" else fixed[name] for name in names)
        else:
            def parameters(user_id: int, fixed=fixed):
                return {**fixed, "user_id": user_id}
        processors = tuple(column.type.dialect_impl(dialect).result_processor(dialect, None) for column in _COLUMNS)
        held = _compiled[dialect.name] = (compiled.string, parameters, processors)
    return held


def user_with_roles(user_id: int) -> tuple[User, frozenset[Role]] | None:
    """The user of this id and its roles, or None."""
    session = db.session()
    engine = db.engine
    if engine.dispatch.before_cursor_execute or session.identity_map.get(identity_key(User, user_id)) is not None:
        row = session.execute(_BY_ORM, {"user_id": user_id}).one_or_none()
        if row is None:
            return None
        user, roles = row[0], frozenset(role for role, held in zip(ROLES, row[1:], strict=True) if held)
        _keep_as_read(user, roles)
        return user, roles
    sql, parameters, processors = _for_dialect(engine.dialect)
    params = parameters(user_id)
    if engine.dialect.name != "sqlite":
        found = _read_in_the_requests_transaction(session, sql, params)
    else:
        found = _read_on_a_connection_of_its_own(engine, sql, params)
    if found is None:
        return None
    # Made as a query's loading makes it, without the constructor (its attribute event per
    # column cost ~20 µs a request), then "as if loaded": no history, nothing to write, the
    # relationships left to load when asked for.
    user = _MANAGER.new_instance()
    user.__dict__.update({column.key: (process(value) if process else value)
                          for column, process, value in zip(_COLUMNS, processors, found, strict=False)})
    make_transient_to_detached(user)
    session.add(user)
    held = found[len(_COLUMNS):]
    roles = frozenset(role for role, flag in zip(ROLES, held, strict=True) if flag)
    _keep_as_read(user, roles)
    return user, roles


_AS_READ = "_jobday_as_read"


def _keep_as_read(user: User, roles: frozenset[Role]) -> None:
    user.__dict__[_AS_READ] = ({column.key: user.__dict__[column.key] for column in _COLUMNS}, roles)


def _users_kept(session):
    return [obj for obj in session.identity_map.values() if type(obj) is User and _AS_READ in obj.__dict__]


def _put_back_as_read(session) -> None:
    for user in _users_kept(session):
        values, roles = user.__dict__[_AS_READ]
        for key, value in values.items():
            set_committed_value(user, key, value)
        user.remember_roles(roles)


@event.listens_for(db.session, "after_soft_rollback")
def _after_rollback(session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # an inner transaction: the outermost one's end decides
        _put_back_as_read(session)


_WROTE = "jobday_wrote"  # session.info: the transaction has flushed changes


@event.listens_for(db.session, "after_flush")
def _note_a_write(session, _context) -> None:
    session.info[_WROTE] = True


def _only_read(session) -> bool:
    return bool(session.info.get(ONLY_READ)) and not session.info.get(_WROTE)


@event.listens_for(db.session, "after_commit")
def _forget_committed(session) -> None:
    if not _only_read(session):  # the user may have changed: read it again when asked
        for user in _users_kept(session):
            del user.__dict__[_AS_READ]


@event.listens_for(db.session, "after_transaction_end")
def _after_reading(session, transaction) -> None:
    if transaction.parent is not None:
        return
    if _only_read(session):  # committed, and expired with the rest by now
        _put_back_as_read(session)
    session.info.pop(_WROTE, None)


def _read_in_the_requests_transaction(session, sql: str, params):
    """PostgreSQL: the read opens the request's transaction, on the connection the page then
    uses. A connection of its own cost three more round trips a request (the pool's check of
    the connection, BEGIN, and the ROLLBACK when it went back), each one client and server CPU."""
    connection = session.connection()  # the session's transaction, begun here if not yet
    try:
        return on_driver_cursor(connection.dialect, connection.connection.dbapi_connection, sql, params,
                                methodcaller("fetchone"), connection.invalidate)
    except exc.DBAPIError:
        session.rollback()  # an aborted transaction is of no use to the page (or its error page)
        raise


def _read_on_a_connection_of_its_own(engine, sql: str, params):
    """SQLite: a request that may write begins its transaction with BEGIN IMMEDIATE (the write
    lock); the user is read before, on a pooled connection of its own, without it."""
    connection = engine.raw_connection()
    try:
        return on_driver_cursor(engine.dialect, connection.dbapi_connection, sql, params, methodcaller("fetchone"),
                                connection.invalidate)
    finally:
        connection.close()  # back to the pool, which ends the driver's transaction if it began one
