"""Compliance spreadsheets (达标情况表): header builders, row builders, written as official sheets.

Each sheet is an `offices.workbooks.OfficialSheet`: a title, the issuing unit,
the date and kind of the figures, grouped headers, 序号, numbers as numbers
with their unit in the header, a numeric 合计 row, and a print setup that fits
an A4 landscape page across. The workbook is a formatter of
`assessments.reports.ComplianceReport`, the same report the county page shows,
so the file says what the pages say; the township rows stream from the stored
results (two database cursors) into openpyxl's write-only mode, so memory
stays flat whatever the number of townships.

A column's width has to be known before its first row is written, so the
totals come first, from the database (`rule_sums`, `scope_figures`): a
total is the widest number of its column, and is then written as the 合计.
"""
import tempfile
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from assessments import oversight
from offices.compliance import Dimension, Status, Unit, present
from offices.models import County
from offices.workbooks import DECIMAL, INTEGER, NUMBER_FORMATS, PERCENT, TEXT, Column, OfficialSheet, number_units

FILL = {
    Status.PASS: PatternFill("solid", fgColor="E6F4EA"),
    Status.FAIL: PatternFill("solid", fgColor="FBE9EB"),
    Status.NOT_ASSESSED: PatternFill("solid", fgColor="F1F3F5"),
}

DETAIL_SHEET = "达标情况"
SUMMARY_SHEET = "分县汇总"
FINDINGS_SHEET = "整改清单"

DECIMAL_UNITS = {Unit.YUAN, Unit.SQUARE_METRES, Unit.POINTS}
NOT_ADDED_UP = {Unit.POINTS}  # a score per township: the sum of scores means nothing
CENT = Decimal("0.01")
NAME_COLUMNS = 3  # 序号, county, township: frozen beside the figures
CODE_SAMPLE = "371302001000"  # a township's division code: 12 digits


def filename(unit_name, year):
    return f"{unit_name}_{year}_民政办规范化建设达标情况.xlsx"


def township_list_filename(unit_name, year):
    return f"{unit_name}_{year}_乡镇达标情况明细.xlsx"


# --- What the top of every sheet says. ------------------------------------------------------------------------------

@dataclass
class Heading:
    """The unit a workbook is about, and the second line of its sheets."""

    unit: object  # offices.models.City or County; None for several cities (a province's benchmark)
    year: int
    info: list

    def title(self, what):
        name = self.unit.name if self.unit is not None else ""
        return _("%(unit)s%(year)s年度%(what)s") % {"unit": name, "year": self.year, "what": what}


def heading(unit, year, *, computed_at, figures_label=None, extra=()):
    """The title's unit and the line under it: issuing unit, data date, which figures (and any filter)."""
    info = []
    if unit is not None:
        label = _("填报单位：%(unit)s") if isinstance(unit, County) else _("发布单位：%(unit)s")
        info.append(label % {"unit": _("%(unit)s民政局") % {"unit": unit.name}})
    info.extend(extra)
    if computed_at is not None:
        day = timezone.localdate(computed_at)
        info.append(_("数据日期：%(year)s年%(month)s月%(day)s日") % {"year": day.year, "month": day.month,
                                                                "day": day.day})
    info.append(_("口径：%(figures)s") % {"figures": figures_label or _("最新数据")})
    return Heading(unit=unit, year=year, info=info)


def report_unit(report):
    """The county or city a report covers, read off its counties (None when they span several cities)."""
    counties = [row.county for row in report.counties]
    if not counties or len({county.city_id for county in counties}) > 1:
        return None
    if len(counties) == 1 and County.objects.filter(city_id=counties[0].city_id).count() > 1:
        return counties[0]
    return counties[0].city


# --- The totals, from the database, before the first row. -----------------------------------------------------------

@dataclass
class RuleSums:
    required: object = None
    actual: object = None
    gap: object = None
    failing: int = 0
    listed: bool = False  # a list rule: assessed somewhere, never with a number


def rule_sums(report):
    """{code: RuleSums} of the report's year: the column totals of the detail sheet; one query."""
    assessed = ~Q(status=Status.NOT_ASSESSED)
    rows = (report.scope.results.filter(year=report.year).order_by().values("code")
            .annotate(required_sum=Sum("required"), actual_sum=Sum("actual"), gap_sum=Sum("gap", filter=assessed),
                      numbers=Count("required", filter=assessed), assessed=Count("pk", filter=assessed),
                      failing=Count("pk", filter=Q(status=Status.FAIL))))
    return {row["code"]: RuleSums(required=row["required_sum"], actual=row["actual_sum"], gap=row["gap_sum"],
                                  failing=row["failing"], listed=row["assessed"] > 0 and row["numbers"] == 0)
            for row in rows}


