"""The first minutes (issue 13, items 2 and 4): a login lands on the role's home; the
confirmation link logs in the browser that signed up and only that one; "check your mailbox"
sends the link again (within a limit) or to a corrected address, without telling anyone more
about which addresses have an account."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from jobday.accounts.models import User
from jobday.accounts.session_policy import AUTH_AT
from tests.factories import DEFAULT_PASSWORD, make_company, make_edition, make_user

STRONG = "violet tractor under moonlight"
SIGNUP = {"first_name": "Léa", "last_name": "Dubois", "password": STRONG, "password_confirm": STRONG}


def _signup(client, email, url="/account/signup"):
    response = client.post_form(url, {**SIGNUP, "email": email})
    assert response.status_code == 200
    return response


def _logged_in_as(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("_user_id")


@pytest.mark.parametrize(("role", "home"), [
    ("candidate", "/candidate"), ("recruiter", "/company"), ("staff", "/door"), ("admin", "/staff"),
])
def test_a_login_lands_on_the_home_of_the_role(client, db, role, home):
    make_edition()  # the door's page is about the current edition
    user = make_user(email=f"{role}@example.org", roles=(role,))
    if role == "recruiter":
        make_company(admin=user)
    db.session.commit()
    response = client.post_form("/account/login", {"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and response.location == home
    assert client.get(home).status_code == 200
    # Already logged in, the login page sends there too.
    assert client.get("/account/login").location == home


def test_a_login_asked_for_a_page_goes_there(client, db):
    make_user(email="ann@example.org", roles=("admin",))
    db.session.commit()
    response = client.post_form("/account/login?next=/staff/people",
                                {"email": "ann@example.org", "password": DEFAULT_PASSWORD})
    assert response.location == "/staff/people"


def test_the_confirmation_link_logs_in_the_browser_that_signed_up_without_a_password_stamp(
        client, db, mailbox):
    _signup(client, "lea@example.org")
    assert _logged_in_as(client) is None
    response = client.get(mailbox.link("lea@example.org", "/account/confirm/"))
    assert response.status_code == 302 and response.location == "/candidate"
    user = db.session.scalar(select(User).where(User.email == "lea@example.org"))
    assert user.email_confirmed and _logged_in_as(client) == user.get_id()
    with client.session_transaction() as session:
        assert AUTH_AT not in session and "signup" not in session  # sensitive actions ask for the password
    assert client.get("/account/settings").status_code == 200


def test_the_link_opened_elsewhere_confirms_and_asks_for_the_password_with_the_address_filled_in(
        app, client, db, mailbox):
    _signup(client, "lea@example.org")
    link = mailbox.link("lea@example.org", "/account/confirm/")
    other = app.test_client()  # another browser: the phone where the mail was read
    response = other.get(link)
    assert response.status_code == 302 and response.location.startswith("/account/login")
    assert _logged_in_as(other) is None
    user = db.session.scalar(select(User).where(User.email == "lea@example.org"))
    db.session.refresh(user)
    assert user.email_confirmed
    page = other.get(response.location).get_data(as_text=True)
    assert 'value="lea@example.org"' in page
    response = other.post_form("/account/login", {"email": "lea@example.org", "password": STRONG})
    assert response.location == "/candidate"


def test_an_edition_sign_up_confirmed_goes_on_to_the_registration(client, db, mailbox):
    make_edition(year=2027)
    db.session.commit()
    _signup(client, "lea@example.org", "/editions/2027/signup")
    response = client.get(mailbox.link("lea@example.org", "/editions/2027/confirm/"))
    assert response.location == "/editions/2027/register"
    assert _logged_in_as(client) is not None


def test_a_company_registration_confirmed_lands_on_the_company_page(client, db, mailbox):
    response = client.post_form("/company/register", {
        **SIGNUP, "email": "rh@biotech.example", "name": "Aérofret Bio", "enterprise_number": "0403.170.701",
        "sector": "biopharma", "contact_name": "Léa Dubois", "contact_phone": "071 00 00 00"})
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]
    response = client.get(mailbox.link("rh@biotech.example", "/account/confirm/"))
    assert response.location == "/company"
    assert "Aérofret Bio" in client.get("/company").get_data(as_text=True)


def test_the_link_of_an_address_that_had_an_account_logs_nobody_in(app, client, db, mailbox):
    """The owner signed up long ago; a visitor signs up with that address: the owner's own
    confirmation link (opened in the visitor's browser) must not log the visitor in."""
    owner = make_user(email="owner@example.org", confirmed=False)
    db.session.commit()
    _signup(client, "owner@example.org")
    from jobday.accounts.services import send_confirmation_email
    send_confirmation_email(owner)
    db.session.commit()
    response = client.get(mailbox.link("owner@example.org", "/account/confirm/"))
    assert response.location.startswith("/account/login") and _logged_in_as(client) is None


def test_the_session_of_a_taken_address_looks_like_any_other(client, db):
    make_user(email="owner@example.org")
    db.session.commit()
    _signup(client, "owner@example.org")
    with client.session_transaction() as session:
        taken = dict(session["signup"])
    _signup(client, "new@example.org")
    with client.session_transaction() as session:
        created = dict(session["signup"])
    assert taken.keys() == created.keys()
    assert len(taken["proof"]) == len(created["proof"]) and len(taken["nonce"]) == len(created["nonce"])


def test_check_your_mailbox_sends_the_link_again_within_a_limit(app, client, db, mailbox):
    app.config["CONFIRMATION_RESEND_LIMIT"] = "2 per hour"
    page = _signup(client, "lea@example.org").get_data(as_text=True)
    assert "Renvoyer le lien" in page and "Mauvaise adresse" in page
    for _ in range(2):
        response = client.post_form("/account/signup/resend")
        assert response.status_code == 303 and response.location == "/account/signup/mailbox"
    assert len(mailbox.to("lea@example.org")) == 3
    assert "lea@example.org" in client.get("/account/signup/mailbox").get_data(as_text=True)
    response = client.post_form("/account/signup/resend")
    assert response.status_code == 429
    assert len(mailbox.to("lea@example.org")) == 3


def test_resending_for_an_address_that_had_an_account_sends_nothing_and_says_the_same(client, db, mailbox):
    make_user(email="owner@example.org")
    db.session.commit()
    _signup(client, "owner@example.org")
    before = len(mailbox.to("owner@example.org"))  # the owner was warned once
    response = client.post_form("/account/signup/resend")
    assert response.status_code == 303 and response.location == "/account/signup/mailbox"
    assert len(mailbox.to("owner@example.org")) == before


def test_a_wrong_address_is_corrected_and_the_link_goes_to_the_right_one(client, db, mailbox):
    _signup(client, "lea@exmaple.org")
    old_link = mailbox.link("lea@exmaple.org", "/account/confirm/")
    response = client.post_form("/account/signup/correct", {"email": "lea@example.org"})
    assert response.status_code == 303
    assert "lea@example.org" in client.get(response.location).get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == 1
    user = db.session.scalar(select(User))
    assert user.email == "lea@example.org" and user.first_name == "Léa"
    assert client.get(old_link).location == "/"  # the link sent to the wrong address is dead
    response = client.get(mailbox.link("lea@example.org", "/account/confirm/"))
    assert response.location == "/candidate" and _logged_in_as(client) == user.get_id()


def test_a_correction_moves_only_the_account_this_browser_created(app, client, db, mailbox):
    owner = make_user(email="owner@example.org", confirmed=False)
    db.session.commit()
    _signup(client, "owner@example.org")  # the visitor typed someone else's address
    response = client.post_form("/account/signup/correct", {"email": "visitor@example.org"})
    assert response.status_code == 303
    db.session.refresh(owner)
    assert owner.email == "owner@example.org"
    assert mailbox.to("visitor@example.org") == []
    # Without a pending sign-up there is nothing to correct.
    stranger = app.test_client()
    response = stranger.post("/account/signup/correct", data={"email": "x@example.org"})
    assert response.status_code in (302, 400)
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_a_correction_to_an_address_with_an_account_warns_its_owner_and_moves_nothing(client, db, mailbox):
    make_user(email="owner@example.org")
    db.session.commit()
    _signup(client, "lea@exmaple.org")
    response = client.post_form("/account/signup/correct", {"email": "owner@example.org"})
    assert response.status_code == 303
    assert db.session.scalar(select(User.id).where(User.email == "lea@exmaple.org")) is not None
    assert len(mailbox.to("owner@example.org")) == 1  # "someone tried to sign up with your address"


def test_a_correction_with_a_bad_address_says_so_in_french(client, db):
    _signup(client, "lea@exmaple.org")
    response = client.post_form("/account/signup/correct", {"email": "not an address"})
    assert response.status_code == 422
    assert "Saisissez une adresse e-mail valide" in response.get_data(as_text=True)
