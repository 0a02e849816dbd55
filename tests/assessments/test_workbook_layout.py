"""The compliance spreadsheets are official tables: read back with openpyxl, cell by cell.

Given the small city (two counties, three townships with known gaps), when its
workbooks are written, then every sheet has a title across the table, a line
naming the issuing unit, the data date and which figures, grouped headers in
merged cells, frozen headers and names, a print setup that fits an A4
landscape page across and repeats the headers, numbers only in number columns
(a list rule counts its items; what is missing has its own text column), a
numeric 合计 row, and rows as high as their wrapped text.
"""
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import column_index_from_string, get_column_letter

from assessments import exports, oversight
from assessments.reports import compliance_report
from offices import workbooks
from offices.workbooks import NUMBER_FORMATS, Column, OfficialSheet, read_table, row_height, wrapped_lines
from tests.assessments.oversight_fixtures import add_townships
from tests.store import fill_store

pytestmark = pytest.mark.django_db

YEAR = 2025
SHEETS = (exports.DETAIL_SHEET, exports.SUMMARY_SHEET, exports.FINDINGS_SHEET)


def city_report(small_city):
    return compliance_report(oversight.scope_for(None, city=small_city.city), YEAR)


def written(report, **options):
    target = BytesIO()
    exports.write_workbook(report, target, **options)
    target.seek(0)
    return load_workbook(target)


@pytest.fixture
def city_book(small_city):
    return written(city_report(small_city))


def header_rows(sheet):
    """(first, last) header row: under the title and the issuer line, down to the end of the print titles."""
    return workbooks.FIRST_HEADER_ROW, int(sheet.print_title_rows.split(":")[-1].strip("$"))


def print_blocks(sheet):
    """[(first, last)] 1-based columns of each printed block: from after the print title columns to each break."""
    repeated = sheet.print_title_cols.replace("$", "").split(":")[-1]
    edges = [column_index_from_string(repeated), *(brk.id for brk in sheet.col_breaks.brk), sheet.max_column]
    return [(first + 1, last) for first, last in zip(edges, edges[1:])]


def merged(sheet):
    return {str(cell_range) for cell_range in sheet.merged_cells.ranges}


def info_line(sheet):
    return [cell.value for cell in sheet[workbooks.INFO_ROW] if cell.value is not None]


def computed_day(scope):
    day = timezone.localdate(oversight.computed_at(scope, YEAR))
    return f"数据日期：{day.year}年{day.month}月{day.day}日"


# --- Title and issuer line. -----------------------------------------------------------------------------------------

def test_each_sheet_has_a_title_across_the_table_and_the_issuer_line(small_city, city_book):
    titles = {exports.DETAIL_SHEET: "临沂市2025年度乡镇民政办规范化建设达标情况表",
              exports.SUMMARY_SHEET: "临沂市2025年度乡镇民政办规范化建设达标情况分县汇总表",
              exports.FINDINGS_SHEET: "临沂市2025年度乡镇民政办规范化建设整改清单"}
    info = ["发布单位：临沂市民政局", computed_day(oversight.scope_for(None, city=small_city.city)), "口径：最新数据"]
    for name in SHEETS[1:]:
        sheet = city_book[name]
        assert sheet["A1"].value == titles[name]
        assert f"A1:{get_column_letter(sheet.max_column)}1" in merged(sheet)
        assert sheet["A1"].font.b and sheet["A1"].font.sz > workbooks.BODY_SIZE
        assert info_line(sheet) == info
    # The detail prints a block of columns to a page: the title over each block, the issuer over the repeated
    # name columns, the date and which figures over each block, so every printed page says what it is.
    sheet = city_book[exports.DETAIL_SHEET]
    blocks = print_blocks(sheet)
    assert len(blocks) > 1
    assert "A2:C2" in merged(sheet) and sheet["A2"].value == info[0]
    for first, last in blocks:
        cell = sheet.cell(row=1, column=first)
        assert cell.value == titles[exports.DETAIL_SHEET] and cell.font.b and cell.font.sz > workbooks.BODY_SIZE
        assert f"{get_column_letter(first)}1:{get_column_letter(last)}1" in merged(sheet)
        assert [sheet.cell(row=2, column=c).value for c in range(first, last + 1)
                if sheet.cell(row=2, column=c).value] == info[1:]


