"""The lists of the hierarchy's pages as offices.tables lists: a city's counties, a county's townships, a township's
population and villages — 序号, sorting, 合计, the same rows as a file, scope, and queries that do not grow."""
import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from facilities.models import VillageStation
from offices.models import Village
from offices.workbooks import read_table
from tests.factories.offices import (
    CityFactory,
    CountyFactory,
    PopulationFactory,
    TownshipFactory,
    UserFactory,
    VillageFactory,
)
from tests.listing import cells, table_html

pytestmark = pytest.mark.django_db

YEAR = 2025




def numbers(html):
    return [int(n) for n in re.findall(r"data-row-number>(\d+)<", html)]


def info_line(sheet):
    """The file's second line (its parts are spread over the row's cells)."""
    return " ".join(str(cell.value) for cell in sheet[2] if cell.value)


def sheet_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content)).active


@pytest.fixture
def county_towns(county, township, other_township):
    """兰山区: 兰山街道 (12,000 people, 2 villages), 白沙埠镇 (1,578, 1 village), a third without population."""
    PopulationFactory(township=township, year=YEAR, resident=12_000, registered=11_000)
    PopulationFactory(township=other_township, year=YEAR, resident=1_578, registered=1_600)
    PopulationFactory(township=other_township, year=YEAR - 1, resident=99_999)  # another year: not counted
    third = TownshipFactory(county=county, code="371302201000", name="方城镇")
    VillageFactory(township=township)
    VillageFactory(township=township)
    VillageFactory(township=other_township)
    return township, other_township, third


class TestCountyTownships:
    def url(self, county):
        return reverse("offices:county", args=[county.code])

    def test_numbers_sorts_and_totals_the_population(self, county, county_official, login, county_towns):
        client = login(county_official)
        html = table_html(client.get(self.url(county), {"year": YEAR}).content.decode(), "townships")
        assert numbers(html) == [1, 2, 3]
        assert cells(html, "name") == ["兰山街道", "白沙埠镇", "方城镇"]  # the administrative order
        assert cells(html, "resident_population") == ["12,000", "1,578", "—", "13,578"]  # the last is 合计
        assert cells(html, "registered_population")[-1] == "12,600"
        assert cells(html, "village_count") == ["2", "1", "0", "3"]
        assert 'data-testid="total-row"' in html
        assert f'href="{reverse("offices:township", args=["371302001000"])}?year={YEAR}"' in html

        ascending = table_html(client.get(self.url(county), {"year": YEAR, "townships-sort": "resident_population"})
                               .content.decode(), "townships")
        assert cells(ascending, "name") == ["白沙埠镇", "兰山街道", "方城镇"]  # no figure: last either way
        descending = table_html(client.get(self.url(county), {"year": YEAR, "townships-sort": "-resident_population"})
                                .content.decode(), "townships")
        assert cells(descending, "name") == ["兰山街道", "白沙埠镇", "方城镇"]
        assert 'aria-sort="descending" data-sort="resident_population"' in descending
        by_name = table_html(client.get(self.url(county), {"year": YEAR, "townships-sort": "-name"})
                             .content.decode(), "townships")
        assert cells(by_name, "name") == ["方城镇", "白沙埠镇", "兰山街道"]  # by code, reversed

    def test_the_export_is_the_lists_rows_and_total(self, county, county_official, login, county_towns):
        response = login(county_official).get(self.url(county), {"year": YEAR, "townships-sort": "-village_count",
                                                                   "export": "townships"})
        sheet = sheet_of(response)
        keys, data = read_table(sheet)
        assert list(keys) == ["序号", "乡镇（街道）", "区划代码", "类型", "常住人口（人）", "户籍人口（人）", "村（社区）数"]
        assert [row[1] for row in data[:-1]] == ["兰山街道", "白沙埠镇", "方城镇"]
        assert [row[0] for row in data[:-1]] == [1, 2, 3]
        assert data[1][4] == 1578 and data[2][4] is None
        assert data[-1][0] == "合计" and data[-1][4] == 13_578 and data[-1][6] == 3
        assert "兰山区" in sheet["A1"].value and "年度：2025" in info_line(sheet)

    def test_scope_page_and_export(self, county, county_official, clerk, login, county_towns):
        far = CountyFactory(city=CityFactory(code="371400000000"), code="371402000000")
        TownshipFactory(county=far, name="远方镇")
        outsider = UserFactory(role="county", county=far)
        for query in ({"year": YEAR}, {"year": YEAR, "export": "townships"}):
            assert login(outsider).get(self.url(county), query).status_code == 404
            assert login(clerk).get(self.url(county), query).status_code == 403
        # the county's own list never holds another county's township
        response = login(county_official).get(self.url(county), {"year": YEAR, "export": "townships"})
        assert "远方镇" not in [row[1] for row in read_table(sheet_of(response))[1]]

    def test_queries_do_not_grow_with_rows(self, county, county_official, login, county_towns,
                                           django_assert_max_num_queries):
        client = login(county_official)
        client.get(self.url(county), {"year": YEAR})
        with django_assert_max_num_queries(12) as few:
            client.get(self.url(county), {"year": YEAR})
        for number in range(5):
            PopulationFactory(township=TownshipFactory(county=county), year=YEAR)
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(self.url(county), {"year": YEAR, "townships-sort": "-registered_population"}
                              ).status_code == 200


