"""Pages of the base app: the units of the hierarchy, population and office."""
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from offices import selectors, services
from offices.forms import OfficeForm, PopulationForm
from offices.models import City, County, Population, Role, Township
from offices.scoping import ALL_ROLES, public, scoped


@public
def login_view(request, *args, **kwargs):
    return auth_views.LoginView.as_view(template_name="registration/login.html", redirect_authenticated_user=True)(
        request, *args, **kwargs
    )


@scoped(roles=ALL_ROLES)
def logout_view(request, *args, **kwargs):
    return auth_views.LogoutView.as_view()(request, *args, **kwargs)


def can_edit_township(user, township):
    """Only the township's own clerks (and administrators) enter its data."""
    return user.is_superuser or (user.role == Role.TOWNSHIP and user.township_id == township.pk)


def editable_township(request, code):
    """Return the township for a data-entry page: 404 out of scope, 403 read-only."""
    township = get_object_or_404(Township.objects.for_user(request.user).select_related("county__city"), code=code)
    if not can_edit_township(request.user, township):
        raise PermissionDenied(_("只有本乡镇民政办工作人员可以录入本乡镇数据。"))
    return township


def parse_year(value):
    """Return `value` as a year between 1949 and 2100, or None."""
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return year if 1949 <= year <= 2100 else None


def selected_year(request, default=None):
    years = selectors.available_years()
    year = parse_year(request.GET.get("year", ""))
    if year is None:
        year = default or (years[0] if years else None)
    return year, years


@scoped(roles=(Role.CITY,))
def city_detail(request, code):
    city = get_object_or_404(City.objects.for_user(request.user), code=code)
    year, years = selected_year(request)
    counties = selectors.counties_overview(request.user, city, year)
    return render(request, "offices/city_detail.html", {"city": city, "counties": counties, "year": year, "years": years})


@scoped(roles=(Role.CITY, Role.COUNTY))
def county_detail(request, code):
    county = get_object_or_404(County.objects.for_user(request.user).select_related("city"), code=code)
    year, years = selected_year(request)
    townships = selectors.townships_with_population(Township.objects.for_user(request.user).filter(county=county), year)
    return render(
        request, "offices/county_detail.html", {"county": county, "townships": townships, "year": year, "years": years}
    )


@scoped(roles=ALL_ROLES)
def township_detail(request, code):
    township = selectors.visible_township(request.user, code)
    if township is None:
        raise Http404(_("未找到该乡镇，或您无权查看。"))
    year, years = selected_year(request)
    context = {
        "township": township,
        "office": getattr(township, "office", None),
        "populations": Population.objects.filter(township=township).order_by("-year"),
        "villages": township.villages.select_related("station").order_by("code"),
        "standard": selectors.standard_for(township, year) if year else None,
        "year": year,
        "years": years,
        "can_edit": can_edit_township(request.user, township),
    }
    return render(request, "offices/township_detail.html", context)


@scoped(roles=(Role.TOWNSHIP,))
def population_edit(request, code):
    township = editable_township(request, code)
    form = PopulationForm(request.POST or None, township=township)
    if request.method == "POST" and form.is_valid():
        try:
            services.population_set(township=township, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存%(year)s年度人口。") % {"year": form.cleaned_data["year"]})
            return redirect("offices:township", code=township.code)
    return render(request, "offices/population_form.html", {"township": township, "form": form})


@scoped(roles=(Role.TOWNSHIP,))
def office_edit(request, code):
    township = editable_township(request, code)
    office = getattr(township, "office", None)
    initial = None if office else {"name": f"{township.name}民政办公室"}
    form = OfficeForm(request.POST or None, instance=office, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.office_update(township=township, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存民政办公室信息。"))
            return redirect("offices:township", code=township.code)
    return render(request, "offices/office_form.html", {"township": township, "form": form})
