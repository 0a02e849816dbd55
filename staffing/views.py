"""Pages of the staffing app: the township's staff, posts, director opinion and village assistants.

Everyone in scope may read the lists; only the township's own clerk edits
(offices.pages.editable_township: 404 out of scope, 403 read-only). What the
pages say about the rules comes from the one computation (`staffing_results`).
"""
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from offices.models import Role, Township
from offices.pages import editable_township, form_page, page_year, visible_township
from offices.scoping import ALL_ROLES, scoped
from offices.tables import ListTable, township_info
from staffing import rules, selectors, services, tables
from staffing.forms import (
    AssistantEndForm,
    AssistantFileForm,
    AuthorizedPostsForm,
    DirectorOpinionForm,
    StaffEndForm,
    StaffMemberForm,
    VillageAssistantForm,
)
from staffing.models import AuthorizedPosts, DirectorOpinion, StaffMember, VillageAssistant

CLERKS = (Role.TOWNSHIP,)


# --- township staff -------------------------------------------------------------------------------------------


@scoped(roles=ALL_ROLES)
def staff_list(request, code):
    township = visible_township(request, code)
    year, years = page_year(request)
    can_edit = request.user.can_edit_township(township)
    staff = selectors.staff_for_township(township, year)
    names = {"township": township.name, "year": year}
    actions = "staffing/_staff_actions.html" if can_edit else ""
    in_post = ListTable(
        request, staff.in_post, tables.staff_columns(), name="in_post",
        title=_("%(township)s%(year)s年末在岗民政办工作人员") % names, info=township_info(township, year),
        actions=actions,
    )
    others = ListTable(
        request, staff.others, tables.staff_columns(), name="others",
        title=_("%(township)s已离岗或%(year)s年末尚未到岗的民政办工作人员") % names,
        info=township_info(township, year), actions=actions,
    )
    posts = ListTable(
        request, selectors.posts_by_year(township), tables.posts_columns(), name="posts",
        title=_("%(township)s民政办编制数") % names, info=township_info(township),
        empty=_("尚未录入人口或编制数。"), row_class=tables.chosen_year(year),
    )
    for table in (in_post, others, posts):
        if table.exporting:
            return table.export_response()
    results = selectors.staffing_results(township, year)
    context = {
        "township": township,
        "year": year,
        "years": years,
        "in_post": in_post,
        "others": others,
        "posts": posts,
        "workforce": selectors.staff_workforce(Township.objects.filter(pk=township.pk), year),
        "results": [results[spec.code] for spec in (rules.POSTS_AUTHORIZED, rules.STAFF_IN_POST,
                                                    rules.DIRECTOR_OPINION)],
        "opinion": results[rules.DIRECTOR_OPINION.code],
        "directors": staff.directors,
        "can_edit": can_edit,
    }
    return render(request, "staffing/staffmember_list.html", context)