class TestCityCounties:
    def url(self, city):
        return reverse("offices:city", args=[city.code])

    @pytest.fixture
    def counties(self, city, other_county, county_towns):
        TownshipFactory(county=other_county, code="371311001000")
        return other_county

    def test_numbers_sorts_and_totals_the_counts(self, city, city_staff, login, counties):
        client = login(city_staff)
        html = table_html(client.get(self.url(city), {"year": YEAR}).content.decode(), "counties")
        assert numbers(html) == [1, 2]
        assert cells(html, "name") == ["兰山区", "罗庄区"]
        assert cells(html, "township_count") == ["3", "1", "4"]
        assert cells(html, "village_count") == ["3", "0", "3"]
        assert f'href="{reverse("offices:county", args=["371302000000"])}?year={YEAR}"' in html
        ascending = table_html(client.get(self.url(city), {"year": YEAR, "counties-sort": "township_count"})
                               .content.decode(), "counties")
        assert cells(ascending, "name") == ["罗庄区", "兰山区"]
        assert 'aria-sort="ascending" data-sort="township_count"' in ascending

    def test_the_export_is_the_lists_rows_and_total(self, city, city_staff, login, counties):
        response = login(city_staff).get(self.url(city), {"counties-sort": "-code", "export": "counties"})
        keys, data = read_table(sheet_of(response))
        assert list(keys) == ["序号", "县（市、区）", "区划代码", "类型", "乡镇（街道）数", "村（社区）数"]
        assert [row[1] for row in data[:-1]] == ["罗庄区", "兰山区"]
        assert data[-1][0] == "合计" and (data[-1][4], data[-1][5]) == (4, 3)

    def test_scope_page_and_export(self, city, county_official, login, counties):
        stranger = UserFactory(role="city", city=CityFactory(code="371400000000"))
        for query in ({}, {"export": "counties"}):
            assert login(stranger).get(self.url(city), query).status_code == 404
            assert login(county_official).get(self.url(city), query).status_code == 403

    def test_queries_do_not_grow_with_rows(self, city, city_staff, login, counties, django_assert_max_num_queries):
        client = login(city_staff)
        client.get(self.url(city))
        with django_assert_max_num_queries(10) as few:
            client.get(self.url(city))
        for number in range(4):
            TownshipFactory(county=CountyFactory(city=city))
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(self.url(city), {"counties-sort": "-village_count"}).status_code == 200


