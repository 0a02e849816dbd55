"""The year a page shows: years with data in the user's own scope, bounded, plus the current year."""
import datetime

import pytest
from django.test import RequestFactory

from offices import selectors
from offices.pages import page_year
from tests.factories.offices import PopulationFactory, TownshipFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


def years_for(user, query=""):
    request = RequestFactory().get(f"/?{query}")
    request.user = user
    return page_year(request)


@pytest.fixture
def far_township(other_county):
    return TownshipFactory(county=other_county, code="371311001000")


def test_one_clerk_saving_2100_moves_nobody_default(township, far_township, clerk, county_official, city_staff):
    """Given data for 2024 and 2025, and a stray population for 2100 in another county …"""
    for year in (2024, 2025):
        PopulationFactory(township=township, year=year)
    PopulationFactory(township=far_township, year=2100)
    today = datetime.date.today()
    for user in (clerk, county_official, city_staff):
        year, years = years_for(user)
        assert year == 2025  # the newest year with data up to this year, not 2100
        assert 2100 not in years  # beyond next year: not a reporting year
        assert today.year in years  # the current year can always be picked


def test_years_come_from_the_users_scope(township, far_township, clerk, city_staff):
    PopulationFactory(township=township, year=2024)
    PopulationFactory(township=far_township, year=2025)
    assert selectors.data_years(clerk) == [2024]  # the other county's 2025 is not the clerk's
    assert selectors.data_years(city_staff) == [2025, 2024]
    assert years_for(clerk)[0] == 2024
    assert years_for(city_staff)[0] == 2025


def test_without_data_the_current_year(clerk):
    year, years = selectors.year_choices(clerk, today=TODAY)
    assert (year, years) == (2026, [2026])


def test_an_asked_year_is_shown_and_listed(township, clerk):
    PopulationFactory(township=township, year=2025)
    year, years = years_for(clerk, "year=2019")
    assert year == 2019 and 2019 in years
    assert years_for(clerk, "year=junk")[0] == 2025
