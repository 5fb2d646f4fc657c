"""Every back-office page and export refuses candidates, recruiters and door staff (403),
and sends anonymous visitors to the login page; organisers get in."""

from __future__ import annotations

import re

import pytest

from jobday.security import Role


def _staff_urls(app):
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("staff."):
            continue
        url = re.sub(r"<(?:int:)?(\w+)>", lambda m: "x" if m.group(1) == "key" else "1", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            urls.append((method, url))
    return urls


def test_the_walk_covers_every_back_office_page(app):
    urls = {url for _method, url in _staff_urls(app)}
    for expected in ("/staff", "/staff/people", "/staff/exports", "/staff/exports/x.csv", "/staff/campaigns",
                     "/staff/audit", "/staff/retention", "/staff/exports/door-list.pdf"):
        assert expected in urls


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.RECRUITER, Role.STAFF])
def test_other_roles_are_refused_everywhere(app, client, login_as, role):
    login_as(role)
    token = client.csrf_token()
    for method, url in _staff_urls(app):
        response = client.open(url, method=method, data={"csrf_token": token})
        assert response.status_code == 403, (role, method, url, response.status_code)


def test_anonymous_visitors_go_to_the_login_page(app, client):
    for method, url in _staff_urls(app):
        if method != "GET":
            continue
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login" in response.headers["Location"]


def test_organisers_see_the_pages(app, client, login_as, fair):
    login_as(Role.ADMIN)
    for url in ("/staff", "/staff/people", "/staff/exports", "/staff/campaigns", "/staff/audit",
                "/staff/retention", f"/staff/people/{fair.sharing.id}"):
        assert client.get(url).status_code == 200, url


def test_company_exports_refuse_other_roles_and_companyless_recruiters(client, login_as, fair):
    login_as(Role.CANDIDATE)
    assert client.get("/company/exports/interviews.csv").status_code == 403
    login_as(Role.RECRUITER)  # a recruiter of no company
    assert client.get("/company/exports/interviews.csv").status_code == 404
    assert client.get("/company/exports/profiles.csv").status_code == 404