class TestTownshipLists:
    def url(self, township):
        return reverse("offices:township", args=[township.code])

    @pytest.fixture
    def villages(self, township):
        Village.objects.bulk_create(
            Village(township=township, code=f"{township.code[:9]}{200 + n:03d}", name=f"第{n + 1}村",
                    kind=Village.Kind.VILLAGE) for n in range(55))
        first = Village.objects.get(code=f"{township.code[:9]}200")
        VillageStation.objects.create(village=first, name="第1村民政工作站")
        return first

    def test_the_villages_are_numbered_across_pages(self, township, clerk, login, villages):
        client = login(clerk)
        page = client.get(self.url(township), {"year": YEAR}).content.decode()
        first = table_html(page, "villages")
        assert numbers(first) == list(range(1, 51))
        assert cells(first, "station")[0] == "第1村民政工作站" and cells(first, "station")[1] == "—"
        assert 'data-testid="total-row"' not in first  # codes and names do not add up
        assert '<span class="badge bg-secondary">55</span>' in page and "共55条" in page
        second = table_html(client.get(self.url(township), {"year": YEAR, "villages-page": 2}).content.decode(),
                            "villages")
        assert numbers(second) == [51, 52, 53, 54, 55]
        assert cells(second, "name")[-1] == "第55村"
        by_station = table_html(client.get(self.url(township), {"villages-sort": "-station"}).content.decode(),
                                "villages")
        assert cells(by_station, "name")[0] == "第1村"  # the only station first, the blanks after

    def test_the_population_list_sorts_by_year(self, township, clerk, login):
        PopulationFactory(township=township, year=2023, resident=50_000, registered=51_000)
        PopulationFactory(township=township, year=2025, resident=61_234, registered=60_000)
        PopulationFactory(township=township, year=2024, resident=55_000, registered=54_000)
        client = login(clerk)
        html = table_html(client.get(self.url(township)).content.decode(), "populations")
        assert cells(html, "year") == ["2025", "2024", "2023"]  # newest first
        assert cells(html, "resident")[0] == "61,234"
        assert 'data-testid="total-row"' not in html  # the years' populations do not add up
        ascending = table_html(client.get(self.url(township), {"populations-sort": "year"}).content.decode(),
                               "populations")
        assert cells(ascending, "year") == ["2023", "2024", "2025"]
        keys, data = read_table(sheet_of(client.get(self.url(township), {"populations-sort": "year",
                                                                           "export": "populations"})))
        assert list(keys) == ["序号", "年度", "常住人口（人）", "户籍人口（人）"]
        assert [(row[1], row[2]) for row in data] == [("2023", 50_000), ("2024", 55_000), ("2025", 61_234)]

    def test_the_villages_export_holds_every_page(self, township, clerk, login, villages):
        sheet = sheet_of(login(clerk).get(self.url(township), {"villages-page": 2, "export": "villages"}))
        keys, data = read_table(sheet)
        assert list(keys) == ["序号", "村（社区）", "区划代码", "类型", "民政工作站"]
        assert len(data) == 55 and data[0][1] == "第1村" and data[0][4] == "第1村民政工作站"
        assert township.name in sheet["A1"].value

    def test_scope_page_and_exports(self, township, other_township, clerk, login, villages):
        for query in ({}, {"export": "villages"}, {"export": "populations"}):
            assert login(clerk).get(self.url(other_township), query).status_code == 404
        outsider = UserFactory(role="county", county=CountyFactory(city=CityFactory(code="371400000000"),
                                                                   code="371402000000"))
        assert login(outsider).get(self.url(township), {"export": "villages"}).status_code == 404

    def test_queries_do_not_grow_with_rows(self, township, clerk, login, django_assert_max_num_queries):
        VillageFactory(township=township)
        PopulationFactory(township=township, year=2024)
        client = login(clerk)
        client.get(self.url(township))
        with django_assert_max_num_queries(25) as few:
            client.get(self.url(township))
        for number in range(5):
            VillageStation.objects.create(village=VillageFactory(township=township), name=f"站{number}")
            PopulationFactory(township=township, year=2015 + number)
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(self.url(township), {"villages-sort": "station"}).status_code == 200
