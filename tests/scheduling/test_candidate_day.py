"""Booking that knows the candidate's day (issue 13, items 5-7): every list of slots greys out
what clashes with the candidate's other interviews and says why; a proposal that became
impossible says so on both sides; slot buttons say their time and are told apart by screen
readers; destructive actions ask first, with explicit labels."""

from __future__ import annotations

import html5lib
import pytest
from sqlalchemy import select

from jobday.accounts import session_policy
from jobday.companies import team
from jobday.scheduling import applications, availability
from jobday.scheduling import booking as bookings
from jobday.scheduling.models import Application, Booking
from tests import factories

NS = "{http://www.w3.org/1999/xhtml}"


def parse(response):
    return html5lib.parse(response.get_data(as_text=True), namespaceHTMLElements=True)


def text_of(element) -> str:
    return " ".join("".join(element.itertext()).split())


def signed_in(app, user):
    """Another browser, logged in as ``user``."""
    other = app.test_client()
    with other.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session.update(session_policy.login_stamps(remembered=False))
    return other


def buttons(tree) -> list:
    return list(tree.iter(f"{NS}button"))


@pytest.fixture
def day(fair, db):
    """Alice has an interview at Biolab 10:00-10:20; the gap rule asks 15 minutes, so at Acme
    09:30 (ends 09:50) and 10:30 are too close and 10:00 overlaps."""
    fair.edition.interview_gap_minutes = 15
    biolab_ten = next(s for s in fair.biolab_slots if s.starts_at == fair.acme_slots[1].starts_at)
    booking = bookings.book_slot(fair.alice, biolab_ten.id, actor=fair.alice, notify_candidate=False)
    db.session.commit()
    return booking


def test_the_rule_says_which_slots_clash_and_why(fair, day, db):
    mine = availability.candidate_day(fair.alice.id, fair.edition)
    first, ten, half_past, eleven = fair.acme_slots[:4]
    assert mine.clash(first).kind == "gap" and mine.clash(ten).kind == "overlap"
    assert mine.clash(half_past).kind == "gap" and mine.clash(eleven) is None
    assert mine.clash(ten).company == "Biolab" and mine.clash(ten).starts_at == day.starts_at
    assert set(mine.clashes(fair.acme_slots)) == {first.id, ten.id, half_past.id}
    # Moving the Biolab interview itself: its own time is no clash.
    assert availability.candidate_day(fair.alice.id, fair.edition, ignore=day).clashes(fair.acme_slots) == {}
    # The booking rule agrees with the list.
    for slot in (first, ten, half_past):
        assert not bookings.candidate_is_free(fair.alice.id, fair.edition, slot, fair.acme.id)
    assert bookings.candidate_is_free(fair.alice.id, fair.edition, eleven, fair.acme.id)


def test_the_company_page_greys_out_the_clashes_with_the_reason(client, fair, day, login_as):
    login_as(fair.alice)
    tree = parse(client.get(f"/interviews/companies/{fair.acme.id}"))
    slots = {text_of(li): li for li in tree.iter(f"{NS}li") if "slot" in (li.get("class") or "").split()}
    clashes = [label for label, li in slots.items() if "slot-clash" in li.get("class")]
    assert clashes == ["09:30 Trop proche de votre entretien chez Biolab (10:00)",
                       "10:00 Vous êtes chez Biolab à 10:00",
                       "10:30 Trop proche de votre entretien chez Biolab (10:00)"]
    booked = [b for b in buttons(tree) if text_of(b).startswith("Réserver")]
    assert [text_of(b) for b in booked][:2] == ["Réserver 11:00", "Réserver 11:30"]
    assert len(booked) == 12 - 3
    # Nothing to press on a clash: no booking form for those slots.
    page = client.get(f"/interviews/companies/{fair.acme.id}").get_data(as_text=True)
    for slot in fair.acme_slots[:3]:
        assert f"/interviews/slots/{slot.id}/book" not in page
    assert f"/interviews/slots/{fair.acme_slots[3].id}/book" in page


def test_slot_buttons_say_their_time_and_screen_readers_tell_them_apart(client, fair, login_as):
    login_as(fair.alice)
    tree = parse(client.get(f"/interviews/companies/{fair.acme.id}"))
    booked = [b for b in buttons(tree) if text_of(b).startswith("Réserver")]
    assert len(booked) == 12
    names = [b.get("aria-label") for b in booked]
    assert len(set(names)) == 12
    assert names[0].startswith("Réserver 09:30, Table 1, ") and fair.edition.starts_on.strftime("%Y") in names[0]


