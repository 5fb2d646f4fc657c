"""Every page is valid HTML: each page of the access matrix, opened in French by every role that
may open it, parses without an error of the HTML standard's parser (a ``<form>`` inside a
``<p>`` leaves a stray ``</p>``, an element closed out of order is reported), holds each ``id``
once (the CSRF field of several forms, two ``submit`` buttons), and every required ``<select>``
starts with an empty placeholder option (a browser would otherwise send its first choice
without the person having chosen).

html5lib is the WHATWG parsing algorithm in Python; its ``errors`` are the standard's parse errors.
"""

from __future__ import annotations

from collections import Counter

import html5lib
import pytest

from tests.security import matrix_world as mw
from tests.security.access_matrix import ANONYMOUS, DEVICE, MATRIX, SESSION_ROLES, Access

FR = {"Accept-Language": "fr"}
NS = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def world(request, tmp_path_factory, smtp_server):
    yield from mw.module_world(request, tmp_path_factory, smtp_server, "html")


def problems_of(html: str) -> list[str]:
    """What is wrong with one page (empty: nothing). A fragment that a page fetches to replace
    part of itself (no doctype) is checked as the content of a <div>."""
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=True)
    if html.lstrip()[:9].lower() == "<!doctype":
        tree = parser.parse(html)
    else:
        tree = parser.parseFragment(html, container="div")
    found = []
    lines = html.splitlines()
    for (line, column), code, data in parser.errors:
        context = lines[line - 1].strip()[:160] if 0 < line <= len(lines) else ""
        found.append(f"parse error {code} {data or ''} at line {line}:{column}: {context}")
    ids = Counter(element.get("id") for element in tree.iter() if element.get("id"))
    found += [f"id {name!r} used {count} times" for name, count in sorted(ids.items()) if count > 1]
    for select in tree.iter(f"{NS}select"):
        if select.get("required") is None:
            continue
        first = next(iter(select.iter(f"{NS}option")), None)
        if first is None or (first.get("value") or "") != "":
            found.append(f"required select {select.get('name')!r} has no empty placeholder first")
    return found


def test_the_check_sees_the_faults_it_looks_for():
    page = ('<!doctype html><html><head><title>t</title></head><body>'
            '<p><form><input id="csrf_token"></form></p><form><input id="csrf_token"></form>'
            '<select name="kind" required><option value="a">A</option></select></body></html>')
    found = "\n".join(problems_of(page))
    assert "unexpected-end-tag" in found
    assert "'csrf_token' used 2 times" in found
    assert "required select 'kind'" in found
    fine = ('<!doctype html><html lang="fr"><head><title>t</title></head><body><form><p>x</p>'
            '<select name="kind" required><option value="">—</option><option value="a">A</option></select>'
            '</form></body></html>')
    assert problems_of(fine) == []


def _pages() -> list[tuple[Access, str]]:
    chosen = []
    for access in MATRIX:
        if access.method != "GET" or access.api:
            continue
        for role in (ANONYMOUS, *SESSION_ROLES):
            if role in access.allow and role != DEVICE:
                chosen.append((access, role))
    return chosen


PAGES = [pytest.param(access, role, id=f"{access.endpoint}-{role}") for access, role in _pages()]


@pytest.mark.parametrize(("access", "role"), PAGES)
def test_every_page_is_valid_html(world, access, role):
    client = mw.client_for(world, role)
    response = client.get(world.url(access), headers=FR)
    status, html = response.status_code, response.mimetype == "text/html"
    body = response.get_data(as_text=True) if html else ""
    response.close()  # files (static, downloads) are streamed from open handles
    assert status < 500, f"{access.key} as {role}: {status}"
    if status != 200 or not html:
        return
    problems = problems_of(body)
    assert not problems, f"{access.key} as {role}:\n" + "\n".join(problems)