def test_a_county_workbook_names_the_county_bureau_and_the_figures_asked_for(small_city):
    county = small_city.counties[0]
    book = written(compliance_report(oversight.scope_for(None, county=county), YEAR), figures_label="验收数据")
    sheet = book[exports.DETAIL_SHEET]
    assert sheet["D1"].value == "兰山区2025年度乡镇民政办规范化建设达标情况表"  # over the first block
    assert info_line(sheet)[0] == "填报单位：兰山区民政局"
    assert info_line(sheet)[-1] == "口径：验收数据"


# --- Headers. -------------------------------------------------------------------------------------------------------

def test_detail_headers_group_dimension_rule_and_required_actual_gap(city_book):
    sheet = city_book[exports.DETAIL_SHEET]
    assert header_rows(sheet) == (3, 5)
    ranges = merged(sheet)
    assert {"A3:A5", "B3:B5", "C3:C5", "D3:D5", "E3:E5", "F3:F5"} <= ranges  # 序号 … 总体结果 down all three rows
    # (a header too wide for its column breaks before its unit: 「人口\n（人）」)
    assert [sheet.cell(row=3, column=c).value.replace("\n", "") for c in range(1, 7)] == [
        "序号", "县（市、区）", "乡镇（街道）", "区划代码", "人口（人）", "总体结果"]
    # 有人管事 → 编制数（人） → 应达 / 实有 / 差距, each group merged across its columns.
    assert sheet["G3"].value == "有人管事" and "G3:I3" in ranges
    assert sheet["G4"].value.replace("\n", "") == "编制数（人）" and "G4:I4" in ranges
    assert [sheet.cell(row=5, column=c).value for c in range(7, 10)] == ["应达", "实有", "差距"]
    # A list rule: its items counted (项), then what is missing, in a column of its own.
    columns, _rows = read_table(sheet)
    assert [key for key in columns if key.startswith("有手段成事·")] == [
        "有手段成事·办公设备（项）·应达", "有手段成事·办公设备（项）·实有", "有手段成事·办公设备（项）·差距",
        "有手段成事·办公设备（项）·缺少"]
    for cell in sheet[3] + sheet[4] + sheet[5]:
        if isinstance(cell, MergedCell):  # openpyxl reads the covered cells of a merge without their style
            continue
        assert cell.font.b and cell.alignment.wrap_text and cell.border.left.style == "thin"


def test_two_level_headers_of_the_summary(city_book):
    sheet = city_book[exports.SUMMARY_SHEET]
    assert header_rows(sheet) == (3, 4)
    columns, _rows = read_table(sheet)
    assert "分项达标率·有人管事" in columns and "编制（人）·净额" in columns and "达标率" in columns
    first = columns["编制（人）·缺口"] + 1
    assert f"{get_column_letter(first)}3:{get_column_letter(first + 2)}3" in merged(sheet)


# --- Frozen panes and print setup. ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "pane"), [(exports.DETAIL_SHEET, "D6"), (exports.SUMMARY_SHEET, "C5"),
                                            (exports.FINDINGS_SHEET, "D4")])
