"""Pages of supervision (考评与检查).

The township clerk grades its assistants (the township organises the annual
assessment) and enters satisfaction results and bought services; city and
county officials record inspections of townships in their scope and confirm
rectification of their own inspections. Each township page shows the results
of the one computation for its rules (`township_results`), never its own.
"""
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from offices.compliance.store import township_results
from offices.models import Role, Township
from offices.pages import editable_township, form_page, page_year, parse_year, visible_township
from offices.scoping import ALL_ROLES, scoped
from offices.tables import PER_PAGE, ListTable, township_info
from supervision import compliance, exports, rules, selectors, services, tables
from supervision.filters import InspectionFilter
from supervision.forms import ContractForm, GradesForm, InspectionForm, RectifyForm, SurveyForm
from supervision.models import AssistantAssessment, Inspection, InspectionFinding, SatisfactionSurvey

OFFICIALS = (Role.CITY, Role.COUNTY)


def _township(request, code, *, edit=False):
    """The page's township: editable (404 out of scope, 403 read-only) or visible (404 out of scope)."""
    return editable_township(request, code) if edit else visible_township(request, code)


def _results(township, year, specs):
    results = township_results(township, year, compliance)
    return {spec.code: results[spec.code] for spec in specs}


@scoped(roles=ALL_ROLES)
def grades(request, code):
    township = _township(request, code, edit=request.method == "POST")
    year, years = page_year(request)
    if request.method == "POST":
        year = parse_year(request.POST.get("year", ""))
        if year is None:
            raise Http404(_("年度无效。"))
    assistants = list(selectors.assistants_to_grade(township, year))
    form = GradesForm(request.POST or None, assistants=assistants, year=year,
                      initial=selectors.grades_initial(assistants, GradesForm.field_name))
    results = _results(township, year, rules.GRADE_RULES)
    rows = selectors.grade_rows(form, results)
    can_edit = request.user.can_edit_township(township)
    # One page however many: the form posts every assistant's grade, and a grade not posted is removed.
    table = ListTable(
        request, rows, tables.GRADE_COLUMNS, name="grades", per_page=max(PER_PAGE, len(rows)),
        title=_("%(township)s%(year)s年度民政助理员考评表") % {"township": township.name, "year": year},
        info=township_info(township, year), empty=_("该年末无在岗民政助理员。"), row_data=tables.grade_data,
        actions="supervision/_grade_actions.html" if can_edit else "",
    )
    if request.method == "GET" and table.exporting:
        return table.export_response()

    def save(data):
        return services.grades_set(township=township, year=year, grades=form.grades(), assessor=data["assessor"],
                                   assessed_on=data["assessed_on"])

    return form_page(
        request, form=form, save=save, template="supervision/grades.html",
        success=lambda saved: _("已保存%(year)s年度考评等次%(count)s人。") % {"year": year, "count": saved},
        next_url=f"{request.path}?year={year}",
        history_rows=AssistantAssessment.history.filter(assistant__village__township_id=township.pk, year=year),
        context={"township": township, "year": year, "years": years, "results": results.values(), "table": table,
                 "can_edit": can_edit},
    )


@scoped(roles=ALL_ROLES)
def township_records(request, code):
    township = _township(request, code)
    year, years = page_year(request)
    surveys = ListTable(
        request, selectors.township_surveys(township), tables.SURVEY_COLUMNS, name="surveys", default_sort="-year",
        title=_("%(township)s群众满意度测评结果") % {"township": township.name}, info=township_info(township),
        empty=_("尚未录入。"),
    )
    contracts = ListTable(
        request, selectors.township_contracts(township), tables.CONTRACT_COLUMNS, name="contracts",
        default_sort="-start_date", title=_("%(township)s政府购买服务合同") % {"township": township.name},
        info=township_info(township), empty=_("尚未登记。"),
    )
    for table in (surveys, contracts):
        if table.exporting:
            return table.export_response()
    return render(request, "supervision/records.html", {
        "township": township, "year": year, "years": years,
        "results": _results(township, year, rules.TRACKED_RULES).values(),
        "surveys": surveys, "contracts": contracts,
        "can_edit": request.user.can_edit_township(township),
    })


@scoped(roles=(Role.TOWNSHIP,))
def survey_edit(request, code):
    township = editable_township(request, code)
    return form_page(
        request, form=SurveyForm(request.POST or None),
        save=lambda data: services.survey_set(township=township, **data), template="supervision/form.html",
        success=lambda survey: _("已保存%(year)s年度满意度测评结果。") % {"year": survey.year},
        next_url=reverse("supervision:township_records", args=[township.code]),
        history_rows=SatisfactionSurvey.history.filter(township_id=township.pk),
        context={"township": township, "title": _("录入群众满意度测评结果"),
                 "help_text": _("同一年度再次录入将替换原结果。")},
    )


