"""Compliance spreadsheets: read back with openpyxl, number for number against compliance_for."""
from decimal import Decimal
from io import BytesIO
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from assessments import exports, oversight
from assessments.compliance import compliance_for
from offices.compliance import Dimension, Unit
from offices.models import Township
from offices.workbooks import read_table
from tests.assessments.oversight_fixtures import add_townships
from tests.store import fill_store

pytestmark = pytest.mark.django_db


def read(response):
    return load_workbook(BytesIO(b"".join(response.streaming_content)))


def header_index(sheet):
    """{header path joined with 「·」: column index} of an official sheet (title, issuer line, grouped headers)."""
    return read_table(sheet)[0]


def data_rows(sheet):
    """The rows under the headers, as value tuples."""
    return [tuple(row) for row in read_table(sheet)[1]]


def first_data_row(sheet):
    """The sheet row of the first township (1-based), under the repeated title and header rows."""
    return int(sheet.print_title_rows.split(":")[-1].strip("$")) + 1


def rule_group(result):
    """A rule's header above its 应达/实有/差距 columns: dimension, then title with unit (a list rule counts 项)."""
    unit = Unit.ITEMS if isinstance(result.required, list) else Unit(result.unit)
    return f"{Dimension(result.dimension).label}·{result.title}（{unit.label}）"


def as_number(value):
    return float(value) if isinstance(value, (int, float, Decimal)) else value


@pytest.fixture
def city_book(small_city, city_staff, login):
    response = login(city_staff).get(reverse("assessments:export_city", args=[small_city.city.code]), {"year": 2025})
    assert response.status_code == 200
    return response


