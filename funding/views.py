"""Pages of the funding app: the year's budget and the quarterly subsidy sheet.

County and city staff see both pages read-only within their scope; only the
township's own clerk saves them.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from funding import selectors, services
from funding.forms import BudgetForm, SubsidySheetForm
from offices.scoping import ALL_ROLES, scoped
from offices.selectors import available_years, visible_township
from offices.views import can_edit_township, editable_township, parse_year


def _township_and_year(request, code):
    """The township (404 out of scope; 403 for a read-only role that posts) and the year asked for."""
    if request.method == "POST":
        township = editable_township(request, code)
    else:
        township = visible_township(request.user, code)
        if township is None:
            raise Http404(_("未找到该乡镇，或您无权查看。"))
    year = parse_year(request.GET.get("year", ""))
    if year is None:
        years = available_years()
        year = years[0] if years else timezone.localdate().year
    return township, year


def _page_context(request, township, year, *, township_context=None, **extra):
    return {
        "township": township,
        "year": year,
        "years": sorted(set(available_years()) | {year}, reverse=True),
        "can_edit": can_edit_township(request.user, township),
        "results": selectors.funding_results(township, year, context=township_context),
        **extra,
    }


def _back_to(name, township, year):
    return f"{reverse(name, args=[township.code])}?year={year}"


@scoped(roles=ALL_ROLES)
def budget(request, code):
    township, year = _township_and_year(request, code)
    form = BudgetForm(request.POST or None, lines=selectors.budget_lines(township, year))
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_set(township=township, year=year, lines=form.lines())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存%(year)s年度经费预算。") % {"year": year})
            return redirect(_back_to("funding:budget", township, year))
    return render(request, "funding/budgetline_form.html", _page_context(request, township, year, form=form))


@scoped(roles=ALL_ROLES)
def subsidies(request, code):
    township, year = _township_and_year(request, code)
    context = selectors.township_context(township, year)
    monthly = context.standard.assistant_monthly_subsidy if context.standard else None
    rows = selectors.subsidy_sheet(township, year, monthly_subsidy=monthly, today=timezone.localdate())
    form = SubsidySheetForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.subsidies_record(
                township=township, year=year, amounts=form.amounts(), paid_date=form.cleaned_data["paid_date"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存%(year)s年度民政助理员补助发放情况。") % {"year": year})
            return redirect(_back_to("funding:subsidies", township, year))
    return render(
        request, "funding/assistantsubsidypayment_sheet.html",
        _page_context(request, township, year, township_context=context, form=form, monthly_subsidy=monthly),
    )
