"""The matches in pages: "Companies you should meet" on the candidate's home, and the
candidates who match a company's offers (only those sharing with every exhibitor)."""

from __future__ import annotations

import pytest

from jobday.candidates.consent import record_consents
from jobday.candidates.models import CandidateLanguage
from jobday.extensions import db
from jobday.leads import sharing
from tests import factories

FR = {"Accept-Language": "fr"}


def _fair():
    edition = factories.make_edition()
    acme = factories.make_company(name="Acme Bio")
    factories.make_participation(acme, edition, stand="A1")
    qc = factories.make_offer(acme, title="Analyste QC", job_areas=("quality_control",), education_level="master")
    qc.languages = ["fr"]
    logistics = factories.make_company(name="Logistix")
    factories.make_participation(logistics, edition, stand="L9")
    factories.make_offer(logistics, title="Cariste", job_areas=("logistics",), education_level="cess")
    people = {}
    for name, areas, share in (("Amélie", ("quality_control",), True), ("Bruno", ("quality_control",), False),
                               ("Chloé", ("production",), True)):
        user = factories.make_candidate(first_name=name, last_name="Test", job_areas=areas,
                                        email=f"{name.lower()}@example.org")
        factories.make_registration(user, edition)
        if share:
            record_consents(user, {"share_with_all_exhibitors": True}, actor=user)
        people[name] = user
    db.session.add(CandidateLanguage(user_id=people["Amélie"].id, language="fr", level="native"))
    db.session.commit()
    return edition, acme, people


def test_the_home_recommends_the_matching_companies_with_true_reasons(client, login_as):
    _edition, _acme, people = _fair()
    login_as(people["Amélie"])
    home = client.get("/candidate", headers=FR).get_data(as_text=True)
    assert "Entreprises à rencontrer" in home
    section = home[home.index("Entreprises à rencontrer"):]
    assert "Acme Bio" in section and "Logistix" not in section
    assert "1 offre en contrôle qualité" in section and "niveau master" in section
    assert "langues\u00a0: français" in section


def test_no_overlap_no_recommendation(client, login_as):
    _edition, _acme, people = _fair()
    login_as(people["Chloé"])
    home = client.get("/candidate", headers=FR).get_data(as_text=True)
    section = home[home.index("Entreprises à rencontrer"):]
    assert "Aucun exposant n&#39;a encore d&#39;offre" in section or "Aucun exposant n'a encore d'offre" in section
    assert "Acme Bio" not in section and "Logistix" not in section


def test_recruiters_see_the_sharing_candidates_who_match(client, login_as):
    edition, acme, people = _fair()
    login_as(factories.company_admin(acme))
    page = client.get("/company/matches", headers=FR).get_data(as_text=True)
    assert "Amélie Test" in page  # shares and matches
    assert "Bruno Test" not in page  # matches but does not share with every exhibitor
    assert "Chloé Test" not in page  # shares but no overlap
    assert "1 offre en contrôle qualité" in page and "Inviter à postuler" in page
    # A candidate who took Acme's access back at its stand is no longer proposed to Acme.
    lead = factories.make_lead(acme, people["Amélie"], edition)
    sharing.withdraw_access(lead, actor=people["Amélie"])
    db.session.commit()
    assert "Amélie Test" not in client.get("/company/matches").get_data(as_text=True)


