"""Pages of the training app: the county plan, sessions, attendance and a township's training record."""
import tempfile
from dataclasses import dataclass
from itertools import groupby
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook

from offices.models import County, Role, Township
from offices.pages import TOKEN_FIELD, add_service_errors, form_page, guard_form, page_year, visible_township
from offices.scoping import ALL_ROLES, scoped
from offices.services import AlreadySaved, form_save
from offices.tables import ListTable, township_info
from offices.workbooks import DECIMAL, INTEGER, TEXT, Column, OfficialSheet
from training import selectors, services, tables
from training.forms import AttendanceForm, SessionForm
from training.models import Attendance, Audience, Level, TrainingSession

# Whom each level trains (分级培训): the audience a session started from the plan's list of that level takes.
LEVEL_AUDIENCE = {Level.CITY: Audience.DIRECTORS, Level.COUNTY: Audience.STAFF, Level.TOWNSHIP: Audience.ASSISTANTS}


def _plan_of(request, code):
    county = get_object_or_404(County.objects.for_user(request.user).select_related("city"), code=code)
    year, years = page_year(request)
    townships = Township.objects.for_user(request.user).filter(county=county)
    return county, year, years, selectors.county_plan(county, townships, year)


def _start_url(county_plan, level):
    """The new-session form with the level's people still 待培训 ticked, or None when nobody is."""
    staff, assistants = county_plan.pending_people(level)
    if not staff and not assistants:
        return None
    query = urlencode({"staff": ",".join(map(str, staff)), "assistants": ",".join(map(str, assistants)),
                       "audience": LEVEL_AUDIENCE[level]})
    return f"{reverse('training:session_add')}?{query}"


@scoped(roles=(Role.CITY, Role.COUNTY))
def plan(request, code):
    county, year, years, county_plan = _plan_of(request, code)
    level, _unit = selectors.organiser_of(request.user)
    info = _plan_info(county_plan, today=timezone.localdate())
    names = {"county": county.name, "year": year}
    # Each level's list offers 登记培训班 to the unit that trains that level's people: the city its directors,
    # the county the other staff (a township's clerk does not see the plan).
    levels = [
        (due_level, label, ListTable(
            request, due, tables.plan_columns(year), name=f"plan-{due_level}", info=info,
            title=_("%(county)s%(year)s年度由%(level)s培训人员") % {**names, "level": label},
            empty=_("本年无须安排。"), row_data=tables.plan_row,
        ), _start_url(county_plan, due_level) if due_level == level else None)
        for due_level, label, due in county_plan.by_level()
    ]
    coverage = ListTable(
        request, county_plan.townships, tables.coverage_columns(year), name="coverage", info=info,
        title=_("%(county)s%(year)s年度各乡镇轮训覆盖率") % names, row_data=tables.coverage_row,
    )
    for table in (*(table for _level, _label, table, _url in levels), coverage):
        if table.exporting:
            return table.export_response()
    return render(request, "training/plan_detail.html", {"county": county, "plan": county_plan, "year": year,
                                                         "years": years, "levels": levels, "coverage": coverage})


@scoped(roles=(Role.CITY, Role.COUNTY))
def plan_export(request, code):
    """The plan as an official workbook: who is due this year (and whether trained yet), and the year's sessions."""
    county, year, _years, county_plan = _plan_of(request, code)
    sessions = selectors.plan_sessions(request.user, county, year)
    response = FileResponse(_plan_file(county_plan, sessions, today=timezone.localdate()),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, _("%(county)s_%(year)s_民政干部培训计划.xlsx")
                                                                 % {"county": county.name, "year": year})
    return response


# The plan's workbook. (It belongs in a training/exports.py; this helper's brief allowed only the views.)

def _plan_file(county_plan, sessions, *, today):
    """A temporary xlsx: sheet 「培训计划」 (everyone due this year, by the level that trains them) and
    「培训班」 (the year's sessions the county's people could attend)."""
    county, year = county_plan.county, county_plan.year
    title = _("%(county)s%(year)s年度民政干部培训计划") % {"county": county.name, "year": year}
    info = _plan_info(county_plan, today=today)
    workbook = Workbook(write_only=True)
    plan_sheet = OfficialSheet(workbook, _("培训计划"), [
        Column(_("序号"), INTEGER, 5), Column(_("培训层级"), TEXT, 6), Column(_("乡镇（街道）"), TEXT, 14),
        Column(_("姓名"), TEXT, 18), Column(_("身份"), TEXT, 14), Column(_("到岗日期"), TEXT, "2025-01-01"),
        Column(_("上次培训"), TEXT, "2025-01-01"), Column(_("本年培训"), TEXT, "已培训（2025-01-01）"),
    ], title=title, info=info, frozen_columns=4)
    number = pending = 0
    for _level, label, due in county_plan.by_level():
        for entry in due:
            number += 1
            pending += entry.pending
            worker = entry.due.worker
            trained = entry.due.trained_this_year
            plan_sheet.append([
                number, str(label), entry.township.name, worker.label, str(worker.role_label),
                _date(worker.start_date), _date(entry.due.last_before_year) or _("从未参加培训"),
                _("待培训") if entry.pending else _("已培训（%(date)s）") % {"date": _date(trained)},
            ])
    listed = plan_sheet.data_rows
    plan_sheet.append([_("合计：本年应训%(due)s人，待培训%(pending)s人") % {"due": listed, "pending": pending}],
                      total=True, merges=[(0, 7)])
    plan_sheet.finish(filter_rows=listed)
    session_sheet = OfficialSheet(workbook, _("培训班"), [
        Column(_("序号"), INTEGER, 5), Column(_("培训日期"), TEXT, "2025-01-01"), Column(_("组织单位"), TEXT, 16),
        Column(_("培训主题"), TEXT, 30), Column(_("培训对象"), TEXT, 16), Column(_("学时"), DECIMAL, 6),
        Column(_("参训人数（人）"), INTEGER, 5),
    ], title=_("%(county)s%(year)s年度民政干部培训班") % {"county": county.name, "year": year}, info=info,
        frozen_columns=2)
    for number, session in enumerate(sessions, start=1):
        session_sheet.append([
            number, _date(session.date), f"{session.organiser.name}（{session.get_level_display()}）", session.topic,
            session.get_audience_display(), session.hours, session.attendee_count,
        ])
    session_sheet.finish()
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(handle)
    handle.seek(0)
    return handle


