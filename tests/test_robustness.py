"""No page answers 500: every URL, for every role, with its own form filled with bad input.

Walks the project's URL patterns, substitutes real codes and primary keys,
GETs the page, then POSTs back every input name the page shows, filled with
junk (empty, text where numbers go, impossible dates, huge numbers, formula
text). The test client re-raises any exception a view lets escape.
"""
import random
import re

import pytest
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver

from assessments.management.commands.load_demo import demo_steps
from bench.province import copy_rows
from offices import demo as offices_demo
from offices.models import City, County, Township, User

pytestmark = pytest.mark.django_db

JUNK = ["", "abc", "2025-13-45", "-1", "99999999999999999999", "=cmd|' /C calc'!A0", "0", "１２", "1e309", "<b>x</b>"]
INPUT = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')


def url_patterns(patterns=None, prefix="", namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern),
                                    pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern.name, prefix + str(pattern.pattern)


@pytest.fixture
def demo():
    rows = copy_rows(offices_demo.read_divisions(), "3713", 0, counties=1)
    rng = random.Random(7)
    units = offices_demo.build(rng, rows=rows, total_population=800_000)
    for step in demo_steps():
        step(rng, units)
    return units


def concrete(path, user, pks):
    """Fill a URL pattern with the user's own units and a real primary key."""
    township = Township.objects.order_by("code").first() if user.role != "township" else user.township
    codes = {"cities/": City.objects.get().code, "counties/": County.objects.order_by("code").first().code,
             "townships/": township.code}
    for head, code in codes.items():
        path = path.replace(f"{head}<str:code>", f"{head}{code}")
    return "/" + path.replace("<int:pk>", str(pks))


@pytest.mark.parametrize("role", ["township", "county", "city"])
def test_no_page_answers_500_for_bad_input(demo, client, role):
    user = User.objects.filter(role=role).order_by("username").first()
    client.force_login(user)
    rng = random.Random(role)
    checked = 0
    for namespace, name, pattern in url_patterns():
        if name in {"logout", "set_language"}:
            continue
        for pk in (1, 10**9):
            path = concrete(pattern, user, pk)
            page = client.get(path)
            assert page.status_code < 500, path
            body = b"" if page.streaming else page.content
            fields = set(INPUT.findall(body.decode(errors="ignore"))) - {"csrfmiddlewaretoken"}
            for junk in JUNK[:4] if fields else JUNK[:1]:
                data = {field: rng.choice(JUNK) if junk == "abc" else junk for field in fields}
                response = client.post(path, data)
                assert response.status_code < 500, (path, data)
                checked += 1
            if "<int:pk>" not in pattern:
                break
    assert checked > 60



# The query parameters the views read (request.GET and the GET filter forms); the walk also asks each page
# which of them, and which others, it reads (`parameters_read`).
QUERY_PARAMETERS = {"year", "page", "director", "village", "township", "county", "kind", "dimension", "status"}
LINKED_PARAMETER = re.compile(r'[?&](?:amp;)?([A-Za-z_][\w-]*)=')
# A 30-digit number (beyond any integer column), negative too, and "²", which str.isdigit() accepts and
# int() refuses. A NUL byte (PostgreSQL refuses it in a query) goes into every parameter of every page.
MALFORMED = ["9" * 30, "-" + "9" * 30, "²"]


@pytest.fixture
def parameters_read(monkeypatch):
    """Call it with (client, path): the names of the query parameters the view looked up."""
    names = set()

    def recording(method):
        def record(self, key, *args, **kwargs):
            names.add(key)
            return method(self, key, *args, **kwargs)
        return record

    # Not __contains__: building a QueryDict asks it of every key.
    for method in ("get", "getlist", "__getitem__"):
        monkeypatch.setattr(QueryDict, method, recording(getattr(QueryDict, method)))
    # Walking over every parameter (a link that keeps the others) is not reading one: items() looks each up.
    monkeypatch.setattr(QueryDict, "items", lambda self: ((key, values[-1] if values else [])
                                                          for key, values in dict.items(self)))

    def read(client, path):
        names.clear()
        # Every known parameter set, so that GET forms are bound and read each of their fields.
        response = client.get(path, {name: "2025" if name == "year" else "1" for name in QUERY_PARAMETERS})
        assert response.status_code < 500, path
        return set(names)

    return read


def malformed_paths(pattern, user):
    """The page's path with a NUL or a 30-digit number in place of its code, and a 30-digit primary key."""
    for code in ("%00", "9" * 30):
        yield concrete(pattern.replace("<str:code>", code), user, 1)
    if "<int:pk>" in pattern:
        yield concrete(pattern, user, int("9" * 30))


@pytest.mark.parametrize("role", ["township", "county", "city"])
def test_no_page_answers_500_for_malformed_query_parameters(demo, client, role, parameters_read):
    """A NUL in every parameter of every page answers 400; a huge or odd number in each one it reads, never 500."""
    user = User.objects.filter(role=role).order_by("username").first()
    client.force_login(user)
    checked = 0
    for _namespace, name, pattern in url_patterns():
        if name in {"logout", "set_language"}:
            continue
        for path in malformed_paths(pattern, user):
            response = client.get(path)
            assert response.status_code == 400 if "%00" in path else response.status_code < 500, path
        path = concrete(pattern, user, 1)
        page = client.get(path)
        assert page.status_code < 500, path
        body = b"" if page.streaming else page.content
        linked = set(LINKED_PARAMETER.findall(body.decode(errors="ignore")))
        for parameter in sorted(QUERY_PARAMETERS | linked):
            assert client.get(path, {parameter: "\x00"}).status_code == 400, (path, parameter)
            checked += 1
        for parameter in sorted(parameters_read(client, path) | linked):
            for value in MALFORMED:
                response = client.get(path, {parameter: value})
                assert response.status_code < 500, (path, parameter, value)
                checked += 1
    assert checked > 500
