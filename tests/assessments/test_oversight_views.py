"""The city dashboard and the county page: same numbers, scoped, a fixed number of queries."""
import json

import pytest
from django.urls import reverse

from offices.models import Township
from tests.assessments import reference
from tests.assessments.oversight_fixtures import add_townships
from tests.factories.offices import CityFactory, CountyFactory, UserFactory
from tests.store import fill_store

pytestmark = pytest.mark.django_db


def dashboard_url(city):
    return reverse("assessments:dashboard", args=[city.code])


def county_url(county):
    return reverse("assessments:county", args=[county.code])


class TestDashboard:
    def test_shows_kpis_ranking_and_failing_townships(self, small_city, city_staff, login):
        page = login(city_staff).get(dashboard_url(small_city.city), {"year": 2025})
        assert page.status_code == 200
        html = page.content.decode()
        assert 'data-kpi="overall">33.3%' in html
        charts = page.context["charts"]
        assert [c["name"] for c in charts["counties"]] == ["兰山区", "罗庄区"]
        assert charts["counties"][0]["url"] == county_url(small_city.counties[0]) + "?year=2025"
        assert reverse("assessments:dashboard_trend", args=[small_city.city.code]) in html
        assert 'id="dashboard-data"' in html
        # failing list: default status = fail, rows go to the scorecard
        assert [r.township.name for r in page.context["failing"]] == ["兰山街道", "罗庄镇"]
        assert reverse("assessments:scorecard", args=["371311101000"]) + "?year=2025" in html
        assert "缺打印机、影录设备" in html

    def test_filters(self, small_city, city_staff, login):
        client = login(city_staff)
        page = client.get(dashboard_url(small_city.city), {"year": 2025, "county": "371311000000"})
        assert [r.township.name for r in page.context["failing"]] == ["罗庄镇"]
        page = client.get(dashboard_url(small_city.city), {"year": 2025, "status": "pass", "dimension": "staffing"})
        assert [r.township.name for r in page.context["failing"]] == ["银雀山街道"]

    def test_bad_filters_are_ignored_not_a_500(self, small_city, city_staff, login):
        page = login(city_staff).get(dashboard_url(small_city.city),
                                     {"year": "abc", "county": "999", "dimension": "<x>", "status": "nope"})
        assert page.status_code == 200
        assert page.context["filters"] == {"county": "", "dimension": "", "status": "fail"}

    def test_same_numbers_as_the_computation(self, small_city, city_staff, login):
        page = login(city_staff).get(dashboard_url(small_city.city), {"year": 2025})
        expected = reference.totals(reference.live_cards(Township.objects.all(), 2025))
        assert page.context["view"].totals.overall.passing == expected.overall.passing
        assert page.context["view"].totals.funds_shortfall == expected.funds_shortfall

    def test_scope(self, small_city, county_official, clerk, login, client):
        assert login(county_official).get(dashboard_url(small_city.city)).status_code == 403
        assert login(clerk).get(dashboard_url(small_city.city)).status_code == 403
        other = CityFactory(code="371400000000", name="德州市")
        staff = UserFactory(role="city", city=other)
        assert login(staff).get(dashboard_url(small_city.city)).status_code == 404

    def test_no_data_yet(self, city, city_staff, login):
        page = login(city_staff).get(dashboard_url(city))
        assert page.status_code == 200 and page.context["view"] is None

    def test_query_count_is_fixed(self, small_city, city_staff, login, django_assert_max_num_queries):
        client = login(city_staff)
        client.get(dashboard_url(small_city.city), {"year": 2025})  # warm caches (session, content types)
        fill_store()  # the services keep the store current; count the page's own reads
        with django_assert_max_num_queries(60) as few:
            client.get(dashboard_url(small_city.city), {"year": 2025})
        bound = len(few.captured_queries)
        add_townships(small_city.counties[1], 18)
        fill_store()  # the services keep the store current; count the page's own reads
        with django_assert_max_num_queries(bound):
            page = client.get(dashboard_url(small_city.city), {"year": 2025})
        assert page.context["view"].totals.townships == 21


