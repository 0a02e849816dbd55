import shutil
from pathlib import Path

import pytest

from tests.factories.offices import CityFactory, CountyFactory, TownshipFactory, UserFactory


def pytest_report_header(config):
    """Say which database and which browser this run uses (`make test` on SQLite or PostgreSQL)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    vendor = database["ENGINE"].rsplit(".", 1)[-1]
    if vendor == "sqlite3":
        test_name = database.get("TEST", {}).get("NAME") or "in memory"
        where = f"SQLite, test database {test_name}"
    else:
        host = f"{database.get('HOST') or 'localhost'}:{database.get('PORT') or 'default port'}"
        test_name = database.get("TEST", {}).get("NAME") or f"test_{database['NAME']}"
        where = f"{vendor} on {host}, test database {test_name} (from {database['NAME']})"
    chromium = Path("/usr/bin/chromium")
    browser = (
        f"Chromium {chromium}" if chromium.exists() else "no /usr/bin/chromium: the browser tests will be skipped"
    )
    if not chromium.exists() and shutil.which("chromium"):
        browser += f" (a chromium is on PATH at {shutil.which('chromium')}, but the tests use /usr/bin/chromium)"
    return [f"database: {where}", f"browser tests: {browser}"]


@pytest.fixture
def city(db):
    return CityFactory(code="371300000000", name="临沂市")


@pytest.fixture
def county(city):
    return CountyFactory(city=city, code="371302000000", name="兰山区", kind="district")


@pytest.fixture
def other_county(city):
    return CountyFactory(city=city, code="371311000000", name="罗庄区", kind="district")


@pytest.fixture
def township(county):
    return TownshipFactory(county=county, code="371302001000", name="兰山街道", kind="subdistrict")


@pytest.fixture
def other_township(county):
    return TownshipFactory(county=county, code="371302101000", name="白沙埠镇", kind="town")


@pytest.fixture
def clerk(township):
    return UserFactory(role="township", township=township)


@pytest.fixture
def county_official(county):
    return UserFactory(role="county", county=county)


@pytest.fixture
def city_staff(city):
    return UserFactory(role="city", city=city)


@pytest.fixture
def login(client):
    """Log a user in on the test client and return the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