def test_file_name_and_type(city_book):
    name = "临沂市_2025_民政办规范化建设达标情况.xlsx"
    assert city_book["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f"filename*=utf-8''{quote(name)}" in city_book["Content-Disposition"]
    assert city_book["Content-Disposition"].startswith("attachment")


def test_detail_sheet_matches_the_computation(city_book):
    book = read(city_book)
    assert book.sheetnames == [exports.DETAIL_SHEET, exports.SUMMARY_SHEET, exports.FINDINGS_SHEET]
    sheet = book[exports.DETAIL_SHEET]
    columns = header_index(sheet)
    rows = data_rows(sheet)
    cards = compliance_for(Township.objects.all(), 2025)
    assert len(rows) == len(cards) + 2  # + the 合计 row and the failing count row
    for card, row in zip(cards, rows):
        assert row[columns["乡镇（街道）"]] == card.township.name
        assert row[columns["区划代码"]] == card.township.code
        assert row[columns["人口（人）"]] == card.population
        for result in card.results:
            group = rule_group(result)
            cells = {part: row[columns[f"{group}·{part}"]] for part in ("应达", "实有", "差距")}
            if result.status == "not_assessed":
                assert set(cells.values()) == {None}
            elif isinstance(result.required, list):  # a list rule: the items counted, what is missing named
                assert cells == {"应达": len(result.required), "实有": len(result.required) - len(result.gap),
                                 "差距": len(result.gap)}
                assert row[columns[f"{group}·缺少"]] == ("、".join(result.gap) or None)
            else:
                for part, value in (("应达", result.required), ("实有", result.actual), ("差距", result.gap)):
                    assert as_number(cells[part]) == as_number(value), (card.township.name, result.code, part)
    totals, failing = rows[-2], rows[-1]
    assert totals[0] == "合计（3个乡镇）"
    assert totals[columns["有人管事·编制数（人）·差距"]] == 2
    assert totals[columns["有钱干事·工作经费（元）·差距"]] == 10000
    assert failing[0] == "其中：未达标乡镇数（个）"
    assert failing[columns["有人管事·编制数（人）·应达"]] == 2  # 兰山街道 and 罗庄镇 are short of posts


def test_pass_and_fail_fills_header_frozen_filter_and_print_setup(city_book):
    book = load_workbook(BytesIO(b"".join(city_book.streaming_content)))
    sheet = book[exports.DETAIL_SHEET]
    columns = header_index(sheet)
    gap = columns["有人管事·编制数（人）·差距"] + 1
    first = first_data_row(sheet)
    assert sheet.cell(row=first, column=gap).fill.fgColor.rgb.endswith("FBE9EB")  # 兰山街道 short 1 post
    assert sheet.cell(row=first + 1, column=gap).fill.fgColor.rgb.endswith("E6F4EA")  # 银雀山街道 passes
    for name, frozen_columns in ((exports.DETAIL_SHEET, "D"), (exports.SUMMARY_SHEET, "C"),
                                 (exports.FINDINGS_SHEET, "D")):
        ws = book[name]
        first = first_data_row(ws)
        assert ws.freeze_panes == f"{frozen_columns}{first}"  # the headers and the names stay in view
        assert ws.auto_filter.ref.startswith(f"A{first - 1}:")
        assert ws.page_setup.orientation == "landscape"
        assert str(ws.page_setup.paperSize) == "9"  # A4


def test_summary_sheet_by_county(city_book):
    sheet = read(city_book)[exports.SUMMARY_SHEET]
    columns = header_index(sheet)
    rows = data_rows(sheet)
    expected = oversight.counties_ranked(oversight.scope_for(None), 2025)
    assert len(rows) == len(expected) + 1
    for row, county in zip(rows, expected):
        assert row[columns["县（市、区）"]] == county.county.name
        assert row[columns["达标数（个）"]] == county.totals.overall.passing
        assert row[columns["编制（人）·缺口"]] == county.totals.posts_short
        assert row[columns["编制（人）·净额"]] == county.totals.posts_net
        assert as_number(row[columns["工作经费缺口（元）"]]) == float(county.totals.funds_shortfall)
    assert rows[-1][0] == "合计"  # the label across 排名 and 县（市、区）
    assert rows[-1][columns["达标率"]] == pytest.approx(1 / 3)
    assert rows[-1][columns["缺少设备（乡镇数）"]] == "打印机2；影录设备1"


def test_findings_sheet(city_book):
    sheet = read(city_book)[exports.FINDINGS_SHEET]
    rows = data_rows(sheet)
    cards = compliance_for(Township.objects.all(), 2025)
    assert len(rows) == sum(len(card.findings) for card in cards)
    assert [row[0] for row in rows] == list(range(1, len(rows) + 1))  # 序号
    assert ("罗庄区", "罗庄镇", "371311101000", "有手段成事", "办公设备", "缺打印机、影录设备", "打印机、影录设备") in [
        row[1:] for row in rows]


def test_formula_like_text_stays_text(small_city, city_staff, login):
    township = small_city.townships[2]
    township.name = '=HYPERLINK("http://x","y")'
    township.save()
    response = login(city_staff).get(reverse("assessments:export_city", args=[small_city.city.code]), {"year": 2025})
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    sheet = book[exports.DETAIL_SHEET]
    cell = sheet.cell(row=first_data_row(sheet) + 2, column=header_index(sheet)["乡镇（街道）"] + 1)
    assert cell.value == '=HYPERLINK("http://x","y")'
    assert cell.data_type == "s"


def test_county_export_is_scoped(small_city, county_official, login):
    client = login(county_official)
    url = reverse("assessments:export_county", args=[small_city.counties[0].code])
    sheet = read(client.get(url, {"year": 2025}))[exports.DETAIL_SHEET]
    names = [row[header_index(sheet)["乡镇（街道）"]] for row in data_rows(sheet)][:-2]
    assert names == ["兰山街道", "银雀山街道"]
    assert client.get(reverse("assessments:export_county", args=[small_city.counties[1].code])).status_code == 404
    assert client.get(reverse("assessments:export_city", args=[small_city.city.code])).status_code == 403


@pytest.mark.parametrize("view", ["export_city", "export_county"])
def test_query_count_is_fixed(view, small_city, city_staff, login, django_assert_max_num_queries):
    client = login(city_staff)
    code = small_city.city.code if view == "export_city" else small_city.counties[1].code
    url = reverse(f"assessments:{view}", args=[code])
    client.get(url, {"year": 2025})
    fill_store()  # the services keep the store current; count the page's own reads
    with django_assert_max_num_queries(30) as few:
        client.get(url, {"year": 2025})
    add_townships(small_city.counties[1], 19)
    fill_store()  # the services keep the store current; count the page's own reads
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"year": 2025})
    assert read(response)[exports.DETAIL_SHEET].max_row >= 21


def test_command_writes_the_same_file(small_city, tmp_path):
    target = tmp_path / "out.xlsx"
    call_command("export_compliance", "--county", "371302", "--year", "2025", "-o", str(target))
    sheet = load_workbook(target)[exports.DETAIL_SHEET]
    rows = data_rows(sheet)
    assert [row[2] for row in rows[:-2]] == ["兰山街道", "银雀山街道"]
    assert rows[-2][0] == "合计（2个乡镇）"
    call_command("export_compliance", "--city", "3713", "--year", "2025", "-o", str(target))
    assert len(data_rows(load_workbook(target)[exports.DETAIL_SHEET])) == 3 + 2


@pytest.mark.parametrize("args", [["--county", "123"], ["--city", "9999"], ["--county", "999999"]])
def test_command_rejects_unknown_units(small_city, tmp_path, args):
    with pytest.raises(CommandError):
        call_command("export_compliance", *args, "--year", "2025", "-o", str(tmp_path / "x.xlsx"))
