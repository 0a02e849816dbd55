"""The township scorecard and the JSON API, both reading the one computation."""
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from assessments import selectors
from offices.models import AnnualReport, ReportState
from offices.pages import acting_actors, page_year, parse_year, scope_data_years, visible_township
from offices.scoping import ALL_ROLES, scoped


@scoped(roles=ALL_ROLES)
def scorecard(request, code):
    township = visible_township(request, code)
    year, years = page_year(request)
    # Before any population is entered there is nothing to judge: the page says what to enter first.
    card = selectors.township_compliance(township, year) if scope_data_years(request) else None
    assessed = [r for r in card.results if r.assessed] if card else []
    # A returned report's reasons are shown at the top and beside each rule they name (issue 10).
    report = AnnualReport.objects.filter(township=township, year=year).first()
    returned = report is not None and report.state == ReportState.RETURNED
    return render(
        request,
        "assessments/scorecard.html",
        {"township": township, "card": card, "year": year, "years": years,
         # The summary counts assessed rules only: a rule the standard leaves out (不评估) is neither met nor missed.
         "assessed_count": len(assessed), "not_assessed_count": len(card.results) - len(assessed) if card else 0,
         "acting": acting_actors(request.user, township), "next_path": request.get_full_path(),
         "report": report, "return_reason": report.return_reason if returned else "",
         "rule_reasons": report.rule_reasons if returned else {}},
    )


def _api_error(message, status):
    return JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})


@scoped(roles=ALL_ROLES)
def api_compliance(request):
    """GET /api/v1/compliance/?year=Y&(township|county)=CODE — scoped to the user."""
    year = parse_year(request.GET.get("year", ""))
    if year is None or not request.GET.get("year", "").strip().isdigit():
        return _api_error(_("参数 year 应为1949至2100之间的年份，例如 year=2025。"), 400)
    township_code, county_code = request.GET.get("township", ""), request.GET.get("county", "")
    if bool(township_code) == bool(county_code):
        return _api_error(_("请且仅请指定 township（乡镇区划代码）或 county（县区区划代码）之一。"), 400)
    level = selectors.TOWNSHIP if township_code else selectors.COUNTY
    try:
        payload, _cards = selectors.unit_compliance(township_code or county_code, year, level=level,
                                                    user=request.user)
    except selectors.BadUnitCode as error:
        return _api_error(str(error), 400)
    except selectors.UnitNotFound as error:
        return _api_error(str(error), 404)
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
