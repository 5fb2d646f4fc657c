"""Profile rules, consent, CV files and erasure, called directly."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale
from sqlalchemy import func, literal, select

from jobday import storage
from jobday.accounts.models import User
from jobday.candidates import consent, cv
from jobday.candidates.erasure import delete_account, erase_candidate
from jobday.candidates.models import Consent, ConsentKind, RegistrationStatus
from jobday.candidates.profile_summary import profile_summary, shown_profile
from jobday.candidates.services import (
    InvalidProfile,
    ProfileInput,
    WrongPassword,
    display_phone,
    get_profile,
    missing_profile_items,
    normalise_phone,
    profile_is_complete,
    region_for_postcode,
    update_profile,
)
from jobday.errors import PermissionDenied
from jobday.extensions import db as _db
from jobday.storage import StoredFile
from tests.factories import (
    DEFAULT_PASSWORD,
    make_candidate,
    make_edition,
    make_pdf,
    make_registration,
    make_user,
)


def full_input(**changes) -> ProfileInput:
    values = dict(first_name="Zoë", last_name="Müller", education_level="master",
                  job_areas=["quality_control", "rnd"], phone="0470 12 34 56", postcode="6041",
                  field_of_study="Biotechnologie", years_experience=3,
                  languages={"fr": "native", "en": "good", "nl": ""}, contract_types=["permanent"],
                  about="Hello")
    values.update(changes)
    return ProfileInput(**values)


# --- phone and postcode ----------------------------------------------------------------

@pytest.mark.parametrize("raw, e164", [
    ("0470 12 34 56", "+32470123456"),
    ("0470/12.34.56", "+32470123456"),
    ("+32 470 12 34 56", "+32470123456"),
    ("0032470123456", "+32470123456"),
    ("071 12 34 56", "+3271123456"),
    ("+33 6 12 34 56 78", "+33612345678"),
    ("+49 30 901820", "+4930901820"),
    ("", ""),
])
def test_phone_numbers_in_belgian_and_international_formats_are_stored_as_e164(app, raw, e164):
    assert normalise_phone(raw) == e164


@pytest.mark.parametrize("raw", ["12", "0470 12", "abc", "+32 470 12 34 56 78 90", "+999 123"])
def test_malformed_phone_numbers_are_refused(app, raw):
    with pytest.raises(InvalidProfile) as caught:
        normalise_phone(raw)
    assert caught.value.field == "phone"


def test_phone_is_shown_nationally_for_belgium_and_internationally_otherwise(app):
    assert display_phone("+32470123456") == "0470 12 34 56"
    assert display_phone("+33612345678").startswith("+33 6")


@pytest.mark.parametrize("postcode, region", [
    ("1000", "brussels"), ("1348", "wallonia"), ("6041", "wallonia"), ("4700", "wallonia"),
    ("3000", "flanders"), ("9000", "flanders"), ("75001", ""), ("", "")])
def test_region_follows_the_belgian_postcode(postcode, region):
    assert region_for_postcode(postcode) == region


# --- the profile -----------------------------------------------------------------------

def test_update_profile_saves_every_field(db):
    user = make_candidate(profile=False)
    profile = update_profile(user, full_input(), actor=user)
    db.session.commit()
    db.session.expire_all()
    profile = get_profile(user)
    assert (user.first_name, user.last_name) == ("Zoë", "Müller")
    assert profile.phone == "+32470123456" and profile.region == "wallonia"
    assert profile.job_areas == ["quality_control", "rnd"]
    assert profile.contract_types == ["permanent"]
    assert profile.language_levels == {"en": "good", "fr": "native"}
    assert profile_is_complete(user, profile)


def test_a_second_save_replaces_the_lists(db):
    user = make_candidate(profile=False)
    update_profile(user, full_input(), actor=user)
    update_profile(user, full_input(job_areas=["logistics"], contract_types=[], languages={}), actor=user)
    db.session.commit()
    db.session.expire_all()
    profile = get_profile(user)
    assert profile.job_areas == ["logistics"] and profile.contract_types == [] and profile.languages == []


@pytest.mark.parametrize("changes, field", [
    ({"first_name": "  "}, "first_name"),
    ({"last_name": ""}, "last_name"),
    ({"education_level": None}, "education_level"),
    ({"education_level": "kindergarten"}, "education_level"),
    ({"job_areas": []}, "job_areas"),
    ({"job_areas": ["astronaut"]}, "job_areas"),
    ({"contract_types": ["slavery"]}, "contract_types"),
    ({"languages": {"xx": "good"}}, "languages"),
    ({"languages": {"fr": "superb"}}, "languages"),
    ({"phone": "123"}, "phone"),
    ({"postcode": "../../"}, "postcode"),
    ({"region": "mars"}, "region"),
    ({"years_experience": -1}, "years_experience"),
    ({"years_experience": 99}, "years_experience"),
    ({"about": "x" * 2001}, "about"),
])
def test_a_refused_field_changes_nothing(db, changes, field):
    user = make_candidate(profile=False, first_name="Ann", last_name="Lee")
    db.session.commit()
    with pytest.raises(InvalidProfile) as caught:
        update_profile(user, full_input(**changes), actor=user)
    db.session.rollback()
    assert caught.value.field == field
    assert get_profile(user) is None and user.first_name == "Ann"


def test_nobody_else_may_change_a_profile(db):
    user, other = make_candidate(profile=False), make_candidate()
    with pytest.raises(PermissionDenied):
        update_profile(user, full_input(), actor=other)


def test_missing_items_list_required_ones_first(db):
    user = make_candidate(profile=False)
    missing = missing_profile_items(user, None)
    assert [m.code for m in missing if m.required] == ["education_level", "job_areas"]
    assert not profile_is_complete(user, None)
    complete = make_candidate()
    assert profile_is_complete(complete, get_profile(complete))
    assert "cv" in [m.code for m in missing_profile_items(complete, get_profile(complete))]


def test_the_summary_says_what_the_saved_profile_says(db):
    user = make_candidate(profile=False)
    assert profile_summary(user.id) is None
    update_profile(user, full_input(), actor=user)
    summary, profile = profile_summary(user.id), get_profile(user)
    assert summary.job_areas == frozenset(profile.job_areas) == {"quality_control", "rnd"}
    assert summary.contract_types == {"permanent"} and summary.languages == {"en", "fr"}
    assert (summary.education_level, summary.region, summary.phone) == (
        profile.education_level, profile.region, profile.phone)
    assert summary.has_cv is profile.has_cv is False
    assert missing_profile_items(user, summary) == missing_profile_items(user, profile)
    assert missing_profile_items(user, shown_profile(user.id)) == missing_profile_items(user, profile)
    assert shown_profile(make_candidate(profile=False).id) is None


def test_the_summary_is_read_again_after_the_profile_changes(db):
    """Kept for the transaction, but a write to the profile or its choices in the same
    transaction is seen (the registration's completeness check reads it after a save)."""
    user = make_candidate(profile=False)
    update_profile(user, full_input(), actor=user)
    assert profile_summary(user.id).job_areas == {"quality_control", "rnd"}
    update_profile(user, full_input(job_areas=["logistics"], languages={}), actor=user)
    assert profile_summary(user.id).job_areas == {"logistics"}
    assert profile_summary(user.id).languages == frozenset()
    assert "languages" in [m.code for m in missing_profile_items(user, profile_summary(user.id))]


# --- consent ---------------------------------------------------------------------------

def test_consents_start_unticked_and_each_change_is_a_row(db):
    user = make_candidate()
    assert consent.current_choices(user.id) == {"share_with_applied": False,
                                               "share_with_all_exhibitors": False, "news": False}
    consent.record_consents(user, {"share_with_applied": True, "share_with_all_exhibitors": False,
                                   "news": False}, actor=user)
    consent.record_consents(user, {"share_with_applied": True, "share_with_all_exhibitors": False,
                                   "news": True}, actor=user)
    consent.record_consents(user, {"share_with_applied": False, "share_with_all_exhibitors": False,
                                   "news": True}, actor=user)
    db.session.commit()
    rows = db.session.scalars(select(Consent).where(Consent.user_id == user.id).order_by(Consent.id)).all()
    assert [(r.kind, r.granted) for r in rows] == [
        ("share_with_applied", True), ("share_with_all_exhibitors", False), ("news", False),
        ("news", True), ("share_with_applied", False)]
    assert all(r.text_version == consent.CONSENT_TEXT_VERSION and r.recorded_at for r in rows)
    assert consent.current_choices(user.id)["news"] is True
    assert consent.current_choices(user.id)["share_with_applied"] is False
    assert db.session.scalars(consent.users_granting(ConsentKind.NEWS)).all() == [user.id]
    assert db.session.scalars(consent.users_granting(ConsentKind.SHARE_WITH_APPLIED)).all() == []


def test_nobody_else_may_record_consent(db):
    user, other = make_candidate(), make_candidate()
    with pytest.raises(PermissionDenied):
        consent.record_consents(user, {"news": True}, actor=other)


def test_sharing_follows_consent_and_registration_and_withdrawal_is_immediate(backend, db):
    edition = make_edition()
    user = make_candidate()

    def share(applied: bool) -> bool:
        """The rule, asked each way the code asks it: they must all agree."""
        one = consent.can_share_profile_with_company(user, 1, edition, applied_or_booked=applied)
        many = user.id in consent.profiles_shared_with_companies([user.id], edition, applied_or_booked=applied)
        some = user.id in consent.profiles_shared_with_companies([user.id], edition,
                                                                 applied_or_booked={user.id} if applied else set())
        in_sql = db.session.scalar(select(consent.shares_profile_with_company(
            User.id, edition.id, applied_or_booked=applied)).where(User.id == user.id))
        in_sql_per_row = db.session.scalar(select(consent.shares_profile_with_company(
            User.id, edition.id, applied_or_booked=literal(applied))).where(User.id == user.id))
        assert one == many == some == bool(in_sql) == bool(in_sql_per_row), (one, many, some, in_sql, in_sql_per_row)
        return one

    consent.record_consents(user, {"share_with_applied": True}, actor=user)
    assert not share(True)  # not registered for this edition
    registration = make_registration(user, edition)
    assert share(True) and not share(False)
    consent.record_consents(user, {"share_with_all_exhibitors": True}, actor=user)
    assert share(False)
    consent.record_consents(user, {"share_with_all_exhibitors": False, "share_with_applied": False},
                            actor=user)
    assert not share(True) and not share(False)
    consent.record_consents(user, {"share_with_all_exhibitors": True}, actor=user)
    user.is_disabled = True
    db.session.flush()
    assert not share(True) and not share(False)
    user.is_disabled = False
    registration.status = RegistrationStatus.WITHDRAWN
    db.session.flush()
    assert not share(True)


def test_only_the_candidate_and_organisers_may_view_the_cv(db):
    user, other = make_candidate(), make_candidate()
    admin, recruiter = make_user(roles=("admin",)), make_user(roles=("recruiter",))
    assert consent.may_view_cv(user, user) and consent.may_view_cv(admin, user)
    assert not consent.may_view_cv(other, user) and not consent.may_view_cv(recruiter, user)


# --- CV files --------------------------------------------------------------------------

def cv_files(app) -> list[str]:
    """The keys of the stored CVs, as the database has them."""
    return sorted(_db.session.scalars(select(StoredFile.key).where(StoredFile.kind == "cv")))


def test_a_valid_pdf_is_stored_under_a_random_name(app, db):
    user = make_candidate()
    profile = get_profile(user)
    cv.store_cv(profile, make_pdf(), "../../etc/Mon CV é.pdf")
    db.session.commit()
    [key] = cv_files(app)
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", key) and key == profile.cv_stored_name
    assert storage.read(key) == storage.FileContent(make_pdf(), "application/pdf")
    assert profile.cv_original_name == "Mon CV é.pdf" and profile.cv_size == len(make_pdf())


@pytest.mark.parametrize("data, error", [
    (b"", cv.CvEmpty),
    (b"\x89PNG\r\n\x1a\n" + b"0" * 100, cv.CvNotPdf),
    (b"%PDF-1.4 but cut short", cv.CvNotPdf),
    (b"<html>%PDF-1.4 %%EOF", cv.CvNotPdf),
])
def test_bad_files_are_refused_and_the_previous_cv_stays(app, db, data, error):
    user = make_candidate()
    profile = get_profile(user)
    cv.store_cv(profile, make_pdf(), "old.pdf")
    db.session.commit()
    before = cv_files(app)
    with pytest.raises(error):
        cv.store_cv(profile, data, "new.pdf")
    db.session.rollback()
    assert cv_files(app) == before and profile.cv_original_name == "old.pdf"


def test_too_large_a_file_is_refused(app, db):
    app.config["CV_MAX_BYTES"] = 512 * 1024
    user = make_candidate()
    with pytest.raises(cv.CvTooLarge) as caught:
        cv.store_cv(get_profile(user), make_pdf(b"%" + b"x" * 600 * 1024 + b"\n"), "big.pdf")
    with force_locale("fr"):  # the size is written for the reader's locale
        assert "0,5 Mo" in str(caught.value.message)
    assert cv_files(app) == []


def test_replacing_keeps_the_old_file_until_commit_and_rollback_removes_the_new(app, db):
    user = make_candidate()
    profile = get_profile(user)
    cv.store_cv(profile, make_pdf(), "one.pdf")
    db.session.commit()
    [old] = cv_files(app)
    cv.store_cv(profile, make_pdf(b"% two\n"), "two.pdf")
    assert len(cv_files(app)) == 1 and old not in cv_files(app)  # in this transaction
    db.session.rollback()
    assert cv_files(app) == [old]
    db.session.refresh(profile)
    cv.store_cv(profile, make_pdf(b"% three\n"), "three.pdf")
    db.session.commit()
    [new] = cv_files(app)
    assert new != old and new == profile.cv_stored_name
    assert cv.read_cv(profile) == make_pdf(b"% three\n")


def test_delete_removes_the_file_with_the_commit(app, db):
    user = make_candidate()
    profile = get_profile(user)
    cv.store_cv(profile, make_pdf(), "one.pdf")
    db.session.commit()
    cv.delete_cv(profile)
    db.session.rollback()
    db.session.refresh(profile)
    assert len(cv_files(app)) == 1 and profile.has_cv  # a failed request keeps the CV
    cv.delete_cv(profile)
    db.session.commit()
    assert cv_files(app) == [] and not profile.has_cv


def test_display_name_is_only_text(app):
    assert cv.display_name("..\\..\\windows\\cv.pdf") == "cv.pdf"
    assert cv.display_name("../") == "cv.pdf"
    assert cv.display_name("a\x00b\nc.pdf") == "abc.pdf"
    assert len(cv.display_name("x" * 500 + ".pdf")) <= 200


# --- erasure ---------------------------------------------------------------------------

def test_erase_candidate_removes_personal_data_and_keeps_an_anonymous_row(app, db):
    edition = make_edition()
    user = make_candidate(email="zoe@example.org")
    profile = get_profile(user)
    update_profile(user, full_input(), actor=user)
    cv.store_cv(profile, make_pdf(), "cv.pdf")
    consent.record_consents(user, {"share_with_applied": True, "news": True}, actor=user)
    make_registration(user, edition)
    db.session.commit()
    version = user.session_version

    erase_candidate(user)
    db.session.commit()
    db.session.expire_all()
    assert user.email == f"deleted-{user.id}@invalid" and user.first_name == user.last_name == ""
    assert user.password_hash is None and user.is_disabled and user.session_version != version
    assert user.roles == set()
    assert get_profile(user) is None and cv_files(app) == []
    assert consent.current_choices(user.id) == {k: False for k in consent.current_choices(user.id)}
    from jobday.candidates.registration import get_registration
    assert get_registration(user, edition).status == "withdrawn"


def test_delete_account_needs_the_password(db):
    user = make_candidate()
    db.session.commit()
    with pytest.raises(WrongPassword):
        delete_account(user, password="not it", actor=user)
    assert not user.is_disabled
    delete_account(user, password=DEFAULT_PASSWORD, actor=user)
    assert user.is_disabled
    assert db.session.scalar(select(func.count(Consent.id))) == 0


def test_a_savepoint_does_not_settle_a_cv_change(app, db):
    user = make_candidate()
    profile = get_profile(user)
    cv.store_cv(profile, make_pdf(), "one.pdf")
    db.session.commit()
    [old] = cv_files(app)
    cv.store_cv(profile, make_pdf(b"% two\n"), "two.pdf")
    with db.session.begin_nested():
        pass
    assert cv_files(app) != [old]
    db.session.rollback()
    assert cv_files(app) == [old] and cv.read_cv(profile) == make_pdf()


@pytest.mark.parametrize("with_cv", [True, False])
def test_the_profile_page_shows_the_plain_profile_as_the_saved_one(backend, app, db, with_cv):
    """The profile page reads the profile as plain values (``shown_profile``): the same page,
    form filled in and CV named, as from the profile loaded with its choices."""
    from flask_login import login_user

    from jobday.candidates import views
    from jobday.db import utcnow

    user = make_candidate(profile=False)
    update_profile(user, full_input(availability_date=utcnow().date()), actor=user)
    if with_cv:
        profile = get_profile(user)
        profile.cv_stored_name, profile.cv_original_name = "stored.pdf", "zoe.pdf"
        profile.cv_size, profile.cv_uploaded_at = 123_456, utcnow()
    db.session.commit()
    with app.test_request_context("/candidate/profile", headers={"Accept-Language": "fr"}):
        app.preprocess_request()
        login_user(user)
        pages = []
        for read in (shown_profile, lambda user_id: get_profile(user)):
            db.session.expire_all()
            profile = read(user.id)
            pages.append(views._render_profile(views._profile_form(profile), profile))
    assert pages[0] == pages[1]
    assert 'value="0470 12 34 56"' in pages[0] and 'value="Biotechnologie"' in pages[0]
    assert ("zoe.pdf" in pages[0]) is ("(121 ko, " in pages[0]) is with_cv