@scoped(roles=(Role.TOWNSHIP,))
def contract_add(request, code):
    township = editable_township(request, code)
    return form_page(
        request, form=ContractForm(request.POST or None),
        save=lambda data: services.contract_create(township=township, **data), template="supervision/form.html",
        success=_("已登记购买服务合同。"), next_url=reverse("supervision:township_records", args=[township.code]),
        context={"township": township, "title": _("登记政府购买服务合同")},
    )


def _inspections(request, *, township=None, result=None):
    """(filters, table) of the inspections list: every inspection in the user's scope (or of `township`), a row
    per finding, filtered by the request."""
    filters = InspectionFilter(request.GET or None, selectors.inspections_for(request.user, township),
                               request=request, township=township)
    if township is None:
        data = filters.form.cleaned_data if filters.is_bound and filters.is_valid() else {}
        title, info = exports.inspections_heading(request.user, data.get("year") or timezone.localdate().year)
    else:
        title, info = exports.township_inspections_title(township), township_info(township)
    table = ListTable(
        request, selectors.finding_rows(filters.qs, result), tables.inspection_columns(township=township is None),
        name="inspections", default_sort="-date", title=title, info=info, empty=_("暂无检查记录。"),
        row_class=tables.overdue_row, row_data=tables.finding_data, actions="supervision/_inspection_actions.html",
    )
    return filters, table


def _inspections_file(filters, table):
    """The list's file; refused while its filters do not hold (the page shows why, the file would hide it)."""
    if filters.is_bound and not filters.is_valid():
        raise Http404(_("筛选条件有误，请返回检查列表修改后再导出。"))
    return table.export_response()


def _inspection_page(request, *, township=None, result=None, context=None):
    filters, table = _inspections(request, township=township, result=result)
    if table.exporting:
        return _inspections_file(filters, table)
    level = Inspection.level_of(request.user)
    return render(request, "supervision/inspections.html", {
        "table": table, "township": township, "filters": filters, "can_add": level is not None, "level": level,
        **(context or {}),
    })


@scoped(roles=ALL_ROLES)
def inspection_list(request):
    return _inspection_page(request)


@scoped(roles=ALL_ROLES)
def township_inspections(request, code):
    township = _township(request, code)
    year, years = page_year(request)
    results = _results(township, year, [rules.RECTIFICATION])
    return _inspection_page(
        request, township=township, result=results[rules.RECTIFICATION.code],
        context={"year": year, "years": years, "results": results.values()},
    )


@scoped(roles=ALL_ROLES)
def inspection_export(request):
    """The inspections list's file (all pages, the same filters and sort): the list's 导出 at its first address."""
    return _inspections_file(*_inspections(request))


@scoped(roles=OFFICIALS)
def inspection_add(request):
    level = Inspection.level_of(request.user)
    if level is None:
        raise PermissionDenied(_("只有市、县区民政部门可以登记实地检查。"))
    townships = Township.objects.for_user(request.user).select_related("county").order_by("code")
    initial = {"township": townships.filter(code=request.GET.get("township")).first()}
    form = InspectionForm(request.POST or None, townships=townships, initial=initial)
    return form_page(
        request, form=form, save=lambda _data: services.inspection_create(level=level, **form.service_data()),
        template="supervision/inspection_form.html", success=_("已登记实地检查。"),
        next_url=reverse("supervision:township_inspections", args=[form.cleaned_data["township"].code])
        if form.is_bound and form.is_valid() else reverse("supervision:inspection_list"),
        context={"title": _("登记实地检查")},
    )


@scoped(roles=OFFICIALS)
def finding_rectify(request, pk):
    finding = get_object_or_404(
        InspectionFinding.objects.for_user(request.user).select_related("inspection__township"), pk=pk)
    inspection = finding.inspection
    if Inspection.level_of(request.user) != inspection.level:
        raise PermissionDenied(_("只有组织该次检查的单位可以确认整改。"))
    next_url = reverse("supervision:township_inspections", args=[inspection.township.code])
    return form_page(
        request, form=RectifyForm(request.POST or None, inspection=inspection),
        save=lambda data: services.finding_rectify(finding=finding, rectified_on=data["rectified_on"]),
        template="supervision/form.html", success=_("已确认整改完成。"), next_url=next_url,
        history_rows=InspectionFinding.history.filter(id=finding.pk),
        context={"township": inspection.township, "title": _("确认整改完成"),
                 "help_text": _("%(date)s检查发现的问题：%(text)s（整改期限%(deadline)s）") % {
                     "date": inspection.date.isoformat(), "text": finding.text,
                     "deadline": finding.deadline.isoformat()}},
    )
