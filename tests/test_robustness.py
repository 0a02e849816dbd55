"""No page answers 500: every URL, for every role, with its own form filled with bad input.

Walks the project's URL patterns, substitutes real codes and primary keys,
GETs the page, then POSTs back every input name the page shows, filled with
junk (empty, text where numbers go, impossible dates, huge numbers, formula
text). The test client re-raises any exception a view lets escape.
"""
import random
import re

import pytest
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