def test_headers_and_names_are_frozen_and_the_print_fits_a4_landscape_across(city_book, name, pane):
    sheet = city_book[name]
    assert sheet.freeze_panes == pane  # below the headers, right of the township (county) name
    _first, last = header_rows(sheet)
    assert sheet.print_title_rows == f"$1:${last}"  # title, issuer line and headers on every page
    setup = sheet.page_setup
    assert (setup.orientation, str(setup.paperSize)) == ("landscape", "9")
    if name == exports.DETAIL_SHEET:
        # A block of columns per dimension to a page (LibreOffice drops manual breaks when fitting to pages):
        # the name columns repeated, a break before each dimension, a fixed scale at which the widest block fits.
        assert sheet.print_title_cols == "$A:$C"
        assert not sheet.sheet_properties.pageSetUpPr.fitToPage
        assert 60 <= setup.scale <= 100  # 100 where the widest block fits as it is (the small city)
        columns, _rows = read_table(sheet)
        dimensions = [key.split("·")[0] for key in columns if "·" in key]
        starts = [index + 1 for index, key in enumerate(columns) if "·" in key
                  and key.split("·")[0] != list(columns)[index - 1].split("·")[0]]
        assert [brk.id for brk in sheet.col_breaks.brk] == [start - 1 for start in starts[1:]]
        assert len(print_blocks(sheet)) == len(dict.fromkeys(dimensions))
        repeated = sum(sheet.column_dimensions[get_column_letter(c)].width for c in range(1, 4))
        for first, last in print_blocks(sheet):
            block = sum(sheet.column_dimensions[get_column_letter(c)].width for c in range(first, last + 1))
            points = (repeated + block) * workbooks.PRINT_UNIT_PT * setup.scale / 100
            assert points <= workbooks.A4_LANDSCAPE_PRINTABLE_PT
    else:
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert not sheet.col_breaks
    assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert sheet.print_options.horizontalCentered
    margins = sheet.page_margins
    assert 0.3 <= margins.left <= 0.8 and 0.3 <= margins.right <= 0.8 and margins.top >= margins.header


# --- Numbers as numbers. --------------------------------------------------------------------------------------------

def number_columns(sheet):
    """Columns whose first data cell carries a number format (a unit in the header, a count, a share)."""
    _first, last = header_rows(sheet)
    return [cell.column for cell in sheet[last + 1] if cell.number_format in NUMBER_FORMATS.values()]


def label_cells(sheet):
    """Cells covered by a merged label of a 合计 row (text by design)."""
    _first, last = header_rows(sheet)
    return {(row, column) for cell_range in sheet.merged_cells.ranges if cell_range.min_row > last
            for row, column in cell_range.cells}


def test_no_text_in_a_number_column(city_book):
    for name in SHEETS:
        sheet = city_book[name]
        columns = number_columns(sheet)
        assert columns, name
        labels = label_cells(sheet)
        _first, last = header_rows(sheet)
        for row in sheet.iter_rows(min_row=last + 1):
            for cell in row:
                if cell.column in columns and (cell.row, cell.column) not in labels:
                    assert not isinstance(cell.value, str), (name, cell.coordinate, cell.value)
    detail = city_book[exports.DETAIL_SHEET]
    columns, rows = read_table(detail)
    assert [row[columns["有手段成事·办公设备（项）·差距"]] for row in rows[:3]] == [1, 0, 2]
    assert [row[columns["有手段成事·办公设备（项）·缺少"]] for row in rows[:3]] == ["打印机", None, "打印机、影录设备"]


