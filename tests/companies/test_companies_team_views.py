"""The team page and joining through an invitation link, over HTTP."""

from datetime import timedelta

from freezegun import freeze_time
from sqlalchemy import func, select

from jobday.accounts.models import User
from jobday.companies.access import membership_of
from jobday.companies.models import CompanyMember
from jobday.db import utcnow
from tests import factories

EN = {"Accept-Language": "en"}
PASSWORD = "purple elephant dances slowly"


def invite(client, mailbox, email: str) -> str:
    response = client.post_form("/company/team/invite", {"email": email})
    assert response.status_code == 302
    return mailbox.link(email, "/company/join/")


def test_invited_newcomer_signs_up_and_joins(client, db, admin, company, mailbox):
    link = invite(client, mailbox, "lotte@vaxolis.example")
    client.post_form("/account/logout")
    page = client.get(link, headers=EN).get_data(as_text=True)
    assert "Create your account to join the team" in page
    response = client.post_form(link, {"first_name": "Lotte", "last_name": "Peeters", "password": PASSWORD,
                                       "password_confirm": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/company")
    assert client.get("/company").status_code == 200
    user = db.session.scalar(select(User).where(User.email == "lotte@vaxolis.example"))
    assert membership_of(user).company_id == company.id
    # The link worked once.
    assert client.get(link).status_code == 410


def test_an_existing_account_logs_in_then_joins(client, db, admin, company, mailbox, login_as):
    colleague = factories.make_user(email="jens@vaxolis.example", roles=("candidate",))
    db.session.commit()
    link = invite(client, mailbox, "jens@vaxolis.example")
    client.post_form("/account/logout")
    assert "log in with this address" in client.get(link, headers=EN).get_data(as_text=True)
    login_as(colleague)
    assert client.post_form(link).status_code == 302
    assert membership_of(colleague).company_id == company.id


def test_an_expired_link_is_refused(client, db, admin, mailbox, login_as):
    link = invite(client, mailbox, "late@vaxolis.example")
    late = factories.make_user(email="late@vaxolis.example")
    db.session.commit()
    login_as(late)
    with freeze_time(utcnow() + timedelta(days=8)):
        response = client.post_form(link, headers=EN)
    assert response.status_code == 410
    assert "expired" in response.get_data(as_text=True)
    assert membership_of(late) is None


def test_an_account_of_another_company_is_refused(client, db, admin, mailbox, login_as):
    busy = factories.company_admin(factories.make_company(name="Other"))
    db.session.commit()
    link = invite(client, mailbox, busy.email)
    login_as(busy)
    response = client.post_form(link, headers=EN)
    assert response.status_code == 409
    assert "already belongs to a company" in response.get_data(as_text=True)
    assert membership_of(busy).company.name == "Other"


def test_a_forged_link_is_refused(client):
    assert client.get("/company/join/forged-token").status_code == 410


def test_only_admins_invite_and_bad_addresses_are_refused(client, db, company, login_as, mailbox):
    recruiter = factories.add_recruiter(company)
    login_as(recruiter)
    assert "Only an administrator" in client.get("/company/team", headers=EN).get_data(as_text=True)
    assert client.post_form("/company/team/invite", {"email": "a@b.example"}).status_code == 403
    login_as(factories.company_admin(company))
    response = client.post_form("/company/team/invite", {"email": "not-an-address"}, headers=EN)
    assert response.status_code == 422 and "valid e-mail address" in response.get_data(as_text=True)
    assert mailbox.messages == []


def test_admin_removes_a_recruiter_and_hands_over_the_role(client, db, admin, company):
    recruiter = factories.add_recruiter(company)
    helper = factories.add_recruiter(company)
    db.session.commit()
    assert client.post_form(f"/company/team/{membership_of(recruiter).id}/remove").status_code == 302
    assert membership_of(recruiter) is None
    response = client.post_form(f"/company/team/{membership_of(admin).id}/remove", headers=EN,
                                follow_redirects=True)
    assert "at least one administrator" in response.get_data(as_text=True)
    assert membership_of(admin) is not None
    client.post_form(f"/company/team/{membership_of(helper).id}/make-admin")
    db.session.expire_all()
    assert membership_of(helper).is_admin and not membership_of(admin).is_admin
    assert db.session.scalar(select(func.count(CompanyMember.id))) == 2


def test_the_only_administrator_is_not_offered_to_leave(client, db, admin, company):
    page = client.get("/company/team", headers=EN).get_data(as_text=True)
    assert "first hand over the admin role" in page and "Leave the team" not in page
    factories.add_recruiter(company, is_admin=True, first_name="Lotte", last_name="Peeters")
    db.session.commit()
    page = client.get("/company/team", headers=EN).get_data(as_text=True)
    assert "Leave the team" in page and "first hand over the admin role" not in page


def test_the_kept_team_lines_carry_each_pages_own_token(app, client, db, admin, company):
    """The team's lines are kept once rendered with a hole for the CSRF token: another session
    reads its own token there, and its forms work."""
    import re

    from jobday.accounts import session_policy

    second = factories.add_recruiter(company, is_admin=True, first_name="Léa", last_name="Martin")
    recruiter = factories.add_recruiter(company, first_name="Tom", last_name="Dubois")
    db.session.commit()
    first_tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', client.get("/company/team").get_data(
        as_text=True)))
    other = app.test_client()  # another browser, logged in as the second administrator
    with other.session_transaction() as session:
        session.update({"_user_id": second.get_id(), "_fresh": True, **session_policy.login_stamps(remembered=False)})
    page = other.get("/company/team").get_data(as_text=True)
    tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', page))
    assert len(first_tokens) == 1 and len(tokens) == 1 and tokens != first_tokens and "kept" not in page
    member_id = db.session.scalar(select(CompanyMember.id).where(CompanyMember.user_id == recruiter.id))
    response = other.post(f"/company/team/{member_id}/make-admin", data={"csrf_token": tokens.pop()})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(CompanyMember, member_id).is_admin
