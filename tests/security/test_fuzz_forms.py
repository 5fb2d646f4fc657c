"""Every form-posting route gets random and hostile form data, with a valid CSRF token, from
a user allowed to post it: never a 5xx, and a refused post writes nothing.

How it works:

- Routes are discovered from ``app.url_map`` (every POST rule outside ``/api/``); the test
  fails if a new one appears without being listed in ``ROLES`` (or ``ANONYMOUS``), so no form
  escapes the fuzzer. The form fields of a route are read from the WTForms classes its view
  (and the helpers it calls) use, plus ``request.form`` keys found in their source.
- The data mixes plausible values (a real choice, the world's password, a valid date) with
  hostile ones: very long strings, control characters, NUL, bidi marks, emoji, HTML and
  script, SQL-ish text, numbers out of range, wrong types, impossible dates, files where text
  is expected and text where a file is expected, huge lists and duplicate keys, and unknown
  field names; urlencoded, multipart, or as a JSON body (the CSRF token in its header).
- A post is *refused* when it answers 4xx, re-renders a page with form errors, or flashes an
  error. A refused post must leave every table (checksum of all rows) and the instance files
  unchanged. Anything else may succeed, but never with a 5xx.

Both databases: the route tests run on SQLite and, when ``JOBDAY_TEST_POSTGRES_URL`` is set (CI
sets it), on PostgreSQL, where a NUL character in a name or a title was a 500.

State: hypothesis runs many examples in one test, and each must start from the same rows.
The world (``fuzz_world.build_world``) is built once per session and kept as an image (the
SQLite file's bytes, or a PostgreSQL schema, and the instance files); every example first restores that image over the
test's own database with SQLite's backup API, clears the rate limits, and uses a fresh client
(new cookie jar, logged in as the route's role). The hypothesis function is defined inside the
test, so hypothesis never receives the function-scoped fixtures (no health check to silence):
the examples share the test's app and database file, and the restore at the start of each one
is what makes them independent. A self-test below shows that the fingerprint sees a write and
that the restore undoes it.

``JOBDAY_FUZZ_EXAMPLES`` (default 5) sets the examples per route (see the README).
"""

from __future__ import annotations

import inspect
import io
import os
import re
import tempfile
import traceback
import types
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from jobday.accounts import session_policy
from jobday.extensions import db
from tests import factories
from tests.security import fuzz_world

EXAMPLES = int(os.environ.get("JOBDAY_FUZZ_EXAMPLES", "5"))

# Who posts each route: the role allowed to use it (``role_required`` routes are read from the
# decorator; these are the others).
ANONYMOUS = {"accounts.login", "accounts.signup", "accounts.request_reset", "accounts.reset_password",
             "companies.register", "companies.join", "candidates.signup", "main.set_language",
             "accounts.resend_signup_link", "accounts.correct_signup_email"}
ROLES = {"accounts.change_email": "candidate", "accounts.confirm_password": "candidate",
         "accounts.change_password": "candidate", "accounts.logout": "candidate",
         "accounts.resend_confirmation": "candidate",
         "scheduling.renew_feed": "candidate", "scheduling.revoke_feed": "candidate", "jobs.retry": "admin"}

FORM_KEY = re.compile(r"request\.(?:form|values|files)(?:\.get(?:list)?\(|\[)\s*[\"']([^\"']+)")


# --- discovery -----------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # the WTForms class name, or "Raw" for request.form keys
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Route:
    rule: str
    endpoint: str
    role: str | None
    fields: tuple[Field, ...]


