"""The dashboard's tables as government users expect them: 序号, 共N条, pages, sorting, 合计, one number format."""
import re
import types
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import tables
from assessments.templatetags.oversight_tags import people, sqm, yuan
from offices.compliance import Status
from tests.assessments.oversight_fixtures import add_townships
from tests.factories.offices import CountyFactory, TownshipFactory
from tests.store import fill_store

pytestmark = pytest.mark.django_db


def dashboard_url(city):
    return reverse("assessments:dashboard", args=[city.code])


def section(html, testid):
    start = html.index(f'data-testid="{testid}"')
    return html[start:html.index("</table>", start)]


def row_numbers(html):
    return [int(n) for n in re.findall(r"data-row-number>(\d+)<", html)]


def listed_townships(html):
    return re.findall(r'<tr class="clickable" data-href="[^"]*" data-township="(\d+)"', section(html, "failing-list"))


def page_links(html):
    nav = html[html.index('data-testid="pagination"'):]
    return [href.replace("&amp;", "&") for href in re.findall(r'class="page-link" href="([^"]+)"', nav[:nav.index("</nav>")])]


@pytest.fixture
def long_list(small_city):
    """60 more townships in 罗庄区, none with any data: 62 township rows 未达标 in 2025."""
    add_townships(small_city.counties[1], 60)
    fill_store()
    return small_city


class TestTownshipList:
    def test_page_two_goes_on_numbering_and_counts_all(self, long_list, city_staff, login):
        client = login(city_staff)
        first = client.get(dashboard_url(long_list.city), {"year": 2025})
        total = len(first.context["failing"])
        assert total == 62
        html = first.content.decode()
        assert row_numbers(html) == list(range(1, 51))
        assert f"共{total}条" in html and f'data-testid="failing-count">{total}<' in html
        second = client.get(dashboard_url(long_list.city), {"year": 2025, "page": 2}).content.decode()
        assert row_numbers(second) == list(range(51, total + 1))
        assert f"共{total}条" in second
        assert not set(listed_townships(html)) & set(listed_townships(second))

    def test_sort_by_a_column_changes_the_order(self, long_list, city_staff, login):
        client = login(city_staff)
        plain = listed_townships(client.get(dashboard_url(long_list.city), {"year": 2025}).content.decode())
        assert plain[0] == "371302001000"  # 兰山区 first: the administrative order
        by_county = client.get(dashboard_url(long_list.city), {"year": 2025, "sort": "-county"}).content.decode()
        assert listed_townships(by_county)[0].startswith("371311")
        assert 'aria-sort="descending" data-sort="county"' in by_county
        # The most findings first; the rows agree with the findings they list.
        by_township = client.get(dashboard_url(long_list.city), {"year": 2025, "sort": "-township", "page": 2})
        codes = [row.township.code for row in by_township.context["failing"]]
        assert codes == sorted(plain + listed_townships(client.get(
            dashboard_url(long_list.city), {"year": 2025, "page": 2}).content.decode()), reverse=True)
        assert list(by_township.context["table"].page) == by_township.context["failing"][50:]
        # The most findings first, over every status.
        page = client.get(dashboard_url(long_list.city), {"year": 2025, "status": "", "sort": "-findings"})
        counts = [len(row.findings) for row in page.context["failing"]]
        assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]

    def test_an_unknown_sort_is_ignored_not_a_500(self, long_list, city_staff, login):
        page = login(city_staff).get(dashboard_url(long_list.city), {"year": 2025, "sort": "township__name; drop"})
        assert page.status_code == 200 and page.context["table"].sort == "county"

    def test_page_and_sort_links_keep_the_filters(self, long_list, city_staff, login):
        query = {"year": 2025, "county": "371311000000", "status": "fail", "figures": "latest", "sort": "-township"}
        html = login(city_staff).get(dashboard_url(long_list.city), query).content.decode()
        links = page_links(html)
        assert links and all(
            all(f"{name}={value}" in link for name, value in query.items()) for link in links), links
        assert any("page=2" in link for link in links)
        sort_link = re.search(r'data-sort="status"><a [^>]*href="([^"]+)"', html).group(1).replace("&amp;", "&")
        assert "county=371311000000" in sort_link and "sort=status" in sort_link and "page=" not in sort_link
        # The filter form carries the sort along, and the export button is still there.
        assert '<input type="hidden" name="sort" value="-township">' in html
        assert 'data-testid="export-townships"' in html

    def test_every_failing_status_is_red(self, small_city, city_staff, login):
        html = login(city_staff).get(dashboard_url(small_city.city), {"year": 2025, "status": ""}).content.decode()
        cells = re.findall(r'<td class="([^"]*)" data-label="状态" data-status="(\w+)"', section(html, "failing-list"))
        assert {status for _classes, status in cells} >= {Status.FAIL, Status.PASS}
        for classes, status in cells:
            assert ("text-danger" in classes.split()) == (status == Status.FAIL)

    def test_query_count_is_pinned_and_the_same_on_page_two(self, long_list, city_staff, login,
                                                            django_assert_max_num_queries):
        client = login(city_staff)
        client.get(dashboard_url(long_list.city), {"year": 2025})  # warm caches (session, content types)
        with django_assert_max_num_queries(60) as first:
            client.get(dashboard_url(long_list.city), {"year": 2025})
        with django_assert_max_num_queries(len(first.captured_queries)) as second:
            client.get(dashboard_url(long_list.city), {"year": 2025, "page": 2, "sort": "-findings"})
        assert len(second.captured_queries) == len(first.captured_queries)


def figures(html, name):
    return re.findall(rf'data-figure="{name}">([^<]*)<', html)


def number(text):
    return Decimal(text.replace(",", ""))