def scope_figures(report):
    """(total population, when the oldest figure was computed) of the report's townships; one query."""
    row = report.scope.summaries.filter(year=report.year).aggregate(population=Sum("population"),
                                                                    computed_at=Min("computed_at"))
    return row["population"] or 0, row["computed_at"]


# --- Detail sheet: one row per township, required / actual / gap per rule. ------------------------------------------

@dataclass(frozen=True)
class RuleColumns:
    """One rule's columns: 应达, 实有, 差距 as numbers; a list rule counts its items and names what is missing."""

    dimension: str
    code: str
    title: str
    unit: object  # Unit or None
    listed: bool

    @property
    def kind(self):
        return DECIMAL if self.unit in DECIMAL_UNITS and not self.listed else INTEGER

    @property
    def group(self):
        unit = Unit.ITEMS if self.listed else self.unit
        return f"{self.title}（{unit.label}）" if unit else self.title

    @property
    def width(self):
        return 4 if self.listed else 3

    def columns(self, sums, townships):
        if self.listed:
            largest = townships * 10  # items per township: a handful
        else:
            largest = max((abs(v) for v in (sums.required, sums.actual, sums.gap) if v is not None), default=0)
        width = number_units(largest, self.kind)
        parts = [Column((self.dimension, self.group, part), self.kind, width)
                 for part in (_("应达"), _("实有"), _("差距"))]
        if self.listed:
            parts.append(Column((self.dimension, self.group, _("缺少")), TEXT, 12))
        return parts

    def values(self, result):
        if result is None:
            return [None] * self.width
        gap = result.gap if result.status != Status.NOT_ASSESSED else None
        if self.listed:
            if not isinstance(result.required, (list, tuple)):
                return [None] * self.width
            missing = list(gap or [])
            return [len(result.required), len(result.required) - len(missing), len(missing) if gap is not None
                    else None, "、".join(str(item) for item in missing) or None]
        return [_number(result.required), _number(result.actual), _number(gap)]

    def totals(self, sums, counted):
        """The 合计 cells: the database's sums (a list rule: the counts added up while writing)."""
        if self.listed:
            return [*counted, None]
        if self.unit in NOT_ADDED_UP:
            return [None] * self.width
        return [self._rounded(sums.required), self._rounded(sums.actual), self._rounded(sums.gap)]

    def _rounded(self, value):
        if value is None:
            return None
        return Decimal(value).quantize(CENT) if self.kind == DECIMAL else int(value)


def _number(value):
    """A number cell's value; a list never goes into a number column (its count does)."""
    if isinstance(value, (list, tuple, set)):
        return len(value)
    return value


def rule_columns(report, sums):
    return [RuleColumns(dimension=str(dimension.label), code=code, title=title, unit=Unit.of(unit),
                        listed=sums.get(code, RuleSums()).listed)
            for dimension, rules in report.columns for code, title, unit in rules]


def overall_label(totals):
    return _("达标%(passing)s/评估%(assessed)s") % {"passing": totals.overall.passing,
                                                  "assessed": totals.overall.assessed}


def detail_columns(rules, sums, *, totals, population):
    columns = [Column(_("序号"), INTEGER, number_units(totals.townships, INTEGER)),
               Column(_("县（市、区）"), TEXT, 12), Column(_("乡镇（街道）"), TEXT, 12),
               Column(_("区划代码"), TEXT, CODE_SAMPLE), Column(_("人口（人）"), INTEGER, number_units(population, INTEGER)),
               Column(_("总体结果"), TEXT, overall_label(totals))]
    for rule in rules:
        columns += rule.columns(sums.get(rule.code, RuleSums()), totals.townships)
    return columns


FIRST_RULE_COLUMN = 6


def detail_row(index, card, rules):
    values = [index, card.township.county.name, card.township.name, card.township.code, card.population,
              str(Status(card.status).label)]
    fills = [None] * 5 + [FILL[card.status]]
    for rule in rules:
        result = card.result(rule.code)
        values += rule.values(result)
        fills += [FILL[result.status] if result is not None else None] * rule.width
    return values, fills


def rule_spans(rules):
    """(rule, first column, last column) of each rule in the detail sheet."""
    position = FIRST_RULE_COLUMN
    for rule in rules:
        yield rule, position, position + rule.width - 1
        position += rule.width