def _forms_and_keys(func, depth=0, seen=None) -> tuple[set[type], set[str]]:
    """The FlaskForm classes and request.form keys a view and the functions it calls use."""
    seen = set() if seen is None else seen
    func = inspect.unwrap(func)
    if func in seen or depth > 3:
        return set(), set()
    seen.add(func)
    forms: set[type] = set()
    keys = set(FORM_KEY.findall(inspect.getsource(func)))
    names = set(func.__code__.co_names)
    for const in func.__code__.co_consts:
        if isinstance(const, types.CodeType):
            names |= set(const.co_names)
    names |= set(func.__code__.co_varnames)
    for name in names:
        target = func.__globals__.get(name)
        if isinstance(target, type) and issubclass(target, FlaskForm):
            forms.add(target)
        elif isinstance(target, types.FunctionType) and target.__module__.startswith("jobday"):
            more_forms, more_keys = _forms_and_keys(target, depth + 1, seen)
            forms, keys = forms | more_forms, keys | more_keys
    # Forms imported inside the function body are locals: find them by name in the source.
    for name in re.findall(r"import ([A-Z]\w*Form)\b", inspect.getsource(func)):
        module = re.search(r"from ([\w.]+) import " + name, inspect.getsource(func)).group(1)
        forms.add(getattr(__import__(module, fromlist=[name]), name))
    return forms, keys


def _fields(forms: set[type], keys: set[str]) -> tuple[Field, ...]:
    found: dict[str, Field] = {}
    for form_class in sorted(forms, key=lambda f: f.__name__):
        for field in form_class(meta={"csrf": False}):
            if field.type == "FieldList":
                names = [f"{field.name}-{n}" for n in range(3)]
            else:
                names = [field.name]
            choices = tuple(str(value) for value, *_ in (getattr(field, "choices", None) or ())
                            if not isinstance(value, (list, tuple)))
            for name in names:
                found.setdefault(name, Field(name, field.type, choices))
    for key in sorted(keys):
        found.setdefault(key, Field(key, "Raw"))
    return tuple(found.values())


def discover_routes() -> list[Route]:
    from jobday import create_app

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "INSTANCE_PATH": folder,
                          "DATABASE_URL": f"sqlite:///{folder}/discovery.sqlite",
                          "RATELIMIT_STORAGE_URI": "memory://"})
        routes = []
        with app.test_request_context("/", method="POST"):
            for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
                if "POST" not in rule.methods or rule.rule.startswith("/api/"):
                    continue
                view = app.view_functions[rule.endpoint]
                required, current = None, view
                while current is not None and required is None:
                    required = getattr(current, "required_roles", None)
                    current = getattr(current, "__wrapped__", None)
                role = str(required[0]) if required else ROLES.get(rule.endpoint)
                if role is None and rule.endpoint not in ANONYMOUS:
                    role = "unlisted"
                routes.append(Route(rule.rule, rule.endpoint, role, _fields(*_forms_and_keys(view))))
        with app.app_context():
            from jobday.extensions import db

            db.engine.dispose()
    return routes


ROUTES = discover_routes()


# --- hostile values ------------------------------------------------------------------

@dataclass(frozen=True)
class Upload:
    data: bytes
    filename: str


FIXED_HOSTILE = [
    "", " ", "\x00", "a\x00b", "\x00" * 64, "\r\n\r\nX-Injected: 1", "\x1b[31mred", "\x7f\x08\x0c",
    "\u202e\u2066gnp.exe\u2069", "\u200b\ufeff\u200d", "😀" * 40, "👩‍🔬🏳️‍🌈", "Ω≈ç√∫", "Zoë Müller", "ﷺ" * 20,
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)", "{{7*7}}",
    "${7*7}", "%s%s%n%x", "' OR '1'='1", "1; DROP TABLE users; --", "\\", "../../etc/passwd", "/etc/passwd",
    "0000-00-00", "2024-02-30", "9999-12-31", "0001-01-01", "-0001-01-01", "2030-01-01T25:61", "24:00",
    "99:99", "T", "-1", "0", "-0", "1e309", "NaN", "Infinity", "-inf", "3.14", "99999999999999999999999999",
    str(2**63), str(-(2**63) - 1), "9" * 400, "-" + "9" * 5000, "0x10", "１２３", "٣", "true", "null", "[]", "{}",
    "y", "on",
    "a@b", "@", "x" * 250 + "@example.org", "admin@example.org\nBcc: x@example.org", "http://127.0.0.1:1/",
    "//evil.example/", "/\\evil.example",
]
TEXT = st.text(st.characters(codec="utf-8"), max_size=30)
CONTROL = st.text(st.characters(max_codepoint=0x1F), min_size=1, max_size=10)
LONG = st.tuples(st.sampled_from(["A", "é", "😀", "<", "\x00", "9"]), st.integers(200, 20_000)).map(
    lambda pair: pair[0] * pair[1])