class TestTrend:
    def test_one_point_per_year(self, small_city, city_staff, login):
        data = login(city_staff).get(reverse("assessments:dashboard_trend", args=[small_city.city.code])).json()
        assert data["years"] == [2024, 2025]
        assert data["series"][0] == {"key": "overall", "label": "总体", "values": [100.0, 33.3]}

    def test_scope(self, small_city, county_official, login):
        url = reverse("assessments:dashboard_trend", args=[small_city.city.code])
        assert login(county_official).get(url).status_code == 403
        stranger = UserFactory(role="city", city=CityFactory(code="371400000000"))
        assert login(stranger).get(url).status_code == 404

    def test_query_count_is_fixed(self, small_city, city_staff, login, django_assert_max_num_queries):
        client = login(city_staff)
        url = reverse("assessments:dashboard_trend", args=[small_city.city.code])
        client.get(url)
        fill_store()  # the services keep the store current; count the page's own reads
        with django_assert_max_num_queries(60) as few:
            client.get(url)
        add_townships(small_city.counties[1], 18)
        fill_store()  # the services keep the store current; count the page's own reads
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(url)


class TestCountyPage:
    def test_table_and_totals(self, small_city, county_official, login):
        county = small_city.counties[0]
        page = login(county_official).get(county_url(county), {"year": 2025})
        assert page.status_code == 200
        html = page.content.decode()
        assert [r.card.township.name for r in page.context["rows"]] == ["兰山街道", "银雀山街道"]
        assert 'data-total="posts_short">1<' in html and 'data-total="posts_surplus">1<' in html
        assert 'data-total="posts_net">0<' in html
        assert "由所在县区在编制总额内调剂解决" in html
        assert 'data-total="funds_shortfall">2,000元<' in html
        assert "打印机 1" in html
        assert 'data-rule-col="staffing.posts_authorized"' in html
        assert reverse("assessments:export_county", args=[county.code]) in html

    def test_filter_by_dimension_and_status(self, small_city, city_staff, login):
        page = login(city_staff).get(county_url(small_city.counties[0]),
                                     {"year": 2025, "dimension": "equipment", "status": "fail"})
        assert [r.card.township.name for r in page.context["rows"]] == ["兰山街道"]
        assert [d.value for d, _rules in page.context["columns"]] == ["equipment"]

    def test_scope(self, small_city, county_official, clerk, login):
        assert login(county_official).get(county_url(small_city.counties[1])).status_code == 404
        assert login(clerk).get(county_url(small_city.counties[0])).status_code == 403

    def test_city_staff_sees_counties_of_its_city_only(self, small_city, city_staff, login):
        far = CountyFactory(city=CityFactory(code="371400000000"), code="371402000000")
        assert login(city_staff).get(county_url(far)).status_code == 404

    def test_query_count_is_fixed(self, small_city, county_official, login, django_assert_max_num_queries):
        client = login(county_official)
        county = small_city.counties[0]
        client.get(county_url(county), {"year": 2025})
        fill_store()  # the services keep the store current; count the page's own reads
        with django_assert_max_num_queries(40) as few:
            client.get(county_url(county), {"year": 2025})
        add_townships(county, 18)
        fill_store()  # the services keep the store current; count the page's own reads
        with django_assert_max_num_queries(len(few.captured_queries)):
            page = client.get(county_url(county), {"year": 2025})
        assert len(page.context["rows"]) == 20

    def test_chart_json_is_valid(self, small_city, city_staff, login):
        html = login(city_staff).get(dashboard_url(small_city.city), {"year": 2025}).content.decode()
        start = html.index('id="dashboard-data" type="application/json">') + len('id="dashboard-data" type="application/json">')
        data = json.loads(html[start:html.index("</script>", start)])
        assert data["counties"][0]["share"] == 50.0
