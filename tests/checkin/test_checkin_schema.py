"""The check-in API's one definition (``jobday.checkin.schema``): the OpenAPI document shows the
very types the API decodes, and what they refuse is refused with the field named, in French by
default."""

from __future__ import annotations

import pytest

from jobday.checkin import schema
from jobday.checkin.devices import GATE_PATTERN
from jobday.checkin.models import RESULTS
from tests import factories
from tests.checkin.conftest import nonce


def test_the_document_is_generated_from_the_decoded_types(client):
    document = client.get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    assert schemas == schema.components()
    assert set(schemas["Answer"]["properties"]["result"]["enum"]) == set(RESULTS)
    assert schemas["Scan"]["properties"]["nonce"]["pattern"] == schema.NONCE_PATTERN
    assert schemas["Scan"]["properties"]["gate"]["pattern"] == GATE_PATTERN.pattern
    assert schemas["OfflineScan"]["required"] == ["code", "nonce", "client_time"]
    scan_body = document["paths"]["/api/v1/checkin"]["post"]["requestBody"]["content"]["application/json"]
    assert scan_body["schema"] == {"$ref": "#/components/schemas/Scan"}


@pytest.mark.parametrize(("body", "field"), [
    ({"code": "ABC", "nonce": "short"}, "nonce"),
    ({"code": "ABC", "nonce": "n" * 65}, "nonce"),
    ({"code": "   ", "nonce": "scan-000001"}, "code"),
    ({"code": "A" * 201, "nonce": "scan-000001"}, "code"),
    ({"code": 12, "nonce": "scan-000001"}, "code"),
    ({"nonce": "scan-000001"}, "code"),
    ({"code": "ABC", "nonce": "scan-000001", "mode": "sideways"}, "mode"),
    ({"code": "ABC", "nonce": "scan-000001", "force": "yes"}, "force"),
    (["ABC"], "body"),
])
def test_what_the_schema_refuses_is_a_400_naming_the_field_in_french(client, device, today_edition, body, field):
    from sqlalchemy import func, select

    from jobday.checkin.models import Scan
    from jobday.extensions import db

    response = client.post("/api/v1/checkin", json=body, headers={"Authorization": f"Bearer {device[1]}"})
    assert response.status_code == 400
    answer = response.get_json()
    assert (answer["error"], answer["field"]) == ("invalid_input", field)
    assert "n'est pas valide" in answer["message"] or "objet JSON" in answer["message"], answer["message"]
    assert db.session.scalar(select(func.count(Scan.id))) == 0  # nothing written


def test_a_valid_scan_with_every_optional_field_is_decided(client, device, today_edition):
    badge = factories.make_badge(factories.make_user(), today_edition)
    from jobday.extensions import db

    db.session.commit()
    response = client.post("/api/v1/checkin", headers={"Authorization": f"Bearer {device[1]}"},
                           json={"code": badge.code, "nonce": nonce(), "gate": "B", "mode": "entry",
                                 "force": False, "unknown_extra": 1})
    assert response.status_code == 200 and response.get_json()["result"] == "ok"