NUMBERS = st.one_of(st.integers(-(2**80), 2**80), st.floats(allow_nan=True, allow_infinity=True)).map(str)
HOSTILE_STRING = st.one_of(st.sampled_from(FIXED_HOSTILE), TEXT, CONTROL, LONG, NUMBERS)
FILES = st.builds(Upload, st.sampled_from([b"", b"MZ\x90\x00" + b"\x00" * 60, b"%PDF-1.4\n", factories.make_pdf(),
                                           b"<svg onload=alert(1)/>", b"\x89PNG\r\n\x1a\n"]),
                  st.sampled_from(["cv.pdf", "../../x.pdf", "a\x00b.png", "é" * 300 + ".pdf", "", "logo.svg"]))


def plausible(field: Field, world: fuzz_world.World) -> st.SearchStrategy:
    """A value the form could accept, so hostile values in other fields reach deeper code."""
    kind, name = field.kind, field.name
    if field.choices:
        return st.sampled_from(field.choices)
    if name == "lang":
        return st.sampled_from(["fr", "en", "nl"])
    if name == "next":
        return st.sampled_from(["/", "/account/settings"])
    if name in ("slot_id", "wish"):
        return st.sampled_from([str(world.params["slot_id"]), str(world.params["spare_slot_id"])])
    if name == "offer_id":
        return st.just(str(world.params["offer_id"]))
    if "Password" in kind:
        return st.just(factories.DEFAULT_PASSWORD)
    if "Email" in kind:
        return st.sampled_from(["fuzz@example.org", "FUZZ@Example.org "])
    if kind in ("BooleanField", "SubmitField", "HiddenField"):
        return st.sampled_from(["y", "1", ""])
    if kind in ("IntegerField", "DecimalField"):
        return st.integers(0, 12).map(str)
    if kind == "DateField":
        return st.integers(0, 90).map(lambda d: (date.today() + timedelta(days=d)).isoformat())
    if kind == "TimeField":
        return st.sampled_from(["09:00", "17:30"])
    if kind == "DateTimeLocalField":
        return st.integers(-5, 60).map(lambda d: (date.today() + timedelta(days=d)).isoformat() + "T09:00")
    if kind == "FileField":
        return st.builds(Upload, st.just(factories.make_pdf()), st.just("cv.pdf"))
    if name.startswith("hours-"):
        return st.sampled_from(["09:00-12:00", "13:30-16:30", ""])
    return st.sampled_from(["Vaxolis", "Fuzz text", "A1", "quality_control"])


def hostile(value: st.SearchStrategy) -> st.SearchStrategy:
    """One value, several values for one key (duplicates), or a long list of a short value."""
    return st.one_of(
        value.map(lambda v: [v]),
        st.lists(value, min_size=2, max_size=4),
        st.tuples(st.sampled_from(FIXED_HOSTILE), st.integers(50, 1500)).map(lambda pair: [pair[0]] * pair[1]),
    )


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
                    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
                    max_leaves=12)

# Werkzeug refuses more than 1,000 parts (413). When it stops half-way through a multipart body,
# the file parts it has opened are left for the garbage collector (a ResourceWarning, an error
# under -W error): multipart bodies with files stay under the limit; urlencoded ones may pass it.
MAX_PARTS_WITH_FILES = 900


