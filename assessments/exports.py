"""Compliance spreadsheets (达标情况表): header builders, row builders and a thin writer.

The workbook is written with openpyxl's write-only mode (rows go straight to
a temporary file), so a province's worth of townships does not sit in memory.
It is a formatter of `assessments.reports.ComplianceReport`, the same report
the county page shows, so the file says what the pages say; the township rows
stream from the stored results (two database cursors), so memory stays flat
whatever the number of townships.
"""
import tempfile
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from assessments import oversight
from offices.compliance import Dimension, Status, Unit
from offices.text import strip_control_characters

FILL = {
    Status.PASS: PatternFill("solid", fgColor="E6F4EA"),
    Status.FAIL: PatternFill("solid", fgColor="FBE9EB"),
    Status.NOT_ASSESSED: PatternFill("solid", fgColor="F1F3F5"),
}
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
TOTAL_FILL = PatternFill("solid", fgColor="FFF4CE")
HEADER_FONT = Font(bold=True)
THIN = Side(style="thin", color="B7BEC7")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
MONEY = "#,##0.00"
PERCENT = "0.0%"

DETAIL_SHEET = "达标情况"
SUMMARY_SHEET = "分县汇总"
FINDINGS_SHEET = "整改清单"


def filename(unit_name, year):
    return f"{unit_name}_{year}_民政办规范化建设达标情况.xlsx"


def as_text(value):
    """Show a list value the way the pages do."""
    if isinstance(value, (list, tuple, set)):
        return "、".join(str(v) for v in value) if value else "无"
    return value


@dataclass
class Column:
    header: str
    width: int = 12
    number_format: str = ""


class SheetWriter:
    """Append styled rows to a write-only sheet; strings are always stored as text, never formulas."""

    def __init__(self, workbook, title, columns):
        self.sheet = workbook.create_sheet(title)
        self.columns = columns
        self.rows = 0
        for index, column in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = column.width
        # Frozen panes are written with the sheet's head: set before the first row.
        self.sheet.freeze_panes = "A2"
        self.append([c.header for c in columns], fill=HEADER_FILL, font=HEADER_FONT)

    def cell(self, value, *, fill=None, font=None, number_format=""):
        value = as_text(value)
        if isinstance(value, Decimal):
            value = float(value)  # stored as a number; the 2-place format keeps the yuan
        if isinstance(value, str):
            # Text stored before the forms refused control characters (a vertical tab pasted from Word) would
            # make openpyxl refuse the whole workbook (IllegalCharacterError): the cell shows it without them.
            value = strip_control_characters(value)
        cell = WriteOnlyCell(self.sheet, value=value)
        if isinstance(value, str):
            # A clerk's text such as "=HYPERLINK(...)" must never become a formula.
            cell.data_type = "s"
        if fill is not None:
            cell.fill = fill
        if font is not None:
            cell.font = font
        if number_format:
            cell.number_format = number_format
        cell.border = BORDER
        cell.alignment = WRAP
        return cell

    def append(self, values, *, fill=None, font=None, fills=None):
        cells = []
        for index, value in enumerate(values):
            column = self.columns[index] if index < len(self.columns) else Column("")
            cell_fill = fills[index] if fills and fills[index] is not None else fill
            cells.append(self.cell(value, fill=cell_fill, font=font, number_format=column.number_format))
        self.sheet.append(cells)
        self.rows += 1

    def finish(self):
        last = get_column_letter(len(self.columns))
        self.sheet.auto_filter.ref = f"A1:{last}{max(self.rows, 1)}"
        self.sheet.print_title_rows = "1:1"
        self.sheet.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
        self.sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        self.sheet.page_setup.fitToWidth = 1
        self.sheet.page_setup.fitToHeight = 0
        self.sheet.sheet_properties.pageSetUpPr.fitToPage = True


# Detail sheet: one row per township, required/actual/gap per rule.

def detail_columns(rules):
    columns = [Column("序号", 6), Column("县（市、区）", 14), Column("乡镇（街道）", 16), Column("区划代码", 14),
               Column("人口", 10, "#,##0"), Column("总体结果", 9)]
    for _code, title, unit in rules:
        unit = Unit.of(unit)
        suffix = f"（{unit.label}）" if unit else ""
        numeric = MONEY if unit in (Unit.YUAN, Unit.SQUARE_METRES) else ""
        columns += [Column(f"{title}·应达{suffix}", 12, numeric), Column(f"{title}·实有{suffix}", 12, numeric),
                    Column(f"{title}·差距{suffix}", 12, numeric)]
    return columns


