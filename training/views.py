"""Pages of the training app: the county plan, sessions, attendance and a township's training record."""
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from offices.models import County, Role, Township
from offices.pages import add_service_errors, form_page, page_year, visible_township
from offices.scoping import ALL_ROLES, scoped
from offices.services import AlreadySaved, form_save
from training import selectors, services
from training.forms import AttendanceForm, SessionForm
from training.models import Attendance, Audience, TrainingSession


@scoped(roles=(Role.CITY, Role.COUNTY))
def plan(request, code):
    county = get_object_or_404(County.objects.for_user(request.user).select_related("city"), code=code)
    year, years = page_year(request)
    townships = Township.objects.for_user(request.user).filter(county=county)
    county_plan = selectors.county_plan(county, townships, year)
    return render(request, "training/plan_detail.html", {"county": county, "plan": county_plan, "year": year,
                                                         "years": years})


@scoped(roles=ALL_ROLES)
def session_list(request):
    year, years = page_year(request)
    if request.GET.get("year") == "all":
        year = None
    page = Paginator(selectors.sessions_for(request.user, year), 50).get_page(request.GET.get("page"))
    level, _unit = selectors.organiser_of(request.user)
    return render(request, "training/session_list.html", {
        "page": page, "year": year, "years": years, "can_add": level is not None,
    })


@scoped(roles=ALL_ROLES)
def session_add(request):
    """Record a session and tick its attendees in one form."""
    level, unit = selectors.organiser_of(request.user)
    if level is None:
        raise PermissionDenied(_("只有市、县区、乡镇民政部门的工作人员可以登记培训班。"))
    form = SessionForm(request.POST or None)
    session_ok = request.method == "POST" and form.is_valid()
    # The people offered are the organiser's whole jurisdiction; once the form
    # names an audience and a date, only those fit for it are accepted.
    draft = services.session_draft(
        user=request.user,
        date=form.cleaned_data["date"] if session_ok else timezone.localdate(),
        audience=form.cleaned_data["audience"] if session_ok else Audience.ALL,
    )
    offered = selectors.eligible_people(services.session_draft(
        user=request.user, date=draft.date, audience=Audience.ALL))
    accepted = selectors.eligible_people(draft)
    people = AttendanceForm(request.POST or None, staff=accepted[0], assistants=accepted[1])
    if session_ok and people.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "form_token"}
        try:
            session = form_save(write=lambda: services.session_create(
                user=request.user, **data,
                staff_members=people.cleaned_data["staff_members"], assistants=people.cleaned_data["assistants"],
            ), token=form.cleaned_data["form_token"])
        except AlreadySaved:
            messages.info(request, _("该表单已保存过，重复提交未再次保存。"))
            return redirect("training:session_list")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            count = session.attendances.count()
            messages.success(request, _("已登记培训班及参训人员%(count)s人。") % {"count": count})
            return redirect("training:session_detail", pk=session.pk)
    ticked_staff = {int(v) for v in request.POST.getlist("staff_members") if v.isdigit()}
    ticked_assistants = {int(v) for v in request.POST.getlist("assistants") if v.isdigit()}
    return render(request, "training/session_form.html", {
        "form": form, "people_form": people,
        "title": _("登记%(unit)s组织的培训班") % {"unit": unit.name},
        "staff_groups": _groups(offered[0], lambda p: p.township, ticked_staff),
        "assistant_groups": _groups(offered[1], lambda p: p.village.township, ticked_assistants),
    })


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
    return render(request, "training/session_detail.html", {
        "session": session, "attendances": people, "can_edit": selectors.can_organise(request.user, session),
    })


def _groups(people, township_of, ticked):
    """[(township name, [(person, ticked)])] in the order of `people`."""
    return [
        (township.name, [(p, p.pk in ticked) for p in group])
        for township, group in groupby(people, key=township_of)
    ]


@scoped(roles=ALL_ROLES)
def attendance(request, pk):
    session = _visible_session(request, pk)
    if not selectors.can_organise(request.user, session):
        raise PermissionDenied(_("只有组织本次培训的单位可以录入参训人员。"))
    staff, assistants = selectors.eligible_people(session)
    form = AttendanceForm(request.POST or None, staff=staff, assistants=assistants)
    if form.is_bound:
        ticked_staff = {int(v) for v in request.POST.getlist("staff_members") if v.isdigit()}
        ticked_assistants = {int(v) for v in request.POST.getlist("assistants") if v.isdigit()}
    else:
        existing = list(Attendance.objects.filter(session=session).values_list("staff_member_id", "assistant_id"))
        ticked_staff = {s for s, _a in existing if s}
        ticked_assistants = {a for _s, a in existing if a}
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
            "staff_groups": _groups(staff, lambda p: p.township, ticked_staff),
            "assistant_groups": _groups(assistants, lambda p: p.village.township, ticked_assistants),
        },
    )


@scoped(roles=ALL_ROLES)
def township(request, code):
    township = visible_township(request, code)
    year, years = page_year(request)
    return render(request, "training/township_detail.html", {
        "township": township, "record": selectors.township_record(township, year), "year": year, "years": years,
    })
