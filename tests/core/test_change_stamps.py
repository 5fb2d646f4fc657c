"""Change stamps (jobday/change_stamps.py, migration 0020), on both databases: every write of
data a kept answer is read from gives its topic a new stamp, through any path, and nothing
else does; a kept answer is used only under the stamp it was computed with."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Table, delete, insert, select, text, update
from sqlalchemy.sql import visitors

from jobday import change_stamps
from jobday.candidates.consent import record_consents
from jobday.candidates.models import CandidateContractType, CandidateLanguage
from jobday.change_stamps import CANDIDATES, KeptByStamp
from jobday.extensions import db
from jobday.leads import match_views
from tests import factories

# What a company's ranking reads that its key carries (the offers are read at each view).
OFFER_TABLES = {"job_offers", "job_offer_areas", "job_offer_languages"}


@pytest.fixture(autouse=True)
def _each_backend(backend):
    """Every test here runs on SQLite and on PostgreSQL."""


def _stamp() -> str | None:
    value = change_stamps.current(CANDIDATES)
    db.session.rollback()
    return value


def _changes(statement, params=None) -> bool:
    before = _stamp()
    db.session.execute(statement, params or {})
    db.session.commit()
    after = _stamp()
    assert before is not None and after is not None
    return after != before


def _read_columns() -> dict[str, set[str]]:
    """Table -> the columns the matches' ranking statement reads, the offers' tables left out."""
    read: dict[str, set[str]] = {}
    for element in visitors.iterate(match_views._sharing_fitting._statement):
        if isinstance(element, Column) and isinstance(element.table, Table) and element.table.name not in OFFER_TABLES:
            read.setdefault(element.table.name, set()).add(element.name)
    return read


def _a_sharing_candidate():
    edition = factories.make_edition()
    user = factories.make_candidate(first_name="Zoé", job_areas=("quality_control",))
    db.session.add_all([CandidateContractType(user_id=user.id, contract_type="permanent"),
                        CandidateLanguage(user_id=user.id, language="fr", level="native")])
    factories.make_registration(user, edition)
    record_consents(user, {"share_with_all_exhibitors": True}, actor=user)
    db.session.commit()
    return user


def test_the_ranking_reads_only_what_the_stamp_covers(app):
    """Each column the statement reads, updated, and each of its tables' rows deleted and
    written back, gives a new stamp (a later migration rebuilding one of these tables on
    SQLite would lose its triggers: this fails then)."""
    _a_sharing_candidate()
    read = _read_columns()
    assert {"users", "registrations", "consents", "candidate_profiles", "candidate_job_areas",
            "candidate_contract_types", "candidate_languages"} <= set(read)
    parents_last = ("candidate_profiles", "users")  # deleting them deletes their children's rows
    for name, columns in sorted(read.items(), key=lambda item: parents_last.index(item[0]) + 1
                                if item[0] in parents_last else 0):
        table = db.metadata.tables[name]
        row = dict(db.session.execute(select(table).limit(1)).mappings().one())
        db.session.rollback()
        key = [table.c[column] == row[column] for column in (c.name for c in table.primary_key.columns)]
        for column in sorted(columns):
            assert _changes(update(table).where(*key).values({column: row[column]})), (name, column)
        if name == "users":  # the candidate's rows go with them: a user of no one's rows instead
            bare = factories.make_user(email="bare@example.org")
            db.session.commit()
            assert _changes(delete(table).where(table.c.id == bare.id)), name
            continue
        assert _changes(delete(table).where(*key)), name
        assert _changes(insert(table).values(row)), name


def test_other_writes_keep_the_stamp(app):
    user = _a_sharing_candidate()
    assert not _changes(text("UPDATE users SET last_login_at = CURRENT_TIMESTAMP WHERE id = :id"), {"id": user.id})
    assert not _changes(text("UPDATE candidate_profiles SET about = 'Laborantine' WHERE user_id = :id"),
                        {"id": user.id})
    before = _stamp()
    company = factories.make_company(name="Acme Bio")  # the offers are read at each view
    edition = factories.make_edition(year=2040)
    factories.make_participation(company, edition)
    factories.make_offer(company, title="Analyste QC", job_areas=("quality_control",))
    factories.make_lead(company, user, edition)  # the company's own: read at each view
    db.session.commit()
    assert _stamp() == before
    factories.make_registration(factories.make_candidate(first_name="Yann"), edition)
    db.session.commit()
    assert _stamp() != before


def test_a_transaction_that_wrote_sees_its_own_change(app, backend):
    user = _a_sharing_candidate()
    before = _stamp()
    db.session.execute(text("UPDATE users SET first_name = 'Zoë' WHERE id = :id"), {"id": user.id})
    during = change_stamps.current(CANDIDATES)
    if backend == "postgresql":
        assert during is None  # stamped at the commit: no kept answer until then
    else:
        assert during not in (None, before)  # stamped at once, inside the transaction
    db.session.rollback()
    assert _stamp() == before  # nothing was committed
    assert _changes(text("UPDATE users SET first_name = 'Zoë' WHERE id = :id"), {"id": user.id})
    assert _stamp() != during


def test_an_answer_is_kept_under_its_stamp_only(app):
    user = _a_sharing_candidate()
    kept = KeptByStamp(CANDIDATES, size=2)
    computed = []

    def compute():
        computed.append(1)
        return db.session.scalar(select(db.metadata.tables["users"].c.first_name).where(
            db.metadata.tables["users"].c.id == user.id))

    assert kept.get("name", compute) == "Zoé" and kept.get("name", compute) == "Zoé"
    assert len(computed) == 1
    db.session.rollback()
    db.session.execute(text("UPDATE users SET first_name = 'Zoë' WHERE id = :id"), {"id": user.id})
    db.session.commit()
    assert kept.get("name", compute) == "Zoë" and len(computed) == 2
    kept.get("other", compute), kept.get("third", compute)  # beyond its size: the oldest forgotten
    assert len(computed) == 4
    kept.get("name", compute)
    assert len(computed) == 5


def test_no_stamp_row_keeps_nothing(app):
    kept = KeptByStamp(CANDIDATES)
    db.session.execute(text("DELETE FROM change_stamps"))
    db.session.commit()
    assert _stamp() is None
    assert [kept.get("key", lambda n=n: n) for n in range(3)] == [0, 1, 2]
    change_stamps.restart(db.session.connection())
    db.session.commit()
    assert [kept.get("key", lambda n=n: n) for n in range(3)] == [0, 0, 0]


def test_an_answer_whose_key_no_longer_holds_is_not_kept(app):
    _a_sharing_candidate()
    kept = KeptByStamp(CANDIDATES)
    answers = iter(range(10))
    assert kept.get("key", lambda: next(answers), keep_if=lambda: False) == 0
    assert kept.get("key", lambda: next(answers), keep_if=lambda: True) == 1
    assert kept.get("key", lambda: next(answers)) == 1


@pytest.mark.postgres
def test_a_writer_with_another_search_path_stamps_the_schema_of_the_data(app):
    """PostgreSQL: the stamp is written in the schema the migration ran in, whatever the
    writer's search_path (a maintenance session in psql, another tool)."""
    user = _a_sharing_candidate()
    schema = db.session.scalar(text("SELECT current_schema()"))
    before = _stamp()
    with db.engine.connect() as other:
        other.execute(text("SET search_path TO public"))
        other.execute(text(f'UPDATE "{schema}".users SET first_name = \'Zoë\' WHERE id = :id'), {"id": user.id})
        other.commit()
    assert _stamp() not in (None, before)