def test_the_kept_ranking_shows_each_change_at_once(client, login_as):
    """The ranking is kept between views while no candidate's data changes: each change that
    moves it shows at the next view, whatever wrote it."""
    from sqlalchemy import text

    from jobday.accounts.models import User
    from jobday.candidates.models import CandidateJobArea
    from jobday.db import utcnow
    from jobday.leads.models import InterviewInvitation

    edition, acme, people = _fair()
    amelie = people["Amélie"]
    login_as(factories.company_admin(acme))

    def page() -> str:
        return client.get("/company/matches", headers=FR).get_data(as_text=True)

    def changed(statement: str, **params) -> str:
        db.session.execute(text(statement), {"id": amelie.id, **params})
        db.session.commit()
        return page()

    assert "Amélie Test" in page() and "Amélie Test" in page()
    assert "Amélia Test" in changed("UPDATE users SET first_name = 'Amélia' WHERE id = :id")
    assert "Amélia Test" not in changed("UPDATE candidate_profiles SET education_level = 'cess' WHERE user_id = :id")
    assert "Amélia Test" in changed("UPDATE candidate_profiles SET education_level = 'master' WHERE user_id = :id")
    assert "Amélia Test" not in changed("DELETE FROM candidate_job_areas WHERE user_id = :id")
    db.session.add(CandidateJobArea(user_id=amelie.id, area="quality_control"))
    db.session.commit()
    assert "Amélia Test" in page()
    record_consents(db.session.get(User, amelie.id), {"share_with_all_exhibitors": False}, actor=amelie)
    db.session.commit()
    assert "Amélia Test" not in page()
    record_consents(db.session.get(User, amelie.id), {"share_with_all_exhibitors": True}, actor=amelie)
    db.session.commit()
    assert "Amélia Test" in page()
    assert "Amélia Test" not in changed("UPDATE registrations SET status = 'withdrawn' WHERE user_id = :id")
    assert "Amélia Test" in changed("UPDATE registrations SET status = 'registered' WHERE user_id = :id")
    assert "Amélia Test" not in changed("UPDATE users SET is_disabled = :yes WHERE id = :id", yes=True)
    assert "Amélia Test" in changed("UPDATE users SET is_disabled = :no WHERE id = :id", no=False)
    newcomer = factories.make_candidate(first_name="Dora", last_name="Test", job_areas=("quality_control",))
    factories.make_registration(newcomer, edition)
    record_consents(newcomer, {"share_with_all_exhibitors": True}, actor=newcomer)
    db.session.commit()
    assert "Dora Test" in page()
    # The company's own invitations and leads are read at each view.
    participation_id = db.session.scalar(text("SELECT id FROM participations WHERE company_id = :c"), {"c": acme.id})
    db.session.add(InterviewInvitation(edition_id=edition.id, participation_id=participation_id,
                                       candidate_id=amelie.id, kind="apply", source="match", status="declined",
                                       created_by_id=factories.company_admin(acme).id, created_at=utcnow()))
    db.session.commit()
    line = page()
    line = line[line.index("Amélia Test"):]
    assert "Refusée" in line[:line.index("</li>")]
    lead = factories.make_lead(acme, amelie, edition)
    db.session.commit()
    assert f"/company/leads/{lead.id}" in page()
    sharing.withdraw_access(lead, actor=amelie)
    db.session.commit()
    assert "Amélia Test" not in page() and "Dora Test" in page()


def test_the_matches_page_is_the_recruiters(client, login_as):
    _edition, _acme, people = _fair()
    login_as(people["Amélie"])
    assert client.get("/company/matches").status_code == 403
    login_as(factories.make_user(roles=("staff",)))
    assert client.get("/company/matches").status_code == 403
    pending = factories.make_company(name="Pending")
    db.session.commit()
    login_as(factories.company_admin(pending))
    assert client.get("/company/matches").status_code == 404


