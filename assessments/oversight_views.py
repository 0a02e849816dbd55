"""Oversight pages: the city dashboard, the county table, spreadsheets and circulars.

Every page reads the stored results through the user's scope (`for_user`,
`oversight.scope_for`); the figures are SQL aggregates (`assessments.oversight`)
and each page runs a fixed number of queries whatever the number of townships.
"""
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assessments import circulars as circular_services
from assessments import exports, oversight, tables
from assessments import services as export_services
from assessments.models import Circular
from assessments.oversight_forms import CircularForm, CountyFilterForm, DashboardFilterForm
from assessments.reports import compliance_report
from offices.compliance import Dimension
from offices.models import City, County, Role
from offices.pages import form_page, page_year, scope_data_years
from offices.scoping import scoped
from offices.tables import Column, ListTable
from staffing.selectors import workforce_indicators

CITY_ONLY = (Role.CITY,)
CITY_AND_COUNTY = (Role.CITY, Role.COUNTY)


def _city(request, code):
    return get_object_or_404(City.objects.for_user(request.user), code=code)


def _county(request, code):
    return get_object_or_404(County.objects.for_user(request.user).select_related("city"), code=code)


def _figures(request):
    """The figures asked for (?figures=accepted|latest; a form posts it too): the latest unless accepted."""
    return oversight.figures_of(request.POST.get("figures") or request.GET.get("figures"))


def _reporting(scope, year):
    """The reporting rate and who lags behind (the same calendars for both): three queries."""
    by_city = oversight.calendars(scope, year)
    return oversight.reporting_rates(scope, year, by_city=by_city), oversight.reporting_laggards(
        scope, year, by_city=by_city)


@scoped(roles=CITY_ONLY)
def dashboard(request, code):
    city = _city(request, code)
    year, years = page_year(request)
    figures = _figures(request)
    scope = oversight.scope_for(request.user, city=city, figures=figures)
    # The trend is fetched by the page afterwards: dashboard_trend.
    view = oversight.overview(scope, year) if scope_data_years(request) else None
    counties = [row.county for row in view.counties] if view else []
    form = DashboardFilterForm(request.GET or None, counties=counties)
    filters = form.filters()
    failing = oversight.failing_townships(scope, year, **filters) if view else []
    table = tables.township_table(failing, sort=request.GET.get("sort"), page=request.GET.get("page"),
                                  parameters=request.GET)
    rates, laggards = _reporting(scope, year) if view else (None, None)
    context = {
        "city": city, "year": year, "years": years, "view": view, "form": form, "filters": filters,
        "failing": table.page.paginator.object_list, "table": table, "dimensions": oversight.DASHBOARD_DIMENSIONS,
        "charts": oversight.chart_data(view, lambda county: _county_url(county, year, figures)) if view else None,
        "large": view is not None and view.totals.townships > settings.WUYOU_SYNC_EXPORT_MAX_TOWNSHIPS,
        "figures": figures, "rates": rates, "laggards": laggards,
        "figures_line": scope.figures_line(view.totals.townships, rates.expected) if view else "",
    }
    return render(request, "assessments/dashboard.html", context)


@scoped(roles=CITY_ONLY)
def dashboard_trend(request, code):
    """JSON of the shares over the years, for the dashboard's trend chart."""
    city = _city(request, code)
    scope = oversight.scope_for(request.user, city=city, figures=_figures(request))
    points = oversight.trend(scope, scope_data_years(request))
    return JsonResponse(oversight.trend_data(points), json_dumps_params={"ensure_ascii": False})


def _county_url(county, year, figures=oversight.LATEST):
    url = f"{reverse('assessments:county', args=[county.code])}?year={year}"
    return f"{url}&figures={figures}" if figures == oversight.ACCEPTED else url


@scoped(roles=CITY_AND_COUNTY)
def county(request, code):
    county = _county(request, code)
    year, years = page_year(request)
    figures = _figures(request)
    scope = oversight.scope_for(request.user, county=county, figures=figures)
    form = CountyFilterForm(request.GET or None)
    filters = form.filters()
    report = compliance_report(scope, year, dimension=filters["dimension"], status=filters["status"])
    rates, laggards = _reporting(scope, year)
    context = {
        "county": county, "year": year, "years": years, "form": form, "filters": filters, "report": report,
        "cards": report.cards, "columns": report.columns, "rows": report.rows, "totals": report.totals,
        "column_totals": report.column_totals,
        "workforce": workforce_indicators(scope.townships, year),
        "figures": figures, "rates": rates, "laggards": laggards,
        "figures_line": scope.figures_line(report.totals.townships, rates.expected),
    }
    return render(request, "assessments/county.html", context)