@st.composite
def form_data(draw, route: Route, world: fuzz_world.World):
    """(pairs, encoding): the form's fields with plausible or hostile values, plus unknown fields,
    sent urlencoded, as multipart, or as a JSON body (a form never reads JSON)."""
    pairs: list[tuple[str, object]] = []
    for field in route.fields:
        if not draw(st.booleans()) and draw(st.booleans()):  # a quarter of the fields are left out
            continue
        good = plausible(field, world)
        bad = st.one_of(HOSTILE_STRING, FILES) if field.kind == "FileField" else st.one_of(
            HOSTILE_STRING, HOSTILE_STRING, FILES)
        values = draw(st.one_of(good.map(lambda v: [v]), hostile(bad), hostile(st.one_of(good, bad))))
        pairs.extend((field.name, value) for value in values)
    for name in draw(st.lists(st.one_of(TEXT, st.sampled_from(FIXED_HOSTILE)), max_size=3)):
        if name != "csrf_token":
            pairs.append((name, draw(HOSTILE_STRING)))
    encoding = draw(st.sampled_from(["urlencoded", "multipart", "multipart", "json"]))
    if encoding == "json":
        plain = [(name, value) for name, value in pairs if not isinstance(value, Upload)]
        body = draw(st.one_of(st.just(dict(plain)), st.just([list(pair) for pair in plain]), JSON))
        return body, encoding
    if any(isinstance(value, Upload) for _, value in pairs):
        encoding, pairs = "multipart", pairs[:MAX_PARTS_WITH_FILES]
    return pairs, encoding


# --- the check -----------------------------------------------------------------------

def url_for_route(route: Route, world: fuzz_world.World) -> str:
    params = {**world.params, **world.endpoint_params.get(route.endpoint, {})}
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(params[m.group(1)]), route.rule)


def refused(response, flashes) -> bool:
    if 400 <= response.status_code < 500:
        return True
    if any(category == "error" for category, _ in flashes):
        return True
    body = response.get_data() if response.mimetype == "text/html" else b""
    return response.status_code == 200 and (b'class="field-error"' in body or b'class="form-errors"' in body)


def post_once(app, image, route: Route, body, encoding: str, errors: list[str]):
    fuzz_world.restore(app, image)
    errors.clear()
    client = app.test_client()  # a JobdayClient (the client fixture set the class): a fresh cookie jar
    if route.role:
        with client.session_transaction() as session:
            session["_user_id"] = image.world.login_ids[route.role]
            session["_fresh"] = True
            session.update(session_policy.login_stamps(remembered=False))  # a password login, just now
    token = client.csrf_token()
    before = fuzz_world.fingerprint(app)
    url = url_for_route(route, image.world)
    if encoding == "json":
        response = client.post(url, json=body, headers={"X-CSRFToken": token})
    else:
        data = MultiDict([("csrf_token", token)])
        for name, value in body:
            data.add(name, (io.BytesIO(value.data), value.filename) if isinstance(value, Upload) else value)
        response = client.post(url, data=data, content_type="multipart/form-data" if encoding == "multipart"
                               else "application/x-www-form-urlencoded")
        response.request.environ["wsgi.input"].close()  # the test client spools big bodies to a file
    with client.session_transaction() as session:
        flashes = list(session.get("_flashes", []))
    if response.status_code >= 500:
        raise AssertionError(f"{route.rule} answered {response.status_code}\n" + "".join(errors))
    if refused(response, flashes):
        after = fuzz_world.fingerprint(app)
        if after != before:
            raise AssertionError(f"{route.rule} refused the post ({response.status_code}) but changed "
                        f"{fuzz_world.changed_tables(before, after)}")
    return response


sqlite_world_image, postgres_world_image, world_image = fuzz_world.image_fixtures()


@pytest.fixture
def server_errors(monkeypatch) -> list[str]:
    """Tracebacks of unexpected errors during the current example (shown when a 5xx fails)."""
    import jobday.errors

    seen: list[str] = []
    monkeypatch.setattr(jobday.errors.log, "exception", lambda *args, **kwargs: seen.append(traceback.format_exc()))
    return seen


def test_every_form_route_is_fuzzed():
    """A new POST route must say who may post it, so the fuzzer logs in as the right person."""
    assert len(ROUTES) > 60
    assert [route.endpoint for route in ROUTES if route.role == "unlisted"] == []
    assert {r.endpoint for r in ROUTES} >= ANONYMOUS | ROLES.keys()