def count_items(counted, rules, values):
    """Add a township's item counts of the list rules (应达, 实有, 差距) to `counted`."""
    for rule, first, _last in rule_spans(rules):
        if rule.listed:
            counted[rule.code] = [total + (value or 0) for total, value in
                                  zip(counted[rule.code], values[first:first + 3], strict=True)]


def write_detail_totals(sheet, rules, sums, counted, *, totals, population):
    """The 合计 row (numbers under numbers) and the count of failing townships per rule."""
    label = (0, NAME_COLUMNS)  # 序号 to 区划代码
    total_row = [_("合计（%(n)s个乡镇）") % {"n": totals.townships}, None, None, None, population,
                 overall_label(totals)]
    failing_row = [_("其中：未达标乡镇数（个）"), None, None, None, None, totals.overall.failing]
    merges = [label]
    for rule, first, last in rule_spans(rules):
        figures = sums.get(rule.code, RuleSums())
        total_row += rule.totals(figures, counted.get(rule.code))
        failing_row += [figures.failing] + [None] * (last - first)
        merges.append((first, last))
    sheet.append(total_row, total=True, merges=[label], centered=[0])
    sheet.append(failing_row, total=True, merges=merges, centered=range(len(failing_row)),
                 formats={index: NUMBER_FORMATS[INTEGER] for index in range(FIRST_RULE_COLUMN, len(failing_row))})


def write_detail(workbook, report, heading, *, population, progress=None):
    sums = rule_sums(report)
    rules = rule_columns(report, sums)
    totals = report.totals
    sheet = OfficialSheet(workbook, DETAIL_SHEET, detail_columns(rules, sums, totals=totals, population=population),
                          title=heading.title(_("乡镇民政办规范化建设达标情况表")), info=heading.info,
                          frozen_columns=NAME_COLUMNS, page_per_group=True)
    counted = {rule.code: [0, 0, 0] for rule in rules if rule.listed}
    for index, card in enumerate(report.iter_cards(), start=1):
        values, fills = detail_row(index, card, rules)
        sheet.append(values, fills=fills)
        count_items(counted, rules, values)
        if progress and index % PROGRESS_EVERY == 0:
            progress(index)
    townships = sheet.data_rows
    write_detail_totals(sheet, rules, sums, counted, totals=totals, population=population)
    sheet.finish(filter_rows=townships)


# --- Summary sheet: one row per county, ranked. ---------------------------------------------------------------------

def summary_columns(totals):
    count = number_units(totals.townships, INTEGER)
    columns = [Column(_("排名"), INTEGER, 2), Column(_("县（市、区）"), TEXT, 12),
               Column(_("乡镇数（个）"), INTEGER, count), Column(_("评估数（个）"), INTEGER, count),
               Column(_("达标数（个）"), INTEGER, count), Column(_("达标率"), PERCENT, 6)]
    columns += [Column((_("分项达标率"), str(d.label)), PERCENT, 6) for d in oversight.DASHBOARD_DIMENSIONS]
    posts = number_units(max(totals.posts_short, totals.posts_surplus, abs(totals.posts_net)), INTEGER) + 1
    columns += [Column((_("编制（人）"), _("缺口")), INTEGER, posts), Column((_("编制（人）"), _("富余")), INTEGER, posts),
                Column((_("编制（人）"), _("净额")), INTEGER, posts),
                Column(_("工作经费缺口（元）"), DECIMAL, number_units(totals.funds_shortfall, DECIMAL)),
                Column(_("办公面积缺口（㎡）"), DECIMAL, number_units(totals.area_shortfall, DECIMAL)),
                Column(_("缺少设备（乡镇数）"), TEXT, 30)]
    return columns


def summary_row(rank, name, totals):
    values = [rank, name, totals.townships, totals.overall.assessed, totals.overall.passing, totals.overall.ratio]
    values += [totals.dimensions[d.value].ratio for d in oversight.DASHBOARD_DIMENSIONS]
    equipment = "；".join(f"{label}{count}" for label, count in totals.missing_equipment_items)
    values += [totals.posts_short, totals.posts_surplus, totals.posts_net, totals.funds_shortfall,
               totals.area_shortfall, equipment or None]
    return values


def write_summary(workbook, report, heading):
    sheet = OfficialSheet(workbook, SUMMARY_SHEET, summary_columns(report.totals),
                          title=heading.title(_("乡镇民政办规范化建设达标情况分县汇总表")), info=heading.info,
                          frozen_columns=2)
    for row in report.counties:
        sheet.append(summary_row(row.rank, row.county.name, row.totals))
    counties = sheet.data_rows
    sheet.append(summary_row(_("合计"), None, report.totals), total=True, merges=[(0, 1)], centered=[0])
    sheet.finish(filter_rows=counties)


