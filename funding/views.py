"""Pages of the funding app: the year's budget and the quarterly subsidy sheet.

County and city staff see both pages read-only within their scope; only the
township's own clerk saves them. Both pages show the funding rules' results
of the one computation (`township_results`), and the sheet marks the cells
that result counts short.

Each page's saved values are also an offices.tables list: the page shows its
合计 row and red cells, and `?export=budget` / `?export=subsidies` gives the
same rows as a spreadsheet to everyone who may read the page.
"""
from django.urls import reverse
from django.utils.translation import gettext as _

from funding import compliance, selectors, services, tables
from funding.forms import BudgetForm, SubsidySheetForm
from funding.models import AssistantSubsidyPayment, BudgetLine
from offices.compliance.store import stored_township, township_results
from offices.pages import editable_township, form_page, page_year, visible_township
from offices.scoping import ALL_ROLES, scoped
from offices.tables import ListTable, township_info


def _township(request, code):
    """Any township in scope to read (404 outside); the clerk's own township to save (403 read-only)."""
    return editable_township(request, code) if request.method == "POST" else visible_township(request, code)


def _page_url(name, township, year):
    return f"{reverse(name, args=[township.code])}?year={year}"


def _page_context(request, township, year, years, results, **extra):
    return {
        "township": township, "year": year, "years": years, "results": results,
        "can_edit": request.user.can_edit_township(township), **extra,
    }


@scoped(roles=ALL_ROLES)
def budget(request, code):
    township = _township(request, code)
    year, years = page_year(request)
    lines = selectors.budget_lines(township, year)
    results = township_results(township, year, compliance)
    failed = tables.budget_failures(results)
    table = ListTable(
        request, tables.budget_rows(lines), tables.budget_columns(failed), name="budget",
        title=_("%(township)s%(year)s年度民政工作经费") % {"township": township.name, "year": year},
        info=township_info(township, year),
    )
    if request.method != "POST" and table.exporting:
        return table.export_response()
    form = BudgetForm(request.POST or None, lines=lines)
    return form_page(
        request, form=form,
        save=lambda data: services.budget_set(township=township, year=year, lines=form.lines(),
                                              confirmed=data["confirmed"]),
        template="funding/budgetline_form.html",
        success=_("已保存%(year)s年度经费预算。") % {"year": year},
        next_url=_page_url("funding:budget", township, year),
        history_rows=BudgetLine.history.filter(township_id=township.pk, year=year),
        context=_page_context(request, township, year, years, results.values(), table=table, failed_fields=failed),
    )


@scoped(roles=ALL_ROLES)
def subsidies(request, code):
    township = _township(request, code)
    year, years = page_year(request)
    # The engine's record of the township (not only its results): the sheet shows the rate of the very
    # standard the subsidy rule was judged under, without reading the standard a second time.
    computed = stored_township(township, year, modules=(compliance,))
    sheet = selectors.subsidy_sheet(township, year, computed=computed)
    # One page holds the whole sheet: it is one form.
    table = ListTable(
        request, sheet.rows, tables.subsidy_columns(), name="subsidies", per_page=max(len(sheet.rows), 1),
        title=_("%(township)s%(year)s年度民政助理员补助发放") % {"township": township.name, "year": year},
        info=township_info(township, year), empty=_("本年度没有在岗的民政助理员。"),
    )
    if request.method != "POST" and table.exporting:
        return table.export_response()
    form = SubsidySheetForm(request.POST or None, rows=sheet.rows)
    return form_page(
        request, form=form,
        save=lambda data: services.subsidies_record(
            township=township, year=year, amounts=form.amounts(), paid_date=data["paid_date"]
        ),
        template="funding/assistantsubsidypayment_sheet.html",
        success=_("已保存%(year)s年度民政助理员补助发放情况。") % {"year": year},
        next_url=_page_url("funding:subsidies", township, year),
        history_rows=AssistantSubsidyPayment.history.filter(assistant__village__township_id=township.pk, year=year),
        context=_page_context(request, township, year, years, computed.results, monthly_subsidy=sheet.monthly_subsidy,
                              table=table, lines=tables.sheet_lines(table, form)),
    )
