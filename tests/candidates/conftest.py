"""Fixtures for candidate tests: the upload folder's files and a CV upload helper."""

from __future__ import annotations

import io
from pathlib import Path

import pytest


@pytest.fixture
def all_files(app):
    """Every file under the instance folder, relative (to prove nothing lands elsewhere)."""
    root = Path(app.instance_path)

    def _list() -> set[str]:
        return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()
                and not p.name.startswith("jobday.sqlite")}

    return _list


@pytest.fixture
def upload_cv(client):
    def _upload(data: bytes, filename: str = "cv.pdf", **kwargs):
        response = client.post_form("/candidate/cv", {"cv": (io.BytesIO(data), filename)},
                                    content_type="multipart/form-data", **kwargs)
        # Werkzeug's test client spools a large body to a temporary file and leaves it open.
        response.request.environ["wsgi.input"].close()
        return response

    return _upload
