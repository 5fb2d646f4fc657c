"""Candidate pages through HTTP: the edition page, sign-up to registration, profile, consent,
withdrawal, the waiting-list offer, data download and account deletion (the CV: test_cv_views)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from jobday.accounts.models import User
from jobday.candidates import consent
from jobday.candidates import registration as reg
from jobday.candidates.models import CandidateProfile, Consent, Registration
from jobday.candidates.services import get_profile
from jobday.db import utcnow
from tests.factories import (
    DEFAULT_PASSWORD,
    make_candidate,
    make_edition,
    make_pdf,
    make_registration,
    make_user,
)

EN = {"Accept-Language": "en"}
STRONG = "violet tractor under moonlight"


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def profile_data(**changes) -> dict:
    data = {"first_name": "Zoë", "last_name": "Müller", "education_level": "bachelor",
            "job_areas": ["production", "logistics"], "phone": "0470 12 34 56", "postcode": "5000",
            "region": "", "field_of_study": "Chimie", "years_experience": "2", "lang_fr": "native",
            "lang_en": "good", "lang_nl": "", "lang_de": "", "contract_types": ["permanent", "internship"],
            "availability_date": "2026-09-01", "about": "Technicienne de laboratoire."}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- the public edition page -----------------------------------------------------------

def test_edition_page_invites_to_register_and_home_links_to_it(client, db):
    edition = make_edition(year=2026, venue_address="Rue Adrienne Bolland, 6041 Gosselies",
                           map_url="https://www.openstreetmap.org/x")
    db.session.commit()
    body = client.get("/editions/2026", headers=EN).get_data(as_text=True)
    assert f"{edition.name} — register" in body
    assert "/editions/2026/signup" in body and "Gosselies" in body and "openstreetmap" in body
    assert "/editions/2026" in client.get("/", headers=EN).get_data(as_text=True)
    assert client.get("/editions/1999").status_code == 404


def test_the_practical_information_follows_the_edition_and_the_language(app, client, db):
    """Kept once written (candidates.pages.practical_information), for what it shows."""
    from datetime import time

    edition = make_edition(year=2026, venue_address="Rue Adrienne Bolland, 6041 Gosselies")
    db.session.commit()
    app.jinja_env.auto_reload = False  # kept as in production

    def page(headers=EN) -> str:
        return client.get("/editions/2026", headers=headers).get_data(as_text=True)

    assert "Gosselies" in page()
    changes = [("venue_address", "Avenue Georges Lemaître, 6041 Charleroi", "Charleroi"),
               ("map_url", "https://www.openstreetmap.org/y", "openstreetmap.org/y"),
               ("venue_name", "Aéropole", "Aéropole"), ("opens_at", time(8, 25), "8:25"),
               ("closes_at", time(18, 35), "18:35")]
    for name, value, shown in changes:
        setattr(edition, name, value)
        db.session.commit()
        assert shown in page(), name
    assert "Heures d'ouverture" in page({"Accept-Language": "fr"})


def test_the_homes_cards_follow_the_registration_the_profile_and_the_language(app, client, db, login_as):
    """Kept once written (candidates.pages.registration_card, profile_card), for what they show."""
    app.jinja_env.auto_reload = False  # kept as in production
    edition = make_edition(year=2026)
    user, other = make_candidate(), make_candidate()
    registration = make_registration(user, edition)
    make_registration(other, edition, status="waitlisted")
    db.session.commit()

    def home(who, headers=EN) -> str:
        login_as(who)
        return client.get("/candidate", headers=headers).get_data(as_text=True)

    body = home(user)
    assert "You are registered." in body and "/editions/2026/withdraw" in body and "A phone number" in body
    assert "You are number 1 on the waiting list." in home(other) and "/editions/2026/withdraw" in home(other)
    get_profile(user).phone = "+32470123456"
    registration.status = "withdrawn"
    db.session.commit()
    body = home(user)
    assert "You are registered." not in body and "/editions/2026/withdraw" not in body
    assert "/editions/2026/register" in body and "Your CV (PDF)" in body and "A phone number" not in body
    edition.name = "Jobday de printemps"
    db.session.commit()
    body = home(user, {"Accept-Language": "fr"})
    assert "Jobday de printemps" in body and "Votre CV (PDF)" in body and "S'inscrire" in body


def test_edition_page_says_when_registration_is_closed(client, db):
    make_edition(year=2026, registration_closes_at=utcnow() - timedelta(days=1))
    db.session.commit()
    body = client.get("/editions/2026", headers=EN).get_data(as_text=True)
    assert "Registration for this edition is closed." in body and "/editions/2026/signup" not in body


# --- the whole journey for a new candidate ---------------------------------------------

def test_new_candidate_signs_up_confirms_fills_profile_and_registers(client, db, mailbox):
    make_edition(year=2026)
    db.session.commit()
    response = client.post_form("/editions/2026/signup", {
        "first_name": "Zoë", "last_name": "Müller", "email": "Zoe@Example.org",
        "password": STRONG, "password_confirm": STRONG}, headers=EN)
    assert response.status_code == 200 and "zoe@example.org" in response.get_data(as_text=True)

    link = mailbox.link("zoe@example.org", "/editions/2026/confirm/")
    response = client.get(link)  # the browser that signed up: logged in, on to the registration
    assert response.status_code == 302 and response.location.endswith("/editions/2026/register")
    user = db.session.scalar(select(User).where(User.email == "zoe@example.org"))
    assert user.email_confirmed

    response = client.get("/editions/2026/register")
    assert response.status_code == 302 and "/candidate/profile?next=" in response.location

    response = client.post_form("/candidate/profile", profile_data(next="/editions/2026/register"))
    assert response.status_code == 302 and response.location.endswith("/editions/2026/register")
    body = client.get("/editions/2026/register", headers=EN).get_data(as_text=True)
    assert "Check your profile" in body and "0470 12 34 56" in body

    response = client.post_form("/editions/2026/register", {})
    assert response.status_code == 302 and response.location.endswith("/candidate")
    status = db.session.scalar(select(Registration.status).where(Registration.user_id == user.id))
    assert status == "registered"
    assert any("confirm" in m["Subject"].lower() or "confirmée" in m["Subject"]
               for m in mailbox.to("zoe@example.org")[1:])
    body = client.get("/candidate", headers=EN).get_data(as_text=True)
    assert "Registered" in body and "Practical information" in body


def test_signup_with_a_taken_address_looks_the_same(client, db, mailbox):
    make_edition(year=2026)
    make_user(email="owner@example.org")
    db.session.commit()
    before = count(db, User)
    response = client.post_form("/editions/2026/signup", {
        "first_name": "X", "last_name": "Y", "email": "owner@example.org",
        "password": STRONG, "password_confirm": STRONG})
    assert response.status_code == 200 and count(db, User) == before
    [warning] = mailbox.to("owner@example.org")
    assert "/confirm/" not in mailbox.text(warning)


def test_signup_form_errors_in_french_and_english_change_nothing(client, db):
    make_edition(year=2026)
    db.session.commit()
    response = client.post_form("/editions/2026/signup", {"email": "nope", "password": "x"})
    assert response.status_code == 422 and "Ce champ est requis." in response.get_data(as_text=True)
    response = client.post_form("/editions/2026/signup", {"email": "nope", "password": "x"}, headers=EN)
    body = response.get_data(as_text=True)
    assert "This field is required." in body and "Enter a valid e-mail address." in body
    assert count(db, User) == 0


def test_a_forged_confirmation_link_is_refused(client, db):
    make_edition(year=2026)
    db.session.commit()
    response = client.get("/editions/2026/confirm/forged", headers=EN, follow_redirects=True)
    assert "This link is invalid" in response.get_data(as_text=True)


def test_returning_candidate_sees_last_years_profile_and_registers(client, db, login_as):
    make_edition(year=2025)
    make_edition(year=2026)
    user = make_candidate(education_level="phd", job_areas=("rnd",))
    get_profile(user).field_of_study = "Bio-ingénieur"
    db.session.commit()
    login_as(user)
    body = client.get("/editions/2026/register", headers=EN).get_data(as_text=True)
    assert "Bio-ingénieur" in body and "PhD" in body and "Confirm my registration" in body
    assert client.post_form("/editions/2026/register", {}).status_code == 302


# --- registration rules -----------------------------------------------------------------

def test_second_registration_is_refused(client, db, login_as):
    edition = make_edition(year=2026)
    user = make_candidate()
    make_registration(user, edition)
    db.session.commit()
    login_as(user)
    response = client.post_form("/editions/2026/register", {}, headers=EN)
    assert response.status_code == 409 or response.status_code == 200
    assert count(db, Registration) == 1


_PILLS = {"registered": ("ok", "Registered"), "waitlisted": ("warn", "On the waiting list"),
          "offered": ("warn", "A place is offered to you")}


@pytest.mark.parametrize("status", [None, "registered", "waitlisted", "offered", "expired", "withdrawn"])
def test_register_page_of_an_active_registration_shows_its_status_alone(client, db, login_as, status):
    """Registered, in line or offered a place: the page is the status and a link home, as when the
    view read the form, the profile and the choices for it too (now it reads none of them); any
    other candidate gets the review and the form."""
    edition = make_edition(year=2026)
    edition.venue_name = "Hall <A>"
    user = make_candidate()
    if status:
        make_registration(user, edition, status=status)
    db.session.commit()
    login_as(user)
    response = client.get("/editions/2026/register", headers=EN)
    body = response.get_data(as_text=True)
    main = body[body.index('<main id="main" class="container">'):body.index("</main>")]
    assert response.status_code == 200
    if status in _PILLS:
        kind, text = _PILLS[status]
        assert main.split("</hgroup>")[1] == (
            f'\n\n\n  <p><span class="pill pill-{kind}">{text}</span></p>\n'
            '  <p><a role="button" href="/candidate">My Jobdays page</a></p>\n\n\n  ')
        assert "Hall &lt;A&gt;" in main.split("</hgroup>")[0]
    else:
        assert "Check your profile" in main and "Your choices" in main and "Confirm my registration" in main
        assert 'name="csrf_token"' in main and "pill" not in main


def test_register_page_sends_a_registered_candidate_without_a_profile_to_fill_it_in(client, db, login_as):
    edition = make_edition(year=2026)
    user = make_candidate(profile=False)
    make_registration(user, edition)
    db.session.commit()
    login_as(user)
    response = client.get("/editions/2026/register")
    assert response.status_code == 302 and "/candidate/profile" in response.location


def test_a_refused_registration_shows_the_status_it_found(client, db, login_as):
    edition = make_edition(year=2026)
    user = make_candidate()
    make_registration(user, edition, status="waitlisted")
    db.session.commit()
    login_as(user)
    response = client.post_form("/editions/2026/register", {}, headers=EN)
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert '<span class="pill pill-warn">On the waiting list</span>' in body and "Your choices" not in body


def test_registration_outside_the_window_is_refused_with_a_message(client, db, login_as):
    make_edition(year=2026, registration_closes_at=utcnow() - timedelta(hours=1))
    user = make_candidate()
    db.session.commit()
    login_as(user)
    response = client.post_form("/editions/2026/register", {}, headers=EN)
    assert response.status_code == 400
    assert "Registration for this edition is closed." in response.get_data(as_text=True)
    assert count(db, Registration) == 0


def test_a_full_edition_offers_the_waiting_list(client, db, login_as):
    edition = make_edition(year=2026, capacity=1)
    make_registration(make_candidate(), edition)
    user = make_candidate()
    db.session.commit()
    login_as(user)
    body = client.get("/editions/2026/register", headers=EN).get_data(as_text=True)
    assert "Join the waiting list" in body
    response = client.post_form("/editions/2026/register", {}, headers=EN)
    assert response.status_code == 409 and "no places left" in response.get_data(as_text=True)
    assert count(db, Registration) == 1
    response = client.post_form("/editions/2026/register", {"join_waitlist": "1"})
    assert response.status_code == 302
    assert reg.get_registration(user, edition).status == "waitlisted"
    body = client.get("/candidate", headers=EN).get_data(as_text=True)
    assert "number 1 on the waiting list" in body


def test_registration_pages_need_the_candidate_role(client, db, login_as):
    make_edition(year=2026)
    db.session.commit()
    response = client.get("/editions/2026/register")
    assert response.status_code == 302 and "/account/login" in response.location
    login_as("recruiter")
    assert client.get("/editions/2026/register").status_code == 403
    assert client.get("/candidate").status_code == 403


def test_post_without_csrf_token_is_refused(client, db, login_as):
    make_edition(year=2026)
    user = make_candidate()
    db.session.commit()
    login_as(user)
    assert client.post("/editions/2026/register", data={}).status_code == 400
    assert client.post("/candidate/consents", data={"news": "y"}).status_code == 400
    assert count(db, Registration) == 0 and count(db, Consent) == 0


# --- the waiting-list offer and withdrawal ----------------------------------------------

def test_withdrawal_needs_the_password_and_frees_the_place_for_the_line(client, db, login_as, mailbox):
    edition = make_edition(year=2026, capacity=1)
    user = make_candidate(email="leaver@example.org", locale="en")
    waiting = make_candidate(email="waiting@example.org", locale="en")
    make_registration(user, edition)
    make_registration(waiting, edition, status="waitlisted")
    db.session.commit()
    login_as(user)
    response = client.post_form("/editions/2026/withdraw", {"password": "wrong one"}, headers=EN)
    assert response.status_code == 422 and "Your password is not correct." in response.get_data(as_text=True)
    assert reg.get_registration(user, edition).status == "registered"
    response = client.post_form("/editions/2026/withdraw", {"password": ""}, headers=EN)
    assert response.status_code == 422 and "This field is required." in response.get_data(as_text=True)

    response = client.post_form("/editions/2026/withdraw", {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    db.session.expire_all()
    assert reg.get_registration(user, edition).status == "withdrawn"
    assert reg.get_registration(waiting, edition).status == "offered"
    assert any("cancelled" in m["Subject"] for m in mailbox.to("leaver@example.org"))
    link = mailbox.link("waiting@example.org", "/editions/2026/offer")
    assert client.get("/editions/2026/withdraw").status_code == 404  # nothing left to withdraw

    login_as(waiting)
    assert "I take the place" in client.get(link, headers=EN).get_data(as_text=True)
    assert client.post_form(link, {}).status_code == 302
    assert reg.get_registration(waiting, edition).status == "registered"


def test_an_overdue_offer_expires_when_the_home_page_is_viewed(client, db, login_as):
    edition = make_edition(year=2026, capacity=1)
    first, second = make_candidate(), make_candidate()
    make_registration(first, edition, status="offered", offered_at=utcnow() - timedelta(hours=50),
                      offer_expires_at=utcnow() - timedelta(hours=2))
    make_registration(second, edition, status="waitlisted")
    db.session.commit()
    login_as(first)
    body = client.get("/candidate", headers=EN).get_data(as_text=True)
    assert "Offer expired" in body
    db.session.expire_all()
    assert reg.get_registration(second, edition).status == "offered"


# --- the profile --------------------------------------------------------------------------

def test_profile_errors_in_french_and_english_change_nothing(client, db, login_as):
    user = make_candidate(profile=False, first_name="Ann", last_name="Lee")
    db.session.commit()
    login_as(user)
    response = client.post_form("/candidate/profile", profile_data(first_name="", job_areas=[]))
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "Ce champ est requis." in body and 'lang="fr"' in body
    response = client.post_form("/candidate/profile", profile_data(first_name="", job_areas=[],
                                                                   years_experience="many"), headers=EN)
    body = response.get_data(as_text=True)
    assert "This field is required." in body and "Choose at least one job area." in body
    assert "Not a valid integer value." in body
    response = client.post_form("/candidate/profile", profile_data(phone="12 34"), headers=EN)
    assert response.status_code == 422 and "Enter a valid phone number" in response.get_data(as_text=True)
    response = client.post_form("/candidate/profile", profile_data(education_level="kindergarten"),
                                headers=EN)
    assert response.status_code == 422 and "Not a valid choice" in response.get_data(as_text=True)
    db.session.expire_all()
    assert count(db, CandidateProfile) == 0 and user.first_name == "Ann"


def test_a_candidate_changes_only_their_own_profile(client, db, login_as):
    me, other = make_candidate(), make_candidate(first_name="Other")
    db.session.commit()
    login_as(me)
    response = client.post_form("/candidate/profile", profile_data(first_name="Me", user_id=str(other.id)))
    assert response.status_code == 302
    db.session.expire_all()
    assert me.first_name == "Me" and other.first_name == "Other"
    assert get_profile(other).phone == ""
    assert client.get(f"/candidates/{other.id}").status_code == 404
    assert client.get(f"/candidates/{me.id}").status_code == 200


# --- consent ----------------------------------------------------------------------------------

def test_consents_are_unticked_and_recorded_and_withdrawn(client, db, login_as):
    user = make_candidate()
    db.session.commit()
    login_as(user)
    body = client.get("/candidate/consents").get_data(as_text=True)
    assert body.count('type="checkbox"') == 3 and "checked" not in body
    assert "scanner votre badge à son stand" in body and "Rencontrés au salon" in body  # the stand rule
    client.post_form("/candidate/consents", {"share_with_applied": "y", "news": "y"})
    assert consent.current_choices(user.id) == {"share_with_applied": True,
                                               "share_with_all_exhibitors": False, "news": True}
    client.post_form("/candidate/consents", {"news": "y"})
    assert consent.current_choices(user.id)["share_with_applied"] is False
    assert count(db, Consent) == 4


# --- data download and deletion ----------------------------------------------------------------

def test_data_download_needs_the_password_and_holds_everything(client, db, login_as, upload_cv):
    edition = make_edition(year=2026)
    user = make_candidate(email="me@example.org")
    make_registration(user, edition)
    db.session.commit()
    login_as(user)
    client.post_form("/candidate/profile", profile_data())
    upload_cv(make_pdf(), "cv.pdf")
    response = client.post_form("/candidate/privacy/download", {"download-password": "wrong"}, headers=EN)
    assert response.status_code == 422 and "Your password is not correct." in response.get_data(as_text=True)
    response = client.post_form("/candidate/privacy/download", {"download-password": DEFAULT_PASSWORD})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    data = json.loads(archive.read("jobday-data.json"))
    assert data["account"]["email"] == "me@example.org"
    assert data["profile"]["phone"] == "+32470123456" and data["profile"]["job_areas"] == ["logistics",
                                                                                          "production"]
    assert data["registrations"][0]["year"] == 2026
    assert archive.read("cv.pdf") == make_pdf()


def test_account_deletion_needs_the_password_and_erases_everything(client, db, login_as, upload_cv,
                                                                   all_files):
    edition = make_edition(year=2026)
    user = make_candidate(email="gone@example.org")
    make_registration(user, edition)
    db.session.commit()
    login_as(user)
    upload_cv(make_pdf())
    response = client.post_form("/candidate/privacy/delete", {"delete-password": "wrong",
                                                              "delete-understood": "y"}, headers=EN)
    assert response.status_code == 422 and "Your password is not correct." in response.get_data(as_text=True)
    response = client.post_form("/candidate/privacy/delete", {"delete-password": DEFAULT_PASSWORD},
                                headers=EN)
    assert response.status_code == 422 and "Tick this box to confirm." in response.get_data(as_text=True)
    db.session.expire_all()
    assert user.email == "gone@example.org" and get_profile(user).has_cv

    response = client.post_form("/candidate/privacy/delete", {"delete-password": DEFAULT_PASSWORD,
                                                              "delete-understood": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert user.email == f"deleted-{user.id}@invalid" and user.is_disabled
    assert get_profile(user) is None and not any(f.startswith("uploads/cv/") for f in all_files())
    assert reg.get_registration(user, edition).status == "withdrawn"
    assert client.get("/candidate").status_code == 302  # logged out
