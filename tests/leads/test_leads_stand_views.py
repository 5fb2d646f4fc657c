"""The stand page and its JSON calls over HTTP: scans, replays, offline sync, the copy of
names, bad input (400 JSON, never a 500), CSRF, the guessing limit, and who may use them."""

from __future__ import annotations

from sqlalchemy import func, select

from jobday.db import utcnow
from jobday.extensions import db
from jobday.leads.models import Lead, LeadScan
from tests import factories
from tests.leads.conftest import nonce, registered

FR = {"Accept-Language": "fr"}


def _post(client, url, body, *, csrf=True):
    headers = dict(FR)
    if csrf:
        headers["X-CSRFToken"] = client.csrf_token()
    return client.post(url, json=body, headers=headers)


def test_the_stand_page_is_the_recruiters(client, login_as, stand):
    login_as(stand.alice_recruiter)
    page = client.get("/company/stand", headers=FR).get_data(as_text=True)
    assert 'id="stand"' in page and "js/stand/stand.js" in page and "jsQR-1.4.0.js" in page
    assert "Stand A1 · Acme Bio" in page
    sw = client.get("/company/stand/sw.js")
    assert sw.status_code == 200 and sw.headers["Service-Worker-Allowed"] == "/company/stand"


def test_a_recruiter_of_a_company_not_approved_gets_not_found(client, login_as, stand):
    stand.acme.status = "pending"
    db.session.commit()
    login_as(stand.alice_recruiter)
    page = client.get("/company/stand")  # a menu entry: it says why there is no scanner yet
    assert page.status_code == 200 and "stand/scan" not in page.get_data(as_text=True)
    assert _post(client, "/company/stand/scan", {"code": stand.zoe.badge.code, "nonce": nonce()}).status_code == 404


def test_candidates_and_door_staff_may_not_scan(client, login_as, stand):
    for who in (stand.zoe, stand.door):
        login_as(who)
        assert client.get("/company/stand").status_code == 403
        assert _post(client, "/company/stand/scan", {"code": stand.zoe.badge.code, "nonce": nonce()}).status_code == 403
        assert client.get("/company/stand/snapshot").status_code == 403
    assert db.session.scalar(select(func.count(Lead.id))) == 0


def test_a_scan_answers_with_the_name_and_the_lead(client, login_as, stand):
    login_as(stand.alice_recruiter)
    same = nonce()
    answer = _post(client, "/company/stand/scan", {"code": stand.zoe.badge.code, "nonce": same}).get_json()
    lead = db.session.scalar(select(Lead))
    assert answer == {"nonce": same, "result": "ok", "message": "Contact enregistré.", "name": "Zoë Müller",
                      "new": True, "lead_url": f"/company/leads/{lead.id}"}
    again = _post(client, "/company/stand/scan", {"code": stand.zoe.badge.code, "nonce": same}).get_json()
    assert again["result"] == "ok" and again["new"] is False
    assert db.session.scalar(select(func.count(LeadScan.id))) == 1


def test_refusals_are_answered_in_french(client, login_as, stand):
    login_as(stand.alice_recruiter)
    answer = _post(client, "/company/stand/scan", {"code": "NOPE-NOPE", "nonce": nonce()}).get_json()
    assert (answer["result"], answer["message"], answer["name"], answer["lead_url"]) == (
        "unknown", "Code inconnu.", "", None)


def test_bad_input_is_a_400_json_answer_and_writes_nothing(client, login_as, stand):
    login_as(stand.alice_recruiter)
    for body in ({}, {"code": stand.zoe.badge.code}, {"code": stand.zoe.badge.code, "nonce": "short"},
                 {"code": 12, "nonce": nonce()}, {"code": "x" * 201, "nonce": nonce()}, [1, 2], "text"):
        response = _post(client, "/company/stand/scan", body)
        assert response.status_code == 400 and response.get_json()["error"] == "invalid_input", body
    response = client.post("/company/stand/scan", data="not json", headers={"X-CSRFToken": client.csrf_token()})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Lead.id))) == 0


def test_a_scan_without_the_csrf_token_is_refused(client, login_as, stand):
    login_as(stand.alice_recruiter)
    response = _post(client, "/company/stand/scan", {"code": stand.zoe.badge.code, "nonce": nonce()}, csrf=False)
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Lead.id))) == 0


