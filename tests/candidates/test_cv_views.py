"""The CV through HTTP: upload, download, replace, delete; its upload form kept with each
reader's token; bad files, file names with paths, and who may read whose."""

from __future__ import annotations

import re

import pytest

from jobday.candidates.services import get_profile
from tests.factories import make_candidate, make_pdf, make_user

EN = {"Accept-Language": "en"}


def test_cv_upload_download_replace_delete(client, db, login_as, upload_cv, app):
    user = make_candidate()
    db.session.commit()
    login_as(user)
    assert upload_cv(make_pdf(), "Mon CV.pdf").status_code == 302
    response = client.get("/candidate/cv")
    assert response.status_code == 200 and response.data == make_pdf()
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox"
    first = get_profile(user).cv_stored_name
    profile_page = client.get("/candidate/profile", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "(1 ko, " in profile_page and " kB" not in profile_page  # French unit on a French page

    assert upload_cv(make_pdf(b"% v2\n"), "v2.pdf").status_code == 302
    db.session.expire_all()
    assert get_profile(user).cv_stored_name != first
    assert client.get("/candidate/cv").data == make_pdf(b"% v2\n")

    assert client.post_form("/candidate/cv/delete", {}).status_code == 302
    db.session.expire_all()
    assert not get_profile(user).has_cv and client.get("/candidate/cv").status_code == 404


def test_the_cv_upload_form_carries_each_readers_token_and_cv(app, client, db, login_as, upload_cv):
    """The upload form is kept with a hole for the token (candidates.views._cv_upload): each page
    has its reader's token, the button says whether there is a CV to replace, the registration's
    next step is carried, a refused file is told."""
    app.jinja_env.auto_reload = False  # kept as in production
    first, second = make_candidate(), make_candidate()
    db.session.commit()

    def upload_form(who, url="/candidate/profile") -> tuple[str, set[str]]:
        login_as(who)
        page = client.get(url, headers=EN).get_data(as_text=True)
        form = page[page.index('enctype="multipart/form-data"'):]
        form = form[:form.index("</form>")]
        return form, set(re.findall(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page))

    form, tokens = upload_form(first)
    assert "Upload my CV" in form and len(tokens) == 1 and tokens.pop() in form
    assert upload_cv(make_pdf(), "first.pdf").status_code == 302
    form, tokens = upload_form(first)
    assert "Replace my CV" in form and len(tokens) == 1 and tokens.pop() in form
    other_form, other_tokens = upload_form(second)
    assert "Upload my CV" in other_form and len(other_tokens) == 1 and other_tokens.pop() in other_form
    form, _tokens = upload_form(second, "/candidate/profile?next=/editions/2026/register")
    assert 'name="next" type="hidden" value="/editions/2026/register"' in form
    response = upload_cv(b"not a pdf", "photo.pdf", headers=EN)
    assert response.status_code == 422 and "This file is not a PDF document." in response.get_data(as_text=True)


@pytest.mark.parametrize("data, filename, message", [
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 2000, "photo.pdf", "This file is not a PDF document."),
    (b"", "empty.pdf", "The file is empty."),
    (make_pdf(b"%" + b"x" * (6 * 1024 * 1024) + b"\n"), "big.pdf", "larger than 5 MB"),
])
def test_bad_cv_files_are_refused_and_the_previous_cv_stays(client, db, login_as, upload_cv, all_files,
                                                            data, filename, message):
    user = make_candidate()
    db.session.commit()
    login_as(user)
    upload_cv(make_pdf(), "good.pdf")
    before = all_files()
    response = upload_cv(data, filename, headers=EN)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    db.session.expire_all()
    assert get_profile(user).cv_original_name == "good.pdf" and all_files() == before
    assert client.get("/candidate/cv").data == make_pdf()


def test_no_file_at_all_is_refused_in_french(client, db, login_as):
    user = make_candidate()
    db.session.commit()
    login_as(user)
    response = client.post_form("/candidate/cv", {}, content_type="multipart/form-data")
    assert response.status_code == 422 and 'lang="fr"' in response.get_data(as_text=True)
    assert not get_profile(user).has_cv


def test_a_path_in_the_file_name_is_neutralised(client, db, login_as, upload_cv, all_files, app):
    user = make_candidate()
    db.session.commit()
    login_as(user)
    before = all_files()
    assert upload_cv(make_pdf(), "../../../../tmp/evil.pdf").status_code == 302
    assert all_files() == before  # no file written anywhere: the CV is in the database
    profile = get_profile(user)
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", profile.cv_stored_name) and profile.cv_original_name == "evil.pdf"


def test_another_candidates_cv_is_404_and_an_organiser_may_read_it(client, db, login_as, upload_cv):
    owner, other = make_candidate(), make_candidate()
    admin = make_user(roles=("admin",))
    db.session.commit()
    login_as(owner)
    upload_cv(make_pdf())
    login_as(other)
    assert client.get(f"/candidates/{owner.id}/cv").status_code == 404
    assert client.get(f"/candidates/{other.id}/cv").status_code == 404  # has no CV
    assert client.get("/candidates/999999/cv").status_code == 404
    login_as(admin)
    assert client.get(f"/candidates/{owner.id}/cv").data == make_pdf()
    login_as("recruiter")
    assert client.get(f"/candidates/{owner.id}/cv").status_code == 403