def test_matching_queries_stay_constant(client, login_as, app):
    """The recruiters' page reads a fixed number of queries, whether its ranking is read again
    (a candidate's data changed) or kept (nothing changed: fewer, the same page)."""
    from sqlalchemy import event

    edition, acme, _people = _fair()
    login_as(factories.company_admin(acme))
    client.get("/company/matches")  # warm
    counted = []

    def count(*_args, **_kwargs):
        counted.append(1)

    def thirty_more(name: str) -> None:
        for n in range(30):
            user = factories.make_candidate(first_name=f"{name}{n}", job_areas=("quality_control",))
            factories.make_registration(user, edition)
            record_consents(user, {"share_with_all_exhibitors": True}, actor=user)
        db.session.commit()

    def counted_page() -> tuple[int, str]:
        counted.clear()
        page = client.get("/company/matches").get_data(as_text=True)
        return len(counted), page

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        thirty_more("Extra")
        with_30, _page = counted_page()
        thirty_more("More")
        with_60, page = counted_page()
        assert with_60 == with_30
        kept, page_again = counted_page()
        assert kept < with_60 and page_again == page
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_the_offer_list_sorts_by_best_match_for_candidates(client, login_as):
    _edition, acme, people = _fair()
    factories.make_offer(acme, title="Aaa premier par le titre", job_areas=("logistics",))
    db.session.commit()
    login_as(people["Amélie"])
    page = client.get("/offers", headers=FR).get_data(as_text=True)
    assert "Meilleure correspondance d&#39;abord" in page or "Meilleure correspondance d'abord" in page
    assert page.index("Aaa premier par le titre") < page.index("Analyste QC")  # by title
    ranked = client.get("/offers?sort=match", headers=FR).get_data(as_text=True)
    assert ranked.index("Analyste QC") < ranked.index("Aaa premier par le titre") < ranked.index("Cariste")
    assert "Correspond à votre profil\u00a0: contrôle qualité, niveau master" in ranked
    assert ranked.count("Correspond à votre profil") == 1  # only the offer that fits says why


def test_the_best_match_sort_is_for_candidates_only(client, login_as):
    _fair()
    anonymous = client.get("/offers?sort=match", headers=FR).get_data(as_text=True)
    assert "Meilleure correspondance" not in anonymous and "Correspond à votre profil" not in anonymous
    assert anonymous.index("Analyste QC") < anonymous.index("Cariste")


def test_the_exhibitor_list_sorts_by_best_match_for_candidates(client, login_as):
    edition, _acme, people = _fair()
    first_by_name = factories.make_company(name="Aardvark Labs")
    factories.make_participation(first_by_name, edition, stand="A0")
    factories.make_offer(first_by_name, title="Magasinier", job_areas=("logistics",))
    db.session.commit()
    login_as(people["Amélie"])
    page = client.get("/exhibitors", headers=FR).get_data(as_text=True)
    assert page.index("Aardvark Labs") < page.index("Acme Bio") < page.index("Logistix")  # by name
    assert "Correspond à votre profil" not in page
    ranked = client.get("/exhibitors?sort=match", headers=FR).get_data(as_text=True)
    assert ranked.index("Acme Bio") < ranked.index("Aardvark Labs") < ranked.index("Logistix")
    assert "Correspond à votre profil\u00a0: 1 offre en contrôle qualité, niveau master" in ranked
    assert ranked.count("Correspond à votre profil") == 1
    login_as(factories.company_admin(first_by_name))  # a recruiter: no ranking
    other = client.get("/exhibitors?sort=match", headers=FR).get_data(as_text=True)
    assert "Meilleure correspondance" not in other and "Correspond à votre profil" not in other
    assert other.index("Aardvark Labs") < other.index("Acme Bio")


def test_the_interview_company_list_sorts_by_best_match(client, login_as):
    edition, _acme, people = _fair()
    first_by_name = factories.make_company(name="Aardvark Labs")
    factories.make_participation(first_by_name, edition, stand="A0")
    factories.make_offer(first_by_name, title="Magasinier", job_areas=("logistics",))
    db.session.commit()
    login_as(people["Amélie"])
    page = client.get("/interviews", headers=FR).get_data(as_text=True)
    assert "Meilleure correspondance d&#39;abord" in page or "Meilleure correspondance d'abord" in page
    assert page.index("Aardvark Labs") < page.index("Acme Bio") < page.index("Logistix")
    ranked = client.get("/interviews?sort=match", headers=FR).get_data(as_text=True)
    assert ranked.index("Acme Bio") < ranked.index("Aardvark Labs") < ranked.index("Logistix")
    assert "Correspond à votre profil\u00a0: 1 offre en contrôle qualité, niveau master" in ranked
    assert ranked.count("Correspond à votre profil") == 1
    filtered = client.get("/interviews?sort=match&area=logistics", headers=FR).get_data(as_text=True)
    assert "Acme Bio" not in filtered and "Correspond à votre profil" not in filtered


