"""The leads pages over HTTP: the list and its filters, one lead (profile as shared, CV only
with consent, a withdrawn access hides it at once), edits with their history, tags, requests
to share, invitations, exports; and who may see or change them (both databases)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from jobday.candidates import cv
from jobday.candidates.consent import record_consents
from jobday.candidates.services import get_profile
from jobday.extensions import db
from jobday.formats import format_datetime
from jobday.leads import sharing
from jobday.leads.models import InterviewInvitation, Lead, LeadChange, LeadTag
from tests import factories
from tests.leads.conftest import build_stand
from tests.scheduling.conftest import slots_of

FR = {"Accept-Language": "fr"}


def _lead(stand, candidate=None, company=None, **fields):
    lead = factories.make_lead(company or stand.acme.company, candidate or stand.zoe, stand.edition, **fields)
    db.session.commit()
    return lead


def _with_cv(user):
    cv.store_cv(get_profile(user), factories.make_pdf(), "cv-zoe.pdf")
    db.session.commit()


def _form(lead, **changes):
    data = {"version": str(lead.version), "rating": "", "state": lead.state, "note": lead.note, "offer_id": ""}
    data.update(changes)
    return data


def test_the_list_shows_the_companys_leads_and_filters_them(client, login_as, stand):
    tag = factories.make_tag(stand.acme.company, "Prioritaire")
    zoe = _lead(stand, rating=5, state="contacted")
    zoe.tags = [tag]
    _lead(stand, stand.yann, rating=2)
    _lead(stand, factories.make_candidate(first_name="Chez", last_name="Biolab"), company=stand.biolab.company)
    db.session.commit()
    login_as(stand.bruno_recruiter)
    page = client.get("/company/leads", headers=FR).get_data(as_text=True)
    assert "Zoë Müller" in page and "Yann Dubois" in page and "Chez Biolab" not in page
    assert "2 contacts" in page and "Contacté" in page and "Prioritaire" in page
    assert ">1 étoile ou plus<" in page and ">2 étoiles ou plus<" in page  # French plural: not "1 étoiles"
    filtered = client.get(f"/company/leads?rating=4&tag={tag.id}&state=contacted", headers=FR).get_data(as_text=True)
    assert "Zoë Müller" in filtered and "Yann Dubois" not in filtered
    assert client.get("/company/leads?rating=abc&tag=999999999999&state=x").status_code == 200
    offer = factories.make_offer(stand.acme.company, title="Analyste QC")
    db.session.get(Lead, zoe.id).offer_id = offer.id
    db.session.commit()
    by_offer = client.get(f"/company/leads?offer={offer.id}", headers=FR).get_data(as_text=True)
    assert "Zoë Müller" in by_offer and "Yann Dubois" not in by_offer


def test_the_lead_page_shows_the_profile_and_the_cv_only_with_consent(client, login_as, stand):
    _with_cv(stand.zoe)
    lead = _lead(stand)
    login_as(stand.alice_recruiter)
    page = client.get(f"/company/leads/{lead.id}", headers=FR).get_data(as_text=True)
    assert "zoe@example.org" in page and "Master" in page
    assert f"/company/leads/{lead.id}/cv" not in page
    assert f"/company/leads/{lead.id}/ask" in page  # the CV exists but is not shared: ask for it
    ask = page[page.index(f"/company/leads/{lead.id}/ask"):]
    assert ask.index('name="csrf_token"') < ask.index("</form>")  # its form carries the token
    assert client.get(f"/company/leads/{lead.id}/cv").status_code == 404
    no_cv = _lead(stand, stand.yann)
    assert f"/company/leads/{no_cv.id}/ask" not in client.get(f"/company/leads/{no_cv.id}").get_data(as_text=True)
    record_consents(stand.zoe, {"share_with_all_exhibitors": True}, actor=stand.zoe)
    db.session.commit()
    page = client.get(f"/company/leads/{lead.id}", headers=FR).get_data(as_text=True)
    assert f"/company/leads/{lead.id}/cv" in page and f"/company/leads/{lead.id}/ask" not in page
    download = client.get(f"/company/leads/{lead.id}/cv")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    # The candidate takes the access back: at once, name only, no CV.
    sharing.withdraw_access(lead, actor=stand.zoe)
    db.session.commit()
    page = client.get(f"/company/leads/{lead.id}", headers=FR).get_data(as_text=True)
    assert "Zoë Müller" in page and "zoe@example.org" not in page and "Master" not in page
    assert "retiré l'accès" in page and 'name="rating"' not in page
    assert client.get(f"/company/leads/{lead.id}/cv").status_code == 404


def test_colleagues_rate_and_tag_and_see_who_changed_what(client, login_as, stand):
    tag = factories.make_tag(stand.acme.company, "Stage")
    offer = factories.make_offer(stand.acme.company, title="Analyste QC")
    lead = _lead(stand)
    login_as(stand.alice_recruiter)
    response = client.post_form(f"/company/leads/{lead.id}", _form(
        lead, rating="4", state="contacted", tags=[str(tag.id)], offer_id=str(offer.id), note="À rappeler"),
        headers=FR)
    assert response.status_code == 303
    db.session.expire_all()
    lead = db.session.get(Lead, lead.id)
    assert (lead.rating, lead.state, [t.name for t in lead.tags], lead.offer_id, lead.note) == (
        4, "contacted", ["Stage"], offer.id, "À rappeler")
    login_as(stand.bruno_recruiter)
    page = client.get(f"/company/leads/{lead.id}", headers=FR).get_data(as_text=True)
    assert "À rappeler" in page and "Sophie Lambert" in page and "★★★★" in page
    assert "suivi\u00a0: Contacté" in page


def test_an_edit_from_an_old_page_is_refused_and_shows_the_new_version(client, login_as, stand):
    lead = _lead(stand)
    old = _form(lead, rating="2")
    login_as(stand.alice_recruiter)
    assert client.post_form(f"/company/leads/{lead.id}", _form(lead, rating="5")).status_code == 303
    login_as(stand.bruno_recruiter)
    response = client.post_form(f"/company/leads/{lead.id}", old, headers=FR)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Un·e collègue a modifié ce contact" in page
    assert 'value="5" checked' in page or 'checked value="5"' in page or ('value="5"' in page and "checked" in page)
    db.session.expire_all()
    assert db.session.get(Lead, lead.id).rating == 5


def test_bad_input_and_missing_csrf_write_nothing(client, login_as, stand):
    lead = _lead(stand)
    login_as(stand.alice_recruiter)
    assert client.post_form(f"/company/leads/{lead.id}", _form(lead, rating="9")).status_code == 400
    assert client.post_form(f"/company/leads/{lead.id}", _form(lead, state="married")).status_code == 400
    assert client.post_form(f"/company/leads/{lead.id}", _form(lead, note="x" * 5001)).status_code == 400
    assert client.post(f"/company/leads/{lead.id}", data=_form(lead, rating="3")).status_code == 400
    db.session.expire_all()
    assert db.session.get(Lead, lead.id).version == 1
    assert db.session.scalar(select(func.count(LeadChange.id))) == 0


def _outsiders_cannot_see_or_change(client, login_as, stand):
    _with_cv(stand.zoe)
    record_consents(stand.zoe, {"share_with_all_exhibitors": True}, actor=stand.zoe)
    lead = _lead(stand, note="Confidentiel Acme")
    tag = factories.make_tag(stand.acme.company, "Acme seulement")
    db.session.commit()
    for who, expected in ((stand.biolab_recruiter, 404), (stand.zoe, 403), (stand.yann, 403), (stand.door, 403)):
        login_as(who)
        for url in (f"/company/leads/{lead.id}", f"/company/leads/{lead.id}/cv"):
            response = client.get(url)
            assert response.status_code == expected, (who, url)
            assert "Confidentiel Acme" not in response.get_data(as_text=True)
        for url, data in ((f"/company/leads/{lead.id}", _form(lead, rating="1", note="pirate")),
                          (f"/company/leads/{lead.id}/ask", {}), (f"/company/leads/tags/{tag.id}/delete", {})):
            assert client.post_form(url, data).status_code == expected, (who, url)
        listing = client.get("/company/leads").get_data(as_text=True)
        assert 'class="lead-name"' not in listing
        export = client.get("/company/exports/leads.csv")
        assert export.status_code in (403, 404) or "Zoë" not in export.get_data(as_text=True)
    db.session.expire_all()
    lead = db.session.get(Lead, lead.id)
    assert (lead.rating, lead.note, lead.share_requested_at) == (None, "Confidentiel Acme", None)
    assert db.session.get(LeadTag, tag.id) is not None


def test_outsiders_cannot_see_or_change_a_companys_leads(client, login_as, stand):
    _outsiders_cannot_see_or_change(client, login_as, stand)


@pytest.mark.postgres
def test_outsiders_cannot_see_or_change_a_companys_leads_postgres(client, login_as, today_edition):
    _outsiders_cannot_see_or_change(client, login_as, build_stand(today_edition))


def _withdrawal_hides_at_once(client, login_as, stand):
    record_consents(stand.zoe, {"share_with_all_exhibitors": True}, actor=stand.zoe)
    _with_cv(stand.zoe)
    lead = _lead(stand, rating=5, note="Très bon profil")
    login_as(stand.zoe)
    home = client.get("/candidate", headers=FR).get_data(as_text=True)
    assert "Rencontrés au salon" in home and "Acme Bio" in home
    assert client.post_form(f"/candidate/contacts/{lead.id}/withdraw").status_code == 303
    login_as(stand.alice_recruiter)
    page = client.get(f"/company/leads/{lead.id}", headers=FR).get_data(as_text=True)
    assert "zoe@example.org" not in page and "Très bon profil" not in page
    assert client.get(f"/company/leads/{lead.id}/cv").status_code == 404
    listing = client.get("/company/leads", headers=FR).get_data(as_text=True)
    assert "Zoë Müller" in listing and "★" not in listing
    export = client.get("/company/exports/leads.csv", headers=FR).get_data(as_text=True)
    row = next(csv.DictReader(io.StringIO(export.lstrip("\ufeff")), delimiter=";"))
    assert (row["Nom de famille"], row["Prénom"], row["Profil partagé"]) == ("Müller", "Zoë", "non")
    assert all(value == "" for key, value in row.items() if key not in ("Nom de famille", "Prénom", "Profil partagé"))
    assert "zoe@example.org" not in export and "Très bon profil" not in export


def test_a_withdrawn_access_hides_the_profile_at_once(client, login_as, stand):
    _withdrawal_hides_at_once(client, login_as, stand)


@pytest.mark.postgres
def test_a_withdrawn_access_hides_the_profile_at_once_postgres(client, login_as, today_edition):
    _withdrawal_hides_at_once(client, login_as, build_stand(today_edition))


def test_a_candidate_takes_back_only_their_own_leads(client, login_as, stand):
    lead = _lead(stand)
    login_as(stand.yann)
    assert client.post_form(f"/candidate/contacts/{lead.id}/withdraw").status_code == 404
    login_as(stand.alice_recruiter)
    assert client.post_form(f"/candidate/contacts/{lead.id}/withdraw").status_code == 403
    login_as(stand.zoe)
    assert client.post(f"/candidate/contacts/{lead.id}/withdraw").status_code == 400  # no CSRF token
    db.session.expire_all()
    assert db.session.get(Lead, lead.id).access_withdrawn_at is None
    assert client.post_form(f"/candidate/contacts/{lead.id}/withdraw").status_code == 303
    assert client.post_form(f"/candidate/contacts/{lead.id}/restore").status_code == 303
    db.session.expire_all()
    assert db.session.get(Lead, lead.id).access_withdrawn_at is None


def test_asking_to_share_mails_the_candidate_once_a_day(client, login_as, stand, mailbox):
    lead = _lead(stand)
    login_as(stand.alice_recruiter)
    assert client.post_form(f"/company/leads/{lead.id}/ask", headers=FR).status_code == 303
    again = client.post_form(f"/company/leads/{lead.id}/ask", headers=FR, follow_redirects=True)
    assert "il y a moins d&#39;un jour" in again.get_data(as_text=True)
    assert len(mailbox.to("zoe@example.org")) == 1


def test_tags_are_added_and_deleted_by_the_team(client, login_as, stand):
    login_as(stand.bruno_recruiter)
    assert client.post_form("/company/leads/tags", {"name": "Chimie"}).status_code == 303
    duplicate = client.post_form("/company/leads/tags", {"name": "CHIMIE"}, headers=FR, follow_redirects=True)
    assert "déjà cette étiquette" in duplicate.get_data(as_text=True)
    tag = db.session.scalar(select(LeadTag))
    assert (tag.company_id, tag.name) == (stand.acme.company_id, "Chimie")
    login_as(stand.biolab_recruiter)
    assert client.post_form(f"/company/leads/tags/{tag.id}/delete").status_code == 404
    login_as(stand.alice_recruiter)
    assert client.post_form(f"/company/leads/tags/{tag.id}/delete").status_code == 303
    assert db.session.scalar(select(func.count(LeadTag.id))) == 0


def test_the_export_in_french_leaves_a_withdrawn_candidate_with_the_name_only(client, login_as, stand):
    tag = factories.make_tag(stand.acme.company, "Prioritaire")
    zoe = _lead(stand, rating=4, note="=HYPERLINK(\"http://evil\")")
    zoe.tags = [tag]
    yann = _lead(stand, stand.yann, rating=5, note="Secret")
    sharing.withdraw_access(yann, actor=stand.yann)
    db.session.commit()
    login_as(stand.alice_recruiter)
    response = client.get("/company/exports/leads.csv", headers=FR)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeffNom de famille;")  # French: ";" and a BOM, for Belgian Excel
    table = {row["Prénom"]: row for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")}
    zoe = table["Zoë"]
    assert (zoe["E-mail"], zoe["Étiquettes"], zoe["Suivi"], zoe["Note"]) == (
        "zoe@example.org", "Prioritaire", "À contacter", "4")
    assert zoe["Commentaire"].startswith("'=HYPERLINK")  # never run as a formula
    yann = table["Yann"]
    assert (yann["Nom de famille"], yann["Profil partagé"]) == ("Dubois", "non")
    assert all(value == "" for key, value in yann.items() if key not in ("Nom de famille", "Prénom", "Profil partagé"))
    workbook = load_workbook(io.BytesIO(client.get("/company/exports/leads.xlsx", headers=FR).data))
    rows = list(workbook.active.values)
    assert rows[0][:3] == ("Nom de famille", "Prénom", "Profil partagé")
    yann_row = next(row for row in rows if row[0] == "Dubois")
    assert yann_row[:3] == ("Dubois", "Yann", "non") and all(value in (None, "") for value in yann_row[3:])


def test_invitations_from_the_lead_page_and_answers(client, login_as, future_stand, mailbox):
    stand = future_stand
    lead = _lead(stand)
    slot = slots_of(stand.acme)[1]
    login_as(stand.alice_recruiter)
    page = client.get(f"/company/leads/{lead.id}", headers=FR).get_data(as_text=True)
    assert "Inviter à un entretien" in page
    response = client.post_form(f"/company/candidates/{stand.zoe.id}/invite?back=lead",
                                {"invite-kind": "slot", "invite-slot_id": str(slot.id), "invite-message": "Bienvenue"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/company/leads/{lead.id}")
    invitation = db.session.scalar(select(InterviewInvitation))
    assert (invitation.kind, invitation.slot_id, invitation.source) == ("slot", slot.id, "lead")
    login_as(stand.zoe)
    home = client.get("/candidate", headers=FR).get_data(as_text=True)
    assert "Acme Bio" in home and "Bienvenue" in home
    assert f"vous propose un entretien le {format_datetime(slot.starts_at, 'full')}." in home
    login_as(stand.yann)
    assert client.post_form(f"/candidate/invitations/{invitation.id}/accept").status_code == 404
    login_as(stand.zoe)
    assert client.post_form(f"/candidate/invitations/{invitation.id}/accept").status_code == 303
    db.session.expire_all()
    assert db.session.get(InterviewInvitation, invitation.id).status == "accepted"
    assert slot.id in {s.id for s in slots_of(stand.acme) if s.held_by_candidate_id == stand.zoe.id}


def test_an_invitation_needs_a_slot_and_a_candidate_to_invite(client, login_as, future_stand):
    stand = future_stand
    stranger = factories.make_candidate(first_name="Inconnu")
    factories.make_registration(stranger, stand.edition)
    db.session.commit()
    login_as(stand.alice_recruiter)
    assert client.post_form(f"/company/candidates/{stranger.id}/invite", {"invite-kind": "apply"}).status_code == 404
    missing_slot = client.post_form(f"/company/candidates/{stand.yann.id}/invite?back=matches",
                                    {"invite-kind": "slot"}, headers=FR, follow_redirects=True)
    assert "Choisissez un créneau" in missing_slot.get_data(as_text=True)
    assert db.session.scalar(select(func.count(InterviewInvitation.id))) == 0
    login_as(stand.biolab_recruiter)
    assert client.post_form(f"/company/candidates/{stand.yann.id}/invite", {"invite-kind": "apply"}).status_code == 303
    invitation = db.session.scalar(select(InterviewInvitation))
    assert invitation.participation_id == stand.biolab.id  # Biolab invites for itself only


def test_the_list_and_the_stand_read_a_fixed_number_of_queries(client, login_as, stand):
    from sqlalchemy import event

    from tests.leads.conftest import registered

    tag = factories.make_tag(stand.acme.company, "Prioritaire")

    def add_leads(n, start):
        for i in range(n):
            lead = factories.make_lead(stand.acme.company, registered(stand.edition, first_name=f"P{start + i}"),
                                       stand.edition, rating=3)
            lead.tags = [tag]
        db.session.commit()

    def queries(url):
        counted = []
        listener = lambda *args, **kwargs: counted.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(counted)

    add_leads(3, 0)
    login_as(stand.alice_recruiter)
    few = {url: queries(url) for url in ("/company/leads", "/company/stand")}
    add_leads(12, 3)
    assert {url: queries(url) for url in few} == few


def test_tags_read_in_the_readers_order(client, login_as, stand):
    tags = [factories.make_tag(stand.acme.company, name) for name in ("Stage", "Électronique", "anglais")]
    lead = _lead(stand)
    lead.tags = tags
    db.session.commit()
    login_as(stand.alice_recruiter)
    listing = client.get("/company/leads", headers=FR).get_data(as_text=True)
    line = listing[listing.index('class="lead-tags"'):]
    assert line.index("anglais") < line.index("Électronique") < line.index("Stage")
    ours = listing[listing.index('id="tags-heading"'):]
    assert ours.index("anglais") < ours.index("Électronique") < ours.index("Stage")
    export = client.get("/company/exports/leads.csv", headers=FR).get_data(as_text=True)
    assert "anglais, Électronique, Stage" in export


def test_the_profile_shown_to_recruiters_does_not_say_you(client, login_as, stand):
    from jobday.candidates.services import get_profile

    get_profile(stand.zoe).about = "Analyste QC, j'aime le travail en laboratoire."
    lead = _lead(stand)
    login_as(stand.alice_recruiter)
    page = client.get(f"/company/leads/{lead.id}", headers=FR).get_data(as_text=True)
    assert "Présentation" in page and "À propos de vous" not in page


def test_the_kept_parts_of_the_list_follow_the_leads_tags_and_offers(client, login_as, stand):
    """The lines, the filters' fields and the tags are kept for what they show: a change shows
    at once, and each reader's forms carry their own token."""
    import re

    lead = _lead(stand, rating=2)
    login_as(stand.bruno_recruiter)
    assert "★★<" in client.get("/company/leads", headers=FR).get_data(as_text=True)
    lead.rating, lead.state = 4, "contacted"
    lead.tags = [factories.make_tag(stand.acme.company, "Stage")]
    factories.make_offer(stand.acme.company, title="Analyste QC")
    db.session.commit()
    page = client.get("/company/leads", headers=FR).get_data(as_text=True)
    assert "★★★★<" in page and "Contacté" in page and ">Analyste QC</option>" in page
    assert page.count(">Stage<") == 3 and ">Stage</option>" in page  # the line, the tags, the filter
    def tokens_of(html):
        return set(re.findall(r'name="csrf_token" value="([^"]+)"', html))

    tokens = tokens_of(page)
    with client.session_transaction() as session:
        session.clear()
    login_as(stand.alice_recruiter)
    theirs = client.get("/company/leads", headers=FR).get_data(as_text=True)
    assert "keptcsrftokenhole" not in page + theirs
    assert len(tokens) == 1 and len(tokens_of(theirs)) == 1 and tokens != tokens_of(theirs)
    english = client.get("/company/leads", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Contacted" in english and "Any tag" in english and "Our tags" in english


def test_the_kept_forms_of_the_lead_page_follow_the_lead_the_slots_and_the_reader(client, login_as, future_stand):
    """The follow-up form is kept for the lead's values and the company's tags and offers, the
    invitation form for the free slots: each page has its own candidate's address and its
    reader's token, and a change shows at once."""
    import re

    stand = future_stand
    zoe, yann = _lead(stand), _lead(stand, stand.yann)
    slot = slots_of(stand.acme)[1]
    login_as(stand.alice_recruiter)

    def page(lead):
        return client.get(f"/company/leads/{lead.id}", headers=FR).get_data(as_text=True)

    first, other = page(zoe), page(yann)
    assert f'action="/company/candidates/{stand.zoe.id}/invite?back=lead"' in first
    assert f'action="/company/candidates/{stand.yann.id}/invite?back=lead"' in other
    option = f'<option value="{slot.id}">'
    assert option in first and option in other
    assert 'value="4" checked' not in first and "Analyste QC" not in first
    assert client.post_form(f"/company/leads/{zoe.id}", _form(zoe, rating="4")).status_code == 303
    factories.make_tag(stand.acme.company, "Stage")
    factories.make_offer(stand.acme.company, title="Analyste QC")
    slot.status = "blocked"  # a break now: no longer offered
    db.session.commit()
    again, other = page(zoe), page(yann)
    assert re.search(r'value="4"[^>]*checked', again) and "Stage" in again and "Analyste QC" in again
    assert "Inviter à un entretien" in other and option not in other
    tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', other))
    with client.session_transaction() as session:
        session.clear()
    login_as(stand.bruno_recruiter)
    theirs = set(re.findall(r'name="csrf_token" value="([^"]+)"', page(yann)))
    assert len(tokens) == 1 and len(theirs) == 1 and tokens != theirs
    assert "Send the invitation" in client.get(f"/company/leads/{yann.id}", headers={"Accept-Language": "en"}
                                               ).get_data(as_text=True)


def test_the_history_says_each_follow_up_state_as_the_list_of_states_did(app):
    from flask_babel import force_locale

    from jobday.leads.views import _StateWords
    from jobday.leads.vocabulary import LeadState

    with app.test_request_context(), force_locale("fr"):
        assert {state.value: _StateWords.get(state.value, "") for state in LeadState} == {
            state.value: state.label for state in LeadState}
        assert _StateWords.get("gone", "") == "" and _StateWords.get(None, "") == ""
