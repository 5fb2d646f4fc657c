"""The access matrix, walked: every route of the application for every role answers as
``access_matrix.MATRIX`` declares, the table covers exactly the routes of ``app.url_map``,
and another candidate's or company's objects are not found (404)."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.factories import DEFAULT_PASSWORD
from tests.security import matrix_world as mw
from tests.security.access_matrix import (
    ALLOWED,
    BY_KEY,
    CANDIDATE,
    COMPANY_ADMIN,
    LOGIN,
    MATRIX,
    PUBLIC,
    RECRUITER,
    ROLES,
    Access,
    routes_of,
)

POST_FORM_ERRORS = (400, 409, 410, 422)  # a refused form, not a refused person


@pytest.fixture(scope="module")
def world(request, tmp_path_factory, smtp_server):
    yield from mw.module_world(request, tmp_path_factory, smtp_server, "matrix")


def test_the_matrix_covers_exactly_the_routes_of_the_application(world):
    declared = [access.key for access in MATRIX]
    duplicates = sorted({key for key in declared if declared.count(key) > 1})
    routes = routes_of(world.app)
    missing = sorted(routes - set(declared))
    stale = sorted(set(declared) - routes)
    assert not missing, ("routes without a decision in tests/security/access_matrix.py (add one line each: "
                         f"who may use it, what the others get): {missing}")
    assert not stale, f"access_matrix.py declares routes the application no longer has: {stale}"
    assert not duplicates, f"routes declared twice in access_matrix.py: {duplicates}"


def _problem(access: Access, role: str, expected, response) -> str | None:
    """Why the answer is not the declared one (None when it is)."""
    status = response.status_code
    location = response.headers.get("Location", "")
    seen = f"{access.key} as {role}: got {status} {location}".rstrip()
    if status >= 500:
        return f"{seen}, a server error"
    if expected == ALLOWED:
        if mw.is_csrf_refusal(response):
            return f"{seen}, refused for CSRF although the token was sent"
        if status in (401, 403, 404, 405):
            return f"{seen}, expected the role to be let in"
        if status >= 400 and not (access.changes_state and status in POST_FORM_ERRORS):
            return f"{seen}, expected the role to be let in"
        if 300 <= status < 400 and "/account/login" in location and access.allow != PUBLIC:
            return f"{seen}, sent to the login page although allowed"
        return None
    if expected == LOGIN:
        if access.api:
            ok = status == 401 and (response.get_json(silent=True) or {}).get("error") == "unauthorized"
            return None if ok else f"{seen}, expected 401 JSON 'unauthorized'"
        ok = status == 302 and "/account/login" in location
        return None if ok else f"{seen}, expected a redirect to the login page"
    return None if status == expected else f"{seen}, expected {expected}"


def walk(world: mw.World, access: Access, role: str, *, args=None, expected=None) -> str | None:
    """Send the route's request as ``role``; the problem found, if any. A request that may have
    written is followed by a restore of the world; a refused one must have written nothing."""
    expected = access.expected(role) if expected is None else expected
    before = mw.row_counts() if access.changes_state and expected != ALLOWED else None
    client = mw.client_for(world, role)
    with mw.send(world, client, role, access, args=args) as response:
        problem = _problem(access, role, expected, response)
    if before is not None:
        after = mw.row_counts()
        if after != before:
            changed = {name: (before[name], after[name]) for name in before if before[name] != after[name]}
            problem = problem or f"{access.key} as {role}: refused but rows changed {changed}"
            world.restore()
    elif access.changes_state:
        world.restore()
    return problem


CASES = [pytest.param(access, role, id=f"{access.key}-{role}") for access in MATRIX for role in ROLES]


@pytest.mark.parametrize(("access", "role"), CASES)
def test_each_role_gets_the_declared_answer(world, access, role):
    problem = walk(world, access, role)
    assert problem is None, problem


FOREIGN = [pytest.param(access, role, id=f"{access.key}-{role}")
           for access in MATRIX for role in sorted(access.foreign_roles)]


@pytest.mark.parametrize(("access", "role"), FOREIGN)
def test_another_candidates_or_companys_object_is_not_found(world, access, role):
    """Candidate A on B's booking, CV, badge, job...; a recruiter of X on Y's offer, table,
    team, applicant, booking: 404, and nothing written."""
    problem = walk(world, access, role, args=access.foreign, expected=404)
    assert problem is None, problem


def test_the_foreign_walk_covers_both_sides():
    kinds = {name for access in MATRIX if access.foreign for name in access.foreign.values()}
    assert {"booking_b", "candidate_b", "badge_b", "job_b", "application_b", "waitlist_b"} <= kinds
    assert {"offer_y", "table_y", "member_y", "invitation_y"} <= kinds


MISSING = [pytest.param(access, id=access.key) for access in MATRIX
           if any(name.endswith("_id") for name in access.args)]


@pytest.mark.parametrize("access", MISSING)
def test_an_object_that_does_not_exist_is_not_found(world, access):
    """The same answer as another person's object (404), never a server error."""
    args = {name: "missing" if name.endswith("_id") else ref for name, ref in access.args.items()}
    problem = walk(world, access, access.acting_role, args=args, expected=404)
    assert problem is None, problem


