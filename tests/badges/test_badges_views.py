"""Badge pages: a person's own badge (and nobody else's), the organiser's print page with
its reprint rule, the test page, reissue, and the home page link."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from jobday.badges.models import Badge, PrintRun
from jobday.jobs.models import Job
from jobday.security import Role
from tests import factories
from tests.badges.conftest import candidate, decoded_codes, page_sizes_mm, pdf_text

EN = {"Accept-Language": "en"}


def _active_code(db, user) -> str:
    query = select(Badge.code).where(Badge.user_id == user.id, Badge.status == "active")
    return db.session.scalars(query).one()


def test_a_registered_candidate_downloads_their_own_badge(backend, db, client, login_as, edition):
    person = login_as(candidate(edition, first_name="Zoë", last_name="Müller"))
    response = client.get("/badges/mine.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "no-store" in response.headers["Cache-Control"]
    [[code]] = decoded_codes(response.data)
    assert code == _active_code(db, person)
    assert [(round(w), round(h)) for w, h in page_sizes_mm(response.data)] == [(105, 148)]
    assert "Zoë" in pdf_text(response.data)
    again = client.get("/badges/mine.pdf?layout=card")
    assert [(round(w), round(h)) for w, h in page_sizes_mm(again.data)] == [(86, 54)]
    assert decoded_codes(again.data) == [[code]]  # the same badge, not a new one
    assert db.session.scalar(select(func.count(Badge.id))) == 1


def test_someone_not_taking_part_gets_404(db, client, login_as, edition):
    login_as(candidate(edition, status="waitlisted"))
    assert client.get("/badges/mine.pdf").status_code == 404
    assert db.session.scalar(select(func.count(Badge.id))) == 0


def test_anonymous_visitors_must_log_in(app, db, edition):
    assert app.test_client().get("/badges/mine.pdf").status_code == 302


def test_only_the_holder_and_organisers_download_a_badge(db, client, login_as, edition):
    from jobday.badges.services import ensure_badge

    holder = candidate(edition)
    badge = ensure_badge(holder, edition, actor=None)
    url = f"/badges/{badge.id}.pdf"
    login_as(holder)
    assert client.get(url).status_code == 200
    for intruder in (candidate(edition), factories.make_user(roles=(Role.RECRUITER,)),
                     factories.make_user(roles=(Role.STAFF,))):
        login_as(intruder)
        assert client.get(url).status_code == 404
    login_as(factories.make_user(roles=(Role.ADMIN,)))
    response = client.get(url)
    assert response.status_code == 200 and decoded_codes(response.data) == [[badge.code]]
    assert client.get("/badges/999999.pdf").status_code == 404


def test_a_revoked_badge_is_no_longer_its_holders(db, client, login_as, edition):
    from jobday.badges.services import ensure_badge, reissue_badge

    holder = candidate(edition)
    old = ensure_badge(holder, edition, actor=None)
    new = reissue_badge(old, reason="lost", actor=None, notify=False)
    login_as(holder)
    assert client.get(f"/badges/{old.id}.pdf").status_code == 404
    assert client.get(f"/badges/{new.id}.pdf").status_code == 200
    assert decoded_codes(client.get("/badges/mine.pdf").data) == [[new.code]]


def test_the_print_page_is_for_organisers_only(db, client, login_as, edition):
    login_as("staff")
    assert client.get("/staff/badges").status_code == 403
    assert client.post_form("/staff/badges/print", {"layout": "a4-8"}).status_code == 403
    login_as("admin")
    page = client.get("/staff/badges", headers=EN)
    assert page.status_code == 200 and "Jobdays 2031" in page.get_data(as_text=True)


def test_the_print_page_previews_the_selection(db, client, login_as, edition):
    for n in range(3):
        candidate(edition, last_name=f"Person{n}")
    candidate(edition, last_name="Vandenbroucke-de Wijngaert-Oppenheimer-Lichtenstein-Habsburg")
    login_as("admin")
    page = client.get("/staff/badges?role=candidate&layout=a4-8&offset_x=0&offset_y=0", headers=EN)
    text = page.get_data(as_text=True)
    assert "4 badges on 1 page." in text
    assert "do not fit" in text and "Oppenheimer-Lichtenstein-Habsburg" in text
    assert db.session.scalar(select(func.count(Badge.id))) == 0  # a GET writes nothing


def _print(client, data=None, **headers):
    form = {"role": "", "company": "", "layout": "a4-8", "offset_x": "0", "offset_y": "0"} | (data or {})
    return client.post_form("/staff/badges/print", form, headers=headers)


def test_printing_runs_a_job_and_offers_the_pdf(db, client, login_as, edition):
    people = [candidate(edition) for _ in range(3)]
    admin = login_as(factories.make_user(roles=(Role.ADMIN,), first_name="Olga"))
    response = _print(client, {"role": "candidate"})
    assert response.status_code == 302
    job_id = int(re.search(r"/jobs/(\d+)", response.headers["Location"]).group(1))
    job = db.session.get(Job, job_id)
    assert (job.kind, job.status, job.started_by_id) == ("badges.print", "done", admin.id)
    download = client.get(f"/jobs/{job_id}/download")
    assert sorted(decoded_codes(download.data)[0]) == sorted(_active_code(db, p) for p in people)
    download.close()
    assert db.session.scalar(select(func.count(PrintRun.id))) == 1


def test_printing_again_without_a_reason_is_refused_then_accepted_with_one(db, client, login_as, edition):
    candidate(edition)
    login_as("admin")
    assert _print(client, {"role": "candidate"}).status_code == 302
    jobs_before = db.session.scalar(select(func.count(Job.id)))
    for headers, message in (({}, "Donnez une raison"), (EN, "Give a reason")):
        refused = _print(client, {"role": "candidate"}, **headers)
        assert refused.status_code == 400
        text = refused.get_data(as_text=True)
        assert "Give a reason" in text or message in text
    assert db.session.scalar(select(func.count(Job.id))) == jobs_before
    assert db.session.scalar(select(func.count(PrintRun.id))) == 1
    accepted = _print(client, {"role": "candidate", "reason": "Badge torn at the desk"})
    assert accepted.status_code == 302
    runs = db.session.scalars(select(PrintRun).order_by(PrintRun.id)).all()
    assert [run.reason for run in runs] == ["", "Badge torn at the desk"]
    assert runs[1].reprint_count == 1
    assert db.session.scalars(select(Badge).where(Badge.role == "candidate")).one().print_count == 2


def test_printing_only_new_badges_when_nothing_is_new_says_so(db, client, login_as, edition):
    candidate(edition)
    login_as("admin")
    _print(client, {"role": "candidate"})
    response = _print(client, {"role": "candidate", "only_new": "y"}, **EN)
    assert response.status_code == 400
    assert "No badge matches this selection." in response.get_data(as_text=True)


def test_printing_needs_a_csrf_token_and_a_valid_offset(db, client, login_as, edition):
    candidate(edition)
    login_as("admin")
    assert client.post("/staff/badges/print", data={"layout": "a4-8"}).status_code == 400
    assert _print(client, {"offset_x": "25"}).status_code == 400
    assert db.session.scalar(select(func.count(Job.id))) == 0


def test_the_test_page_follows_the_layout_and_offset(db, client, login_as, edition):
    login_as("admin")
    response = client.get("/staff/badges/test-page.pdf?layout=a4-4&offset_x=1.5&offset_y=-2", headers=EN)
    assert response.status_code == 200
    assert [(round(w), round(h)) for w, h in page_sizes_mm(response.data)] == [(210, 297)]
    assert "1.5 mm right" in pdf_text(response.data)
    assert len(decoded_codes(response.data)[0]) == 4
    assert client.get("/staff/badges/test-page.pdf?layout=a4-8&offset_x=40").status_code == 400
    login_as("recruiter")
    assert client.get("/staff/badges/test-page.pdf?layout=a4-8").status_code == 403


def test_an_organiser_reissues_a_lost_badge(db, client, login_as, edition, mailbox):
    from jobday.badges.services import ensure_badge

    holder = candidate(edition, email="lost@example.org")
    old = ensure_badge(holder, edition, actor=None)
    old_id, old_code = old.id, old.code
    login_as("admin")
    listing = client.get(f"/staff/badges/list?q={holder.last_name}", headers=EN).get_data(as_text=True)
    grouped = f"{old_code[:6]}-{old_code[6:12]}-{old_code[12:]}"
    assert grouped in listing
    by_code = client.get(f"/staff/badges/list?q={grouped.lower()}", headers=EN).get_data(as_text=True)
    assert grouped in by_code and "No badge found." not in by_code
    nobody = client.get("/staff/badges/list?q=nobody-at-all", headers=EN).get_data(as_text=True)
    assert "No badge found." in nobody
    no_csrf = client.post(f"/staff/badges/{old_id}/reissue", data={"reason": "lost"})
    assert no_csrf.status_code == 400
    response = client.post_form(f"/staff/badges/{old_id}/reissue", {"reason": "lost"})
    assert response.status_code == 302
    old = db.session.get(Badge, old_id)
    db.session.refresh(old)
    assert (old.status, old.revoke_reason) == ("revoked", "lost")
    assert _active_code(db, holder) != old_code
    assert mailbox.to("lost@example.org")
    login_as(holder)
    assert client.post_form(f"/staff/badges/{old_id}/reissue", {"reason": "lost"}).status_code == 403


def test_the_candidate_home_links_to_the_badge(db, client, login_as, edition):
    login_as(candidate(edition))
    page = client.get("/candidate", headers=EN).get_data(as_text=True)
    assert "/badges/mine.pdf?year=2031" in page


def test_the_kept_badge_section_is_the_templates_for_the_edition_and_language(db, client, login_as, edition, app):
    """The home's badge section, written once a language, is what the template writes for the
    edition's year; another edition's year writes its own links."""
    def section(lang):
        page = client.get("/candidate", headers={"Accept-Language": lang}).get_data(as_text=True)
        start = page.index('<section aria-labelledby="badge-heading"')
        return page[start:page.index("</section>", start)]

    login_as(candidate(edition))
    kept = {lang: section(lang) for lang in ("en", "fr")}
    assert "/badges/mine.pdf?year=2031" in kept["en"] and "Download my badge" in kept["en"]
    assert kept["fr"] != kept["en"] and "/badges/mine.pdf?year=2031" in kept["fr"]
    app.jinja_env.auto_reload = True  # rendered each time, not kept
    assert {lang: section(lang) for lang in ("en", "fr")} == kept
    app.jinja_env.auto_reload = False
    edition.year = 2032
    db.session.commit()
    assert section("en") == kept["en"].replace("year=2031", "year=2032")