def test_guessing_codes_is_slowed_down(app, client, login_as, stand):
    app.config["CHECKIN_UNKNOWN_LIMIT"] = "3 per minute"
    login_as(stand.alice_recruiter)
    for _ in range(3):
        answer = _post(client, "/company/stand/scan", {"code": "GUESS", "nonce": nonce()}).get_json()
        assert answer["result"] == "unknown"
    refused = _post(client, "/company/stand/scan", {"code": stand.zoe.badge.code, "nonce": nonce()})
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    assert refused.get_json()["error"] == "rate_limited"
    # Another recruiter (another phone) is not slowed by the first.
    login_as(stand.bruno_recruiter)
    assert _post(client, "/company/stand/scan", {"code": stand.zoe.badge.code, "nonce": nonce()}).status_code == 200


def test_offline_scans_are_synced_once_each(client, login_as, stand):
    login_as(stand.bruno_recruiter)
    earlier = factories.earlier_today(minutes=20).isoformat()
    scans = [{"code": stand.zoe.badge.code, "nonce": nonce(), "client_time": earlier},
             {"code": stand.yann.badge.code.lower(), "nonce": nonce(), "client_time": earlier},
             {"code": "UNKNOWN", "nonce": nonce(), "client_time": earlier},
             {"code": stand.zoe.badge.code, "nonce": "bad", "client_time": earlier},
             {"code": stand.zoe.badge.code, "nonce": nonce(), "client_time": "yesterday"},
             "garbage"]
    results = _post(client, "/company/stand/sync", {"scans": scans}).get_json()["results"]
    assert [r.get("result") or r.get("error") for r in results] == [
        "ok", "ok", "unknown", "invalid_input", "invalid_input", "invalid_input"]
    assert [r["nonce"] for r in results[:3]] == [s["nonce"] for s in scans[:3]]
    again = _post(client, "/company/stand/sync", {"scans": scans[:2]}).get_json()["results"]
    assert [r["result"] for r in again] == ["ok", "ok"]
    rows = db.session.scalars(select(LeadScan)).all()
    assert len(rows) == 2 and all(row.is_offline and row.client_time for row in rows)
    assert _post(client, "/company/stand/sync", {"scans": "nope"}).status_code == 400
    assert _post(client, "/company/stand/sync", {"scans": [{}] * 201}).status_code == 400


def test_an_offline_batch_counts_each_unknown_code_and_stops_at_the_limit(app, client, login_as, stand):
    app.config["CHECKIN_UNKNOWN_LIMIT"] = "3 per minute"
    login_as(stand.bruno_recruiter)
    now = utcnow().isoformat()
    guesses = [{"code": f"GUESS{n:04d}", "nonce": nonce(), "client_time": now} for n in range(10)]
    batch = [{"code": stand.zoe.badge.code, "nonce": nonce(), "client_time": now}, *guesses]
    response = _post(client, "/company/stand/sync", {"scans": batch})
    assert response.status_code == 429 and response.headers["Retry-After"], response.get_json()
    body = response.get_json()
    assert body["error"] == "rate_limited"
    assert [r["result"] for r in body["results"]] == ["ok", "unknown", "unknown", "unknown"]  # then it stopped
    assert db.session.scalars(select(LeadScan)).all()  # the decided scan is kept
    assert _post(client, "/company/stand/scan", {"code": "GUESS9999", "nonce": nonce()}).status_code == 429


def test_the_copy_of_names_holds_no_codes(client, login_as, stand):
    login_as(stand.alice_recruiter)
    data = client.get("/company/stand/snapshot").get_json()
    assert sorted(item["name"] for item in data["badges"]) == ["Yann Dubois", "Zoë Müller"]
    assert stand.zoe.badge.code not in str(data)