# Pages without an id in their URL show the user's own data: they name A (or X's people) and
# never B, Y or Y's people. The first mark must be there, the others must not.
OWN_PAGES = [
    (CANDIDATE, "GET candidates.home", "Alice"),
    (CANDIDATE, "GET scheduling.agenda", "Alice"),
    (CANDIDATE, "GET scheduling.agenda_ics", "Xylo Bio"),
    (CANDIDATE, "GET scheduling.applications", "Xylo Bio"),
    (CANDIDATE, "GET scheduling.waitlists", "Yew Pharma"),
    (CANDIDATE, "GET candidates.profile", "Alice"),
    (RECRUITER, "GET companies.home", "Alice"),
    (RECRUITER, "GET scheduling.applicants", "Alice"),
    (RECRUITER, "GET scheduling.day", "Alice"),
    (RECRUITER, "GET scheduling.company_ics", "Alice"),
    (RECRUITER, "GET company_exports.interviews", "alice@example.org"),
    (RECRUITER, "GET company_exports.profiles", "alice@example.org"),
    (RECRUITER, "GET companies.plan_page", "Alice"),
    (COMPANY_ADMIN, "GET companies.team_page", "recruiter@x.example"),
]
OTHERS = {CANDIDATE: ("Bruno", "Lejeune", "bruno@example.org"),
          RECRUITER: ("Bruno", "Lejeune", "bruno@example.org", "Yew Pharma", "@y.example"),
          COMPANY_ADMIN: ("Bruno", "Lejeune", "bruno@example.org", "Yew Pharma", "@y.example")}


@pytest.mark.parametrize(("role", "key", "own"), [pytest.param(*case, id=f"{case[1]}-{case[0]}")
                                                  for case in OWN_PAGES])
def test_a_page_without_an_id_shows_only_ones_own_data(world, role, key, own):
    client = mw.client_for(world, role)
    with mw.send(world, client, role, BY_KEY[key]) as response:
        body = response.get_data(as_text=True)
    assert response.status_code == 200 and own in body, f"{key} as {role}: {own!r} missing"
    shown = [mark for mark in OTHERS[role] if mark in body]
    assert not shown, f"{key} as {role} shows another candidate's or company's data: {shown}"


def test_a_candidates_data_download_holds_only_their_own_data(world):
    client = mw.client_for(world, CANDIDATE)
    token = mw.csrf_token(client)
    response = client.post(world.url(BY_KEY["POST candidates.download_data"]),
                           data={"csrf_token": token, "download-password": DEFAULT_PASSWORD}, headers=mw.EN)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        data = archive.read("jobday-data.json").decode()
        assert "alice@example.org" in data and "cv.pdf" in archive.namelist()
    assert not [mark for mark in OTHERS[CANDIDATE] if mark in data]


@pytest.mark.postgres
def test_reads_refusals_and_foreign_objects_hold_on_postgresql(postgres_schema, tmp_path, smtp_server):
    """The whole matrix on PostgreSQL but for the allowed writes (each needs the world built
    again there; ``JOBDAY_MATRIX_BACKEND=postgresql`` runs those too), and the foreign walk.
    One world, every problem reported at once."""
    worlds = mw.open_world(tmp_path, smtp_server[0], None, postgres_schema)
    world = next(worlds)
    problems = []
    try:
        for access in MATRIX:
            for role in ROLES:
                if not (access.changes_state and access.expected(role) == ALLOWED):
                    problems.append(walk(world, access, role))
            for role in sorted(access.foreign_roles):
                problems.append(walk(world, access, role, args=access.foreign, expected=404))
    finally:
        worlds.close()
    problems = [problem for problem in problems if problem]
    assert not problems, "\n".join(problems)
