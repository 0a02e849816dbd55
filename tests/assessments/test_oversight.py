"""County and city figures: SQL over the stored results (assessments.oversight), held to the Python oracle."""
from decimal import Decimal

import pytest

from assessments import oversight
from offices.compliance import Dimension, Status
from offices.compliance.store import stored_compliance
from offices.models import Township
from tests.assessments import reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def scope(small_city):
    return oversight.scope_for(None, city=small_city.city)


@pytest.fixture
def cards(small_city):
    return stored_compliance(Township.objects.all(), 2025)


def test_city_totals(scope):
    # given three townships, one passing (兰山区 银雀山街道)
    totals = oversight.totals(scope, 2025)
    assert totals.townships == 3
    assert (totals.overall.passing, totals.overall.assessed) == (1, 3)
    assert totals.overall.percent == 33.3
    assert totals.posts_short == 2 and totals.posts_surplus == 1 and totals.posts_net == -1
    assert totals.funds_shortfall == Decimal("10000.00")  # 2,000 + 8,000
    assert totals.area_shortfall == Decimal("100.00")  # 20 + 80
    assert totals.missing_equipment_items == [("打印机", 2), ("影录设备", 1)]
    staffing = totals.dimensions[Dimension.STAFFING]
    assert (staffing.passing, staffing.assessed) == (1, 3)
    # a dimension the standard leaves out is not counted as passing or failing
    assert totals.dimensions[Dimension.SUPERVISION].assessed == 0
    assert totals.dimensions[Dimension.SUPERVISION].percent is None


def test_the_sql_says_what_the_python_oracle_says(scope, small_city):
    live = reference.live_cards(Township.objects.all(), 2025)
    assert reference.figures(oversight.totals(scope, 2025)) == reference.figures(reference.totals(live))
    expected = reference.by_county(live)
    for row in oversight.counties_ranked(scope, 2025):
        assert reference.figures(row.totals) == reference.figures(expected[row.county.code])


def test_counties_ranked_by_share(scope, small_city):
    rows = oversight.counties_ranked(scope, 2025)
    assert [(r.rank, r.county.name, r.share.percent) for r in rows] == [(1, "兰山区", 50.0), (2, "罗庄区", 0.0)]
    lanshan = rows[0].totals
    assert (lanshan.posts_short, lanshan.posts_surplus, lanshan.posts_net) == (1, 1, 0)
    assert lanshan.funds_shortfall == Decimal("2000.00")


def test_tied_counties_share_a_rank():
    def row(code, passing, assessed):
        county = type("County", (), {"code": code})()
        return oversight.CountyRow(county=county, totals=oversight.Totals(
            overall=oversight.Share(passing=passing, failing=assessed - passing)))

    ranked = oversight.rank([row("3", 1, 2), row("1", 0, 2), row("2", 1, 2), row("4", 0, 0)])
    assert [(r.county.code, r.rank) for r in ranked] == [("2", 1), ("3", 1), ("1", 3), ("4", 4)]


def test_county_totals_add_up_to_the_city(scope):
    rows = oversight.counties_ranked(scope, 2025)
    city = oversight.totals(scope, 2025)
    assert sum(r.totals.posts_short for r in rows) == city.posts_short
    assert sum(r.totals.funds_shortfall for r in rows) == city.funds_shortfall
    assert sum(r.totals.townships for r in rows) == city.townships


@pytest.mark.parametrize(
    ("filters", "expected"),
    [({}, ["兰山街道", "罗庄镇"]),
     ({"county": "371311000000"}, ["罗庄镇"]),
     ({"dimension": Dimension.EQUIPMENT}, ["兰山街道", "罗庄镇"]),
     ({"status": Status.PASS}, ["银雀山街道"]),
     ({"dimension": Dimension.REGULATIONS}, []),
     ({"dimension": Dimension.SUPERVISION, "status": Status.NOT_ASSESSED}, ["兰山街道", "银雀山街道", "罗庄镇"])],
)
def test_failing_townships_filters(scope, filters, expected):
    rows = oversight.failing_townships(scope, 2025, **filters)
    assert [r.township.name for r in rows] == expected


def test_failing_township_lists_its_gaps(scope):
    row = oversight.failing_townships(scope, 2025, county="371311000000")[0]
    assert {r.code: oversight.gap_text(r) for r in row.findings} == {
        "staffing.posts_authorized": "1人", "funding.working_funds": "8,000元",
        "facilities.area": "80㎡", "facilities.equipment": "打印机、影录设备",
    }
    only_equipment = oversight.failing_townships(scope, 2025, county="371311000000", dimension=Dimension.EQUIPMENT)[0]
    assert [r.code for r in only_equipment.findings] == ["facilities.equipment"]


def test_trend_one_point_per_year(scope):
    points = oversight.trend(scope, [2025, 2024])
    assert [p.year for p in points] == [2024, 2025]
    assert [p.totals.overall.passing for p in points] == [3, 1]  # everyone was at 40,000 in 2024


def test_chart_data_is_plain(scope):
    view = oversight.overview(scope, 2025)
    data = oversight.chart_data(view, lambda county: f"/c/{county.code}")
    assert [c["share"] for c in data["counties"]] == [50.0, 0.0]
    assert data["counties"][0]["url"] == "/c/371302000000"
    assert "oversight" not in [d["key"] for d in data["dimensions"]]  # nothing assessed there


def test_table_columns_and_totals(scope, cards):
    columns = oversight.rule_columns(scope, 2025)
    assert [d for d, _rules in columns][:2] == [Dimension.STAFFING, Dimension.FUNDING]
    totals = oversight.column_totals(scope, 2025, columns)
    codes = [code for _d, rules in columns for code, _t, _u in rules]
    by_code = dict(zip(codes, totals))
    assert by_code["staffing.posts_authorized"].failing == 2 and by_code["staffing.posts_authorized"].gap == 2
    assert by_code["facilities.equipment"].gap is None and by_code["facilities.equipment"].failing == 2
    rows = oversight.township_table(cards, columns, status=Status.PASS)
    assert [r.card.township.name for r in rows] == ["银雀山街道"]
