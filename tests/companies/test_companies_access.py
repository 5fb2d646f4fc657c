"""A recruiter never sees or changes another company's data, offers, plan or team (404);
a removed recruiter loses access at once; wrong roles get 403."""

import pytest
from sqlalchemy import func, select

from jobday.companies.access import membership_of
from jobday.companies.models import CompanyMember, InterviewSlot, Invitation, JobOffer
from jobday.companies.team import invite_colleague
from tests import factories


@pytest.fixture
def other(db, edition):
    """Another company, with an offer, a plan, a recruiter and a pending invitation."""
    company = factories.make_company(name="Mosanis")
    participation = factories.make_participation(company, edition, hours="09:30-10:30")
    offer = factories.make_offer(company, title="Secret offer")
    colleague = factories.add_recruiter(company)
    invitation, _token = invite_colleague(
        company, "x@mosanis.example", actor=factories.company_admin(company)
    )
    db.session.commit()
    return {
        "company": company,
        "participation": participation,
        "offer": offer,
        "table": participation.tables[0],
        "member": membership_of(colleague),
        "invitation": invitation,
    }


def test_another_companys_objects_are_not_found(client, db, admin, company, edition, other):
    factories.make_participation(company, edition)
    db.session.commit()
    offer, table = other["offer"], other["table"]
    member, invitation = other["member"], other["invitation"]
    assert client.get(f"/company/offers/{offer.id}/edit").status_code == 404
    attempts = [
        (
            f"/company/offers/{offer.id}/edit",
            {
                "title": "Hacked",
                "contract_type": "permanent",
                "education_level": "master",
                "job_areas": "rnd",
            },
        ),
        (f"/company/offers/{offer.id}/close", {}),
        (f"/company/plan/tables/{table.id}", {f"t{table.id}-name": "Hacked", f"t{table.id}-hours-0": ""}),
        (f"/company/plan/tables/{table.id}/delete", {}),
        (f"/company/team/{member.id}/remove", {}),
        (f"/company/team/{member.id}/make-admin", {}),
        (f"/company/team/invitations/{invitation.id}/cancel", {}),
    ]
    for url, data in attempts:
        assert client.post_form(url, data).status_code == 404, url
    db.session.expire_all()
    assert (
        db.session.get(JobOffer, offer.id).title == "Secret offer"
        and db.session.get(JobOffer, offer.id).is_open
    )
    assert (
        db.session.get(CompanyMember, member.id) is not None
        and not db.session.get(CompanyMember, member.id).is_admin
    )
    assert db.session.get(Invitation, invitation.id) is not None
    assert (
        table.name == "Table 1"
        and db.session.scalar(select(func.count(InterviewSlot.id)).where(InterviewSlot.table_id == table.id))
        == 2
    )
    page = client.get("/company").get_data(as_text=True)
    assert "Secret offer" not in page and "Mosanis" not in page


def test_a_removed_recruiter_loses_access_at_once(client, db, company, edition, login_as):
    factories.make_participation(company, edition)
    offer = factories.make_offer(company)
    recruiter = factories.add_recruiter(company)
    login_as(recruiter)
    assert client.get("/company").status_code == 200
    assert client.get(f"/company/offers/{offer.id}/edit").status_code == 200
    db.session.delete(membership_of(recruiter))  # an admin removed them in another session
    db.session.commit()
    for url in (
        "/company",
        f"/company/offers/{offer.id}/edit",
        "/company/plan",
        "/company/team",
        "/company/profile",
        "/company/offers/new",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post_form(f"/company/offers/{offer.id}/close").status_code == 404


@pytest.mark.parametrize(
    "url", ["/company", "/company/team", "/company/plan", "/company/offers/new", "/company/profile"]
)
def test_candidates_get_403_and_visitors_the_login_page(client, login_as, url):
    assert client.get(url).status_code == 302
    login_as("candidate")
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", ["/staff/companies"])
def test_recruiters_cannot_open_the_organiser_pages(client, admin, url):
    assert client.get(url).status_code == 403


def test_state_changes_need_the_csrf_token(client, db, admin, company):
    offer = factories.make_offer(company)
    db.session.commit()
    assert client.post(f"/company/offers/{offer.id}/close").status_code == 400
    assert client.post("/company/team/invite", data={"email": "a@b.example"}).status_code == 400
    db.session.expire_all()
    assert db.session.get(JobOffer, offer.id).is_open
