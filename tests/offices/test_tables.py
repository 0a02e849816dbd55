"""offices.tables: the one list mechanism — 序号 across pages, whitelisted sorting, 合计, the query string, the file."""
import re
import types
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import RequestFactory
from openpyxl import load_workbook

from offices.models import Township
from offices.tables import DECIMAL, INTEGER, Column, ListTable, grouped
from offices.workbooks import read_table
from tests.factories.offices import TownshipFactory


def rows(*values):
    return [types.SimpleNamespace(name=name, area=area, count=count) for name, area, count in values]


COLUMNS = [
    Column("name", "名称"),
    Column("area", "面积（㎡）", kind=DECIMAL, total=True),
    Column("count", "数量（台）", kind=INTEGER, total=lambda row: row.count if row.name != "旧" else 0),
]


def table(query="", data=None, **options):
    request = RequestFactory().get(f"/list/{query}")
    return ListTable(request, data if data is not None else rows(("甲", Decimal("12.5"), 2), ("乙", None, 1),
                                                                   ("丙", Decimal("1578"), 3), ("旧", Decimal(4), 5)),
                     COLUMNS, **options)


def names(listed):
    return [row.object.name for row in listed.rows_shown]


class TestSorting:
    def test_without_a_sort_the_rows_keep_their_own_order(self):
        assert names(table()) == ["甲", "乙", "丙", "旧"]

    def test_ascending_and_descending_put_blanks_last(self):
        assert names(table("?list-sort=area")) == ["旧", "甲", "丙", "乙"]
        assert names(table("?list-sort=-area")) == ["丙", "甲", "旧", "乙"]

    def test_a_descending_sort_keeps_ties_in_their_own_order(self):
        data = rows(("a", 1, 1), ("b", 2, 1), ("c", 1, 1), ("d", 2, 1))
        assert names(table("?list-sort=-area", data)) == ["b", "d", "a", "c"]

    def test_an_unknown_sort_falls_back_to_the_default(self):
        assert names(table("?list-sort=password", default_sort="-count")) == ["旧", "丙", "甲", "乙"]
        assert table("?list-sort=__class__").sort == ""

    def test_the_header_links_reverse_the_current_sort_and_keep_other_parameters(self):
        listed = table("?year=2025&list-sort=area&list-page=2&other-sort=name")
        area = next(h for h in listed.headers if h.column.key == "area")
        assert area.state == "ascending"
        assert area.href == "?year=2025&list-sort=-area&other-sort=name"
        name = next(h for h in listed.headers if h.column.key == "name")
        assert name.state == "none" and "list-sort=name" in name.href


class TestPages:
    def test_numbering_goes_on_across_pages_and_the_count_is_every_row(self):
        data = rows(*[(f"r{i}", i, 1) for i in range(7)])
        second = table("?list-page=2", data, per_page=3)
        assert [row.number for row in second.rows_shown] == [4, 5, 6]
        assert second.count == 7
        assert [n for n, _href in second.page_links] == [1, 2, 3]
        assert second.next_href() == "?list-page=3"

    def test_a_page_out_of_range_shows_the_last(self):
        data = rows(*[(f"r{i}", i, 1) for i in range(7)])
        assert [row.number for row in table("?list-page=99", data, per_page=3).rows_shown] == [7]

    def test_the_export_link_keeps_filters_and_sort_but_not_the_page(self):
        listed = table("?year=2025&rooms-sort=-area&rooms-page=2", name="rooms")
        assert listed.export_href == "?year=2025&rooms-sort=-area&export=rooms"
        assert not listed.exporting
        assert table("?export=rooms", name="rooms").exporting


class TestTotalsAndFormats:
    def test_totals_sum_every_row_and_a_callable_total_decides_each_rows_part(self):
        listed = table(per_page=2)
        assert listed.totals == {"area": Decimal("1594.5"), "count": 6}
        assert [cell.text for cell in listed.total_cells] == ["1,594.50", "6"]  # the label spans 序号 and 名称
        assert listed.total_label_span == 2

    def test_one_number_format_per_kind(self):
        assert grouped(Decimal("13947.2"), 2) == "13,947.20"
        assert grouped(1578, 0) == "1,578"
        assert grouped(None, 2) == "—"
        cells = table().rows_shown[1].cells
        assert [cell.text for cell in cells] == ["乙", "—", "1"]
        assert "text-end" in cells[2].css

    def test_a_failing_cell_is_red(self):
        columns = [Column("name", "名称"), Column("count", "数量", kind=INTEGER, fail=lambda row: row.count < 2)]
        listed = ListTable(RequestFactory().get("/"), rows(("甲", 1, 1), ("乙", 1, 3)), columns)
        assert [row.cells[1].failed for row in listed.rows_shown] == [True, False]
        assert "text-danger" in listed.rows_shown[0].cells[1].css


