"""The one computation: page, API and command give the same numbers, scoped alike."""
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.serializers import compliance_payload
from offices.compliance import RuleResult, Status
from offices.compliance.engine import combined_status, compliance_for
from offices.models import Township
from tests.factories.offices import PopulationFactory, TownshipFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/compliance/"


def rule(status):
    return RuleResult(code="x.y", dimension="staffing", title="t", status=status)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [([Status.PASS, Status.PASS], Status.PASS), ([Status.PASS, Status.FAIL], Status.FAIL),
     ([Status.NOT_ASSESSED, Status.PASS], Status.PASS), ([Status.NOT_ASSESSED], Status.NOT_ASSESSED),
     ([], Status.NOT_ASSESSED)],
)
def test_combined_status(statuses, expected):
    assert combined_status([rule(s) for s in statuses]) == expected


def test_no_standard_means_not_assessed(township):
    PopulationFactory(township=township, year=2010)
    card = compliance_for(Township.objects.all(), 2010)[0]
    assert card.standard is None
    assert card.status == Status.NOT_ASSESSED
    assert all(r.status == Status.NOT_ASSESSED for r in card.results)


def test_every_rule_result_is_complete(township):
    PopulationFactory(township=township, year=2025, resident=61_234)
    card = compliance_for(Township.objects.all(), 2025)[0]
    assert card.population == 61_234
    assert card.standard.jurisdiction_code == ""
    for result in card.results:
        assert result.code and result.title and result.explanation
        assert result.status in Status.values
        if result.failed:
            assert result.gap not in (None, 0, [])


def test_query_count_does_not_grow_with_townships(county, django_assert_max_num_queries):
    """Issue 3: the same number of queries for 1 and for 200 townships."""
    PopulationFactory(township=TownshipFactory(county=county))
    with django_assert_max_num_queries(40) as one:
        assert len(compliance_for(Township.objects.all(), 2025)) == 1
    for township in TownshipFactory.create_batch(199, county=county):
        PopulationFactory(township=township)
    with django_assert_max_num_queries(len(one.captured_queries)) as many:
        cards = compliance_for(Township.objects.all(), 2025)
    assert len(cards) == 200
    assert len(many.captured_queries) == len(one.captured_queries)


class TestApi:
    def test_township_matches_the_computation(self, township, clerk, login):
        PopulationFactory(township=township, year=2025)
        response = login(clerk).get(API, {"year": 2025, "township": township.code})
        assert response.status_code == 200
        expected = json.loads(json.dumps(compliance_payload(compliance_for(Township.objects.all(), 2025)[0]),
                                         ensure_ascii=False))
        assert response.json()["townships"] == [expected]

    def test_short_codes_are_accepted(self, township, county_official, login):
        response = login(county_official).get(API, {"year": 2025, "county": township.county.code[:6]})
        assert response.status_code == 200
        assert [t["township"]["code"] for t in response.json()["townships"]] == [township.code]

    def test_scope(self, township, other_township, other_county, clerk, county_official, login):
        far = TownshipFactory(county=other_county, code="371311001000")
        assert login(clerk).get(API, {"year": 2025, "township": other_township.code}).status_code == 404
        assert login(clerk).get(API, {"year": 2025, "county": township.county.code}).status_code == 404
        assert login(county_official).get(API, {"year": 2025, "township": far.code}).status_code == 404
        assert login(county_official).get(API, {"year": 2025, "county": other_county.code}).status_code == 404

    def test_county_lists_only_its_townships(self, township, other_township, other_county, city_staff, login):
        TownshipFactory(county=other_county, code="371311001000")
        data = login(city_staff).get(API, {"year": 2025, "county": township.county.code}).json()
        assert {t["township"]["code"] for t in data["townships"]} == {township.code, other_township.code}

    @pytest.mark.parametrize(
        ("params", "message"),
        [({"township": "371302001000"}, "year"), ({"year": "20x5", "township": "371302001000"}, "year"),
         ({"year": 2025}, "township"), ({"year": 2025, "township": "1", "county": "2"}, "之一"),
         ({"year": 2025, "township": "37130200100a"}, "数字")],
    )
    def test_bad_parameters_get_a_chinese_400(self, township, clerk, login, params, message):
        response = login(clerk).get(API, params)
        assert response.status_code == 400
        assert message in response.json()["error"]

    def test_anonymous_is_refused(self, client, township):
        assert client.get(API, {"year": 2025, "township": township.code}).status_code == 302


class TestCommand:
    def test_json_equals_api(self, township, city_staff, login):
        PopulationFactory(township=township, year=2025)
        out = StringIO()
        call_command("compliance", township.code[:9], "--year", "2025", "--json", stdout=out)
        api = login(city_staff).get(API, {"year": 2025, "township": township.code}).json()
        assert json.loads(out.getvalue())["townships"] == api["townships"]

    def test_county_text(self, township, other_township):
        out = StringIO()
        call_command("compliance", township.county.code, "--year", "2025", stdout=out)
        assert township.name in out.getvalue() and other_township.name in out.getvalue()

    @pytest.mark.parametrize("code", ["12345", "999999999999"])
    def test_unknown_code(self, township, code):
        with pytest.raises(CommandError):
            call_command("compliance", code, "--year", "2025", stdout=StringIO())


class TestScorecard:
    def test_page_shows_the_same_results(self, township, clerk, login):
        PopulationFactory(township=township, year=2025)
        page = login(clerk).get(reverse("assessments:scorecard", args=[township.code]), {"year": 2025})
        assert page.status_code == 200
        card = compliance_for(Township.objects.all(), 2025)[0]
        html = page.content.decode()
        for result in card.results:
            assert f'data-rule="{result.code}"' in html
            assert str(result.explanation) in html

    def test_other_township_is_404(self, township, other_township, clerk, login):
        assert login(clerk).get(reverse("assessments:scorecard", args=[other_township.code])).status_code == 404

    def test_clerk_lands_on_scorecard(self, township, clerk, login):
        response = login(clerk).get(reverse("home"))
        assert response["Location"] == reverse("assessments:scorecard", args=[township.code])


class TestMoney:
    """Money in the API and the command is a two-place string on SQLite and PostgreSQL alike."""

    def test_sums_are_two_place_strings(self, township, city_staff, login):
        from decimal import Decimal

        from tests.factories.funding import BudgetLineFactory

        PopulationFactory(township=township, year=2025, resident=123_457)
        # The funding gather sums the lines: SQLite answered "24691.3900000000" before the fix.
        BudgetLineFactory(township=township, year=2025, budgeted=Decimal("24691.39"), allocated=Decimal("24691.39"))
        api = login(city_staff).get(API, {"year": 2025, "township": township.code}).json()
        out = StringIO()
        call_command("compliance", township.code, "--year", "2025", "--json", stdout=out)
        for payload in (api, json.loads(out.getvalue())):
            funds = next(r for r in payload["townships"][0]["results"] if r["code"] == "funding.working_funds")
            assert funds["unit_code"] == "yuan"
            assert funds["actual"] == "24691.39"
            assert funds["required"] == "24691.40"  # 2,000 yuan per 10,000 people × 123,457
            assert funds["gap"] == "0.01"