class TestRanking:
    def test_total_row_is_the_sum_of_the_rows(self, small_city, city_staff, login):
        page = login(city_staff).get(dashboard_url(small_city.city), {"year": 2025})
        html = section(page.content.decode(), "county-ranking")
        body, foot = html.split("<tfoot>")
        assert "合计" in foot
        for name in ("townships", "posts_short", "posts_surplus", "posts_net", "funds_shortfall", "area_shortfall"):
            rows = [number(text) for text in figures(body, name)]
            assert len(rows) == 2, name
            assert [number(text) for text in figures(foot, name)] == [sum(rows)], name
        totals = page.context["view"].totals
        assert figures(foot, "funds_shortfall") == [f"{totals.funds_shortfall:,.2f}"]
        assert number(figures(foot, "funds_shortfall")[0]) > 0

    def test_a_zero_is_not_red_a_shortfall_is(self, small_city, city_staff, login):
        # 河东区: one township with nothing recorded, so nothing found short (its figures are zeros).
        quiet = CountyFactory(city=small_city.city, code="371312000000", name="河东区")
        TownshipFactory(county=quiet, code="371312001000", name="芝麻墩街道")
        fill_store()
        html = section(login(city_staff).get(dashboard_url(small_city.city), {"year": 2025}).content.decode(),
                       "county-ranking")
        cells = re.findall(r'<(?:span|td)( class="[^"]*")?[^>]* data-figure="(posts_\w+|funds_shortfall|area_shortfall)"'
                           r'>([^<]*)<', html)
        shortfalls = [(classes, name, number(value)) for classes, name, value in cells if name != "posts_net"]
        assert any(value == 0 for _c, _n, value in shortfalls) and any(value > 0 for _c, _n, value in shortfalls)
        for classes, name, value in shortfalls:
            red = "text-danger" in classes
            assert red == (value > 0 and name != "posts_surplus"), (name, value, classes)
        for classes, _name, value in (cell for cell in cells if cell[1] == "posts_net"):
            assert ("text-danger" in classes) == (number(value) < 0)

    def test_one_number_format_per_unit(self, small_city, city_staff, login):
        html = section(login(city_staff).get(dashboard_url(small_city.city), {"year": 2025}).content.decode(),
                       "county-ranking")
        for name in ("funds_shortfall", "area_shortfall"):
            assert all(re.fullmatch(r"-?\d{1,3}(,\d{3})*\.\d\d", text) for text in figures(html, name)), name
        for name in ("townships", "posts_short", "posts_surplus", "posts_net"):
            assert all(re.fullmatch(r"-?\d{1,3}(,\d{3})*", text) for text in figures(html, name)), name


def test_number_formats():
    assert people(1578) == "1,578" and people(-3) == "-3" and people(None) == "—"
    assert yuan(Decimal("13947.2")) == "13,947.20" and yuan(Decimal("1578")) == "1,578.00" and yuan(0) == "0.00"
    assert sqm(Decimal("12.345")) == "12.35" and sqm(1578.0) == "1,578.00"


def test_sorting_keeps_the_administrative_order_between_equals():
    def row(county, township, status, findings):
        return types.SimpleNamespace(township=types.SimpleNamespace(code=township, county=types.SimpleNamespace(code=county)),
                                     status=status, findings=[None] * findings)

    rows = [row("2", "22", Status.FAIL, 1), row("1", "12", Status.PASS, 3), row("1", "11", Status.FAIL, 1)]
    ordered, sort = tables.sorted_rows(rows, "-findings")
    assert sort == "-findings" and [r.township.code for r in ordered] == ["12", "11", "22"]
    ordered, _sort = tables.sorted_rows(rows, "status")
    assert [r.township.code for r in ordered] == ["11", "22", "12"]
    table = tables.township_table(rows * 30, page="2", per_page=50)
    assert [number for number, _row in table.rows][:1] == [51] and table.count == 90
    assert table.sorts["county"].state == "ascending" and table.sorts["county"].next == "-county"


class TestCountyTable:
    def test_sticky_header_and_first_column_and_a_numeric_total_row(self, small_city, county_official, login):
        page = login(county_official).get(reverse("assessments:county", args=[small_city.counties[0].code]),
                                          {"year": 2025})
        html = page.content.decode()
        assert re.search(r'class="table-responsive table-sticky"><table class="[^"]*sticky-first[^"]*"[^>]*'
                         r'data-testid="county-table"', html)
        rows = page.context["rows"]
        assert row_numbers(section(html, "county-table")) == list(range(1, len(rows) + 1))
        foot = html[html.index('data-testid="totals-row"'):]
        assert "合计（2个乡镇）" in foot
        population = sum(row.card.population for row in rows)
        assert population == 100_000 and 'data-total="population">100,000<' in foot
        assert ">60,000</td>" in html and ">40,000</td>" in html  # the rows in the same format as their 合计
        shown = re.findall(r'data-total-gap="[^"]*"[^>]*><span[^>]*>([^<]*)<', foot)
        numeric = [total for total in page.context["column_totals"] if total.gap is not None]
        assert shown and len(shown) == len(numeric)
        assert [number(text) for text in shown] == [Decimal(str(total.gap)).quantize(Decimal("0.01")) for total in numeric]
        # The 经费 column's 合计 is the sum of the townships' gaps in 元.
        summed = sum(cell.gap for row in rows for cell in row.cells
                     if cell is not None and cell.failed and cell.unit == "yuan")
        assert summed > 0 and summed in [number(text) for text in shown]
        statuses = re.findall(r'<td class="status-(\w+)([^"]*)" data-sort=', html)
        assert any(kind == "fail" for kind, _rest in statuses)
        assert all(("text-danger" in rest) == (kind == "fail") for kind, rest in statuses)