def test_the_matches_say_which_candidates_were_invited_already(client, login_as):
    from jobday.companies.models import Participation
    from jobday.leads import invitations

    edition, acme, people = _fair()
    admin = factories.company_admin(acme)
    for name in ("Denis", "Emma"):  # two more who share and match: Amélie is not alone on the page
        user = factories.make_candidate(first_name=name, last_name="Test", job_areas=("quality_control",),
                                        email=f"{name.lower()}@example.org")
        factories.make_registration(user, edition)
        record_consents(user, {"share_with_all_exhibitors": True}, actor=user)
    participation = db.session.query(Participation).filter_by(company_id=acme.id).one()
    invitations.invite(people["Amélie"].id, participation, actor=admin, kind="apply")
    db.session.commit()
    login_as(admin)
    page = client.get("/company/matches", headers=FR).get_data(as_text=True)
    amelie = page[page.index("Amélie Test"):page.index("</li>", page.index("Amélie Test"))]
    assert "Invitation en attente de réponse" in amelie and "Inviter à postuler" not in amelie
    assert page.count("Invitation en attente de réponse") == 1 and page.count("Inviter à postuler") == 2


def test_the_kept_list_follows_the_invitations_the_language_and_each_readers_token(client, login_as, app):
    """The list is kept for what it shows (rows, free slots, language): a new invitation or lead
    shows at once, and each reader's forms carry their own token."""
    import re

    from jobday.companies.models import Participation
    from jobday.leads import invitations

    edition, acme, people = _fair()
    admin, colleague = factories.company_admin(acme), factories.company_admin(acme)
    participation = db.session.query(Participation).filter_by(company_id=acme.id).one()
    db.session.commit()
    login_as(admin)
    before = client.get("/company/matches", headers=FR).get_data(as_text=True)
    assert "Inviter à postuler" in before and "Invitation en attente de réponse" not in before
    assert "Invite to apply" in client.get("/company/matches", headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    tokens = set(re.findall(r'name="invite-csrf_token" value="([^"]+)"', before))
    with client.session_transaction() as session:
        session.clear()  # another reader: another session, another token
    login_as(colleague)
    theirs = set(re.findall(r'name="invite-csrf_token" value="([^"]+)"',
                            client.get("/company/matches", headers=FR).get_data(as_text=True)))
    assert len(tokens) == 1 and len(theirs) == 1 and tokens != theirs
    assert "keptcsrftokenhole" not in before
    invitations.invite(people["Amélie"].id, participation, actor=admin, kind="apply")
    factories.make_lead(acme, people["Amélie"], edition)
    db.session.commit()
    after = client.get("/company/matches", headers=FR).get_data(as_text=True)
    assert "Invitation en attente de réponse" in after and "rencontré au stand" in after.lower()


def _section(page: str) -> str:
    return page[page.index('<section aria-labelledby="meet-heading"'):].split("</section>")[0]


def test_the_kept_section_follows_the_offers_the_profile_and_the_language(client, login_as, app):
    """"Companies you should meet" is kept for what it shows (the offers read, the profile's
    choices, the language): any change shows at once, and what is kept is what the template
    writes afresh."""
    from jobday.candidates.models import CandidateContractType, CandidateJobArea
    from jobday.companies.models import Participation

    edition, acme, people = _fair()
    amelie = people["Amélie"]
    login_as(amelie)

    def home(lang="fr"):
        return _section(client.get("/candidate", headers={"Accept-Language": lang}).get_data(as_text=True))

    first = home()
    assert "Acme Bio" in first and "Stand A1" in first and first == home()
    app.jinja_env.auto_reload = True  # rendered each time, not kept
    assert home() == first
    app.jinja_env.auto_reload = False
    assert "Companies you should meet" in home("en") and "1 offer in quality control" in home("en")
    db.session.query(Participation).filter_by(company_id=acme.id).one().stand = "C3"
    db.session.commit()
    assert "Stand C3" in home()
    acme.name = "Acme Biotech"
    db.session.commit()
    assert "Acme Biotech" in home()
    factories.make_offer(acme, title="Second QC", job_areas=("quality_control",), education_level="master")
    db.session.commit()
    assert "2 offres en contrôle qualité" in home()
    logistix = factories.make_company(name="Logistix 2")
    factories.make_participation(logistix, edition, stand="L2")
    offer = factories.make_offer(logistix, title="Cariste 2", job_areas=("logistics",), education_level="cess")
    db.session.commit()
    assert "Logistix 2" not in home()
    db.session.add(CandidateJobArea(user_id=amelie.id, area="logistics"))
    db.session.commit()
    assert "Logistix 2" in home() and "1 offre en logistique" in home()
    offer.job_areas = ["production"]
    db.session.commit()
    assert "Logistix 2" not in home()
    offer.job_areas = ["logistics", "production"]
    offer.languages = ["nl"]
    db.session.commit()
    assert "Logistix 2" not in home()  # a language Amélie does not speak
    before = home()
    db.session.add(CandidateContractType(user_id=amelie.id, contract_type="permanent"))  # the same offers
    db.session.commit()
    kept = home()
    assert kept != before and kept.replace(", contrat à durée indéterminée", "") == before
    app.jinja_env.auto_reload = True
    assert home() == kept


def test_more_withdrawals_than_the_kept_ranking_holds_read_it_all(client, login_as, monkeypatch):
    """The best matches are kept, not all: when the candidates who took the company's access
    back at its stand leave too few of them, the whole ranking is read again."""
    from jobday.leads import match_views

    edition, acme, people = _fair()
    first = factories.make_candidate(first_name="Aaron", last_name="Aaa", job_areas=("quality_control",))
    factories.make_registration(first, edition)
    record_consents(first, {"share_with_all_exhibitors": True}, actor=first)
    db.session.add(CandidateLanguage(user_id=first.id, language="fr", level="native"))
    db.session.commit()
    monkeypatch.setattr(match_views, "SHOWN", 1)
    monkeypatch.setattr(match_views, "KEPT", 1)  # Aaron Aaa only: first by name among equals
    login_as(factories.company_admin(acme))
    page = client.get("/company/matches", headers=FR).get_data(as_text=True)
    assert "Aaron Aaa" in page and "Amélie Test" not in page
    sharing.withdraw_access(factories.make_lead(acme, first, edition), actor=first)
    db.session.commit()
    page = client.get("/company/matches", headers=FR).get_data(as_text=True)
    assert "Aaron Aaa" not in page and "Amélie Test" in page


@pytest.mark.postgres
def test_an_offer_changed_while_the_ranking_is_read_is_not_kept(client, login_as, monkeypatch):
    """PostgreSQL: each statement sees the latest commits, so an offer edited between the read of
    the offers (the kept ranking's key) and the ranking's statement gives a ranking of other
    offers than its key's: shown once, never kept (the edit undone, the key would match it)."""
    from sqlalchemy import text

    from jobday.leads import match_views

    _edition, acme, _people = _fair()
    offer_id = db.session.scalar(text("SELECT id FROM job_offers WHERE title = 'Analyste QC'"))
    db.session.commit()
    login_as(factories.company_admin(acme))

    def page() -> str:
        return client.get("/company/matches", headers=FR).get_data(as_text=True)

    assert "Amélie Test" in page()
    real = match_views._sharing_fitting
    edited = []

    class EditedMeanwhile:
        """The ranking's statement, after another request raised the offer's level."""

        def rows(self, *args, **kwargs):
            if not edited:
                edited.append(True)
                with db.engine.connect() as other:
                    other.execute(text("UPDATE job_offers SET education_level = 'phd' WHERE id = :id"),
                                  {"id": offer_id})
                    other.commit()
            return real.rows(*args, **kwargs)

    match_views._kept_rankings.forget()
    monkeypatch.setattr(match_views, "_sharing_fitting", EditedMeanwhile())
    assert "Amélie Test" not in page()  # a master: the statement read the doctorate
    monkeypatch.setattr(match_views, "_sharing_fitting", real)
    db.session.execute(text("UPDATE job_offers SET education_level = 'master' WHERE id = :id"), {"id": offer_id})
    db.session.commit()
    assert "Amélie Test" in page()
