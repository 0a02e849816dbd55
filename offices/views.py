"""Pages of the base app: the units of the hierarchy, population and office."""
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from offices import list_tables, selectors, services
from offices.forms import OfficeForm, PopulationForm
from offices.models import AnnualReport, City, County, Population, ReportEvent, Role, Township, TownshipOffice
from offices.pages import editable_township, form_page, page_year, visible_township
from offices.scoping import ALL_ROLES, public, scoped
from offices.tables import ListTable, township_info, unit_info


@public
def login_view(request, *args, **kwargs):
    return auth_views.LoginView.as_view(template_name="registration/login.html", redirect_authenticated_user=True)(
        request, *args, **kwargs
    )


# Every account logs out, the administrators (who have no role) included.
@scoped(roles=(*ALL_ROLES, ""))
def logout_view(request, *args, **kwargs):
    return auth_views.LogoutView.as_view()(request, *args, **kwargs)


@scoped(roles=(Role.CITY,))
def city_detail(request, code):
    city = get_object_or_404(City.objects.for_user(request.user), code=code)
    year, years = page_year(request)
    # A list: its counts are aggregates, which the 合计 adds up in Python (a city has a few dozen counties).
    table = ListTable(
        request, list(selectors.counties_overview(request.user, city)), list_tables.county_columns(year),
        name="counties", title=_("%(city)s县（市、区）一览") % {"city": city.name},
        info=unit_info(_("市：%(name)s（%(code)s）"), city), empty=_("暂无下级单位。"),
    )
    if table.exporting:
        return table.export_response()
    return render(request, "offices/city_detail.html", {"city": city, "table": table, "year": year, "years": years})


@scoped(roles=(Role.CITY, Role.COUNTY))
def county_detail(request, code):
    county = get_object_or_404(County.objects.for_user(request.user).select_related("city"), code=code)
    year, years = page_year(request)
    table = ListTable(
        request, selectors.townships_overview(Township.objects.for_user(request.user).filter(county=county), year),
        list_tables.township_columns(year), name="townships",
        title=_("%(county)s乡镇（街道）一览") % {"county": county.name},
        info=unit_info(_("县（市、区）：%(name)s（%(code)s）"), county, year), empty=_("暂无乡镇。"),
    )
    if table.exporting:
        return table.export_response()
    return render(request, "offices/county_detail.html", {"county": county, "table": table, "year": year,
                                                          "years": years})


@scoped(roles=ALL_ROLES)
def township_detail(request, code):
    township = visible_township(request, code)
    year, years = page_year(request)
    populations = ListTable(
        request, Population.objects.filter(township=township).order_by("-year"), list_tables.POPULATION_COLUMNS,
        name="populations", title=_("%(township)s人口") % {"township": township.name},
        info=township_info(township), empty=_("尚未录入人口。"),
    )
    villages = ListTable(
        request, township.villages.select_related("station").order_by("code"), list_tables.VILLAGE_COLUMNS,
        name="villages", title=_("%(township)s村（社区）与民政工作站") % {"township": township.name},
        info=township_info(township), empty=_("尚无村（社区）。"),
    )
    for table in (populations, villages):
        if table.exporting:
            return table.export_response()
    context = {
        "township": township,
        "office": getattr(township, "office", None),
        "populations": populations,
        "villages": villages,
        "standard": selectors.township_context(township, year).standard,
        "year": year,
        "years": years,
        "can_edit": request.user.can_edit_township(township),
        "report": AnnualReport.objects.filter(township=township, year=year).first(),
        # The year's report timeline: every step, newest first (the report page shows it whole, with reasons).
        "events": ReportEvent.objects.filter(report__township=township, report__year=year).order_by("-at", "-pk")[:8],
    }
    return render(request, "offices/township_detail.html", context)


@scoped(roles=(Role.TOWNSHIP,))
def population_edit(request, code):
    township = editable_township(request, code)
    return form_page(
        request, township=township, form=PopulationForm(request.POST or None, township=township),
        save=lambda data: services.population_set(township=township, **data),
        history_rows=Population.history.filter(township_id=township.pk),
        template="offices/population_form.html",
        success=lambda population: _("已保存%(year)s年度人口。") % {"year": population.year},
        next_url=reverse("offices:township", args=[township.code]),
    )


@scoped(roles=(Role.TOWNSHIP,))
def office_edit(request, code):
    township = editable_township(request, code)
    office = getattr(township, "office", None)
    initial = None if office else {"name": f"{township.name}民政办公室"}
    return form_page(
        request, township=township, form=OfficeForm(request.POST or None, instance=office, initial=initial),
        save=lambda data: services.office_update(township=township, **data),
        history_rows=TownshipOffice.history.filter(township_id=township.pk),
        template="offices/office_form.html", success=_("已保存民政办公室信息。"),
        next_url=reverse("offices:township", args=[township.code]),
    )
