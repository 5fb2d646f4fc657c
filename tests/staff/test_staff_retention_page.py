"""The retention page (issue 14, item 16): each edition's periods with the dates they fall due,
the last and next purge, what the next one erases; a backup made and downloaded from there."""

from __future__ import annotations

import io
import re
import tarfile
from datetime import timedelta

from sqlalchemy import select

from jobday.db import utcnow
from jobday.security import Role
from jobday.staff import retention
from jobday.staff.models import AuditEntry
from tests import factories

FR = {"Accept-Language": "fr"}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_page_shows_periods_purges_and_what_goes_next(app, db, client, login_as):
    factories.make_edition(retention_cv_months=6, retention_data_months=24, retention_scans_months=12)
    db.session.commit()
    retention.apply_purge(retention.PurgePlan(cv_user_ids=[]), actor=None)  # nothing: no entry
    login_as(Role.ADMIN)
    page = _text(client.get("/staff/retention", headers=FR).get_data(as_text=True))
    assert "6 mois" in page and "24 mois" in page and "12 mois" in page
    assert "Aucune purge n'a encore rien effacé" in page or "Aucune purge n’a encore rien effacé" in page
    assert "Prochaine purge" in page and "0 CV" in page
    upcoming = retention.next_purge()
    assert timedelta(0) < upcoming - utcnow() <= timedelta(days=1)


def test_a_backup_is_made_and_downloaded_from_the_back_office(app, db, client, login_as):
    factories.make_edition()
    db.session.commit()
    olga = login_as(Role.ADMIN)
    page = client.get("/staff/retention", headers=FR).get_data(as_text=True)
    assert "Faire une sauvegarde maintenant" in page
    response = client.post_form("/staff/backups")
    assert response.status_code == 303 and "/jobs/" in response.headers["Location"]
    job_page = client.get(response.headers["Location"], headers=FR).get_data(as_text=True)
    assert re.search(r"Sauvegarde de \d+,\d Mo", job_page), "a French decimal comma"
    download = client.get(response.headers["Location"] + "/download")
    body, disposition = download.data, download.headers["Content-Disposition"]
    download.close()
    assert download.status_code == 200 and "jobday-backup-" in disposition
    with tarfile.open(fileobj=io.BytesIO(body), mode="r:gz") as archive:
        assert {"manifest.json", "database.sqlite"} <= set(archive.getnames())
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "backup"))
    assert entry is not None and entry.actor_id == olga.id


def test_only_organisers_make_backups(app, db, client, login_as):
    login_as(Role.STAFF)
    assert client.post_form("/staff/backups").status_code == 403
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "backup")) is None
