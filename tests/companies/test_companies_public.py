"""Offers, the public exhibitor and offer pages, and logos over HTTP."""

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from jobday.companies.models import Company, JobOffer
from jobday.storage import StoredFile
from tests import factories

EN = {"Accept-Language": "en"}
OFFER = {
    "title": "Technicien QC",
    "contract_type": "permanent",
    "education_level": "bachelor",
    "job_areas": ["quality_control", "rnd"],
    "location": "Gosselies",
    "description": "Analyses",
    "open_for_interviews": "y",
}


def test_a_recruiter_publishes_edits_and_closes_an_offer(client, db, admin, company):
    assert client.post_form("/company/offers/new", OFFER).status_code == 302
    offer = db.session.scalar(select(JobOffer))
    assert (offer.company_id, offer.job_areas) == (company.id, ["quality_control", "rnd"])
    response = client.post_form(
        f"/company/offers/{offer.id}/edit", {**OFFER, "title": "Technicien QC senior"}
    )
    assert response.status_code == 302
    assert client.post_form(f"/company/offers/{offer.id}/close").status_code == 302
    db.session.expire_all()
    offer = db.session.get(JobOffer, offer.id)
    assert offer.title == "Technicien QC senior" and not offer.is_open


def test_an_offer_says_its_region_and_languages(client, db, admin, company):
    data = {**OFFER, "region": "wallonia", "languages": ["nl", "fr"]}
    assert client.post_form("/company/offers/new", data).status_code == 302
    offer = db.session.scalar(select(JobOffer))
    assert (offer.region, offer.languages) == ("wallonia", ["fr", "nl"])
    page = client.get(f"/company/offers/{offer.id}/edit").get_data(as_text=True)
    assert 'value="wallonia" selected' in page or 'selected value="wallonia"' in page
    assert client.post_form(f"/company/offers/{offer.id}/edit", {**OFFER, "region": ""}).status_code == 302
    db.session.expire_all()
    offer = db.session.get(JobOffer, offer.id)
    assert (offer.region, offer.languages) == ("", [])


def test_an_offers_region_and_languages_come_from_the_lists(app, db, admin, company):
    from jobday.companies import offers
    from jobday.companies.errors import InvalidField

    fields = dict(title="QC", contract_type="permanent", education_level="master", job_areas=["rnd"])
    with pytest.raises(InvalidField) as refused:
        offers.create_offer(company, actor=admin, region="mars", **fields)
    assert refused.value.field == "region"
    with pytest.raises(InvalidField) as refused:
        offers.create_offer(company, actor=admin, languages=["fr", "xx"], **fields)
    assert refused.value.field == "languages"
    assert db.session.scalar(select(func.count(JobOffer.id))) == 0


@pytest.mark.parametrize(
    "change, message",
    [
        ({"languages": ["klingon"]}, "is not a valid choice for this field"),
        ({"job_areas": []}, "Choose at least one job area."),
        ({"contract_type": "slavery"}, "Not a valid choice"),
        ({"title": ""}, "This field is required."),
    ],
)
def test_bad_offers_are_refused(client, db, admin, change, message):
    response = client.post_form("/company/offers/new", {**OFFER, **change}, headers=EN)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(JobOffer.id))) == 0