def detail_row(index, card, rules):
    values = [index, card.township.county.name, card.township.name, card.township.code, card.population,
              str(Status(card.status).label)]
    fills = [None] * 5 + [FILL[card.status]]
    for code, _title, _unit in rules:
        result = card.result(code)
        if result is None:
            values += [None, None, None]
            fills += [None] * 3
            continue
        values += [result.required, result.actual, result.gap if result.status != Status.NOT_ASSESSED else None]
        fills += [FILL[result.status]] * 3
    return values, fills


def detail_totals(report):
    summary = report.totals
    values = ["合计", None, f"{summary.townships}个乡镇", None, None,
              f"达标{summary.overall.passing}/评估{summary.overall.assessed}"]
    for total in report.column_totals:
        counted = f"{total.failing}个未达标"
        values += [None, counted, total.gap_or_count if total.gap_or_count is not None else counted]
    return values


# Summary sheet: one row per county, ranked.

def summary_columns():
    columns = [Column("排名", 6), Column("县（市、区）", 16), Column("乡镇数", 8), Column("评估数", 8),
               Column("达标数", 8), Column("达标率", 9, PERCENT)]
    columns += [Column(f"{d.label}达标率", 11, PERCENT) for d in oversight.DASHBOARD_DIMENSIONS]
    columns += [Column("编制缺口（人）", 10), Column("编制富余（人）", 10), Column("编制净额（人）", 10),
                Column("工作经费缺口（元）", 14, MONEY), Column("办公面积缺口（㎡）", 12, MONEY),
                Column("缺少设备（乡镇数）", 40)]
    return columns


def summary_row(rank, name, totals):
    values = [rank, name, totals.townships, totals.overall.assessed, totals.overall.passing, totals.overall.ratio]
    values += [totals.dimensions[d.value].ratio for d in oversight.DASHBOARD_DIMENSIONS]
    equipment = "；".join(f"{label}{count}" for label, count in totals.missing_equipment_items)
    values += [totals.posts_short, totals.posts_surplus, totals.posts_net, totals.funds_shortfall,
               totals.area_shortfall, equipment]
    return values


# Findings sheet: what each township must fix.

def findings_columns():
    return [Column("县（市、区）", 14), Column("乡镇（街道）", 16), Column("区划代码", 14), Column("方面", 12),
            Column("指标", 16), Column("问题", 50), Column("缺什么", 30)]


def findings_rows(report):
    for township, result in report.findings():
        yield [township.county.name, township.name, township.code,
               str(Dimension(result.dimension).label) if result.dimension in Dimension.values else result.dimension,
               str(result.title), str(result.explanation), oversight.gap_text(result)]


PROGRESS_EVERY = 200  # townships between two progress reports of a background export


def write_workbook(report, target, *, progress=None):
    """Write the three sheets of `report` (a ComplianceReport) to `target` (path or file).

    `progress(townships written)` is told every PROGRESS_EVERY townships.
    """
    workbook = Workbook(write_only=True)

    detail = SheetWriter(workbook, DETAIL_SHEET, detail_columns(report.rules))
    for index, card in enumerate(report.iter_cards(), start=1):
        values, fills = detail_row(index, card, report.rules)
        detail.append(values, fills=fills)
        if progress and index % PROGRESS_EVERY == 0:
            progress(index)
    detail.append(detail_totals(report), fill=TOTAL_FILL, font=HEADER_FONT)
    detail.finish()

    by_county = SheetWriter(workbook, SUMMARY_SHEET, summary_columns())
    for row in report.counties:
        by_county.append(summary_row(row.rank, row.county.name, row.totals))
    by_county.append(summary_row("", "合计", report.totals), fill=TOTAL_FILL, font=HEADER_FONT)
    by_county.finish()

    findings = SheetWriter(workbook, FINDINGS_SHEET, findings_columns())
    for values in findings_rows(report):
        findings.append(values)
    findings.finish()

    workbook.save(target)
    return target


def workbook_file(report):
    """Return an open temporary file holding the workbook, positioned at its start (for FileResponse)."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    write_workbook(report, handle)
    handle.seek(0)
    return handle
