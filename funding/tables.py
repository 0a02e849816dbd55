"""The funding pages' tables as offices.tables lists: the saved budget lines and the year's subsidies.

Both pages are data-entry sheets (the clerk's form), so the page keeps its own inputs; the lists give what the
form cannot: the 合计 of the saved values, the red cells of the page's own rule results, and the same rows as an
official spreadsheet (?export=budget, ?export=subsidies).
"""
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from funding import rules
from funding.models import QUARTERS, BudgetLine
from offices.tables import DECIMAL, Column

QUARTER_HEADERS = {
    1: _("第一季度（元）"), 2: _("第二季度（元）"), 3: _("第三季度（元）"), 4: _("第四季度（元）"),
}


# --- 经费预算 ------------------------------------------------------------------------------------------------------


def budget_rows(lines):
    """The saved lines ({BudgetLine.Kind: line}, as `selectors.budget_lines` gives them) in the form's order."""
    return [lines[kind] for kind in BudgetLine.Kind.values if kind in lines]


def budget_failures(results):
    """The names of the budget form's cells that the page's rule results count short ({code: RuleResult}).

    实际到位 of 工作经费 when the working-funds rule fails with a gap (what arrived is below what it requires;
    not when it cannot say, e.g. without a population), and 列入财政预算 of 服务车辆运行费 when the vehicle rule
    fails (no line, or 0 yuan).
    """
    failed = set()
    funds = results.get(rules.WORKING_FUNDS.code)
    if funds is not None and funds.failed and funds.gap:
        failed.add(f"{BudgetLine.Kind.WORKING_FUNDS}_allocated")
    vehicle = results.get(rules.VEHICLE_COSTS.code)
    if vehicle is not None and vehicle.failed:
        failed.add(f"{BudgetLine.Kind.VEHICLE}_budgeted")
    return failed


def budget_columns(failed=frozenset()):
    """经费类别, 列入财政预算（元）, 实际到位（元）, both amounts totalled; `failed` as `budget_failures` gives it."""
    return [
        Column("kind", _("经费类别"), value=lambda line: line.get_kind_display(), order=False),
        Column("budgeted", _("列入财政预算（元）"), kind=DECIMAL, order=False, total=True,
               fail=lambda line: f"{line.kind}_budgeted" in failed),
        Column("allocated", _("实际到位（元）"), kind=DECIMAL, order=False, total=True,
               fail=lambda line: f"{line.kind}_allocated" in failed),
    ]


# --- 助理员补助发放 ----------------------------------------------------------------------------------------------


def _period(row):
    assistant = row.assistant
    end = f"{assistant.end_date:%Y-%m-%d}" if assistant.end_date else gettext("至今")
    return f"{assistant.start_date:%Y-%m-%d} — {end}"


def _quarter_column(quarter):
    return Column(f"q{quarter}", QUARTER_HEADERS[quarter], kind=DECIMAL, order=False, total=True,
                  value=lambda row: row.cell(quarter).paid, fail=lambda row: row.cell(quarter).short)


def subsidy_columns():
    """One row per assistant (a `selectors.SubsidyRow`): who, when in post, the saved amount of each quarter (red
    where the subsidy rule counts it short) and of the year, all amounts totalled."""
    return [
        Column("village", _("村（社区）"), value=lambda row: row.assistant.village.short_name, order=False),
        Column("name", _("民政助理员"), value=lambda row: row.assistant.name, order=False),
        Column("period", _("在岗期间"), value=_period, order=False),
        *[_quarter_column(quarter) for quarter in QUARTERS],
        Column("year", _("全年（元）"), kind=DECIMAL, order=False, total=True, value=lambda row: row.paid_total),
    ]


def sheet_lines(table, form):
    """(序号, sheet row, [(cell, form field or None)], the row's 全年 cell) per row the table shows.

    The page's inputs stay the form's; the number and the year's amount are the list's, matched by assistant."""
    fields = {row.assistant.pk: cells for row, cells in form.grid()}
    lines = []
    for shown in table.rows_shown:
        year = next(cell for cell in shown.cells if cell.column.key == "year")
        lines.append((shown.number, shown.object, fields[shown.object.assistant.pk], year))
    return lines