def test_the_fingerprint_sees_every_write_and_the_restore_undoes_it(backend, app, client, world_image):
    """The fuzzer's two tools, from both sides: a committed change shows in the fingerprint
    (rows and files), and restoring the image brings back the very same state."""
    from jobday.companies.models import JobOffer

    fuzz_world.restore(app, world_image)
    original = fuzz_world.fingerprint(app)
    offer = db.session.get(JobOffer, world_image.world.params["offer_id"])
    offer.location = "Gosselies!"
    db.session.commit()
    (Path(app.instance_path) / "stray.pdf").write_bytes(b"%PDF-")
    changed = fuzz_world.changed_tables(original, fuzz_world.fingerprint(app))
    assert set(changed) == {"job_offers", "files"}
    assert changed["job_offers"][0][0] == changed["job_offers"][1][0]  # same row count, other content
    fuzz_world.restore(app, world_image)
    assert fuzz_world.fingerprint(app) == original
    assert db.session.get(JobOffer, world_image.world.params["offer_id"]).location != "Gosselies!"


@pytest.mark.parametrize("route", ROUTES, ids=[r.endpoint for r in ROUTES])
def test_hostile_form_data_never_breaks_a_route(backend, app, client, world_image, route, server_errors):
    @settings(max_examples=EXAMPLES, deadline=None, database=None, print_blob=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.large_base_example])
    @given(form_data(route, world_image.world))
    def check(drawn):
        body, encoding = drawn
        post_once(app, world_image, route, body, encoding, server_errors)

    check()


# --- what the fuzzer found, pinned ----------------------------------------------------

EN = {"Accept-Language": "en"}
OFFER = {"title": "Technicien QC", "contract_type": "permanent", "education_level": "bachelor",
         "job_areas": ["quality_control"], "location": "Gosselies", "description": "Analyses"}


def _recruiter(login_as, db):
    company = factories.make_company(name="Vaxolis")
    db.session.commit()
    login_as(factories.company_admin(company))
    return company


def test_a_file_posted_under_a_text_field_is_a_form_error_not_a_500(client, db, login_as, server_errors):
    from jobday.companies.models import JobOffer

    _recruiter(login_as, db)
    data = {**OFFER, "title": (io.BytesIO(b"MZ\x90\x00"), "title.exe")}
    response = client.post_form("/company/offers/new", data, content_type="multipart/form-data", headers=EN)
    assert response.status_code == 422 and "This field is required." in response.get_data(as_text=True)
    assert server_errors == [] and db.session.scalar(select(func.count(JobOffer.id))) == 0
    # The same form with the title as text is accepted (the file field rule is per field).
    assert client.post_form("/company/offers/new", OFFER, content_type="multipart/form-data").status_code == 302


@pytest.mark.parametrize("body", [[["title", "x"]], "title", 7, {"title": {"nested": ["x"]}}, {**OFFER}])
def test_a_json_body_is_not_form_data(client, db, login_as, server_errors, body):
    from jobday.companies.models import JobOffer

    _recruiter(login_as, db)
    response = client.post("/company/offers/new", json=body, headers={"X-CSRFToken": client.csrf_token(), **EN})
    assert response.status_code == 422 and "This field is required." in response.get_data(as_text=True)
    assert server_errors == [] and db.session.scalar(select(func.count(JobOffer.id))) == 0


def test_a_part_without_a_readable_name_is_left_out(client, db, login_as, server_errors):
    """A line break in a multipart part's name makes its key None; a FieldList read every key."""
    from jobday.companies.models import InterviewTable

    company = _recruiter(login_as, db)
    participation = factories.make_participation(company, factories.make_edition())
    db.session.commit()
    table = participation.tables[0]
    before = fuzz_world.fingerprint(client.application)
    data = MultiDict([("csrf_token", client.csrf_token()), ("broken\nname", "x"), (f"t{table.id}-name", "")])
    response = client.post(f"/company/plan/tables/{table.id}", data=data, content_type="multipart/form-data",
                           headers=EN)
    assert response.status_code == 422 and server_errors == []
    assert fuzz_world.fingerprint(client.application) == before
    assert db.session.get(InterviewTable, table.id).name == "Table 1"


