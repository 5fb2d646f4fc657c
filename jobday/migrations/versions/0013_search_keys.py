"""search: users and badges keep a folded search form; company name keys folded by ICU

Revision ID: 0013_search_keys
Revises: 0012_vocabularies

``search_key`` holds names (and the e-mail address) without accents or capitals, so that a
search ignores them on SQLite and PostgreSQL alike; the rows already there are filled in
here. Company name keys are recomputed with the same folding ("Crèvecœur" = "crevecoeur").
"""
import re

import sqlalchemy as sa
from alembic import op

from jobday.collation import fold

revision = '0013_search_keys'
down_revision = '0012_vocabularies'
branch_labels = None
depends_on = None

BATCH = 1000


def _folded(*values):
    return fold(" ".join(value for value in values if value))


def _fill(table: str, columns: tuple[str, ...]) -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.text(f"SELECT id, {', '.join(columns)} FROM {table}")).all()
    update = sa.text(f"UPDATE {table} SET search_key = :key WHERE id = :id")
    for start in range(0, len(rows), BATCH):
        connection.execute(update, [{"id": row[0], "key": _folded(*row[1:])} for row in rows[start:start + BATCH]])


def upgrade():
    for table in ('users', 'badges'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('search_key', sa.String(length=500), nullable=False, server_default=''))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('search_key', server_default=None)
    _fill('users', ('first_name', 'last_name', 'email'))
    _fill('badges', ('first_name', 'last_name', 'company_name'))
    connection = op.get_bind()
    update = sa.text("UPDATE companies SET name_key = :key WHERE id = :id")
    taken = set()
    for company_id, name in connection.execute(sa.text("SELECT id, name FROM companies ORDER BY id")).all():
        key = " ".join(re.sub(r"[^\w]+", " ", fold(name)).split())
        if key in taken:  # two names the old key told apart: keep them apart
            key = f"{key} {company_id}"
        taken.add(key)
        connection.execute(update, {"id": company_id, "key": key})


def downgrade():
    for table in ('badges', 'users'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('search_key')
