"""Company registration, profile and participation services."""

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from jobday.companies import services
from jobday.companies.errors import AlreadyApplied, AlreadyInCompany, CompanyExists, InvalidField
from jobday.companies.models import Company, CompanyMember, InterviewSlot, Participation
from jobday.companies.services import CompanyDetails
from jobday.security import Role
from tests import factories


def details(**fields) -> CompanyDetails:
    fields.setdefault("name", "Vaxolis")
    fields.setdefault("enterprise_number", "0123.456.749")
    fields.setdefault("sector", "biopharma")
    return CompanyDetails(**fields)


def test_a_user_registers_a_company_and_becomes_its_admin_and_a_recruiter(db):
    user = factories.make_user(roles=(Role.CANDIDATE,))
    company = services.register_company(details(website="vaxolis.example", contact_phone="071 12 34 56"),
                                        actor=user)
    assert company.enterprise_number == "0123456749"
    assert company.website == "https://vaxolis.example"
    assert company.contact_phone == "+3271123456"
    assert [(m.user_id, m.is_admin) for m in company.members] == [(user.id, True)]
    assert user.has_role(Role.RECRUITER)


def test_same_name_in_another_case_is_refused_and_names_the_admin_by_first_name_only(db):
    existing = factories.make_company(name="Vaxolis SA")
    admin = factories.company_admin(existing)
    newcomer = factories.make_user(roles=(Role.RECRUITER,))
    with pytest.raises(CompanyExists) as error:
        services.register_company(details(name="  VAXOLIS   sa", enterprise_number="", is_foreign=True),
                                  actor=newcomer)
    with force_locale("en"):
        message = str(error.value.message)
    assert admin.first_name in message and "invitation" in message
    assert admin.email not in message and admin.last_name not in message
    assert db.session.scalar(select(func.count(Company.id))) == 1


def test_same_enterprise_number_under_another_name_is_refused(db):
    factories.make_company(name="Vaxolis", enterprise_number="0123456749")
    with pytest.raises(CompanyExists):
        services.register_company(details(name="Vaxolis Belgium", enterprise_number="BE 0123 456 749"),
                                  actor=factories.make_user())


def test_a_member_of_a_company_cannot_register_another(db):
    company = factories.make_company()
    with pytest.raises(AlreadyInCompany):
        services.register_company(details(), actor=factories.company_admin(company))


@pytest.mark.parametrize("fields, field", [
    ({"enterprise_number": "0123.456.748"}, "enterprise_number"),
    ({"enterprise_number": ""}, "enterprise_number"),
    ({"name": "   "}, "name"),
    ({"sector": "weapons"}, "sector"),
    ({"website": "javascript:alert(1)"}, "website"),
    ({"contact_phone": "12"}, "contact_phone"),
])
def test_bad_company_details_are_refused_on_their_field(db, fields, field):
    with pytest.raises(InvalidField) as error:
        services.register_company(details(**fields), actor=factories.make_user())
    assert error.value.field == field
    assert db.session.scalar(select(func.count(Company.id))) == 0


def test_a_foreign_company_needs_no_enterprise_number(db):
    company = services.register_company(details(name="Genfit Lyon", enterprise_number="", is_foreign=True),
                                        actor=factories.make_user())
    assert company.enterprise_number is None and company.is_foreign


def test_two_foreign_companies_without_number_may_coexist(db):
    factories.make_company(name="A", enterprise_number=None, is_foreign=True)
    factories.make_company(name="B", enterprise_number=None, is_foreign=True)
    db.session.commit()


def test_update_keeps_uniqueness_and_only_members_may_edit(db):
    company = factories.make_company(name="Vaxolis")
    other = factories.make_company(name="Mosanis")
    admin = factories.company_admin(company)
    services.update_company(company, details(name="Vaxolis Belgium",
                                             enterprise_number=company.enterprise_number), actor=admin)
    assert company.name == "Vaxolis Belgium"
    with pytest.raises(InvalidField) as error:
        services.update_company(company, details(name="MOSANIS", enterprise_number=company.enterprise_number),
                                actor=admin)
    assert error.value.code == "company_exists"
    with pytest.raises(Exception) as error:
        services.update_company(other, details(name="Hacked"), actor=admin)
    assert error.value.status == 404


def test_applying_uses_the_edition_defaults_and_creates_the_tables(db):
    edition = factories.make_edition(default_slot_minutes=15, default_pause_minutes=0,
                                     default_interview_hours="10:00-11:00")
    company = factories.make_company()
    participation = services.apply_for_edition(company, edition, actor=factories.company_admin(company),
                                               recruiters_coming=3, tables_wanted=2, needs_power=True)
    assert participation.status == "pending"
    assert (participation.slot_minutes, participation.pause_minutes) == (15, 0)
    assert len(participation.tables) == 2
    assert [(o.starts_at.hour, o.ends_at.hour) for o in participation.tables[0].openings] == [(10, 11)]
    # Not approved yet: no slots.
    assert db.session.scalar(select(func.count(InterviewSlot.id))) == 0
    with pytest.raises(AlreadyApplied):
        services.apply_for_edition(company, edition, actor=factories.company_admin(company),
                                   recruiters_coming=1, tables_wanted=1)


def test_applying_for_another_company_is_not_found(db):
    edition = factories.make_edition()
    company, other = factories.make_company(), factories.make_company()
    with pytest.raises(Exception) as error:
        services.apply_for_edition(other, edition, actor=factories.company_admin(company),
                                   recruiters_coming=1, tables_wanted=1)
    assert error.value.status == 404
    assert db.session.scalar(select(func.count(Participation.id))) == 0


@pytest.mark.parametrize("recruiters, tables, field", [(0, 1, "recruiters_coming"), (1, 0, "tables_wanted"),
                                                       (1, 11, "tables_wanted")])
def test_application_counts_are_bounded(db, recruiters, tables, field):
    company = factories.make_company()
    with pytest.raises(InvalidField) as error:
        services.apply_for_edition(company, factories.make_edition(), actor=factories.company_admin(company),
                                   recruiters_coming=recruiters, tables_wanted=tables)
    assert error.value.field == field


def test_one_user_cannot_be_member_of_two_companies_in_the_database(db):
    from sqlalchemy.exc import IntegrityError

    company, other = factories.make_company(), factories.make_company()
    admin = factories.company_admin(company)
    db.session.add(CompanyMember(company_id=other.id, user_id=admin.id))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_the_company_page_lists_its_offers_open_first_in_the_readers_order(db, app):
    from jobday.companies import offers
    from jobday.db import utcnow

    company = factories.make_company(name="Titlis")
    for title in ("Zoologue", "éclairagiste", "Analyste"):
        factories.make_offer(company, title=title)
    factories.make_offer(company, title="Bâtisseur", closed_at=utcnow())
    factories.make_offer(factories.make_company(name="Autre"), title="Ailleurs")
    db.session.commit()
    for language in ("fr", "en"):
        with app.test_request_context(headers={"Accept-Language": language}):
            listed = offers.company_offers(company)
        assert [(offer.title, offer.is_open) for offer in listed] == [
            ("Analyste", True), ("éclairagiste", True), ("Zoologue", True), ("Bâtisseur", False)]
