"""The audit log as an organiser reads it (issue 14, item 13): names, not numbers; a filter by
name (accents and case aside); company approvals and declines recorded."""

from __future__ import annotations

import re

from sqlalchemy import select

from jobday.companies import organiser
from jobday.security import Role
from jobday.staff.audit import record_audit
from jobday.staff.models import AuditEntry
from tests import factories

FR = {"Accept-Language": "fr"}


def _text(html: str) -> str:
    body = html[html.index("<main"):html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_approvals_and_declines_are_recorded(app, db):
    edition = factories.make_edition()
    company = factories.make_company(name="Crèvecœur Bio")
    participation = factories.make_participation(company, edition, status="pending")
    admin = factories.make_user(roles=(Role.ADMIN,))
    organiser.decide_participation(participation.id, approve=True, actor=admin)
    organiser.decide_participation(participation.id, approve=False, actor=admin)
    db.session.commit()
    entries = db.session.execute(select(AuditEntry.action, AuditEntry.actor_id, AuditEntry.object_id)
                                 .order_by(AuditEntry.id)).all()
    assert [(str(a), b, c) for a, b, c in entries] == [("company_approve", admin.id, participation.id),
                                                       ("company_decline", admin.id, participation.id)]


def test_the_log_shows_names_and_filters_by_name(app, db, client, login_as):
    edition = factories.make_edition()
    zoe = factories.make_candidate(first_name="Zoë", last_name="Müller", email="zoe@example.org")
    bruno = factories.make_candidate(first_name="Bruno", last_name="Lejeune", email="bruno@example.org")
    company = factories.make_company(name="Crèvecœur Bio")
    participation = factories.make_participation(company, edition)
    olga = login_as(Role.ADMIN, first_name="Olga", last_name="Ørsted")
    record_audit("role_change", actor=olga, object_type="user", object_id=zoe.id, detail="+staff")
    record_audit("email_resend", actor=olga, object_type="user", object_id=bruno.id, detail="kind=badge")
    record_audit("company_approve", actor=olga, object_type="participation", object_id=participation.id)
    db.session.commit()
    page = _text(client.get("/staff/audit", headers=FR).get_data(as_text=True))
    assert "Olga Ørsted" in page and "Zoë Müller" in page and "Crèvecœur Bio" in page
    assert f"#{zoe.id}" not in page and f"#{olga.id}" not in page
    assert "Entreprise acceptée" in page
    found = _text(client.get("/staff/audit?who=muller", headers=FR).get_data(as_text=True))
    assert "Zoë Müller" in found and "Bruno Lejeune" not in found and "Crèvecœur Bio" not in found
    by_actor = _text(client.get("/staff/audit?who=ORSTED", headers=FR).get_data(as_text=True))
    assert "Zoë Müller" in by_actor and "Bruno Lejeune" in by_actor
    nobody = _text(client.get("/staff/audit?who=nobody-here", headers=FR).get_data(as_text=True))
    assert "Zoë Müller" not in nobody
