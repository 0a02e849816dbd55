"""The township scorecard and the JSON API, both reading the one computation."""
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from assessments import selectors
from assessments.serializers import compliance_payload
from offices.models import County, Township
from offices.scoping import ALL_ROLES, scoped
from offices.views import can_edit_township, selected_year


@scoped(roles=ALL_ROLES)
def scorecard(request, code):
    township = Township.objects.for_user(request.user).select_related("county__city").filter(code=code).first()
    if township is None:
        raise Http404(_("未找到该乡镇，或您无权查看。"))
    year, years = selected_year(request)
    card = selectors.township_compliance(township, year) if year else None
    return render(
        request,
        "assessments/scorecard.html",
        {"township": township, "card": card, "year": year, "years": years,
         "can_edit": can_edit_township(request.user, township)},
    )


def _api_error(message, status):
    return JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})


@scoped(roles=ALL_ROLES)
def api_compliance(request):
    """GET /api/v1/compliance/?year=Y&(township|county)=CODE — scoped to the user."""
    raw_year = request.GET.get("year", "")
    if not raw_year.isdigit() or not 1949 <= int(raw_year) <= 2100:
        return _api_error(_("参数 year 应为1949至2100之间的年份，例如 year=2025。"), 400)
    year = int(raw_year)
    township_code, county_code = request.GET.get("township", ""), request.GET.get("county", "")
    if bool(township_code) == bool(county_code):
        return _api_error(_("请且仅请指定 township（乡镇区划代码）或 county（县区区划代码）之一。"), 400)
    code = (township_code or county_code).ljust(12, "0")
    if not code.isdigit() or len(code) != 12:
        return _api_error(_("区划代码应为数字（6位、9位或12位）。"), 400)
    if township_code:
        townships = Township.objects.for_user(request.user).filter(code=code)
        if not townships.exists():
            return _api_error(_("未找到该乡镇，或您无权查看。"), 404)
        unit = {"level": "township", "code": code}
    else:
        county = County.objects.for_user(request.user).filter(code=code).first()
        if county is None:
            return _api_error(_("未找到该县区，或您无权查看。"), 404)
        townships = Township.objects.for_user(request.user).filter(county=county)
        unit = {"level": "county", "code": code, "name": county.name}
    cards = selectors.compliance_for(townships, year)
    return JsonResponse(
        {"year": year, "unit": unit, "townships": [compliance_payload(card) for card in cards]},
        json_dumps_params={"ensure_ascii": False},
    )