@pytest.mark.django_db
class TestQuerySets:
    def test_a_queryset_is_sorted_and_summed_in_sql(self, django_assert_num_queries):
        for code, name in [("370000000003", "丙"), ("370000000001", "甲"), ("370000000002", "乙")]:
            TownshipFactory(code=code, name=name)
        columns = [Column("code", "代码"), Column("name", "名称"), Column("id", "编号", kind=INTEGER, total=True)]
        expected = sum(Township.objects.values_list("id", flat=True))
        listed = ListTable(RequestFactory().get("/?list-sort=-code"), Township.objects.all(), columns, per_page=2)
        with django_assert_num_queries(3):  # the count, the page, the sum
            shown = [row.object.code for row in listed.rows_shown]
            assert listed.count == 3
            assert listed.totals["id"] == expected
        assert shown == ["370000000003", "370000000002"]


class TestExport:
    def test_the_file_holds_every_row_in_the_pages_sort_with_a_total(self):
        response = table("?list-sort=-area&export=list", per_page=2, title="测试清单").export_response()
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "filename" in response["Content-Disposition"]
        sheet = load_workbook(BytesIO(response.content)).active
        keys, data = read_table(sheet)
        assert list(keys) == ["序号", "名称", "面积（㎡）", "数量（台）"]
        assert sheet["A1"].value == "测试清单"
        assert [row[:2] for row in data] == [[1, "丙"], [2, "甲"], [3, "旧"], [4, "乙"], ["合计", None]]
        assert data[0][2] == 1578 and data[3][2] is None  # numbers as numbers, a blank as blank
        assert [Decimal(str(value)) for value in data[-1][2:]] == [Decimal("1594.5"), 6]
        assert sheet.cell(row=sheet.max_row, column=3).number_format == "#,##0.00"

    def test_a_shortfall_is_tinted_in_the_file_as_it_is_red_on_the_page(self):
        columns = [Column("name", "名称"), Column("count", "数量", kind=INTEGER, fail=lambda row: row.count < 2)]
        listed = ListTable(RequestFactory().get("/"), rows(("甲", 1, 1), ("乙", 1, 3)), columns)
        sheet = load_workbook(BytesIO(listed.export_response().content)).active
        first = sheet.max_row - 1
        assert sheet.cell(row=first, column=3).fill.fgColor.rgb.endswith("FBE9EB")
        assert sheet.cell(row=first, column=2).fill.fill_type is None
        assert sheet.cell(row=first + 1, column=3).fill.fill_type is None


def test_zh_hans_groups_numbers_by_thousands_like_the_tables():
    """humanize's intcomma (the township pages' figures) writes 「77,028」 as the tables do, not Django's 「77028」."""
    from django.template import Context, Template
    from django.utils import translation

    with translation.override("zh-hans"):
        shown = Template("{% load humanize %}{{ value|intcomma }}|{{ value }}").render(Context({"value": 77028}))
    assert shown == f"{grouped(77028, 0)}|77028"


def test_row_data_is_written_on_the_row_escaped():
    from django.template.loader import render_to_string

    listed = ListTable(RequestFactory().get("/"), rows(("甲", 1, 1)), COLUMNS,
                       row_class=lambda row: "a<b", row_data=lambda row: {"person": '张"三<script>', "pending": "yes"})
    html = render_to_string("includes/list_table.html", {"table": listed})
    assert '<tr class="a&lt;b" data-person="张&quot;三&lt;script&gt;" data-pending="yes">' in html


def test_the_year_picker_keeps_filters_and_sorts_but_starts_every_list_on_page_one():
    from django.template import Context, Template

    request = RequestFactory().get("/?year=2024&status=fail&rooms-sort=-area&rooms-page=3&page=2&staff-page=2")
    html = Template('{% include "includes/year_picker.html" %}').render(
        Context({"request": request, "year": 2024, "years": [2024, 2025]}))
    carried = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))
    assert carried == {"status": "fail", "rooms-sort": "-area"}


def test_an_empty_list_exports_its_headers_without_a_total():
    sheet = load_workbook(BytesIO(table(data=[]).export_response().content)).active
    keys, data = read_table(sheet)
    assert list(keys) == ["序号", "名称", "面积（㎡）", "数量（台）"] and data == []