def _plan_info(county_plan, *, today):
    """The second line of the plan's files: the county's bureau, the date, and what the lists hold."""
    info = [_("填报单位：%(unit)s") % {"unit": _("%(unit)s民政局") % {"unit": county_plan.county.name}},
            _("数据日期：%(year)s年%(month)s月%(day)s日") % {"year": today.year, "month": today.month, "day": today.day}]
    if county_plan.cycle_years:
        info.append(_("口径：本年应训人员（每%(n)s年轮训一遍）") % {"n": county_plan.cycle_years})
    return info


def _date(value):
    return value.strftime("%Y-%m-%d") if value else ""


def _exported_at():
    return _("导出时间：%(at)s") % {"at": timezone.localtime().strftime("%Y-%m-%d %H:%M")}


@scoped(roles=ALL_ROLES)
def session_list(request):
    year, years = page_year(request)
    if request.GET.get("year") == "all":
        year = None
    level, unit = selectors.organiser_of(request.user)
    info = [_("单位：%(unit)s") % {"unit": unit.name}] if unit is not None else []
    info += [_("年度：%(year)s") % {"year": year or _("全部年度")}, _exported_at()]
    table = ListTable(
        request, selectors.sessions_for(request.user, year), tables.session_columns(), name="sessions",
        default_sort="-date", info=info, empty=_("暂无培训班。"),
        title=_("%(year)s年度培训班") % {"year": year} if year else _("全部年度培训班"),
    )
    if table.exporting:
        return table.export_response()
    return render(request, "training/session_list.html", {
        "table": table, "year": year, "years": years, "can_add": level is not None,
        "all_years_href": table.query(year="all", **{table.page_parameter: None}),
    })


@scoped(roles=ALL_ROLES)
def session_add(request):
    """Record a session and tick its attendees in one form.

    The people offered are the organiser's whole jurisdiction, grouped by
    township and marked with the audiences each belongs to (static/js/
    training.js shows only the chosen audience's); the service names anyone
    ticked who does not fit. From the plan, ?staff=1,2&assistants=3&audience=
    ticks the people still to be trained: ids outside the jurisdiction are
    ignored.
    """
    level, unit = selectors.organiser_of(request.user)
    if level is None:
        raise PermissionDenied(_("只有市、县区、乡镇民政部门的工作人员可以登记培训班。"))
    audience = request.GET.get("audience")
    form = SessionForm(request.POST or None,
                       initial={"audience": audience} if audience in Audience.values else None)
    guard_form(form)  # a once-only token: a double-clicked 保存 records one session
    session_ok = request.method == "POST" and form.is_valid()
    draft = services.session_draft(
        user=request.user, date=form.cleaned_data["date"] if session_ok else timezone.localdate(),
        audience=Audience.ALL)
    offered = selectors.eligible_people(draft)
    people = AttendanceForm(request.POST or None, staff=offered[0], assistants=offered[1])
    if session_ok and people.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != TOKEN_FIELD}
        try:
            session = form_save(write=lambda: services.session_create(
                user=request.user, **data,
                staff_members=people.cleaned_data["staff_members"], assistants=people.cleaned_data["assistants"],
            ), token=form.cleaned_data[TOKEN_FIELD])
        except AlreadySaved:
            messages.info(request, _("该表单已保存过，重复提交未再次保存。"))
            return redirect("training:session_list")
        except ValidationError as error:
            add_service_errors(people if _about_people(error) else form, error)
        else:
            count = session.attendances.count()
            messages.success(request, _("已登记培训班及参训人员%(count)s人。") % {"count": count})
            return redirect("training:session_detail", pk=session.pk)
    if people.is_bound:
        ticked_staff, ticked_assistants = _ticked(request.POST)
    else:
        ticked_staff = selectors.parse_ids(request.GET.get("staff"))
        ticked_assistants = selectors.parse_ids(request.GET.get("assistants"))
    return render(request, "training/session_form.html", {
        "form": form, "people_form": people,
        "title": _("登记%(unit)s组织的培训班") % {"unit": unit.name},
        "staff_groups": _groups(offered[0], lambda p: p.township, ticked_staff),
        "assistant_groups": _groups(offered[1], lambda p: p.village.township, ticked_assistants),
    })


