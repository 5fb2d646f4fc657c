"""A campaign reaches each person once, even when sent twice or retried (real SMTP server)."""

from __future__ import annotations

from sqlalchemy import func, select

from jobday.mail.models import OutboundEmail
from jobday.security import Role
from jobday.staff import campaigns
from jobday.staff.models import AuditEntry, Campaign


def _create(client, fair, audience="registered"):
    response = client.post_form(f"/staff/campaigns?year={fair.edition.year}", {
        "audience": audience, "subject_fr": "Infos pratiques", "body_fr": "Parking gratuit.",
        "subject_en": "Practical information", "body_en": "Free parking."})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_sent_twice_and_retried_reaches_each_person_once(app, db, client, login_as, fair, mailbox):
    app.config["CAMPAIGN_BATCH_SIZE"] = 1  # throttled: one e-mail per run, the next run scheduled
    login_as(Role.ADMIN)
    campaign_id = _create(client, fair)
    page = client.get(f"/staff/campaigns/{campaign_id}").get_data(as_text=True)
    assert "Parking gratuit." in page  # the preview for a real recipient
    # Not without the ticked box, nor with a number of recipients other than the one shown.
    for refused in ({"recipients": 2}, {"confirm": "y", "recipients": 3}):
        assert client.post_form(f"/staff/campaigns/{campaign_id}/send", refused).status_code == 303
        assert db.session.get(Campaign, campaign_id).status == "draft"
    confirmed = {"confirm": "y", "recipients": 2}
    assert client.post_form(f"/staff/campaigns/{campaign_id}/send", confirmed).status_code == 303
    second = client.post_form(f"/staff/campaigns/{campaign_id}/send", {"confirm": "y", "recipients": 2},
                              headers={"Accept-Language": "en"})
    assert second.status_code == 303
    assert "already been sent" in client.get(second.headers["Location"],
                                             headers={"Accept-Language": "en"}).get_data(as_text=True)
    # A retried job queues nothing new.
    campaign = db.session.get(Campaign, campaign_id)
    assert campaigns.send_batch(campaign, 10) == (0, False)
    db.session.commit()
    assert len(mailbox.to("ana@example.org")) == 1
    assert len(mailbox.to("bob@example.org")) == 1
    assert "Parking gratuit." in mailbox.text(mailbox.to("ana@example.org")[0])
    keys = db.session.scalar(select(func.count()).where(OutboundEmail.dedup_key.like(f"campaign:{campaign_id}:%")))
    assert keys == 2
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "campaign_send")) == 1


def test_audiences(app, fair):
    from jobday.accounts.models import User
    from jobday.extensions import db

    def ids(audience):
        return set(db.session.scalars(campaigns.recipients_query(audience, fair.edition).with_only_columns(User.id)))

    assert ids("registered") == {fair.sharing.id, fair.private.id}
    assert ids("registered_no_interview") == set()
    assert len(ids("approved_companies")) == 2


def test_a_draft_without_text_is_refused(app, db, client, login_as, fair):
    login_as(Role.ADMIN)
    response = client.post_form(f"/staff/campaigns?year={fair.edition.year}", {"audience": "registered"},
                                headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == 0


def test_reminders_are_idempotent(app, db, runner, fair, mailbox):
    result = runner.invoke(args=["reminders", "send", "--kind", "morning", "--year", str(fair.edition.year)])
    assert "2 rappels en file" in result.output, result.output
    again = runner.invoke(args=["reminders", "send", "--kind", "morning", "--year", str(fair.edition.year)])
    assert "0 rappel en file" in again.output
    assert len(mailbox.to("ana@example.org")) == 1


def test_send_me_a_test_first_reaches_the_organiser_only(app, db, client, login_as, fair, mailbox):
    organiser = login_as(Role.ADMIN, email="olga@example.org")
    campaign_id = _create(client, fair)
    assert client.post_form(f"/staff/campaigns/{campaign_id}/test").status_code == 303
    [message] = mailbox.messages
    assert message["To"] == organiser.email and "Parking gratuit." in mailbox.text(message)
    assert db.session.get(Campaign, campaign_id).status == "draft"
