"""The county's and the city's report lists as offices.tables lists: 序号, sorting by state, first submission and
timeliness, red for 已退回 and 逾期, 合计 of the city's counts (its rate too), the same rows as a file, scope, and
queries that do not grow."""
import re
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from offices import reporting
from offices.models import AnnualReport, ReportingCalendar
from offices.workbooks import read_table
from tests.factories.offices import CityFactory, CountyFactory, PopulationFactory, TownshipFactory, UserFactory
from tests.listing import cells, table_html

pytestmark = pytest.mark.django_db

YEAR = 2025




def failed(html, column):
    """The texts of a column's red cells."""
    found = re.findall(rf'<td([^>]*data-column="{column}"[^>]*data-failed[^>]*)>(.*?)</td>', html, re.S)
    assert all("text-danger" in attributes for attributes, _text in found)
    return [re.sub(r"<[^>]+>", "", text).strip() for _attributes, text in found]


def numbers(html):
    return [int(n) for n in re.findall(r"data-row-number>(\d+)<", html)]


def rows_of(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return read_table(load_workbook(BytesIO(response.content)).active)


def submit(township, *, days_ago=0):
    clerk = UserFactory(role="township", township=township)
    report = reporting.report_submit(township=township, year=YEAR, statement="自查完毕", user=clerk)
    if days_ago:
        AnnualReport.objects.filter(pk=report.pk).update(
            first_submitted_at=timezone.now() - timedelta(days=days_ago))
        report.refresh_from_db()
    return report


@pytest.fixture
def reports(city, county, township, other_township, county_official):
    """兰山区, submission due 10 days ago, review due yesterday: 兰山街道 returned (submitted on time), 白沙埠镇 never
    submitted (逾期未报送), 方城镇 submitted today (逾期报送, its review overdue)."""
    today = timezone.localdate()
    ReportingCalendar.objects.create(city=city, year=YEAR, submit_by=today - timedelta(days=10),
                                     review_by=today - timedelta(days=1))
    third = TownshipFactory(county=county, code="371302201000", name="方城镇")
    for place in (township, other_township, third):
        PopulationFactory(township=place, year=YEAR)
    returned = submit(township, days_ago=15)
    reporting.report_return(report=returned, reason="请核实", user=county_official)
    submit(third)
    return township, other_township, third


class TestCountyList:
    def url(self, county):
        return reverse("reporting:county", args=[county.code, YEAR])

    def test_numbers_and_red_for_returned_and_late(self, county, county_official, login, reports):
        html = login(county_official).get(self.url(county)).content.decode()
        listed = table_html(html, "reports")
        assert numbers(listed) == [1, 2, 3]
        assert cells(listed, "township") == ["兰山街道", "白沙埠镇", "方城镇"]
        assert cells(listed, "state") == ["已退回", "填报中", "已报送"]
        assert cells(listed, "timeliness") == ["按时报送", "逾期未报送", "逾期报送"]
        assert failed(listed, "state") == ["已退回"]
        assert failed(listed, "timeliness") == ["逾期未报送", "逾期报送"]
        assert failed(listed, "review_overdue") == ["是"]
        # the hooks: the review button carries the township, its report's state and its timeliness
        assert 'data-township="371302201000" data-state="submitted" data-timeliness="late">审核<' in listed
        assert f'href="{reverse("reporting:report", args=["371302001000", YEAR])}"' in listed
        assert 'data-testid="county-reports"' in html and 'data-testid="county-rate"' in html
        assert 'data-testid="export"' in html and "共3条" in html

    @pytest.mark.parametrize(("sort", "order"), [
        ("state", ["白沙埠镇", "方城镇", "兰山街道"]),  # 填报中, 已报送, 已退回
        ("-state", ["兰山街道", "方城镇", "白沙埠镇"]),
        ("submitted_at", ["兰山街道", "方城镇", "白沙埠镇"]),  # never submitted: last either way
        ("-submitted_at", ["方城镇", "兰山街道", "白沙埠镇"]),
        ("-timeliness", ["白沙埠镇", "方城镇", "兰山街道"]),  # 逾期未报送, 逾期报送, 按时报送
    ])
    def test_sorting(self, county, county_official, login, reports, sort, order):
        html = login(county_official).get(self.url(county), {"reports-sort": sort}).content.decode()
        assert cells(table_html(html, "reports"), "township") == order
        assert f'aria-sort="{"descending" if sort.startswith("-") else "ascending"}" ' \
               f'data-sort="{sort.lstrip("-")}"' in html

    def test_the_export_is_the_lists_rows(self, county, county_official, login, reports):
        keys, data = rows_of(login(county_official).get(self.url(county), {"reports-sort": "-timeliness",
                                                                            "export": "reports"}))
        assert list(keys) == ["序号", "乡镇", "状态", "报送情况", "首次报送时间", "审核逾期"]
        assert [row[1:4] for row in data] == [["白沙埠镇", "填报中", "逾期未报送"], ["方城镇", "已报送", "逾期报送"],
                                              ["兰山街道", "已退回", "按时报送"]]
        assert data[0][4] is None and data[1][5] == "是"

    def test_scope_page_and_export(self, county, clerk, login, reports):
        outsider = UserFactory(role="county", county=CountyFactory(city=CityFactory(code="371400000000"),
                                                                   code="371402000000"))
        for query in ({}, {"export": "reports"}):
            assert login(outsider).get(self.url(county), query).status_code == 404
            assert login(clerk).get(self.url(county), query).status_code == 403

    def test_queries_do_not_grow_with_rows(self, county, county_official, login, reports,
                                           django_assert_max_num_queries):
        client = login(county_official)
        client.get(self.url(county))
        with django_assert_max_num_queries(10) as few:
            client.get(self.url(county))
        for _ in range(5):
            township = TownshipFactory(county=county)
            PopulationFactory(township=township, year=YEAR)
            submit(township)
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(self.url(county), {"reports-sort": "-state"}).status_code == 200


class TestCityLists:
    def url(self, city):
        return reverse("reporting:city", args=[city.code, YEAR])

    @pytest.fixture
    def city_reports(self, reports, other_county, county_official):
        """罗庄区: 罗庄街道 approved (submitted today, after the deadline), 册山街道 not submitted."""
        luozhuang = TownshipFactory(county=other_county, code="371311001000", name="罗庄街道")
        TownshipFactory(county=other_county, code="371311002000", name="册山街道")
        PopulationFactory(township=luozhuang, year=YEAR)
        reporting.report_approve(report=submit(luozhuang), user=UserFactory(role="county", county=other_county))
        return luozhuang

    def test_the_awaiting_list(self, city, city_staff, login, city_reports):
        html = login(city_staff).get(self.url(city)).content.decode()
        awaiting = table_html(html, "awaiting")
        assert numbers(awaiting) == [1]
        assert cells(awaiting, "township") == ["罗庄街道"] and cells(awaiting, "county") == ["罗庄区"]
        assert failed(awaiting, "timeliness") == ["逾期报送"]
        assert 'data-township="371311001000">验收<' in awaiting
        assert 'data-testid="awaiting"' in html and 'data-testid="county-lines"' in html
        keys, data = rows_of(login(city_staff).get(self.url(city), {"export": "awaiting"}))
        assert list(keys) == ["序号", "乡镇", "县（市、区）", "首次报送时间", "报送情况", "县级审核时间"]
        assert [row[1:3] for row in data] == [["罗庄街道", "罗庄区"]]

    def test_the_counties_lines_with_totals_and_the_citys_rate(self, city, city_staff, login, city_reports):
        html = login(city_staff).get(self.url(city)).content.decode()
        lines = table_html(html, "counties")
        assert numbers(lines) == [1, 2]
        assert cells(lines, "county") == ["兰山区", "罗庄区"]
        assert cells(lines, "expected") == ["3", "2", "5"]  # the last is 合计
        assert cells(lines, "submitted") == ["2", "1", "3"]
        assert cells(lines, "late") == ["1", "1", "2"]
        assert cells(lines, "rate") == ["66.7%", "50.0%", "60.0%"]  # 合计: 3 of 5, not a sum of rates
        assert cells(lines, "review_overdue") == ["1", "0", "1"]
        assert failed(lines, "late") == ["1", "1"] and failed(lines, "review_overdue") == ["1"]
        assert f'href="{reverse("reporting:county", args=["371302000000", YEAR])}"' in lines

        ascending = table_html(login(city_staff).get(self.url(city), {"counties-sort": "rate"}).content.decode(),
                               "counties")
        assert cells(ascending, "county") == ["罗庄区", "兰山区"]
        # sorting one list keeps the other as it is
        both = login(city_staff).get(self.url(city), {"counties-sort": "-expected", "awaiting-sort": "county"})
        assert cells(table_html(both.content.decode(), "counties"), "county") == ["兰山区", "罗庄区"]

        keys, data = rows_of(login(city_staff).get(self.url(city), {"counties-sort": "rate", "export": "counties"}))
        assert list(keys)[:3] == ["序号", "县（市、区）", "应报（份）"]
        assert [row[1] for row in data[:-1]] == ["罗庄区", "兰山区"]
        total = data[-1]
        assert total[0] == "合计" and total[2] == 5 and total[3] == 3
        assert round(Decimal(str(total[keys["报送率"]])), 4) == Decimal("0.6")

    def test_scope_page_and_exports(self, city, county_official, login, city_reports):
        stranger = UserFactory(role="city", city=CityFactory(code="371400000000"))
        for query in ({}, {"export": "awaiting"}, {"export": "counties"}):
            assert login(stranger).get(self.url(city), query).status_code == 404
            assert login(county_official).get(self.url(city), query).status_code == 403

    def test_queries_do_not_grow_with_rows(self, city, city_staff, login, city_reports,
                                           django_assert_max_num_queries):
        client = login(city_staff)
        client.get(self.url(city))
        with django_assert_max_num_queries(10) as few:
            client.get(self.url(city))
        for _ in range(4):
            township = TownshipFactory(county=CountyFactory(city=city))
            PopulationFactory(township=township, year=YEAR)
            reporting.report_approve(report=submit(township),
                                     user=UserFactory(role="county", county=township.county))
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(self.url(city), {"awaiting-sort": "-submitted_at"}).status_code == 200


def test_no_calendar_means_nothing_is_late(county, county_official, login, township):
    PopulationFactory(township=township, year=YEAR)
    submit(township)
    html = login(county_official).get(reverse("reporting:county", args=[county.code, YEAR])).content.decode()
    assert cells(table_html(html, "reports"), "timeliness") == ["按时报送"]
    assert "data-failed" not in table_html(html, "reports")
    assert "市级尚未设定截止日期" in html
