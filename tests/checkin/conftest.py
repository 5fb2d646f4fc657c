"""The door's fixtures: an edition taking place today, a gate device, a scan helper."""

from __future__ import annotations

import itertools

import pytest

from tests import factories

_nonces = itertools.count(1)


def nonce() -> str:
    return f"nonce-{next(_nonces):08d}"


@pytest.fixture
def today_edition(app, db):
    edition = factories.make_edition_today()
    db.session.commit()
    return edition


@pytest.fixture
def device(today_edition, db):
    device, token = factories.make_gate_device(today_edition, gate="A")
    db.session.commit()
    return device, token


@pytest.fixture
def scan(client, device):
    """``scan(code, token=..., **json)``: POST /api/v1/checkin with a device token."""

    def _scan(code, *, token=None, headers=None, **payload):
        payload.setdefault("nonce", nonce())
        body = {"code": code, **payload}
        auth = {"Authorization": f"Bearer {token or device[1]}", "Accept-Language": "en", **(headers or {})}
        return client.post("/api/v1/checkin", json=body, headers=auth)

    return _scan
