"""One vocabulary: every coded column reads back as a member with a label in the reader's
language, and the database's CHECK constraints list exactly the vocabulary's codes, in the
models and in the schema the migrations build (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale
from sqlalchemy import CheckConstraint, inspect, text
from sqlalchemy.exc import IntegrityError

from jobday.extensions import db as _db
from jobday.vocabulary import REGISTRY, Vocabulary, VocabularyType, label
from tests import factories


def _vocabulary_columns():
    for table in _db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, VocabularyType):
                yield table, column


def _codes_in(sql: str) -> set[str]:
    return set(re.findall(r"'([^']*)'", sql))


def _model_checks() -> dict[tuple[str, str], set[str]]:
    """(table, constraint name) → codes, for every CHECK written from a vocabulary."""
    checks = {}
    for table, column in _vocabulary_columns():
        for constraint in table.constraints:
            if isinstance(constraint, CheckConstraint) and re.match(rf"^{column.name} ", str(constraint.sqltext)):
                checks[(table.name, constraint.name)] = _codes_in(str(constraint.sqltext))
    return checks


def test_every_vocabulary_column_has_its_check_written_from_the_vocabulary(app):
    for table, column in _vocabulary_columns():
        vocabulary = column.type.vocabulary
        sqls = [str(c.sqltext) for c in table.constraints
                if isinstance(c, CheckConstraint) and re.match(rf"^{column.name} ", str(c.sqltext))]
        assert len(sqls) == 1, f"{table.name}.{column.name} has {len(sqls)} CHECK constraints"
        allowed = _codes_in(sqls[0]) - {""}
        assert allowed == set(vocabulary.codes()), f"{table.name}.{column.name}"


def _assert_migrated_checks_match_the_models():
    expected = _model_checks()
    assert len(expected) > 30  # the comparison sees them all, not none
    inspector = inspect(_db.engine)
    found = {}
    for table_name, name in expected:
        reflected = {c["name"]: c["sqltext"] for c in inspector.get_check_constraints(table_name)}
        assert name in reflected, f"{table_name}: {name} is missing from the migrated schema"
        found[(table_name, name)] = _codes_in(reflected[name])
    assert found == expected


def test_the_migrated_sqlite_checks_list_the_vocabularies_codes(app):
    _assert_migrated_checks_match_the_models()


@pytest.mark.postgres
def test_the_migrated_postgres_checks_list_the_vocabularies_codes(app):
    _assert_migrated_checks_match_the_models()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_database_refuses_a_code_outside_the_vocabulary(app, backend):
    edition = factories.make_edition()
    candidate = factories.make_candidate()
    registration = factories.make_registration(candidate, edition)
    _db.session.commit()
    with pytest.raises(IntegrityError):
        _db.session.execute(text("UPDATE registrations SET status = 'approved' WHERE id = :id"),
                            {"id": registration.id})
        _db.session.flush()
    _db.session.rollback()
    _db.session.execute(text("UPDATE registrations SET status = 'waitlisted' WHERE id = :id"),
                        {"id": registration.id})
    _db.session.commit()
    _db.session.expire_all()
    with force_locale("en"):
        assert registration.status.label == "On the waiting list"


def test_codes_read_back_as_members_with_labels_and_assigned_codes_at_once(app):
    from jobday.candidates.models import RegistrationStatus

    edition = factories.make_edition()
    registration = factories.make_registration(factories.make_candidate(), edition)
    registration.status = "waitlisted"  # a plain code, as a form gives it
    assert registration.status is RegistrationStatus.WAITLISTED  # before any flush
    _db.session.commit()
    _db.session.expire_all()
    assert registration.status is RegistrationStatus.WAITLISTED
    with force_locale("fr"):
        assert registration.status.label == "Sur la liste d'attente"
    with pytest.raises(ValueError):
        registration.status = "approved"


def test_every_label_is_translated_into_french(app):
    """A label left in English on a French page is what this issue is about."""
    from babel.messages.pofile import read_po

    with open(f"{app.root_path}/translations/fr/LC_MESSAGES/messages.po", "rb") as po:
        catalogue = {m.id: m.string for m in read_po(po) if m.id}
    missing = [f"{name}.{member.name}" for name, vocabulary in REGISTRY.items() for member in vocabulary
               if not catalogue.get(str(member.lazy_label._args[0]))]
    assert missing == []
    with force_locale("fr"):
        from jobday.checkin.models import ScanResult

        assert ScanResult.BADGE_REVOKED.label == "Refusé\u00a0: badge révoqué"


def test_the_badges_revoked_and_the_scans_revoked_have_two_names(app):
    from jobday.badges.models import BadgeStatus
    from jobday.checkin.models import ScanResult

    assert BadgeStatus.REVOKED.value == "revoked" and ScanResult.BADGE_REVOKED.value == "badge_revoked"
    assert "revoked" not in ScanResult.codes()
    with force_locale("fr"):
        assert BadgeStatus.REVOKED.label != ScanResult.BADGE_REVOKED.label


def test_the_label_filter_reads_members_and_named_codes_and_refuses_a_bare_code(app):
    from jobday.vocabulary import JobArea

    with force_locale("fr"):
        assert label(JobArea.QUALITY_CONTROL) == label("quality_control", "JobArea") == "Contrôle qualité"
        assert label(None) == label("") == ""
        with pytest.raises(TypeError):
            label("quality_control")
        with pytest.raises(ValueError):
            label("nonsense", "JobArea")


def test_the_check_in_api_documents_the_vocabularies_codes(client):
    from jobday.badges.models import BadgeRole
    from jobday.checkin.models import DoorBadgeState, ScanMode, ScanResult

    document = client.get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    answer = schemas["Answer"]["properties"]
    assert set(answer["result"]["enum"]) == set(ScanResult.codes())
    assert set(answer["role"]["enum"]) == {"", *BadgeRole.codes()}
    assert set(schemas["Scan"]["properties"]["mode"]["enum"]) == set(ScanMode.codes())
    local = schemas["OfflineScan"]["properties"]["local_result"]["anyOf"][0]
    assert set(local["enum"]) == set(ScanResult.codes())
    snapshot = document["paths"]["/api/v1/checkin/snapshot"]["get"]["responses"]["200"]
    badge = snapshot["content"]["application/json"]["schema"]["properties"]["badges"]["items"]["properties"]
    assert set(badge["status"]["enum"]) == set(DoorBadgeState.codes())


def test_vocabularies_have_unique_codes_and_known_tones():
    from jobday.vocabulary import TONES

    for vocabulary in REGISTRY.values():
        assert issubclass(vocabulary, Vocabulary)
        assert len(set(vocabulary.codes())) == len(vocabulary.codes())
        assert all(member.tone in TONES for member in vocabulary)
