"""The one way a CV leaves Jobday over HTTP: always a PDF download named ``<name>.pdf``.

The candidate's own page, the recruiter's applicant and lead pages and the back office all
answer with this, so the rules are in one place: ``application/pdf`` whatever the uploaded
name said (a ``.html`` name is served as ``.pdf``), as an attachment, not sniffed, sandboxed
if a browser shows it anyway, and never cached.
"""

from __future__ import annotations

import io

from flask import Response, send_file

from jobday.candidates.cv import display_name
from jobday.candidates.models import CandidateProfile


def cv_response(profile: CandidateProfile, content: bytes) -> Response:
    response = send_file(io.BytesIO(content), as_attachment=True, mimetype="application/pdf",
                         download_name=display_name(profile.cv_original_name), max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response