# --- Findings sheet: what each township must fix. -------------------------------------------------------------------

def findings_columns():
    return [Column(_("序号"), INTEGER, 5), Column(_("县（市、区）"), TEXT, 12), Column(_("乡镇（街道）"), TEXT, 12),
            Column(_("区划代码"), TEXT, CODE_SAMPLE), Column(_("方面"), TEXT, 10), Column(_("指标"), TEXT, 14),
            Column(_("问题"), TEXT, 44), Column(_("缺什么"), TEXT, 24)]


def findings_rows(report):
    for index, (township, result) in enumerate(report.findings(), start=1):
        yield [index, township.county.name, township.name, township.code,
               str(Dimension(result.dimension).label) if result.dimension in Dimension.values else result.dimension,
               str(result.title), str(result.explanation), oversight.gap_text(result) or None]


def write_findings(workbook, report, heading):
    sheet = OfficialSheet(workbook, FINDINGS_SHEET, findings_columns(),
                          title=heading.title(_("乡镇民政办规范化建设整改清单")), info=heading.info,
                          frozen_columns=NAME_COLUMNS)
    for values in findings_rows(report):
        sheet.append(values)
    sheet.finish()


PROGRESS_EVERY = 200  # townships between two progress reports of a background export


def write_workbook(report, target, *, progress=None, figures_label=None, unit=None):
    """Write the three sheets of `report` (a ComplianceReport) to `target` (path or file).

    `progress(townships written)` is told every PROGRESS_EVERY townships. `figures_label` says which figures
    these are (「最新数据」 by default; 「验收数据」 for an acceptance check); `unit` is the county or city the
    title names (default: read off the report).
    """
    unit = unit if unit is not None else report_unit(report)
    population, computed_at = scope_figures(report)
    top = heading(unit, report.year, computed_at=computed_at, figures_label=figures_label)
    workbook = Workbook(write_only=True)
    write_detail(workbook, report, top, population=population, progress=progress)
    write_summary(workbook, report, top)
    write_findings(workbook, report, top)
    workbook.save(target)
    return target


def workbook_file(report, *, figures_label=None, unit=None):
    """Return an open temporary file holding the workbook, positioned at its start (for FileResponse)."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    write_workbook(report, handle, figures_label=figures_label, unit=unit)
    handle.seek(0)
    return handle


# --- The dashboard's township list. ---------------------------------------------------------------------------------

def finding_text(result):
    """One finding as the dashboard's badge says it: 「编制数：缺1人」."""
    if oversight.gap_text(result):
        return _("%(rule)s：缺%(gap)s") % {"rule": result.title, "gap": present(result.gap, result.unit)}
    return str(result.title)


def write_township_list(rows, target, *, heading, status_header):
    """Write the dashboard's township list (`oversight.FailingTownship` rows) as one official sheet."""
    workbook = Workbook(write_only=True)
    columns = [Column(_("序号"), INTEGER, 5), Column(_("县（市、区）"), TEXT, 12), Column(_("乡镇（街道）"), TEXT, 12),
               Column(_("区划代码"), TEXT, CODE_SAMPLE), Column(status_header, TEXT, 6),
               Column(_("未达标项（项）"), INTEGER, 4), Column(_("未达标项及差距"), TEXT, 56)]
    sheet = OfficialSheet(workbook, _("乡镇达标情况"), columns,
                          title=heading.title(_("乡镇民政办规范化建设达标情况明细")), info=heading.info,
                          frozen_columns=NAME_COLUMNS)
    findings = 0
    for index, row in enumerate(rows, start=1):
        findings += len(row.findings)
        sheet.append([index, row.township.county.name, row.township.name, row.township.code,
                      str(Status(row.status).label), len(row.findings),
                      "\n".join(finding_text(result) for result in row.findings) or None],
                     fills=[None] * 4 + [FILL[row.status]])
    listed = sheet.data_rows
    sheet.append([_("合计（%(n)s个乡镇）") % {"n": listed}, None, None, None, None, findings], total=True,
                 merges=[(0, 4)], centered=[0])
    sheet.finish(filter_rows=listed)
    workbook.save(target)
    return target


def township_list_file(rows, *, heading, status_header):
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    write_township_list(rows, handle, heading=heading, status_header=status_header)
    handle.seek(0)
    return handle