def test_public_offers_show_approved_companies_only_and_filter(client, db, edition):
    approved = factories.make_company(name="Vaxolis")
    factories.make_participation(approved, edition, status="approved")
    pending = factories.make_company(name="Pending Bio")
    factories.make_participation(pending, edition, status="pending")
    factories.make_offer(
        approved,
        title="Analyste HPLC",
        job_areas=["quality_control"],
        contract_type="permanent",
        education_level="bachelor",
    )
    factories.make_offer(
        approved, title="Stage R&D", job_areas=["rnd"], contract_type="internship", education_level="master"
    )
    factories.make_offer(approved, title="Closed offer", closed_at=factories.utcnow())
    factories.make_offer(pending, title="Pending offer")
    db.session.commit()
    page = client.get("/offers", headers=EN).get_data(as_text=True)
    assert "Analyste HPLC" in page and "Stage R&amp;D" in page
    assert "Closed offer" not in page and "Pending offer" not in page
    page = client.get("/offers?area=rnd").get_data(as_text=True)
    assert "Stage R&amp;D" in page and "Analyste HPLC" not in page
    page = client.get("/offers?contract=permanent&level=bachelor").get_data(as_text=True)
    assert "Analyste HPLC" in page and "Stage R&amp;D" not in page
    assert client.get("/offers?area=<script>").status_code == 200
    exhibitors = client.get("/exhibitors").get_data(as_text=True)
    assert "Vaxolis" in exhibitors and "Pending Bio" not in exhibitors
    pending_offer = db.session.scalar(select(JobOffer).where(JobOffer.title == "Pending offer"))
    assert client.get(f"/offers/{pending_offer.id}").status_code == 404


def png(size, mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, format="PNG")
    return out.getvalue()


def upload(client, data: bytes, name="logo.png"):
    return client.post_form(
        "/company/logo", {"logo": (io.BytesIO(data), name)}, headers=EN, content_type="multipart/form-data"
    )


def test_logo_is_reencoded_stored_under_a_random_name_and_served_safely(client, db, admin, company, app):
    assert upload(client, png((900, 300))).status_code == 302
    db.session.refresh(company)
    assert company.logo_filename.endswith(".png") and "logo" not in company.logo_filename
    response = client.get(f"/companies/{company.id}/logo")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    with Image.open(io.BytesIO(response.data)) as image:
        assert image.size == (400, 133)


def test_a_script_in_an_svg_logo_never_reaches_a_browser(client, db, admin, company):
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script>'
        b'<circle r="4"/></svg>'
    )
    assert upload(client, svg, "logo.svg").status_code == 302
    db.session.refresh(company)
    response = client.get(f"/companies/{company.id}/logo")
    assert response.mimetype == "image/svg+xml"
    assert b"script" not in response.data and b"onload" not in response.data and b"<circle" in response.data
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_a_huge_image_is_refused_and_nothing_is_stored(client, db, admin, company, app):
    response = upload(client, png((5000, 5000), mode="L"))
    assert response.status_code == 422 and "too large" in response.get_data(as_text=True)
    db.session.refresh(company)
    assert company.logo_filename is None
    assert not db.session.scalars(select(StoredFile).where(StoredFile.kind == "logo")).all()


def test_a_logo_is_hidden_until_the_company_is_approved(client, db, company, edition, login_as):
    login_as(factories.company_admin(company))
    upload(client, png((10, 10)))
    client.post_form("/account/logout")
    assert client.get(f"/companies/{company.id}/logo").status_code == 404
    factories.make_participation(company, edition, status="approved")
    db.session.commit()
    assert client.get(f"/companies/{company.id}/logo").status_code == 200
    assert db.session.scalar(select(func.count(Company.id))) == 1


def test_untouched_offer_filters_follow_the_language_and_the_reader(client, db, edition, login_as):
    """The untouched filters are kept once rendered, per language and order choice: an anonymous
    French look does not give a candidate's English one its labels, nor its missing order."""
    company = factories.make_company(name="Vaxolis")
    factories.make_participation(company, edition, status="approved")
    factories.make_offer(company, title="Analyste HPLC")
    db.session.commit()
    anonymous = client.get("/offers").get_data(as_text=True)
    assert 'name="sort"' not in anonymous and "Tous les domaines" in anonymous
    login_as(factories.make_candidate())
    for _ in range(2):
        page = client.get("/offers", headers=EN).get_data(as_text=True)
        assert 'name="sort"' in page and "All areas" in page and "Tous les domaines" not in page
    filtered = client.get("/offers?area=rnd", headers=EN).get_data(as_text=True)
    assert '<option selected value="rnd">' in filtered or 'value="rnd" selected' in filtered


