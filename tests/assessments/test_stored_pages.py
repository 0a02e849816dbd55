"""Every page shows the numbers the live computation gives, on the whole demo city, for each of its years.

The pages read the stored results and the database's aggregates; the oracle
is the live computation (`offices.compliance.engine.compliance_for`) added
up in Python the way the pages did before (tests/assessments/reference.py).
"""
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from assessments import exports, oversight
from offices.compliance import store
from offices.models import City, ComplianceSummary, County, Township, User
from offices.workbooks import read_table
from tests.assessments import reference

pytestmark = pytest.mark.django_db

DEMO_YEARS = (2023, 2024, 2025)


def test_demo_pages_show_the_live_figures(client):
    call_command("load_demo", stdout=StringIO())
    assert ComplianceSummary.objects.count() == 156 * 4  # the demo's three years and this year, all stored
    city = City.objects.get()
    client.force_login(User.objects.get(username="city3713"))
    county = County.objects.order_by("code").first()
    for year in DEMO_YEARS:
        # The store holds exactly what the rules say, rule by rule, for every township.
        assert store.differences(Township.objects.all(), year) == []
        live = reference.live_cards(Township.objects.all(), year)
        expected_city = reference.figures(reference.totals(live))
        expected_counties = {code: reference.figures(t) for code, t in reference.by_county(live).items()}

        dashboard = client.get(reverse("assessments:dashboard", args=[city.code]), {"year": year})
        view = dashboard.context["view"]
        assert reference.figures(view.totals) == expected_city
        assert {row.county.code: reference.figures(row.totals) for row in view.counties} == expected_counties
        failing = [row.township.code for row in dashboard.context["failing"]]
        assert failing == sorted((c.township.code for c in live if c.status == "fail"),
                                 key=lambda code: (code[:6], code))

        trend = client.get(reverse("assessments:dashboard_trend", args=[city.code])).json()
        point = trend["years"].index(year)
        assert trend["series"][0]["values"][point] == oversight.Share(
            passing=expected_city["overall"][0], failing=expected_city["overall"][1]).percent

        page = client.get(reverse("assessments:county", args=[county.code]), {"year": year})
        in_county = [c for c in live if c.township.county_id == county.pk]
        assert reference.figures(page.context["totals"]) == expected_counties[county.code]
        assert [(r.card.township.code, r.status, [c.status if c else None for c in r.cells])
                for r in page.context["rows"]] == [
            (c.township.code, c.status, [c.result(code).status if c.result(code) else None
                                         for _d, rules in page.context["columns"] for code, _t, _u in rules])
            for c in in_county]

        workbook = load_workbook(BytesIO(b"".join(client.get(
            reverse("assessments:export_city", args=[city.code]), {"year": year}).streaming_content)))
        columns, detail = read_table(workbook[exports.DETAIL_SHEET])
        assert [(row[columns["区划代码"]], row[columns["总体结果"]]) for row in detail[:-2]] == [
            (c.township.code, str(c.status_label if hasattr(c, "status_label") else {
                "pass": "达标", "fail": "未达标", "not_assessed": "不评估"}[c.status]))
            for c in live]

        sample = live[::40]
        for card in sample:
            scorecard = client.get(reverse("assessments:scorecard", args=[card.township.code]), {"year": year})
            shown = scorecard.context["card"]
            assert [(r.code, r.status, r.explanation, r.gap) for r in shown.results] == [
                (r.code, r.status, r.explanation, list(r.gap) if isinstance(r.gap, tuple) else r.gap)
                for r in card.results]
            api = client.get(reverse("assessments:api_compliance"), {"year": year, "township": card.township.code})
            assert api.json()["townships"][0]["status"] == card.status


def test_funds_totals_are_exact_decimals(small_city):
    totals = oversight.totals(oversight.scope_for(None, city=small_city.city), 2025)
    assert isinstance(totals.funds_shortfall, Decimal) and totals.funds_shortfall == Decimal("10000.00")
