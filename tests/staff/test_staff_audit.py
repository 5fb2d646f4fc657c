"""The audit log records sensitive actions without personal data; organisers filter it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from jobday.security import Role
from jobday.staff.models import AuditEntry
from tests import factories


def test_organiser_login_is_recorded_and_candidate_login_is_not(app, db, client):
    admin = factories.make_user(roles=(Role.ADMIN,), email="boss@example.org")
    candidate = factories.make_user(email="cand@example.org")
    db.session.commit()
    for user in (admin, candidate):
        client.post_form("/account/login", {"email": user.email, "password": factories.DEFAULT_PASSWORD})
        client.post_form("/account/logout")
    entries = list(db.session.scalars(select(AuditEntry)))
    assert [(e.action, e.actor_id) for e in entries] == [("login", admin.id)]
    assert entries[0].ip == "127.0.0.1"
    assert "boss@example.org" not in entries[0].detail


def test_entries_cannot_be_changed(app, db):
    from jobday.staff.audit import record_audit

    entry = record_audit("export", actor=None, detail="kind=x")
    db.session.commit()
    entry.detail = "changed"
    with pytest.raises(ValueError):
        db.session.commit()
    db.session.rollback()


def test_role_change_is_audited_and_own_admin_role_kept(app, db, client, login_as, fair):
    admin = login_as(Role.ADMIN)
    response = client.post_form(f"/staff/people/{fair.sharing.id}/roles", {"roles": ["candidate", "staff"]})
    assert response.status_code == 303
    db.session.expire_all()
    assert fair.sharing.has_role(Role.STAFF)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "role_change"))
    assert entry.object_id == fair.sharing.id and entry.detail == "+staff"
    client.post_form(f"/staff/people/{admin.id}/roles", {"roles": ["candidate"]})
    db.session.expire_all()
    assert admin.has_role(Role.ADMIN)
    page = client.get("/staff/audit?action=role_change").get_data(as_text=True)
    assert "+staff" in page


def test_withdraw_and_reissue_from_the_person_record(app, db, client, login_as, fair, mailbox):
    login_as(Role.ADMIN)
    badge = factories.make_badge(fair.sharing, fair.edition)
    db.session.commit()
    response = client.post_form(f"/staff/people/{fair.sharing.id}/badges/{badge.id}/reissue", {"reason": "lost"})
    assert response.status_code == 303
    db.session.expire_all()
    assert badge.status == "revoked"
    from jobday.candidates.models import Registration

    withdraw = f"/staff/people/{fair.sharing.id}/editions/{fair.edition.id}/withdraw"
    sent_before = len(mailbox.messages)
    refused = client.post_form(withdraw, follow_redirects=True)  # the box left unticked: nothing changes
    assert "Cochez la case pour confirmer le retrait." in refused.get_data(as_text=True)
    registration = db.session.scalar(select(Registration).where(Registration.user_id == fair.sharing.id))
    assert registration.status != "withdrawn" and len(mailbox.messages) == sent_before
    response = client.post_form(withdraw, {"confirm": "y"})
    assert response.status_code == 303
    db.session.expire_all()
    registration = db.session.scalar(select(Registration).where(Registration.user_id == fair.sharing.id))
    assert registration.status == "withdrawn"
    actions = {e.action for e in db.session.scalars(select(AuditEntry))}
    assert {"badge_reissue", "registration_withdraw"} <= actions
    # A badge of someone else under this person's URL is not found.
    other = factories.make_badge(fair.private, fair.edition)
    db.session.commit()
    assert client.post_form(f"/staff/people/{fair.sharing.id}/badges/{other.id}/reissue",
                            {"reason": "lost"}).status_code == 404
