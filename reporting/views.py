"""Pages of the reporting cycle: a township-year's report, the county's and the city's lists, to-dos, deadlines.

Thin: each page finds what the user may see (`visible_township`, `for_user`), and each button calls one
service of offices.reporting, which decides who may do what in which state; its refusal is shown in Chinese.
"""
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from offices import reporting as services
from offices.models import City as CityModel
from offices.models import County, Level, ReportAction, ReportState, Role
from offices.pages import add_service_errors, form_page, page_year, parse_year, visible_township
from offices.scoping import ALL_ROLES, scoped
from offices.services import AlreadySaved, form_save
from offices.tables import ListTable, unit_info
from reporting import selectors, tables
from reporting.forms import CalendarForm, NoteForm, ReturnForm, SubmitForm, UnlockForm

TOKEN_FIELD = "form_token"


def _button_action(name, report):
    """The step a button takes in the report's state: 「通过」 is the county's approval or the city's acceptance."""
    approved = report.state == ReportState.APPROVED
    return {"submit": ReportAction.SUBMIT, "unlock": ReportAction.UNLOCK,
            "return": ReportAction.CITY_RETURN if approved else ReportAction.COUNTY_RETURN,
            "approve": ReportAction.ACCEPT if approved else ReportAction.APPROVE}.get(name)


