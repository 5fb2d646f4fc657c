"""Statements sent straight to the driver (``jobday.driver_sql``) answer what the same
statement answers through SQLAlchemy, on SQLite and PostgreSQL; those it cannot run are refused."""

from __future__ import annotations

import pytest
from sqlalchemy import bindparam, event, exc, func, select, text

from jobday.companies.models import Company, Participation
from jobday.driver_sql import DriverStatement
from jobday.editions.models import Edition
from tests import factories

pytestmark = pytest.mark.usefixtures("backend")

# Every kind of column the pages read: integers, text, NULL, vocabularies, booleans, UTC times, dates.
_PARTICIPATIONS = (
    select(Participation.id, Company.name, Participation.stand, Participation.status, Participation.booking_mode,
           Participation.needs_power, Participation.decided_at, Edition.starts_on)
    .join(Company, Company.id == Participation.company_id)
    .join(Edition, Edition.id == Participation.edition_id)
    .where(Participation.edition_id == bindparam("edition_id"))
    .order_by(Participation.id)
)
_COUNT = select(func.count(Participation.id)).where(Participation.edition_id == bindparam("edition_id"))


def _world(db):
    edition = factories.make_edition()
    approved = factories.make_participation(factories.make_company(name="Éléa Pharma"), edition, stand="B12",
                                            needs_power=True)
    factories.make_participation(factories.make_company(name="Zeta"), edition, status="pending")
    db.session.commit()
    return edition, approved


def test_rows_are_those_sqlalchemy_reads(app, db):
    edition, approved = _world(db)
    expected = db.session.execute(_PARTICIPATIONS, {"edition_id": edition.id}).all()
    rows = DriverStatement(_PARTICIPATIONS).session_all(edition_id=edition.id)
    assert [tuple(row) for row in rows] == [tuple(row) for row in expected]
    assert len(rows) == 2 and rows[0].stand == "B12" and rows[1].stand is None
    assert rows[0].status == approved.status and rows[0].status.label  # a vocabulary, not its code
    assert rows[0].decided_at == approved.decided_at and rows[0].starts_on == edition.starts_on
    assert rows[0].needs_power is True and rows[1].needs_power is False


def test_first_and_scalar(app, db):
    edition, approved = _world(db)
    statement = DriverStatement(_PARTICIPATIONS)
    assert statement.session_first(edition_id=edition.id).id == approved.id
    assert statement.session_first(edition_id=edition.id + 1000) is None
    assert DriverStatement(_COUNT).session_scalar(edition_id=edition.id) == 2
    assert DriverStatement(_PARTICIPATIONS).session_scalar(edition_id=edition.id + 1000) is None


def test_a_listened_connection_sees_the_statement(app, db):
    """With statement listeners (the tests' query counts), the statement goes through SQLAlchemy."""
    edition, _approved = _world(db)
    seen = []

    def listen(_conn, _cursor, statement, *_rest):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        assert DriverStatement(_COUNT).session_scalar(edition_id=edition.id) == 2
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    assert any("count(participations.id)" in statement for statement in seen)


def test_a_statement_whose_sql_depends_on_its_values_is_refused(app, db):
    edition, _approved = _world(db)
    expanding = select(Participation.id).where(Participation.id.in_(bindparam("ids", expanding=True)))
    with pytest.raises(ValueError, match="not a plain statement"):
        DriverStatement(expanding).session_all(ids=[1, 2])


def test_a_driver_error_is_raised_as_sqlalchemy_raises_it(app, db):
    broken = text("SELECT id FROM no_such_table WHERE id = :id").columns(Participation.id)
    with pytest.raises(exc.DBAPIError):
        DriverStatement(broken).session_all(id=1)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Participation.id))) == 0  # the session is usable again


def test_unnamed_and_repeated_columns_are_read_by_position(app, db):
    """A subquery without a label, two columns named ``id``: the row's names are made up, its
    positions are the statement's."""
    edition, approved = _world(db)
    statement = (select(Participation.id, Company.id, select(func.count(Participation.id)).scalar_subquery())
                 .join(Company, Company.id == Participation.company_id).where(Participation.id == bindparam("id")))
    row = DriverStatement(statement).session_first(id=approved.id)
    assert tuple(row) == tuple(db.session.execute(statement, {"id": approved.id}).one())
    assert row[0] == approved.id and row[1] == approved.company_id and row[2] == 2


def test_a_vocabulary_code_written_in_is_part_of_the_sql(app, db):
    """``written_in`` puts a code in the SQL (SQLite prepares a statement again at each run when a
    bound value decides whether a partial index applies); anything but a code is refused."""
    from jobday.db import written_in

    edition, approved = _world(db)
    statement = select(Participation.id).where(Participation.status == written_in("approved"))
    assert "'approved'" in str(statement.compile(db.engine))
    assert DriverStatement(statement).session_all() == [(approved.id,)]
    with pytest.raises(ValueError):
        written_in("approved' OR '1'='1")


def test_the_sessions_pending_changes_are_seen_as_through_the_session(app, db):
    """``session_*`` flush what is pending first, as ``Session.execute`` does; on a connection
    given by the caller, nothing is flushed."""
    edition, _approved = _world(db)
    count = DriverStatement(_COUNT)
    factories.make_participation(factories.make_company(name="Late"), edition, status="pending")  # flushed
    company = Company(name="Pending Ltd", name_key="pending ltd")
    db.session.add(company)
    db.session.flush()
    db.session.add(Participation(company_id=company.id, edition_id=edition.id))  # pending, not flushed
    assert count.scalar(db.session.connection(), {"edition_id": edition.id}) == 3
    assert count.session_scalar(edition_id=edition.id) == 4
    with db.session.no_autoflush:
        db.session.add(Participation(company_id=factories.make_company(name="Later").id, edition_id=edition.id))
        assert count.session_scalar(edition_id=edition.id) == 4