def test_the_totals_rows_are_numbers_with_text_only_in_their_labels(small_city, city_book):
    sheet = city_book[exports.DETAIL_SHEET]
    columns, rows = read_table(sheet)
    totals, failing = rows[-2], rows[-1]
    assert (totals[0], failing[0]) == ("合计（3个乡镇）", "其中：未达标乡镇数（个）")
    assert f"A{sheet.max_row - 1}:D{sheet.max_row - 1}" in merged(sheet)
    labels = {column - 1 for row, column in label_cells(sheet) if row == sheet.max_row - 1}
    assert labels == {0, 1, 2, 3}  # 序号 to 区划代码
    numbers = [index - 1 for index in number_columns(sheet) if index - 1 not in labels]
    assert numbers and all(isinstance(totals[index], (int, float)) or totals[index] is None for index in numbers)
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)  # values, not formulas
    # Each total is the sum of its column (SUM-equivalent), and the failing counts are the page's.
    for key in ("有人管事·编制数（人）·应达", "有人管事·编制数（人）·实有", "有人管事·编制数（人）·差距",
                "有钱干事·工作经费（元）·应达", "有钱干事·工作经费（元）·差距", "有场所办事·办公面积（㎡）·应达",
                "有手段成事·办公设备（项）·应达", "有手段成事·办公设备（项）·差距", "人口（人）"):
        column = columns[key]
        assert totals[column] == pytest.approx(sum(row[column] for row in rows[:-2])), key
    report = city_report(small_city)

    def first_column(dimension, title):  # the rule's 应达 column, where its merged count sits
        return next(index for key, index in columns.items() if key.startswith(f"{dimension.label}·{title}（"))

    assert [failing[first_column(dimension, title)] for dimension, rules in report.columns
            for _code, title, _unit in rules] == [total.failing for total in report.column_totals]
    summary = read_table(city_book[exports.SUMMARY_SHEET])[1][-1]
    assert summary[:6] == ["合计", None, 3, 3, 1, pytest.approx(1 / 3)]


# --- Widths and heights. --------------------------------------------------------------------------------------------

def test_every_header_and_wrapped_text_has_the_room_it_needs(small_city):
    township = small_city.townships[0]
    township.name = "这是一个名字非常非常长的乡镇街道办事处用来测试换行"
    township.save()
    book = written(city_report(small_city))
    for name in SHEETS:
        sheet = book[name]
        widths = [sheet.column_dimensions[get_column_letter(c)].width for c in range(1, sheet.max_column + 1)]
        spans = {(r.min_row, r.min_col): r for r in sheet.merged_cells.ranges}
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if not isinstance(cell.value, str):
                    continue
                cell_range = spans.get((cell.row, cell.column))
                last_column = cell_range.max_col if cell_range else cell.column
                last_row = cell_range.max_row if cell_range else cell.row
                width = sum(widths[cell.column - 1:last_column])
                height = sum(sheet.row_dimensions[r].height for r in range(cell.row, last_row + 1))
                assert height >= row_height(wrapped_lines(cell.value, width)) - 0.1, (name, cell.coordinate)
    detail = book[exports.DETAIL_SHEET]
    assert detail.row_dimensions[6].height > row_height(1)  # the long name wraps: its row is higher
    assert detail.row_dimensions[7].height == row_height(1)


def test_wrapping_estimate():
    assert wrapped_lines("兰山街道", 20) == 1
    assert wrapped_lines("一二三四五六七八九十", 12) == 2  # a CJK character is about two units
    assert wrapped_lines("第一行\n第二行", 40) == 2
    assert wrapped_lines("乡镇数（个）", 8) == 2  # the bracket stays with its word
    assert wrapped_lines("", 10) == 1
    # A header that must wrap breaks where a reader would: before its unit, or a short phrase in the middle.
    assert workbooks.header_text("乡镇数（个）", 8) == "乡镇数\n（个）"
    assert workbooks.header_text("有场所办事", 8) == "有场所\n办事"
    assert workbooks.header_text("乡镇数（个）", 20) == "乡镇数（个）"


def test_heights_are_written_with_their_rows_and_not_held():
    workbook = Workbook(write_only=True)
    sheet = OfficialSheet(workbook, "t", [Column("序号", workbooks.INTEGER, 4), Column("问题", width=20)],
                          title="标题", info=["填报单位：某民政局", "口径：最新数据"])
    for index in range(2000):
        sheet.append([index, "很长的问题说明" * (index % 5)])
    assert len(sheet.sheet.row_dimensions) == 0  # streamed out with each row: memory stays flat
    sheet.finish()
    target = BytesIO()
    workbook.save(target)
    written_sheet = load_workbook(target)["t"]
    assert written_sheet.row_dimensions[sheet.first_data_row + 4].height > written_sheet.row_dimensions[
        sheet.first_data_row + 5].height
    assert written_sheet.auto_filter.ref == f"A{sheet.first_data_row - 1}:B{sheet.first_data_row - 1 + 2000}"