def test_exhibitors_are_listed_in_the_readers_order_with_their_description_in_its_language(client, db, edition):
    """Sorted in Python by the reader's collation, not by the database."""
    made = {}
    for name, description_en in [("Zymo", ""), ("Ærø Pharma", "Ships"), ("Çelik", ""), ("Autolia", "Cars"),
                                 ("Ébène", "Second")]:
        company = factories.make_company(name=name, description_fr=f"{name} en français",
                                         description_en=description_en)
        factories.make_participation(company, edition, status="approved", stand=f"S{len(made)}")
        made[len(made)] = company
    db.session.commit()
    for lang, descriptions in (("fr", ["Ærø Pharma en français", "Autolia en français"]),
                               ("en", ["Ships", "Cars"])):
        page = client.get("/exhibitors", headers={"Accept-Language": lang}).get_data(as_text=True)
        order = [page.index(f'id="company-{made[i].id}"') for i in (1, 3, 2, 4, 0)]
        assert order == sorted(order), lang
        assert page.index(descriptions[0]) < page.index(descriptions[1])
    assert "Zymo en français" in page and "Second" in page and "S1</strong>" in page


def test_kept_lists_show_the_rows_just_read_in_the_readers_language(client, db, edition):
    """The exhibitors and a page of offers are kept once rendered for the rows they show: a
    change of a row, or another language, is a list of its own."""
    company = factories.make_company(name="Vaxolis", description_fr="Vaccins", description_en="Vaccines")
    factories.make_participation(company, edition, status="approved", stand="B12")
    offer = factories.make_offer(company, title="Analyste HPLC")
    db.session.commit()
    for _ in range(2):
        exhibitors = client.get("/exhibitors", headers={"Accept-Language": "fr"}).get_data(as_text=True)
        assert "Vaxolis" in exhibitors and "Vaccins" in exhibitors and "Stand <strong>B12" in exhibitors
        offers = client.get("/offers", headers={"Accept-Language": "fr"}).get_data(as_text=True)
        assert "Analyste HPLC" in offers and "entretiens pendant le salon" in offers
    exhibitors = client.get("/exhibitors", headers=EN).get_data(as_text=True)
    assert "Vaccines" in exhibitors and "Vaccins" not in exhibitors
    offers = client.get("/offers", headers=EN).get_data(as_text=True)
    assert "interviews at the fair" in offers
    company.name, offer.title = "Vaxolis Bio", "Analyste GC"
    db.session.commit()
    assert "Vaxolis Bio" in client.get("/exhibitors", headers=EN).get_data(as_text=True)
    offers = client.get("/offers", headers=EN).get_data(as_text=True)
    assert "Analyste GC" in offers and "Analyste HPLC" not in offers


def test_the_offer_lists_pager_follows_the_page_and_the_address(client, db, edition):
    """The pager is kept once rendered per address and page: each page says where it is."""
    company = factories.make_company(name="Vaxolis")
    factories.make_participation(company, edition, status="approved")
    for n in range(30):
        factories.make_offer(company, title=f"Analyste {n:02d}")
    db.session.commit()
    for _ in range(2):
        first = client.get("/offers", headers=EN).get_data(as_text=True)
        assert "1 to 25 of 30" in first and 'href="/offers?page=2" rel="next"' in first
        second = client.get("/offers?page=2", headers=EN).get_data(as_text=True)
        assert "26 to 30 of 30" in second and 'rel="prev"' in second and 'rel="next"' not in second
    french = client.get("/offers?page=2", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "26 à 30 sur 30" in french
    filtered = client.get("/offers?contract=permanent", headers=EN).get_data(as_text=True)
    assert "contract=permanent" in filtered.split('rel="next"')[0].rsplit("href=", 1)[-1]
