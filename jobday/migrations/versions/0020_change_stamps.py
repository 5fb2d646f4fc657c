"""change_stamps: a stamp per topic that triggers give a new random value whenever the topic's
data is written (``jobday/change_stamps.py``); the first topic, "candidates", covers what a
company's matches are read from, so that its ranking is kept between requests while nothing
changed (SQLite at 10,000 candidates: 13 ms of statement a view)

A later migration that rebuilds one of these tables on SQLite (``batch_alter_table``) drops its
triggers: it must create them again (tests/core/test_change_stamps.py fails otherwise).

Revision ID: 0020_change_stamps
Revises: 0019_wish_rank_index
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = '0020_change_stamps'
down_revision = '0019_wish_rank_index'
branch_labels = None
depends_on = None

# topic -> table -> the columns whose UPDATE changes the topic (None: any column); an INSERT or
# a DELETE always does, but a new account's (in no edition yet: its registration will)
NO_INSERT = {"users"}
COVERED = {
    "candidates": {
        "users": ("id", "first_name", "last_name", "is_disabled"),
        "registrations": ("user_id", "edition_id", "status"),
        "consents": None,
        "candidate_profiles": ("user_id", "education_level", "region"),
        "candidate_job_areas": None,
        "candidate_contract_types": None,
        "candidate_languages": None,
    },
}


def _update_of(columns) -> str:
    return "UPDATE" if columns is None else "UPDATE OF " + ", ".join(columns)


def _events(table: str, columns) -> list[tuple[str, str]]:
    events = [("insert", "INSERT"), ("update", _update_of(columns)), ("delete", "DELETE")]
    return events[1:] if table in NO_INSERT else events


def _sqlite_triggers(topic: str, tables: dict) -> list[str]:
    statements = []
    for table, columns in tables.items():
        for name, event in _events(table, columns):
            statements.append(
                f"CREATE TRIGGER stamp_{topic}_{table}_{name} AFTER {event} ON {table} BEGIN "
                f"UPDATE change_stamps SET stamp = lower(hex(randomblob(16))) WHERE topic = '{topic}'; END")
    return statements


_POSTGRES_FUNCTIONS = [
    # at once, each statement: the transaction wrote the topic's data (change_stamps.current)
    """CREATE FUNCTION jobday_topic_written() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM set_config('jobday.written_' || TG_ARGV[0], 'yes', true);
        RETURN NULL;
    END $$""",
    # at the commit, once per transaction: a new stamp (in the schema the migration ran in,
    # whatever the writer's search_path)
    """CREATE FUNCTION jobday_stamp_topic() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
    BEGIN
        IF current_setting('jobday.stamped_' || TG_ARGV[0], true) IS DISTINCT FROM 'yes' THEN
            UPDATE change_stamps SET stamp = replace(gen_random_uuid()::text, '-', '') WHERE topic = TG_ARGV[0];
            PERFORM set_config('jobday.stamped_' || TG_ARGV[0], 'yes', true);
        END IF;
        RETURN NULL;
    END $$""",
]


def _postgres_triggers(topic: str, tables: dict) -> list[str]:
    statements = []
    for table, columns in tables.items():
        events = " OR ".join(event for _name, event in _events(table, columns))
        statements.append(f"CREATE TRIGGER written_{topic}_{table} AFTER {events} ON {table} "
                          f"FOR EACH STATEMENT EXECUTE FUNCTION jobday_topic_written('{topic}')")
        statements.append(f"CREATE CONSTRAINT TRIGGER stamp_{topic}_{table} AFTER {events} ON {table} "
                          f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION jobday_stamp_topic('{topic}')")
    return statements


def upgrade():
    op.create_table(
        'change_stamps',
        sa.Column('topic', sa.String(length=40), nullable=False),
        sa.Column('stamp', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('topic', name=op.f('pk_change_stamps')),
    )
    for topic in COVERED:
        op.execute(sa.text("INSERT INTO change_stamps (topic, stamp) VALUES (:topic, :stamp)")
                   .bindparams(topic=topic, stamp=secrets.token_hex(16)))
    postgres = op.get_bind().dialect.name == "postgresql"
    statements = list(_POSTGRES_FUNCTIONS) if postgres else []
    for topic, tables in COVERED.items():
        statements += (_postgres_triggers if postgres else _sqlite_triggers)(topic, tables)
    for statement in statements:
        op.execute(statement)


def downgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    for topic, tables in COVERED.items():
        for table, columns in tables.items():
            if postgres:
                op.execute(f"DROP TRIGGER written_{topic}_{table} ON {table}")
                op.execute(f"DROP TRIGGER stamp_{topic}_{table} ON {table}")
            else:
                for name, _event in _events(table, columns):
                    op.execute(f"DROP TRIGGER stamp_{topic}_{table}_{name}")
    if postgres:
        op.execute("DROP FUNCTION jobday_topic_written()")
        op.execute("DROP FUNCTION jobday_stamp_topic()")
    op.drop_table('change_stamps')