# --- The dashboard's township list. ---------------------------------------------------------------------------------

def township_list(client, city, **params):
    response = client.get(reverse("assessments:export_townships", args=[city.code]), {"year": YEAR, **params})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    return book[book.sheetnames[0]]


def test_the_dashboard_list_exports_as_an_official_sheet(small_city, city_staff, login):
    client = login(city_staff)
    sheet = township_list(client, small_city.city)
    assert sheet["A1"].value == "临沂市2025年度乡镇民政办规范化建设达标情况明细"
    assert info_line(sheet)[:2] == ["发布单位：临沂市民政局", "筛选：全部县区、全部方面、未达标"]
    columns, rows = read_table(sheet)
    failing = oversight.failing_townships(oversight.scope_for(city_staff, city=small_city.city), YEAR)
    assert [row[columns["乡镇（街道）"]] for row in rows[:-1]] == [f.township.name for f in failing]
    assert [row[columns["未达标项（项）"]] for row in rows[:-1]] == [len(f.findings) for f in failing]
    assert rows[-1][0] == f"合计（{len(failing)}个乡镇）"
    assert rows[-1][columns["未达标项（项）"]] == sum(len(f.findings) for f in failing)
    lanshan = rows[0][columns["未达标项及差距"]].split("\n")
    assert "编制数：缺1人" in lanshan and "办公设备：缺打印机" in lanshan
    assert sheet.freeze_panes == "D4" and sheet.sheet_properties.pageSetUpPr.fitToPage is True


def test_the_township_list_takes_the_dashboards_filters(small_city, city_staff, login):
    client = login(city_staff)
    sheet = township_list(client, small_city.city, status="pass")
    columns, rows = read_table(sheet)
    assert [row[columns["乡镇（街道）"]] for row in rows[:-1]] == ["银雀山街道"]
    assert "筛选：全部县区、全部方面、达标" in info_line(sheet)
    sheet = township_list(client, small_city.city, county=small_city.counties[1].code, dimension="equipment")
    columns, rows = read_table(sheet)
    assert [row[columns["乡镇（街道）"]] for row in rows[:-1]] == ["罗庄镇"]
    assert "有手段成事结果" in columns
    assert rows[0][columns["未达标项及差距"]] == "办公设备：缺打印机、影录设备"  # only that dimension's findings
    sheet = township_list(client, small_city.city, status="", county="999999")  # an unknown county is dropped
    assert len(read_table(sheet)[1]) == 3 + 1


def test_the_township_list_is_scoped_like_the_dashboard(small_city, county_official, login):
    response = login(county_official).get(reverse("assessments:export_townships", args=[small_city.city.code]))
    assert response.status_code == 403


def test_the_dashboard_links_its_list_to_the_export(small_city, city_staff, login):
    html = login(city_staff).get(reverse("assessments:dashboard", args=[small_city.city.code]),
                                 {"year": YEAR, "dimension": "staffing"}).content.decode()
    url = reverse("assessments:export_townships", args=[small_city.city.code])
    assert f'{url}?year={YEAR}&amp;county=&amp;dimension=staffing&amp;status=fail' in html


def test_the_township_list_runs_a_fixed_number_of_queries(small_city, city_staff, login,
                                                          django_assert_max_num_queries):
    client = login(city_staff)
    url = reverse("assessments:export_townships", args=[small_city.city.code])
    client.get(url, {"year": YEAR})
    fill_store()
    with django_assert_max_num_queries(30) as few:
        client.get(url, {"year": YEAR})
    add_townships(small_city.counties[1], 12, population=90_000)
    fill_store()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"year": YEAR})
    assert len(read_table(load_workbook(BytesIO(b"".join(response.streaming_content))).active)[1]) >= 14
