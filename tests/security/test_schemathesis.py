"""Schemathesis against the door API's own OpenAPI document (``/api/v1/openapi.json``), over
WSGI, as a gate device: no 5xx, and every response conforms to what the document says (status
codes, content types, JSON schemas).

Each generated case starts from the same world (``fuzz_world``: rows, files and rate limits
restored), with the fair today, so valid scans reach every decision. ``JOBDAY_FUZZ_EXAMPLES``
scales the number of cases per operation.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection

from tests.security import fuzz_world

EXAMPLES = int(os.environ.get("JOBDAY_FUZZ_EXAMPLES", "5")) * 8


@pytest.fixture(scope="session")
def door_image(sqlite_template, smtp_server, tmp_path_factory) -> fuzz_world.Image:
    return fuzz_world.build_image(sqlite_template, smtp_server, tmp_path_factory, fair_today=True)


@pytest.fixture
def api_schema(app, door_image):
    fuzz_world.restore(app, door_image)
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


# Hypothesis runs the cases of one operation in one call of this test, with the same app: the
# function-scoped fixtures are shared on purpose, and the restore below makes cases independent.
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, database=None, print_blob=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.filter_too_much])
def test_the_door_api_keeps_its_documented_promises(case, app, door_image):
    fuzz_world.restore(app, door_image)  # every case from the same rows and rate limits
    # The sync answers each offline scan on its own (documented): a batch holding invalid
    # scans is accepted with an error entry for them, so "invalid data is refused" does not
    # apply to its body; the per-item errors are checked against the document instead.
    excluded = [negative_data_rejection] if case.operation.path == "/api/v1/checkin/sync" else []
    case.call_and_validate(headers={"Authorization": f"Bearer {door_image.world.device_token}"},
                           excluded_checks=excluded)
