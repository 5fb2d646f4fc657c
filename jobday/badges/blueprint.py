"""The badges blueprint and what its view modules share."""

from __future__ import annotations

import io

from flask import Blueprint, send_file

bp = Blueprint("badges", __name__)


def pdf_response(pdf: bytes, filename: str):
    response = send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=False,
                         download_name=filename, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