def test_the_move_page_offers_only_what_the_candidate_can_take(client, db, fair, day, login_as):
    elsewhere = bookings.book_slot(fair.alice, fair.acme_slots[5].id, actor=fair.alice, notify_candidate=False)
    db.session.commit()
    login_as(fair.alice)
    tree = parse(client.get(f"/interviews/bookings/{elsewhere.id}/move"))
    moves = {b.get("value"): text_of(b) for b in buttons(tree) if b.get("name") == "slot_id"}
    greyed = [text_of(li) for li in tree.iter(f"{NS}li") if "slot-clash" in (li.get("class") or "")]
    assert len(greyed) == 3 and all("Biolab" in text for text in greyed)
    assert str(fair.acme_slots[1].id) not in moves and moves[str(fair.acme_slots[3].id)] == "Déplacer à 11:00"
    labels = [b.get("aria-label") for b in buttons(tree) if b.get("name") == "slot_id"]
    assert labels[0].startswith(f"{next(iter(moves.values()))}, Table 1, ") and len(set(labels)) == len(labels)
    response = client.post_form(f"/interviews/bookings/{elsewhere.id}/move", {"slot_id": fair.acme_slots[3].id})
    assert response.status_code == 303
    db.session.refresh(elsewhere)
    assert elsewhere.slot_id == fair.acme_slots[3].id


def _accepted(fair, db, candidate):
    fair.acme.booking_mode = "apply"
    application = applications.apply_to_company(candidate, fair.acme, actor=candidate, motivation="Bonjour")
    applications.decide_application(application, actor=fair.recruiter, accept=True)
    db.session.commit()
    return application


def test_a_recruiter_cannot_propose_a_slot_the_candidate_cannot_take(client, db, fair, day, login_as, mailbox):
    application = _accepted(fair, db, fair.alice)
    login_as(fair.recruiter)
    url = f"/company/applicants/{application.id}"
    tree = parse(client.get(url))
    options = {o.get("value"): o for o in tree.iter(f"{NS}option") if o.get("value")}
    ten = options[str(fair.acme_slots[1].id)]
    assert ten.get("disabled") is not None
    assert "le·la candidat·e a un autre entretien à ce moment" in text_of(ten) and "Biolab" not in text_of(ten)
    assert options[str(fair.acme_slots[3].id)].get("disabled") is None
    response = client.post_form(url, {"propose-slot_id": fair.acme_slots[1].id, "propose-submit": "y"})
    assert response.status_code == 409
    assert "Le·la candidat·e a un autre entretien" in response.get_data(as_text=True)
    db.session.refresh(application)
    assert application.proposed_slot_id is None


def test_a_proposal_that_became_impossible_says_so_on_both_sides(app, client, db, fair, login_as):
    application = _accepted(fair, db, fair.bob)
    applications.propose_slot(application, fair.acme_slots[1].id, actor=fair.recruiter)  # 10:00
    db.session.commit()
    login_as(fair.bob)
    page = client.get("/interviews/applications").get_data(as_text=True)
    assert "Réserver 10:00" in page and "Plus possible" not in page
    # Bob books Biolab at 10:00 himself: the proposal can no longer be taken.
    biolab_ten = next(s for s in fair.biolab_slots if s.starts_at == fair.acme_slots[1].starts_at)
    bookings.book_slot(fair.bob, biolab_ten.id, actor=fair.bob, notify_candidate=False)
    db.session.commit()
    page = client.get("/interviews/applications").get_data(as_text=True)
    assert "Plus possible" in page and "Vous êtes chez Biolab à 10:00" in page
    assert f"/interviews/applications/{application.id}/confirm" not in page

    page = signed_in(app, fair.recruiter).get(f"/company/applicants/{application.id}").get_data(as_text=True)
    assert "Plus possible" in page and "le·la candidat·e a un autre entretien à ce moment" in page
    assert "Biolab" not in page