# The service's refusals that are about whom was ticked: shown above the people, not above the session's fields.
PEOPLE_ERRORS = {"out_of_scope", "not_in_audience"}


def _about_people(error):
    return not hasattr(error, "error_dict") and all(e.code in PEOPLE_ERRORS for e in error.error_list)


def _ticked(data):
    return ({int(v) for v in data.getlist("staff_members") if v.isdigit()},
            {int(v) for v in data.getlist("assistants") if v.isdigit()})


def _visible_session(request, pk):
    return get_object_or_404(
        TrainingSession.objects.for_user(request.user).select_related("city", "county", "township"), pk=pk
    )


@scoped(roles=ALL_ROLES)
def session_detail(request, pk):
    session = _visible_session(request, pk)
    attendances = (
        Attendance.objects.for_user(request.user).filter(session=session)
        .select_related("staff_member__township", "assistant__village__township")
    )
    people = sorted(
        attendances,
        key=lambda a: (a.staff_member.township.code if a.staff_member else a.assistant.village.code, a.person.name),
    )
    table = ListTable(
        request, people, tables.attendance_columns(), name="attendances", empty=_("尚未录入参训人员。"),
        title=_("%(topic)s参训人员") % {"topic": session.topic},
        info=[_("培训日期：%(date)s") % {"date": _date(session.date)},
              _("组织单位：%(unit)s（%(level)s）") % {"unit": session.organiser.name,
                                                 "level": session.get_level_display()},
              _exported_at()],
    )
    if table.exporting:
        return table.export_response()
    return render(request, "training/session_detail.html", {
        "session": session, "table": table, "can_edit": selectors.can_organise(request.user, session),
    })


@dataclass(frozen=True)
class Offered:
    """A person offered on a people form: ticked or not, and the audiences (space-separated) the person is of."""

    person: object
    ticked: bool
    audiences: str


def _groups(people, township_of, ticked, keep=None):
    """[(township, [Offered])] in the order of `people`; `keep(person)`, if given, drops those it refuses
    unless ticked."""
    groups = []
    for township, group in groupby(people, key=township_of):
        offered = [Offered(p, p.pk in ticked, " ".join(selectors.audiences_of(p))) for p in group
                   if keep is None or p.pk in ticked or keep(p)]
        if offered:
            groups.append((township, offered))
    return groups


@scoped(roles=ALL_ROLES)
def attendance(request, pk):
    session = _visible_session(request, pk)
    if not selectors.can_organise(request.user, session):
        raise PermissionDenied(_("只有组织本次培训的单位可以录入参训人员。"))
    # The form accepts the whole jurisdiction so the service can name who does not fit the audience; the page
    # lists the audience, and anyone already recorded who does not fit (ticked: to be seen and unticked).
    staff, assistants = selectors.eligible_people(session, audience=Audience.ALL)
    form = AttendanceForm(request.POST or None, staff=staff, assistants=assistants)
    if form.is_bound:
        ticked_staff, ticked_assistants = _ticked(request.POST)
    else:
        existing = list(Attendance.objects.filter(session=session).values_list("staff_member_id", "assistant_id"))
        ticked_staff = {s for s, _a in existing if s}
        ticked_assistants = {a for _s, a in existing if a}

    def fits(person):
        return selectors.fits_audience(session.audience, person)

    return form_page(
        request, form=form,
        save=lambda data: services.attendance_set(
            session=session, staff_members=data["staff_members"], assistants=data["assistants"]),
        template="training/attendance_form.html",
        success=lambda count: _("已保存参训人员%(count)s人。") % {"count": count},
        next_url=reverse("training:session_detail", args=[session.pk]),
        history_rows=Attendance.history.filter(session_id=session.pk),
        context={
            "session": session,
            "staff_groups": _groups(staff, lambda p: p.township, ticked_staff, keep=fits),
            "assistant_groups": _groups(assistants, lambda p: p.village.township, ticked_assistants, keep=fits),
        },
    )


@scoped(roles=ALL_ROLES)
def township(request, code):
    township = visible_township(request, code)
    year, years = page_year(request)
    record = selectors.township_record(township, year)
    table = ListTable(
        request, record.rows, tables.record_columns(), name="people", info=township_info(township, year),
        title=_("%(township)s%(year)s年度培训情况") % {"township": township.name, "year": year},
        empty=_("该年末无在岗人员。"), row_data=tables.record_row,
    )
    if table.exporting:
        return table.export_response()
    return render(request, "training/township_detail.html", {
        "township": township, "record": record, "table": table, "year": year, "years": years,
    })