@scoped(roles=CLERKS)
def staff_add(request, code):
    township = editable_township(request, code)
    form = StaffMemberForm(request.POST or None)
    return form_page(
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
    return form_page(
        request, township=township, form=form,
        save=lambda data: services.staff_update(staff=staff, **data),
        template="staffing/staffmember_form.html", title=_("编辑工作人员：%(name)s") % {"name": staff.name},
        success=_("已保存工作人员信息。"), next_url=reverse("staffing:staff_list", args=[township.code]),
        history_rows=StaffMember.history.filter(id=staff.pk),
    )


@scoped(roles=CLERKS)
def staff_end(request, code, pk):
    township = editable_township(request, code)
    staff = _staff_member(request, township, pk)
    form = StaffEndForm(request.POST or None, initial={"end_date": staff.end_date or timezone.localdate()})
    return form_page(
        request, township=township, form=form,
        save=lambda data: services.staff_end(staff=staff, **data),
        template="staffing/staffmember_end.html", title=_("登记离岗：%(name)s") % {"name": staff.name},
        success=_("已登记离岗。"), next_url=reverse("staffing:staff_list", args=[township.code]),
        history_rows=StaffMember.history.filter(id=staff.pk),
    )


@scoped(roles=CLERKS)
def posts_edit(request, code):
    township = editable_township(request, code)
    year, _years = page_year(request)
    form = AuthorizedPostsForm(request.POST or None, initial={"year": year})
    return form_page(
        request, township=township, form=form,
        save=lambda data: services.authorized_posts_set(township=township, **data),
        template="staffing/authorizedposts_form.html", title=_("编制数"),
        success=_("已保存编制数。"), next_url=reverse("staffing:posts_edit", args=[township.code]),
        context={"posts": selectors.posts_by_year(township)},
        history_rows=AuthorizedPosts.history.filter(township=township, year=year),
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
    return form_page(
        request, township=township, form=form,
        save=lambda data: services.director_opinion_set(**data),
        template="staffing/directoropinion_form.html", title=_("选聘主任征求县级民政部门意见"),
        success=_("已保存县级民政部门意见。"), next_url=reverse("staffing:staff_list", args=[township.code]),
        context={"directors": directors},
        history_rows=DirectorOpinion.history.filter(director__township=township),
    )


# --- village assistants ---------------------------------------------------------------------------------------


@scoped(roles=ALL_ROLES)
def assistant_list(request, code):
    township = visible_township(request, code)
    year, years = page_year(request)
    can_edit = request.user.can_edit_township(township)
    results = selectors.staffing_results(township, year)
    covered, filed = results[rules.VILLAGE_ASSISTANTS.code], results[rules.ASSISTANTS_FILED.code]
    rows = tables.assistant_rows(
        selectors.assistants_by_village(township, year), year,
        lacking=set(covered.items),  # village short names short of assistants, as the rule found them
        unfiled=set(filed.items),  # 「姓名（村）」 of the assistants the rule found unfiled
    )
    table = ListTable(
        request, rows, tables.assistant_columns(), name="assistants",
        title=_("%(township)s村（社区）民政助理员") % {"township": township.name},
        info=township_info(township, year), empty=_("未登记村（社区）。"), row_class=tables.assistant_row_class,
        actions="staffing/_assistant_actions.html" if can_edit else "",
    )
    if table.exporting:
        return table.export_response()
    context = {
        "township": township,
        "year": year,
        "years": years,
        "table": table,
        "results": [covered, filed],
        "workforce": selectors.assistant_workforce(Township.objects.filter(pk=township.pk), year),
        "can_edit": can_edit,
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
    if village_pk.isascii() and village_pk.isdigit():  # isdigit() alone takes "²", which int() refuses
        initial["village"] = township.villages.filter(pk=village_pk).first()
    form = VillageAssistantForm(request.POST or None, township=township, initial=initial)
    return form_page(
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
    return form_page(
        request, township=township, form=form,
        save=lambda data: services.assistant_update(assistant=assistant, **data),
        template="staffing/villageassistant_form.html",
        title=_("编辑民政助理员：%(name)s") % {"name": assistant.name},
        success=_("已保存民政助理员信息。"), next_url=reverse("staffing:assistant_list", args=[township.code]),
        history_rows=VillageAssistant.history.filter(id=assistant.pk),
    )


@scoped(roles=CLERKS)
def assistant_end(request, code, pk):
    township = editable_township(request, code)
    assistant = _assistant(request, township, pk)
    form = AssistantEndForm(request.POST or None, initial={"end_date": assistant.end_date or timezone.localdate()})
    return form_page(
        request, township=township, form=form,
        save=lambda data: services.assistant_end(assistant=assistant, **data),
        template="staffing/villageassistant_end.html", title=_("登记离任：%(name)s") % {"name": assistant.name},
        success=_("已登记离任。"), next_url=reverse("staffing:assistant_list", args=[township.code]),
        history_rows=VillageAssistant.history.filter(id=assistant.pk),
    )


@scoped(roles=CLERKS)
def assistant_file(request, code, pk):
    township = editable_township(request, code)
    assistant = _assistant(request, township, pk)
    form = AssistantFileForm(request.POST or None, initial={"filed_date": assistant.filed_date or timezone.localdate()})
    return form_page(
        request, township=township, form=form,
        save=lambda data: services.assistant_file(assistant=assistant, **data),
        template="staffing/villageassistant_file.html",
        title=_("登记报县级民政部门备案：%(name)s") % {"name": assistant.name},
        success=_("已登记备案日期。"), next_url=reverse("staffing:assistant_list", args=[township.code]),
        history_rows=VillageAssistant.history.filter(id=assistant.pk),
    )