def test_cancelling_an_interview_asks_first_with_explicit_labels(client, db, fair, day, login_as):
    """And the candidate's other destructive actions: leaving a waiting list, deleting the CV."""
    login_as(fair.alice)
    for url in ("/interviews/agenda", f"/interviews/companies/{fair.biolab.id}"):
        tree = parse(client.get(url))
        disclosures = [d for d in tree.iter(f"{NS}details") if "confirm" in (d.get("class") or "")]
        assert len(disclosures) == 1
        summary = disclosures[0].find(f"{NS}summary")
        assert text_of(summary) == "Annuler l'entretien"
        form = disclosures[0].find(f".//{NS}form")
        assert form.get("action") == f"/interviews/bookings/{day.id}/cancel"
        assert text_of(form.find(f"{NS}button")) == "Oui, annuler l'entretien"
        assert "Biolab" in text_of(disclosures[0])
        # No other way to post the cancellation on the page.
        assert [f for f in tree.iter(f"{NS}form") if f.get("action", "").endswith("/cancel")] == [form]


def test_every_destructive_action_of_recruiters_asks_first(client, db, fair, login_as):
    from jobday.companies.models import CompanyMember

    colleague = factories.add_recruiter(fair.acme.company)
    team.invite_colleague(fair.acme.company, "new@acme.example", actor=fair.recruiter)
    db.session.commit()
    member = db.session.scalar(select(CompanyMember).where(CompanyMember.user_id == colleague.id))
    login_as(fair.recruiter)
    expected = {
        "/company/team": {f"/company/team/{member.id}/remove": ("Retirer de l'équipe", "Oui, retirer"),
                          "/company/team/invitations/": ("Annuler l'invitation", "Oui, annuler l'invitation")},
        "/company/plan": {"/delete": ("Supprimer la table Table 1", "Oui, supprimer la table Table 1")},
    }
    for url, actions in expected.items():
        tree = parse(client.get(url))
        disclosures = [d for d in tree.iter(f"{NS}details") if "confirm" in (d.get("class") or "")]
        for fragment, (label, confirm) in actions.items():
            found = [d for d in disclosures if fragment in d.find(f".//{NS}form").get("action")]
            assert found, (url, fragment)
            assert text_of(found[0].find(f"{NS}summary")) == label
            assert text_of(found[0].find(f".//{NS}button")).startswith(confirm)


def test_the_withdrawal_page_lists_the_interviews_it_cancels(client, db, fair, day, login_as):
    login_as(fair.alice)
    page = client.get(f"/editions/{fair.edition.year}/withdraw").get_data(as_text=True)
    assert "Cet entretien sera annulé" in page and "Biolab" in page
    assert "Retirer mon inscription" in page and "Garder mon inscription" in page
    assert db.session.scalar(select(Booking.active).where(Booking.id == day.id))
    assert db.session.scalar(select(Application.id)) is None


def test_leaving_a_waiting_list_and_deleting_the_cv_ask_first(client, db, fair, login_as):
    from jobday.scheduling import waitlist
    from tests.scheduling.conftest import slots_of

    small = factories.make_participation(factories.make_company(name="Petite Bio"), fair.edition,
                                         hours="09:30-09:50")
    bookings.book_slot(fair.bob, slots_of(small)[0].id, actor=fair.bob, notify_candidate=False)
    waitlist.join_waitlist(fair.alice, small, actor=fair.alice)
    db.session.commit()
    login_as(fair.alice)
    from jobday.candidates import cv
    from jobday.candidates.services import get_profile

    cv.store_cv(get_profile(fair.alice), factories.make_pdf(), "cv.pdf")
    db.session.commit()
    for url, label, confirm in (
            ("/interviews/waitlists", "Quitter la liste d'attente", "Oui, quitter la liste d'attente"),
            ("/candidate/profile", "Supprimer mon CV", "Oui, supprimer mon CV")):
        tree = parse(client.get(url))
        disclosures = [d for d in tree.iter(f"{NS}details") if "confirm" in (d.get("class") or "")]
        assert [text_of(d.find(f"{NS}summary")) for d in disclosures] == [label], url
        assert text_of(disclosures[0].find(f".//{NS}button")) == confirm


def test_my_applications_name_the_offer_applied_for(app, client, db, fair, login_as):
    fair.acme.booking_mode = "apply"
    offer = factories.make_offer(fair.acme.company, title="Technicien·ne QC")
    db.session.commit()
    applications.apply_to_company(fair.carol, fair.acme, actor=fair.carol, motivation="QC, j'adore.",
                                  offer_id=offer.id)
    db.session.commit()
    login_as(fair.carol)
    page = client.get("/interviews/applications").get_data(as_text=True)
    assert "Acme Bio" in page and "Technicien·ne QC" in page