def test_the_stand_lists_the_latest_leads_as_the_list_shows_them(client, login_as, stand):
    """Twenty lines at most, the last scanned first; tags in the reader's order; a candidate who
    took the access back keeps the name only."""
    from datetime import timedelta

    company, now = stand.acme.company, utcnow()
    shared = factories.make_lead(company, stand.zoe, stand.edition, rating=4, last_scanned_at=now)
    shared.tags = [factories.make_tag(company, name) for name in ("Stage", "Électronique", "anglais")]
    withdrawn = factories.make_lead(company, stand.yann, stand.edition, rating=5,
                                    last_scanned_at=now - timedelta(minutes=1))
    withdrawn.access_withdrawn_at = now
    for n in range(25):
        older = registered(stand.edition, badge=False, first_name=f"Old{n:02d}", last_name="Lead")
        factories.make_lead(company, older, stand.edition, last_scanned_at=now - timedelta(hours=1, minutes=n))
    db.session.commit()
    login_as(stand.alice_recruiter)
    page = client.get("/company/stand", headers=FR).get_data(as_text=True)
    recent = page[page.index('id="recent"'):]
    assert recent.count('class="lead-name"') == 20
    assert recent.index("Zoë Müller") < recent.index("Yann Dubois") < recent.index("Old00 Lead")
    assert "Old17 Lead" in recent and "Old18 Lead" not in recent
    zoe = recent[:recent.index("Yann Dubois")]
    assert "★★★★" in zoe and zoe.index("anglais") < zoe.index("Électronique") < zoe.index("Stage")
    yann = recent[recent.index("Yann Dubois"):recent.index("Old00 Lead")]
    assert "★" not in yann


def test_the_kept_copy_of_names_follows_every_change_of_badges_and_registrations(client, login_as, stand):
    """The copy is kept per edition under a version of its badges and registrations: a badge
    issued, reissued for a new name or revoked, a registration withdrawn or back, shows at once."""
    from jobday.badges.services import revoke_badge, sync_edition
    from jobday.candidates.models import Registration

    def names():
        return sorted(item["name"] for item in client.get("/company/stand/snapshot").get_json()["badges"])

    def registration_of(user):
        return db.session.scalar(select(Registration).where(Registration.user_id == user.id,
                                                            Registration.edition_id == stand.edition.id))

    login_as(stand.alice_recruiter)
    assert names() == names() == ["Yann Dubois", "Zoë Müller"]  # the second from the kept copy
    newcomer = registered(stand.edition, first_name="Ana", last_name="Lima")
    db.session.commit()
    assert names() == ["Ana Lima", "Yann Dubois", "Zoë Müller"]
    stand.zoe.last_name = "Muller"
    sync_edition(stand.edition, actor=None)  # her badge reissued for the new name
    db.session.commit()
    assert names() == ["Ana Lima", "Yann Dubois", "Zoë Muller"]
    revoke_badge(newcomer.badge, reason="other", actor=None)
    db.session.commit()
    assert names() == ["Yann Dubois", "Zoë Muller"]
    yann = registration_of(stand.yann)  # withdrawn, the badge not (yet) revoked: the copy leaves it out
    yann.status, yann.withdrawn_at = "withdrawn", utcnow()
    db.session.commit()
    assert names() == ["Zoë Muller"]
    yann.status, yann.withdrawn_at = "registered", None
    db.session.commit()
    assert names() == ["Yann Dubois", "Zoë Muller"]


def test_the_kept_stand_section_shows_every_change_at_once_with_each_readers_token(app, client, login_as, stand):
    """The stand's section is kept for what it shows: a new or changed lead, another stand or
    company name show at once; each recruiter's page carries their own CSRF token."""
    import re

    from jobday.accounts import session_policy

    def page(browser):
        return browser.get("/company/stand", headers=FR).get_data(as_text=True)

    def token(html):
        return re.search(r'data-csrf="([^"]+)"', html).group(1)

    company = stand.acme.company
    login_as(stand.alice_recruiter)
    first = page(client)
    assert "Zoë Müller" not in first
    lead = factories.make_lead(company, stand.zoe, stand.edition, rating=2, last_scanned_at=utcnow())
    db.session.commit()
    assert "Zoë Müller" in page(client) and "★★<" in page(client)
    lead.rating = 3
    stand.acme.stand = "C7"
    company.name = "Acme Biotech"
    db.session.commit()
    changed = page(client)
    assert "★★★" in changed and "Stand C7 · Acme Biotech" in changed
    assert token(changed) == token(first)

    other = app.test_client()  # another recruiter, logged in as login_as does
    with other.session_transaction() as session:
        session["_user_id"] = stand.bruno_recruiter.get_id()
        session["_fresh"] = True
        session.update(session_policy.login_stamps(remembered=False))
    theirs = page(other)
    assert "Stand C7 · Acme Biotech" in theirs and token(theirs) != token(changed)
