"""Pages of the oversight records.

The township clerk grades its assistants (the township organises the annual
assessment) and enters satisfaction results and bought services; city and
county officials record inspections of townships in their scope and confirm
rectification of their own inspections.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from assessments import records_services as services
from assessments.models import AssistantAssessment, Inspection, SatisfactionSurvey, ServiceContract
from assessments.records_forms import ContractForm, GradesForm, InspectionForm, RectifyForm, SurveyForm
from offices import selectors as office_selectors
from offices.models import Role, Township
from offices.scoping import ALL_ROLES, scoped
from offices.views import can_edit_township, editable_township, parse_year, selected_year
from staffing.models import VillageAssistant
from staffing.querysets import in_post_at_year_end

OFFICIALS = (Role.CITY, Role.COUNTY)
INSPECTION_LEVEL = {Role.CITY: Inspection.Level.CITY, Role.COUNTY: Inspection.Level.COUNTY}


def _visible_township(request, code):
    township = office_selectors.visible_township(request.user, code)
    if township is None:
        raise Http404(_("未找到该乡镇，或您无权查看。"))
    return township


def _save_or_error(form, save):
    try:
        return save()
    except ValidationError as error:
        form.add_error(None, error)
        return None


@scoped(roles=ALL_ROLES)
def grades(request, code):
    township = _visible_township(request, code)
    can_edit = can_edit_township(request.user, township)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(_("只有本乡镇民政办工作人员可以录入本乡镇数据。"))
    year, years = selected_year(request)
    if request.method == "POST":
        year = parse_year(request.POST.get("year", ""))
        if year is None:
            raise Http404(_("年度无效。"))
    assistants = (
        VillageAssistant.objects.filter(village__township=township).filter(in_post_at_year_end(year))
        .select_related("village").order_by("village__code", "name", "pk")
    ) if year else VillageAssistant.objects.none()
    current = {}
    for assessment in township_assessments(township, year):
        current[GradesForm.field_name(assessment.assistant)] = assessment.grade
        current.setdefault("assessor", assessment.assessor)
        current.setdefault("assessed_on", assessment.assessed_on)
    form = GradesForm(request.POST or None, assistants=assistants, year=year or 0, initial=current)
    if request.method == "POST" and form.is_valid():
        saved = _save_or_error(form, lambda: services.grades_set(
            township=township, year=year, grades=form.grades(), assessor=form.cleaned_data["assessor"],
            assessed_on=form.cleaned_data["assessed_on"],
        ))
        if saved is not None:
            messages.success(request, _("已保存%(year)s年度考评等次%(count)s人。") % {"year": year, "count": saved})
            return redirect(f"{request.path}?year={year}")
    return render(request, "assessments/records_grades.html", {
        "township": township, "form": form, "year": year, "years": years, "can_edit": can_edit,
    })


def township_assessments(township, year):
    return AssistantAssessment.objects.filter(assistant__village__township=township, year=year).select_related(
        "assistant"
    )


@scoped(roles=ALL_ROLES)
def township_records(request, code):
    township = _visible_township(request, code)
    return render(request, "assessments/records_township.html", {
        "township": township,
        "surveys": SatisfactionSurvey.objects.filter(township=township).order_by("-year"),
        "contracts": ServiceContract.objects.filter(township=township).order_by("-start_date", "pk"),
        "can_edit": can_edit_township(request.user, township),
    })


@scoped(roles=(Role.TOWNSHIP,))
def survey_edit(request, code):
    township = editable_township(request, code)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _save_or_error(form, lambda: services.survey_set(township=township, **form.cleaned_data)):
            messages.success(request, _("已保存%(year)s年度满意度测评结果。") % {"year": form.cleaned_data["year"]})
            return redirect("assessments:township_records", code=township.code)
    return render(request, "assessments/records_form.html", {
        "township": township, "form": form, "title": _("录入群众满意度测评结果"),
        "help_text": _("同一年度再次录入将替换原结果。"),
    })


@scoped(roles=(Role.TOWNSHIP,))
def contract_add(request, code):
    township = editable_township(request, code)
    form = ContractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _save_or_error(form, lambda: services.contract_create(township=township, **form.cleaned_data)):
            messages.success(request, _("已登记购买服务合同。"))
            return redirect("assessments:township_records", code=township.code)
    return render(request, "assessments/records_form.html", {
        "township": township, "form": form, "title": _("登记政府购买服务合同"),
    })


def _inspection_page(request, inspections, township=None):
    page = Paginator(inspections.select_related("township__county").order_by("-date", "pk"), 50)
    return render(request, "assessments/records_inspections.html", {
        "page": page.get_page(request.GET.get("page")), "township": township,
        "can_add": request.user.role in INSPECTION_LEVEL, "level": INSPECTION_LEVEL.get(request.user.role),
    })


@scoped(roles=ALL_ROLES)
def inspection_list(request):
    return _inspection_page(request, Inspection.objects.for_user(request.user))


@scoped(roles=ALL_ROLES)
def township_inspections(request, code):
    township = _visible_township(request, code)
    return _inspection_page(request, Inspection.objects.for_user(request.user).filter(township=township), township)


@scoped(roles=OFFICIALS)
def inspection_add(request):
    level = INSPECTION_LEVEL[request.user.role] if request.user.role in INSPECTION_LEVEL else None
    if level is None:
        raise PermissionDenied(_("只有市、县区民政部门可以登记实地检查。"))
    townships = Township.objects.for_user(request.user).select_related("county").order_by("code")
    initial = {"township": townships.filter(code=request.GET.get("township")).first()}
    form = InspectionForm(request.POST or None, townships=townships, initial=initial)
    if request.method == "POST" and form.is_valid():
        if _save_or_error(form, lambda: services.inspection_create(level=level, **form.cleaned_data)):
            messages.success(request, _("已登记实地检查。"))
            return redirect("assessments:township_inspections", code=form.cleaned_data["township"].code)
    return render(request, "assessments/records_form.html", {"form": form, "title": _("登记实地检查")})


@scoped(roles=OFFICIALS)
def inspection_rectify(request, pk):
    inspection = get_object_or_404(Inspection.objects.for_user(request.user).select_related("township"), pk=pk)
    if INSPECTION_LEVEL.get(request.user.role) != inspection.level:
        raise PermissionDenied(_("只有组织该次检查的单位可以确认整改。"))
    form = RectifyForm(request.POST or None, inspection=inspection)
    if request.method == "POST" and form.is_valid():
        rectified_on = form.cleaned_data["rectified_on"]
        if _save_or_error(form, lambda: services.inspection_rectify(inspection=inspection, rectified_on=rectified_on)):
            messages.success(request, _("已确认整改完成。"))
            return redirect("assessments:township_inspections", code=inspection.township.code)
    return render(request, "assessments/records_form.html", {
        "township": inspection.township, "form": form, "title": _("确认整改完成"),
        "help_text": inspection.findings,
    })
