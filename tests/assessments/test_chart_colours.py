"""The dashboard's charts: one colour per dimension on every chart, and tied counties labelled 「并列」."""
import json
import re
from types import SimpleNamespace

import pytest
from django.utils import translation

from assessments import oversight
from offices.compliance import Dimension
from tests.assessments.oversight_fixtures import add_townships


def county_row(code, passing, assessed, *, dimensions):
    """A county whose townships pass `passing` of `assessed`; `dimensions` {dimension: (passing, assessed)}."""
    totals = oversight.Totals(townships=assessed, overall=oversight.Share(passing=passing, failing=assessed - passing))
    for dimension, (dim_passing, dim_assessed) in dimensions.items():
        totals.dimensions[dimension.value] = oversight.Share(passing=dim_passing, failing=dim_assessed - dim_passing)
    return oversight.CountyRow(county=SimpleNamespace(code=code, name=f"县{code}"), totals=totals)


def year_point(year, *, dimensions):
    totals = oversight.Totals(overall=oversight.Share(passing=1, failing=1))
    for dimension in dimensions:
        totals.dimensions[dimension.value] = oversight.Share(passing=1, failing=1)
    return oversight.YearPoint(year=year, totals=totals)


def overview(counties, trend):
    return oversight.Overview(year=2025, totals=oversight.Totals(), counties=oversight.rank(counties), trend=trend)


@pytest.fixture
def data():
    # given three counties, two of them tied, one lacking staffing; a trend where 2024 has training only
    every = {d: (1, 2) for d in oversight.DASHBOARD_DIMENSIONS}
    without_staffing = {d: share for d, share in every.items() if d != Dimension.STAFFING}
    counties = [county_row("01", 1, 2, dimensions=without_staffing), county_row("02", 2, 2, dimensions=every),
                county_row("03", 1, 2, dimensions=every)]
    trend = [year_point(2024, dimensions=[Dimension.TRAINING]),
             year_point(2025, dimensions=oversight.DASHBOARD_DIMENSIONS)]
    with translation.override("zh-hans"):
        return oversight.chart_data(overview(counties, trend), lambda county: f"/c/{county.code}")


def test_every_dimension_has_one_colour_of_its_own():
    keys = ["overall", *(d.value for d in oversight.DASHBOARD_DIMENSIONS)]
    assert sorted(oversight.CHART_COLOURS) == sorted(keys)
    colours = [oversight.CHART_COLOURS[key].lower() for key in keys]
    assert len(set(colours)) == len(colours)


def test_bars_and_lines_of_a_dimension_share_its_colour(data):
    # The bar charts and the trend line read the same map, keyed by dimension, never by position.
    assert data["colours"] == data["trend"]["colours"] == oversight.CHART_COLOURS
    bars = [d["key"] for d in data["dimensions"]]
    lines = [s["key"] for s in data["trend"]["series"]]
    assert bars == [d.value for d in oversight.DASHBOARD_DIMENSIONS]
    assert lines == ["overall", *bars]
    assert all(key in data["colours"] for key in lines)


def test_a_dimension_keeps_its_colour_when_another_is_left_out():
    # With only training assessed, training is still drawn in training's colour, not in the second colour.
    training_only = oversight.trend_data([year_point(2025, dimensions=[Dimension.TRAINING])])
    assert [s["key"] for s in training_only["series"]] == ["overall", "training"]
    assert training_only["colours"]["training"] == oversight.CHART_COLOURS[Dimension.TRAINING.value]
    assert training_only["colours"]["training"] != oversight.CHART_COLOURS[Dimension.STAFFING.value]


def test_tied_counties_are_labelled_and_the_others_are_not(data):
    labels = [(c["code"], c["rank"], c["rank_label"]) for c in data["counties"]]
    assert labels == [("02", 1, "第1"), ("01", 2, "并列第2"), ("03", 2, "并列第2")]
    assert data["labels"]["rank"] == "排名"


def test_rank_labels_in_english():
    with translation.override("en"):
        label = oversight.rank_label(2, {2})
    assert "2" in label and "并列" not in label


@pytest.mark.django_db
def test_dashboard_says_tied_in_the_table_and_the_chart(small_city, city_staff, login):
    # given 罗庄区 passing 1 of 2 as 兰山区 does
    add_townships(small_city.counties[1], 1, population=40_000)
    html = login(city_staff).get(f"/cities/{small_city.city.code}/dashboard/?year=2025").content.decode()
    assert html.count(" data-tied>并列第1</td>") == 2
    embedded = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html, re.S)
    counties = json.loads(embedded.group(1))["counties"]
    assert [(c["name"], c["rank_label"]) for c in counties] == [("兰山区", "并列第1"), ("罗庄区", "并列第1")]
