"""Oversight pages: the city dashboard, the county table, spreadsheets and circulars.

Every page reads the one computation (`compliance_for`) through the user's
scope (`for_user`) and aggregates it with `assessments.oversight`; each runs
a fixed number of queries whatever the number of townships.
"""
from importlib import import_module
from importlib.util import find_spec

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import circulars as circular_services
from assessments import exports, oversight
from assessments.compliance import compliance_for
from assessments.models import Circular
from assessments.oversight_forms import CircularForm, CountyFilterForm, DashboardFilterForm
from offices.models import City, County, Role, Township
from offices.scoping import scoped
from offices.selectors import available_years
from offices.views import selected_year

CITY_ONLY = (Role.CITY,)
CITY_AND_COUNTY = (Role.CITY, Role.COUNTY)


def _city(request, code):
    return get_object_or_404(City.objects.for_user(request.user), code=code)


def _county(request, code):
    return get_object_or_404(County.objects.for_user(request.user).select_related("city"), code=code)


@scoped(roles=CITY_ONLY)
def dashboard(request, code):
    city = _city(request, code)
    year, years = selected_year(request)
    townships = Township.objects.for_user(request.user).filter(county__city=city)
    # The trend (one computation per year) is fetched by the page afterwards: dashboard_trend.
    view = oversight.overview(townships, year) if year else None
    counties = [row.county for row in view.counties] if view else []
    form = DashboardFilterForm(request.GET or None, counties=counties)
    filters = form.filters()
    failing = oversight.failing_townships(view.cards, **filters) if view else []
    context = {
        "city": city, "year": year, "years": years, "view": view, "form": form, "filters": filters,
        "failing": failing, "dimensions": oversight.DASHBOARD_DIMENSIONS,
        "charts": oversight.chart_data(view, lambda county: _county_url(county, year)) if view else None,
    }
    return render(request, "assessments/dashboard.html", context)


@scoped(roles=CITY_ONLY)
def dashboard_trend(request, code):
    """JSON of the shares over the years, for the dashboard's trend chart."""
    city = _city(request, code)
    townships = Township.objects.for_user(request.user).filter(county__city=city)
    points = oversight.trend(townships, available_years())
    return JsonResponse(oversight.trend_data(points), json_dumps_params={"ensure_ascii": False})


def _county_url(county, year):
    return f"{reverse('assessments:county', args=[county.code])}?year={year}"


def workforce_indicators(townships, year):
    """The staffing app's workforce indicators, where that app provides them."""
    if find_spec("staffing.selectors") is None:
        return None
    selectors = import_module("staffing.selectors")
    if not hasattr(selectors, "workforce_indicators"):
        return None
    return selectors.workforce_indicators(townships, year)


@scoped(roles=CITY_AND_COUNTY)
def county(request, code):
    county = _county(request, code)
    year, years = selected_year(request)
    townships = Township.objects.for_user(request.user).filter(county=county)
    cards = compliance_for(townships, year) if year else []
    form = CountyFilterForm(request.GET or None)
    filters = form.filters()
    columns = oversight.rule_columns(cards, filters["dimension"] or None)
    context = {
        "county": county, "year": year, "years": years, "form": form, "filters": filters,
        "cards": cards, "columns": columns,
        "rows": oversight.township_table(cards, columns, dimension=filters["dimension"] or None,
                                         status=filters["status"] or None),
        "totals": oversight.totals(cards),
        "column_totals": oversight.column_totals(cards, columns),
        "workforce": workforce_indicators(townships, year) if year else None,
    }
    return render(request, "assessments/county.html", context)


def _xlsx_response(cards, unit_name, year):
    response = FileResponse(
        exports.workbook_file(cards),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(True, exports.filename(unit_name, year))
    return response


def _export_year(request):
    year, _years = selected_year(request)
    if year is None:
        raise Http404(_("尚无任何年度的数据。"))
    return year


@scoped(roles=CITY_AND_COUNTY)
def export_county(request, code):
    county = _county(request, code)
    year = _export_year(request)
    cards = compliance_for(Township.objects.for_user(request.user).filter(county=county), year)
    return _xlsx_response(cards, county.name, year)


@scoped(roles=CITY_ONLY)
def export_city(request, code):
    city = _city(request, code)
    year = _export_year(request)
    cards = compliance_for(Township.objects.for_user(request.user).filter(county__city=city), year)
    return _xlsx_response(cards, city.name, year)


# Circulars.

def visible_circulars(user):
    """Circulars of the user's city: published ones for the counties, drafts too for the city bureau."""
    if user.is_superuser:
        return Circular.objects.all()
    if user.role == Role.CITY and user.city_id:
        return Circular.objects.filter(city_id=user.city_id)
    if user.role == Role.COUNTY and user.county_id:
        return Circular.objects.filter(city__counties=user.county_id, state=Circular.State.PUBLISHED)
    return Circular.objects.none()


def _circular(request, pk):
    return get_object_or_404(visible_circulars(request.user).select_related("city", "published_by"), pk=pk)


def _can_manage(user, circular=None):
    return user.is_superuser or (user.role == Role.CITY and (circular is None or circular.city_id == user.city_id))


@scoped(roles=CITY_AND_COUNTY)
def circular_list(request):
    circulars = visible_circulars(request.user).select_related("city")
    return render(request, "assessments/circular_list.html",
                  {"circulars": circulars, "can_manage": _can_manage(request.user)})


@scoped(roles=CITY_ONLY)
def circular_create(request):
    city = get_object_or_404(City.objects.for_user(request.user), pk=request.user.city_id)
    _year, years = selected_year(request)
    initial = {"title": circular_services.default_title(), "year": years[0] if years else None}
    form = CircularForm(request.POST or None, years=years, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            circular = circular_services.circular_create(city=city, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存通报草稿，请预览核对后发布。"))
            return redirect("assessments:circular_detail", pk=circular.pk)
    return render(request, "assessments/circular_form.html", {"form": form, "city": city})


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
