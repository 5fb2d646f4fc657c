"""The schema built by the migrations is the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from jobday.extensions import db as _db


def _differences(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, _db.metadata)


def test_the_migrated_schema_matches_the_models(backend, app):
    assert _differences(_db.engine) == []


def test_a_model_change_without_migration_would_be_caught(app):
    """The comparison is not blind: a column the migrations lack shows up."""
    from sqlalchemy import Column, Integer, MetaData, Table

    extra = MetaData()
    for table in _db.metadata.tables.values():
        table.to_metadata(extra)
    Table("users", extra, Column("shoe_size", Integer), extend_existing=True)
    with _db.engine.connect() as conn:
        context = MigrationContext.configure(conn)
        diff = compare_metadata(context, extra)
    assert any(op[0] == "add_column" and op[3].name == "shoe_size" for op in diff)