def _refuse(request, report, name):
    """A button the page did not offer: 403 for another level's button, else the state's refusal (or 已保存过)."""
    action = _button_action(name, report)
    levels = ((Level.COUNTY, Level.CITY) if action == ReportAction.UNLOCK
              else (services.TRANSITIONS[action].level,) if action else ())
    if not any(services.acts_for(request.user, report.township, level) for level in levels):
        raise PermissionDenied(_("您无权对该乡镇的年度填报执行此操作。"))

    def wrong_state():
        raise ValidationError(_("当前状态下不能执行该操作（%(state)s）。") % {"state": report.get_state_display()})

    try:
        form_save(write=wrong_state, township=report.township, token=request.POST.get(TOKEN_FIELD))
    except AlreadySaved:
        messages.info(request, _("该表单已保存过，重复提交未再次保存。"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("reporting:report", report.township.code, report.year)


def _year(value):
    year = parse_year(value)
    if year is None:
        raise Http404(_("年度不正确。"))
    return year


def _forms(request, report, actions, posted, rules):
    """The forms of the actions `actions` allows, the posted one bound to the request."""

    def bound(name, form_class, **kwargs):
        return form_class(request.POST if posted == name else None, prefix=name, **kwargs)

    forms = {}
    if ReportAction.SUBMIT in actions:
        forms["submit"] = bound("submit", SubmitForm, initial={"statement": report.statement})
    if {ReportAction.COUNTY_RETURN, ReportAction.CITY_RETURN} & set(actions):
        forms["return"] = bound("return", ReturnForm, rules=rules)
    if {ReportAction.APPROVE, ReportAction.ACCEPT} & set(actions):
        forms["approve"] = bound("approve", NoteForm)
    if ReportAction.UNLOCK in actions:
        forms["unlock"] = bound("unlock", UnlockForm)
    return forms


def _save(report, name, form):
    """Call the service behind button `name` with the form's data; return a success message."""
    data = form.cleaned_data
    if report.pk is None and name != "submit":
        raise ValidationError(_("该年度尚未报送。"), code="wrong_state")
    if name == "submit":
        services.report_submit(township=report.township, year=report.year, statement=data["statement"])
        return _("已报送%(year)s年度填报，等待县级审核。本年度数据已锁定。") % {"year": report.year}
    if name == "return":
        services.report_return(report=report, reason=data["reason"], rule_reasons=form.rule_reasons())
        return _("已退回，乡镇可修改后重新报送。")
    if name == "approve":
        if report.state == ReportState.APPROVED:
            services.report_accept(report=report, note=data["note"])
            return _("已验收通过，该年度数据已对所有人锁定。")
        services.report_approve(report=report, note=data["note"])
        return _("已审核通过，等待市级验收。")
    services.lock_exception_grant(report=report, until=data["until"], reason=data["unlock_reason"])
    return _("已临时解锁至%(until)s。") % {"until": timezone.localtime(data["until"]).strftime("%Y-%m-%d %H:%M")}


@scoped(roles=ALL_ROLES)
def report(request, code, year):
    """The township-year's report: state, deadlines, statement, the buttons the user may press, the timeline."""
    township = visible_township(request, code)
    year = _year(year)
    report = selectors.report_of(township, year)
    actions = services.allowed_actions(request.user, report)
    posted = request.POST.get("action") if request.method == "POST" else None
    rules = selectors.rules_of(township, year)
    titles = {code: title for code, title, _failed in rules}
    forms = _forms(request, report, actions, posted, rules)
    if posted is not None:
        form = forms.get(posted)
        if form is None:
            return _refuse(request, report, posted)
        if form.is_valid():
            try:
                message = form_save(write=lambda: _save(report, posted, form), township=township,
                                    token=request.POST.get(TOKEN_FIELD))
            except AlreadySaved:
                messages.info(request, _("该表单已保存过，重复提交未再次保存。"))
                return redirect("reporting:report", township.code, year)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, message)
                return redirect("reporting:report", township.code, year)
    threshold, figures = (selectors.checked_figures(township, year)
                          if request.user.role in (Role.COUNTY, Role.CITY) and report.pk else (None, []))
    return render(request, "reporting/report.html", {
        "township": township, "year": year, "report": report, "forms": forms,
        "return_form": forms.get("return"), "approve_form": forms.get("approve"),
        "submit_form": forms.get("submit"), "unlock_form": forms.get("unlock"),
        "accepting": report.state == ReportState.APPROVED, "form_token": uuid.uuid4(),
        "calendar": selectors.calendar_of(township.county.city_id, year),
        "events": selectors.timeline(report, titles),
        "return_reasons": selectors.reason_rows(report.rule_reasons or {}, titles), "changes": selectors.changes_since_return(report),
        "unlock": selectors.active_unlock(township, year) if report.pk else None,
        "threshold": threshold, "figures": figures, "moved_figures": [f for f in figures if f.moved],
        "years": page_year(request)[1],
    })


@scoped(roles=(Role.COUNTY, Role.CITY))
def county(request, code, year):
    """Every township of a county with its report of `year`: state, on time or late, links to review."""
    county = County.objects.for_user(request.user).select_related("city").filter(code=code).first()
    if county is None:
        raise Http404(_("未找到该县（市、区），或您无权查看。"))
    year = _year(year)
    calendar, rows = selectors.county_rows(request.user, county, year)
    table = ListTable(
        request, rows, tables.county_report_columns(year), name="reports",
        title=_("%(county)s%(year)s年度填报审核情况") % {"county": county.name, "year": year},
        info=unit_info(_("县（市、区）：%(name)s（%(code)s）"), county, year), empty=_("没有乡镇。"),
        actions="reporting/_county_report_actions.html",
    )
    if table.exporting:
        return table.export_response()
    return render(request, "reporting/county.html", {
        "county": county, "year": year, "calendar": calendar, "rows": rows, "table": table,
        "submitted": sum(1 for row in rows if row.report.first_submitted_at),
        "to_review": sum(1 for row in rows if row.report.state == ReportState.SUBMITTED),
        "years": page_year(request)[1],
    })


@scoped(roles=(Role.CITY,))
def city(request, code, year):
    """The city's acceptance list: reports its counties approved, and each county's reporting rate."""
    city = CityModel.objects.for_user(request.user).filter(code=code).first()
    if city is None:
        raise Http404(_("未找到该市，或您无权查看。"))
    year = _year(year)
    calendar, lines, awaiting = selectors.city_lines(request.user, city, year)
    info = unit_info(_("市：%(name)s（%(code)s）"), city, year)
    awaiting_table = ListTable(
        request, awaiting, tables.awaiting_columns(year, calendar), name="awaiting",
        title=_("%(city)s%(year)s年度待验收填报") % {"city": city.name, "year": year}, info=info,
        empty=_("没有待验收的填报。"), actions="reporting/_awaiting_actions.html",
    )
    lines_table = ListTable(
        request, lines, tables.county_line_columns(lines, year), name="counties",
        title=_("%(city)s%(year)s年度各县（市、区）报送与审核情况") % {"city": city.name, "year": year}, info=info,
        empty=_("没有县（市、区）。"),
    )
    for table in (awaiting_table, lines_table):
        if table.exporting:
            return table.export_response()
    return render(request, "reporting/city.html", {
        "city": city, "year": year, "calendar": calendar, "lines": lines, "awaiting": awaiting,
        "awaiting_table": awaiting_table, "lines_table": lines_table, "years": page_year(request)[1],
    })


@scoped(roles=ALL_ROLES)
def todo(request):
    """What the user has to do: 待报送 and 被退回 (township), 待审核 (county), 待验收 (city)."""
    year, years = page_year(request)
    return render(request, "reporting/todo.html", {"todo": selectors.todo(request.user, year), "year": year,
                                                   "years": years})


@scoped(roles=(Role.CITY,))
def calendar(request, year):
    """The city sets a year's deadlines and the share a figure may move from last year unasked."""
    year = _year(year)
    city = request.user.city
    existing = selectors.calendar_of(city.pk, year)
    return form_page(
        request, form=CalendarForm(request.POST or None, instance=existing),
        save=lambda data: services.calendar_set(city=city, year=year, **data),
        template="reporting/calendar_form.html",
        success=_("已保存%(year)s年度填报日程。") % {"year": year},
        next_url=reverse("reporting:city", args=[city.code, year]),
        title=_("%(year)s年度填报日程") % {"year": year}, context={"year": year, "city": city},
    )

