"""Erasure and the outbox (issue 16, item 5, in part): the person's e-mails stayed in the
outbox table, a live reset link among them, and in the development ``.eml`` files."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from jobday.candidates.erasure import erase_candidate
from jobday.mail.models import OutboundEmail
from tests import factories


def test_erasing_a_candidate_removes_their_e_mails_and_eml_files(backend, app, client, db):
    app.config["MAIL_SERVER"] = ""  # development: each e-mail is also an .eml file
    zoe = factories.make_candidate(email="zoe.muller@example.org", first_name="Zoë", last_name="Müller")
    other = factories.make_candidate(email="omar@example.org")
    db.session.commit()
    for address in (zoe.email, other.email):
        assert client.post_form("/account/reset", {"email": address}).status_code == 200
    folder = Path(app.config["OUTBOX_FOLDER"])
    assert len(list(folder.glob("*.eml"))) == 2

    erase_candidate(db.session.get(type(zoe), zoe.id))
    db.session.commit()

    rows = list(db.session.scalars(select(OutboundEmail)))
    assert [row.recipient for row in rows] == ["omar@example.org"]  # another person's stays
    files = [path.read_text() for path in folder.glob("*.eml")]
    assert len(files) == 1 and "omar@example.org" in files[0]
    assert not any("zoe.muller@example.org" in text or "Zoë" in text for text in files)
