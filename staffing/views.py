"""Pages of the staffing app: the township's staff, posts, director opinion and village assistants.

Everyone in scope may read the lists; only the township's own clerk edits
(offices.views.editable_township: 404 out of scope, 403 read-only).
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from offices.models import Role, Township
from offices.scoping import ALL_ROLES, scoped
from offices.selectors import visible_township
from offices.views import can_edit_township, editable_township, selected_year
from staffing import rules, selectors, services
from staffing.forms import (
    AssistantEndForm,
    AssistantFileForm,
    AuthorizedPostsForm,
    DirectorOpinionForm,
    StaffEndForm,
    StaffMemberForm,
    VillageAssistantForm,
)
from staffing.models import StaffMember, VillageAssistant

CLERKS = (Role.TOWNSHIP,)


def _readable_township(request, code):
    township = visible_township(request.user, code)
    if township is None:
        raise Http404(_("未找到该乡镇，或您无权查看。"))
    return township


def _year(request):
    year, years = selected_year(request)
    return year or timezone.localdate().year, years


def add_service_errors(form, error):
    """Show a service's ValidationError on the form: on its field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _form_page(request, *, township, form, save, template, title, success, next_url, extra=None):
    """Validate, call the service, report: the shared shape of every data-entry page."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(next_url)
    context = {"township": township, "form": form, "title": title, "cancel_url": next_url, **(extra or {})}
    return render(request, template, context)


# --- township staff -------------------------------------------------------------------------------------------


@scoped(roles=ALL_ROLES)
def staff_list(request, code):
    township = _readable_township(request, code)
    year, years = _year(request)
    in_post, others = selectors.staff_for_township(township, year)
    posts = selectors.posts_by_year(township)
    context = {
        "township": township,
        "year": year,
        "years": years,
        "in_post": in_post,
        "others": others,
        "workforce": selectors.workforce_indicators(Township.objects.filter(pk=township.pk), year)["staff"],
        "posts": posts,
        "posts_this_year": next((row for row in posts if row.year == year), None),
        "directors": selectors.directors_of(township),
        "can_edit": can_edit_township(request.user, township),
    }
    return render(request, "staffing/staffmember_list.html", context)


@scoped(roles=CLERKS)
def staff_add(request, code):
    township = editable_township(request, code)
    form = StaffMemberForm(request.POST or None)
    return _form_page(
        request, township=township, form=form,
        save=lambda data: services.staff_create(township=township, **data),
        template="staffing/staffmember_form.html", title=_("新增民政办工作人员"),
        success=_("已新增工作人员。"), next_url=reverse("staffing:staff_list", args=[township.code]),
    )


def _staff_member(request, township, pk):
    return get_object_or_404(StaffMember.objects.for_user(request.user), pk=pk, township=township)


@scoped(roles=CLERKS)
def staff_edit(request, code, pk):
    township = editable_township(request, code)
    staff = _staff_member(request, township, pk)
    form = StaffMemberForm(request.POST or None, instance=staff)
    return _form_page(
        request, township=township, form=form,
        save=lambda data: services.staff_update(staff=staff, **data),
        template="staffing/staffmember_form.html", title=_("编辑工作人员：%(name)s") % {"name": staff.name},
        success=_("已保存工作人员信息。"), next_url=reverse("staffing:staff_list", args=[township.code]),
    )


@scoped(roles=CLERKS)
def staff_end(request, code, pk):
    township = editable_township(request, code)
    staff = _staff_member(request, township, pk)
    form = StaffEndForm(request.POST or None, initial={"end_date": staff.end_date or timezone.localdate()})
    return _form_page(
        request, township=township, form=form,
        save=lambda data: services.staff_end(staff=staff, **data),
        template="staffing/staffmember_end.html", title=_("登记离岗：%(name)s") % {"name": staff.name},
        success=_("已登记离岗。"), next_url=reverse("staffing:staff_list", args=[township.code]),
    )


@scoped(roles=CLERKS)
def posts_edit(request, code):
    township = editable_township(request, code)
    year, _years = _year(request)
    form = AuthorizedPostsForm(request.POST or None, initial={"year": year})
    return _form_page(
        request, township=township, form=form,
        save=lambda data: services.authorized_posts_set(township=township, **data),
        template="staffing/authorizedposts_form.html", title=_("编制数"),
        success=_("已保存编制数。"), next_url=reverse("staffing:posts_edit", args=[township.code]),
        extra={"posts": selectors.posts_by_year(township)},
    )


@scoped(roles=CLERKS)
def director_opinion(request, code):
    township = editable_township(request, code)
    directors = selectors.directors_of(township)
    chosen = next((d for d in directors if str(d.pk) == request.GET.get("director")), None)
    chosen = chosen or next((d for d in directors if d.end_date is None), None) or (directors[0] if directors else None)
    initial = {"director": chosen}
    opinion = getattr(chosen, "county_opinion", None) if chosen else None
    if opinion:
        initial.update(opinion_date=opinion.opinion_date, reference=opinion.reference, note=opinion.note)
    form = DirectorOpinionForm(
        request.POST or None,
        initial=initial,
        directors=StaffMember.objects.filter(township=township, post=StaffMember.Post.DIRECTOR),
    )
    return _form_page(
        request, township=township, form=form,
        save=lambda data: services.director_opinion_set(**data),
        template="staffing/directoropinion_form.html", title=_("选聘主任征求县级民政部门意见"),
        success=_("已保存县级民政部门意见。"), next_url=reverse("staffing:staff_list", args=[township.code]),
        extra={"directors": directors},
    )


# --- village assistants ---------------------------------------------------------------------------------------


@scoped(roles=ALL_ROLES)
def assistant_list(request, code):
    township = _readable_township(request, code)
    year, years = _year(request)
    rows = selectors.assistants_by_village(township, year)
    lacking = [row for row in rows if not row.in_post]
    context = {
        "township": township,
        "year": year,
        "years": years,
        "rows": rows,
        "lacking": lacking,
        "lacking_names": "、".join(row.village.short_name for row in lacking[: rules.NAMES_LISTED]),
        "unfiled": [a for row in rows for a in row.in_post if not rules.filed_by_year_end(a.filed_date, year)],
        "workforce": selectors.workforce_indicators(Township.objects.filter(pk=township.pk), year)["assistants"],
        "can_edit": can_edit_township(request.user, township),
    }
    return render(request, "staffing/villageassistant_list.html", context)


def _assistant(request, township, pk):
    return get_object_or_404(
        VillageAssistant.objects.for_user(request.user).select_related("village"), pk=pk, village__township=township
    )


@scoped(roles=CLERKS)
def assistant_add(request, code):
    township = editable_township(request, code)
    initial = {}
    village_pk = request.GET.get("village", "")
    if village_pk.isdigit():
        initial["village"] = township.villages.filter(pk=village_pk).first()
    form = VillageAssistantForm(request.POST or None, township=township, initial=initial)
    return _form_page(
        request, township=township, form=form,
        save=lambda data: services.assistant_create(**data),
        template="staffing/villageassistant_form.html", title=_("新增村（社区）民政助理员"),
        success=_("已新增民政助理员。"), next_url=reverse("staffing:assistant_list", args=[township.code]),
    )


@scoped(roles=CLERKS)
def assistant_edit(request, code, pk):
    township = editable_township(request, code)
    assistant = _assistant(request, township, pk)
    form = VillageAssistantForm(request.POST or None, township=township, instance=assistant)
    return _form_page(
        request, township=township, form=form,
        save=lambda data: services.assistant_update(assistant=assistant, **data),
        template="staffing/villageassistant_form.html",
        title=_("编辑民政助理员：%(name)s") % {"name": assistant.name},
        success=_("已保存民政助理员信息。"), next_url=reverse("staffing:assistant_list", args=[township.code]),
    )


@scoped(roles=CLERKS)
def assistant_end(request, code, pk):
    township = editable_township(request, code)
    assistant = _assistant(request, township, pk)
    form = AssistantEndForm(request.POST or None, initial={"end_date": assistant.end_date or timezone.localdate()})
    return _form_page(
        request, township=township, form=form,
        save=lambda data: services.assistant_end(assistant=assistant, **data),
        template="staffing/villageassistant_end.html", title=_("登记离任：%(name)s") % {"name": assistant.name},
        success=_("已登记离任。"), next_url=reverse("staffing:assistant_list", args=[township.code]),
    )


@scoped(roles=CLERKS)
def assistant_file(request, code, pk):
    township = editable_township(request, code)
    assistant = _assistant(request, township, pk)
    form = AssistantFileForm(request.POST or None, initial={"filed_date": assistant.filed_date or timezone.localdate()})
    return _form_page(
        request, township=township, form=form,
        save=lambda data: services.assistant_file(assistant=assistant, **data),
        template="staffing/villageassistant_file.html",
        title=_("登记报县级民政部门备案：%(name)s") % {"name": assistant.name},
        success=_("已登记备案日期。"), next_url=reverse("staffing:assistant_list", args=[township.code]),
    )