@pytest.mark.parametrize("value", ["9" * 400, "9" * 16, "-" + "9" * 20, str(2**70)])
def test_a_number_with_too_many_digits_is_not_a_valid_integer(client, db, login_as, server_errors, value):
    edition = factories.make_edition(year=2031)
    db.session.commit()
    login_as("admin")
    page = client.get(f"/staff/editions/{edition.year}/edit").get_data(as_text=True)
    fields = dict(re.findall(r'<input[^>]* name="([a-z_]+)"[^>]* value="([^"]*)"', page))
    before = fuzz_world.fingerprint(client.application)
    for name in ("year", "capacity", "interview_gap_minutes"):
        response = client.post_form(f"/staff/editions/{edition.year}/edit", {**fields, name: value}, headers=EN)
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and f'id="{name}-error"' in page, name
    assert "Not a valid integer value." in page  # an optional field says why (a required one says "required")
    assert server_errors == [] and fuzz_world.fingerprint(client.application) == before
    # Fifteen digits are still a number (capacity has no upper bound).
    response = client.post_form(f"/staff/editions/{edition.year}/edit", {**fields, "capacity": "9" * 15}, headers=EN)
    assert response.status_code == 303


def test_a_passphrase_longer_than_72_characters_is_judged_not_a_500(client, db, server_errors):
    """zxcvbn 4.5 raises ValueError past 72 characters; the strength rule reads the first 72."""
    from jobday.accounts.models import User

    def signup(email: str, password: str):
        return client.post_form("/account/signup", {
            "first_name": "Long", "last_name": "Phrase", "email": email, "password": password,
            "password_confirm": password}, headers=EN)

    phrase = "glacier trombone velvet quantum harbour " * 4  # 160 characters, under the form's 200
    assert signup("long@example.org", phrase).status_code == 200
    weak = signup("weak@example.org", "a" * 150)
    assert weak.status_code == 422 and "too common or too easy to guess" in weak.get_data(as_text=True)
    assert server_errors == []
    emails = set(db.session.scalars(select(User.email)))
    assert "long@example.org" in emails and "weak@example.org" not in emails


def test_a_huge_number_in_a_url_is_a_404_on_every_route(app, client, world_image, server_errors):
    """``<int:...>`` took any number of digits: 2**31 overflowed PostgreSQL's integer, 2**63
    SQLite's, and the driver's error was a 500. The converter now stops at 2**31 - 1."""
    fuzz_world.restore(app, world_image)
    with client.session_transaction() as session:
        session["_user_id"] = world_image.world.login_ids["admin"]
        session.update(session_policy.login_stamps(remembered=False))
    token = client.csrf_token()
    rules = [rule for rule in app.url_map.iter_rules() if "<int:" in rule.rule]
    assert len(rules) > 40
    for rule in rules:
        for huge in (str(2**31), "9" * 30, "9" * 5000):
            url = re.sub(r"<int:\w+>", huge, rule.rule)
            url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(world_image.world.params[m.group(1)]), url)
            for method in sorted(rule.methods & {"GET", "POST"}):
                response = client.open(url, method=method, data={"csrf_token": token})
                assert response.status_code == 404, (method, rule.rule, huge[:12], response.status_code)
    assert server_errors == []
    assert client.get(f"/editions/{world_image.world.year}").status_code == 200  # a real year still works


@pytest.mark.parametrize("url", ["/badges/mine.pdf?year={huge}", "/staff/badges?year={huge}"])
def test_a_huge_year_in_a_query_string_is_no_edition(client, login_as, server_errors, url):
    login_as("admin")
    for huge in (str(2**63), "9" * 400):
        assert client.get(url.format(huge=huge)).status_code == 404
    assert server_errors == []
