"""Every state-changing route refuses a request without a CSRF token (400; JSON
``csrf_failed`` under /api/) and writes nothing, even from a user with the right role; the
same request with the token gets past the check (so the walk can fail). Gate devices
(Bearer token, no session) are exempt from the token by design, as the table declares."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from jobday.extensions import db
from tests.security import matrix_world as mw
from tests.security.access_matrix import (
    ANONYMOUS,
    CSRF_SESSION_OR_DEVICE,
    DEVICE,
    MATRIX,
    Access,
    routes_of,
)

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


@pytest.fixture(scope="module")
def world(request, tmp_path_factory, smtp_server):
    yield from mw.module_world(request, tmp_path_factory, smtp_server, "csrf")


def acting_roles(access: Access) -> list[str]:
    """A logged-in user the route lets in; for public forms (login, sign-up...) a visitor too."""
    roles = [access.acting_role]
    if ANONYMOUS in access.allow:
        roles.append(ANONYMOUS)
    return roles


WRITES = [access for access in MATRIX if access.changes_state]
CASES = [pytest.param(access, role, id=f"{access.key}-{role}") for access in WRITES for role in acting_roles(access)]


def database_fingerprint() -> str:
    """Every row of every table: any insert, update or delete changes it."""
    digest = hashlib.sha256()
    for table in db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        for row in db.session.execute(select(table).order_by(*order)):
            digest.update(repr(tuple(row)).encode())
    db.session.commit()
    return digest.hexdigest()


def test_the_walk_covers_every_state_changing_route(world):
    in_app = {key for key in routes_of(world.app) if key.split()[0] in WRITE_METHODS}
    walked = {access.key for access in WRITES}
    assert in_app == walked, f"not walked: {sorted(in_app - walked)}; not in the app: {sorted(walked - in_app)}"


@pytest.mark.parametrize(("access", "role"), CASES)
def test_a_request_without_the_token_is_refused_and_changes_nothing(world, access, role):
    before = database_fingerprint()
    client = mw.client_for(world, role)
    with mw.send(world, client, role, access, with_csrf=False) as response:
        refused = mw.is_csrf_refusal(response)
        status = response.status_code
    changed = database_fingerprint() != before
    if changed:
        world.restore()
    assert refused, f"{access.key} as {role} without a CSRF token: got {status}, expected 400 csrf_failed"
    assert not changed, f"{access.key} as {role} without a CSRF token wrote to the database"


@pytest.mark.parametrize(("access", "role"), CASES)
def test_the_same_request_with_the_token_gets_past_the_check(world, access, role):
    client = mw.client_for(world, role)
    try:
        with mw.send(world, client, role, access) as response:
            assert not mw.is_csrf_refusal(response), f"{access.key} as {role}: refused with a valid token"
            assert response.status_code not in (401, 403, 404, 405) and response.status_code < 500, (
                f"{access.key} as {role}: got {response.status_code}; the walk would not test the token")
    finally:
        world.restore()


DEVICE_ROUTES = [pytest.param(access, id=access.key) for access in WRITES if access.csrf == CSRF_SESSION_OR_DEVICE]


def test_the_device_exemption_is_declared_for_the_check_in_api_only():
    exempt = {access.key for access in MATRIX if access.csrf == CSRF_SESSION_OR_DEVICE}
    assert exempt == {"POST checkin.checkin", "POST checkin.sync"}
    assert all(access.api and DEVICE in access.allow for access in MATRIX if access.key in exempt)


@pytest.mark.parametrize("access", DEVICE_ROUTES)
def test_a_gate_device_needs_no_token(world, access):
    """A Bearer token travels in a header a cross-site form cannot set: no CSRF token needed."""
    client = mw.client_for(world, DEVICE)
    try:
        with mw.send(world, client, DEVICE, access, with_csrf=False) as response:
            body = response.get_json(silent=True) or {}
            assert body.get("error") != "csrf_failed" and response.status_code not in (401, 403), (
                f"{access.key} from a gate device: got {response.status_code} {body}")
    finally:
        world.restore()