def _xlsx_response(report, unit_name):
    response = FileResponse(
        exports.workbook_file(report, figures_label=report.scope.figures_label),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(True, exports.filename(unit_name, report.year))
    return response


@scoped(roles=CITY_AND_COUNTY)
def export_county(request, code):
    county = _county(request, code)
    year, _years = page_year(request)
    scope = oversight.scope_for(request.user, county=county, figures=_figures(request))
    return _xlsx_response(compliance_report(scope, year), county.name)


@scoped(roles=CITY_ONLY)
def export_city(request, code):
    """The city's workbook: written at once for a city of ordinary size, else (or on POST) as a background job."""
    city = _city(request, code)
    year, _years = page_year(request)
    figures = _figures(request)
    scope = oversight.scope_for(request.user, city=city, figures=figures)
    if request.method == "POST":
        job = export_services.export_start(user=request.user, city=city, year=year, figures=figures)
        return redirect("offices:job", pk=job.pk)
    count = scope.townships.count()
    if count > settings.WUYOU_SYNC_EXPORT_MAX_TOWNSHIPS:
        return render(request, "assessments/export_confirm.html",
                      {"city": city, "year": year, "count": count, "figures": figures})
    return _xlsx_response(compliance_report(scope, year), city.name)


@scoped(roles=CITY_ONLY)
def export_townships(request, code):
    """The dashboard's township list as an official spreadsheet: the same scope, figures and filters."""
    city = _city(request, code)
    year, _years = page_year(request)
    scope = oversight.scope_for(request.user, city=city, figures=_figures(request))
    form = DashboardFilterForm(request.GET or None,
                               counties=County.objects.for_user(request.user).filter(city=city).order_by("code"))
    filters = form.filters()
    shown = "、".join(str(dict(form.fields[name].choices).get(filters[name], "")) for name in form.fields)
    heading = exports.heading(city, year, computed_at=oversight.computed_at(scope, year),
                              figures_label=scope.figures_label, extra=[_("筛选：%(filters)s") % {"filters": shown}])
    dimension = filters["dimension"]
    status_header = _("%(dimension)s结果") % {"dimension": Dimension(dimension).label} if dimension else _("总体结果")
    rows = oversight.failing_townships(scope, year, **filters)
    response = FileResponse(exports.township_list_file(rows, heading=heading, status_header=status_header),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, exports.township_list_filename(city.name, year))
    return response


# Circulars.

def _circular(request, pk):
    return get_object_or_404(Circular.objects.for_user(request.user).select_related("city", "published_by"), pk=pk)


def _can_manage(user, circular=None):
    if circular is None:
        return user.is_superuser or user.is_city
    return Circular.objects.manageable_by(user).filter(pk=circular.pk).exists()


# The circulars list (offices.tables): newest year first, as the model orders them.
CIRCULAR_COLUMNS = [
    Column("title", gettext_lazy("标题"), link=lambda circular: reverse("assessments:circular_detail", args=[circular.pk])),
    Column("reference", gettext_lazy("文号")),
    Column("year", gettext_lazy("年度")),
    Column("state", gettext_lazy("状态"), value=lambda circular: circular.get_state_display(), order="state"),
    Column("published_at", gettext_lazy("发布时间")),
]


@scoped(roles=CITY_AND_COUNTY)
def circular_list(request):
    # The list never shows a circular's frozen figures or its preface: they stay in the database.
    circulars = Circular.objects.for_user(request.user).select_related("city").defer("snapshot", "preface")
    table = ListTable(request, circulars, CIRCULAR_COLUMNS, name="circulars", title=_("通报"),
                      empty=_("暂无通报。"))
    if table.exporting:
        return table.export_response()
    return render(request, "assessments/circular_list.html",
                  {"circulars": circulars, "table": table, "can_manage": _can_manage(request.user)})


@scoped(roles=CITY_ONLY)
def circular_create(request):
    city = get_object_or_404(City.objects.for_user(request.user), pk=request.user.city_id)
    year, years = page_year(request)
    initial = {"title": circular_services.default_title(), "year": year}
    form = CircularForm(request.POST or None, years=years, initial=initial)
    return form_page(
        request, form=form, save=lambda data: circular_services.circular_create(city=city, **data),
        template="assessments/circular_form.html", success=_("已保存通报草稿，请预览核对后发布。"),
        next_url=lambda circular: reverse("assessments:circular_detail", args=[circular.pk]),
        cancel_url=reverse("assessments:circular_list"), context={"city": city},
    )


@scoped(roles=CITY_ONLY)
def circular_edit(request, pk):
    """Correct a draft before it is published (a published circular is frozen: the service refuses)."""
    circular = get_object_or_404(Circular.objects.manageable_by(request.user).select_related("city"), pk=pk)
    _year, years = page_year(request)
    form = CircularForm(request.POST or None, years=sorted({*years, circular.year}, reverse=True), instance=circular)
    return form_page(
        request, form=form, save=lambda data: circular_services.circular_update(circular=circular, **data),
        template="assessments/circular_form.html", success=_("已保存通报草稿，请预览核对后发布。"),
        next_url=reverse("assessments:circular_detail", args=[circular.pk]),
        context={"city": circular.city, "circular": circular},
    )


@scoped(roles=CITY_AND_COUNTY)
def circular_detail(request, pk):
    circular = _circular(request, pk)
    figures = circular_services.circular_figures_for(circular)
    return render(request, "assessments/circular_detail.html",
                  {"circular": circular, "figures": figures, "can_manage": _can_manage(request.user, circular)})


@require_POST
@scoped(roles=CITY_ONLY)
def circular_publish(request, pk):
    circular = _circular(request, pk)
    try:
        circular_services.circular_publish(circular=circular, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("通报已发布，数据已于发布时冻结。"))
    return redirect("assessments:circular_detail", pk=circular.pk)


@scoped(roles=CITY_AND_COUNTY)
def circular_download(request, pk):
    """The circular as one self-contained HTML file (prints on A4; opens offline)."""
    circular = _circular(request, pk)
    figures = circular_services.circular_figures_for(circular)
    html = render_to_string("assessments/circular_document.html", {"circular": circular, "figures": figures},
                            request=request)
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{circular.title}.html")
    return response
