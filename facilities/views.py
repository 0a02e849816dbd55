"""Pages of the facilities app: rooms and area, equipment, village station spaces.

Everyone in scope reads; only the township's own clerk writes
(offices.views.editable_township answers 404 out of scope, 403 read-only).
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facilities import rules, selectors, services
from facilities.forms import EquipmentForm, RoomForm, StationSpacesForm
from facilities.models import Equipment, Room
from offices.models import Role
from offices.scoping import ALL_ROLES, scoped
from offices.selectors import visible_township
from offices.views import can_edit_township, editable_township, selected_year


def _visible(request, code):
    township = visible_township(request.user, code)
    if township is None:
        raise Http404(_("未找到该乡镇，或您无权查看。"))
    return township


def _year(request):
    year, years = selected_year(request)
    return year or timezone.localdate().year, years


def _page(request, township, template, **context):
    year = context.pop("year")
    return render(request, template, {
        "township": township, "year": year, "can_edit": can_edit_township(request.user, township), **context,
    })


@scoped(roles=ALL_ROLES)
def rooms(request, code):
    township = _visible(request, code)
    year, years = _year(request)
    context, results = selectors.facilities_results(township, year)
    return _page(
        request, township, "facilities/room_list.html", year=year, years=years, standard=context.standard,
        population=context.population, rooms=selectors.rooms_for(township),
        area=results[rules.AREA], room_groups=results[rules.ROOMS],
        total_area=_area(results[rules.AREA].actual), required_area=_area(results[rules.AREA].required),
    )


def _area(value):
    return f"{rules.format_area(value)} ㎡" if value is not None else "—"


@scoped(roles=ALL_ROLES)
def equipment(request, code):
    township = _visible(request, code)
    year, years = _year(request)
    context, results = selectors.facilities_results(township, year)
    return _page(
        request, township, "facilities/equipment_list.html", year=year, years=years, standard=context.standard,
        checklist=selectors.equipment_checklist(township, year, context.standard),
        items=selectors.equipment_for(township), result=results[rules.EQUIPMENT],
    )


@scoped(roles=ALL_ROLES)
def stations(request, code):
    township = _visible(request, code)
    if request.method == "POST":
        township = editable_township(request, code)
    year, years = _year(request)
    form = StationSpacesForm(request.POST or None, villages=selectors.villages_for_stations(township))
    if request.method == "POST" and form.is_valid():
        try:
            services.station_spaces_save(township=township, entries=form.entries())
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已保存村（社区）工作站办公场所与名称。"))
            return redirect("facilities:stations", code=township.code)
    _context, results = selectors.facilities_results(township, year)
    return _page(
        request, township, "facilities/station_list.html", year=year, years=years, form=form,
        spaces=results[rules.VILLAGE_STATIONS], naming=results[rules.NAMING],
    )


def _form_page(request, township, form, title, on_valid, done_url):
    if request.method == "POST" and form.is_valid():
        try:
            on_valid(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect(done_url)
    return render(request, "facilities/item_form.html", {
        "township": township, "form": form, "title": title, "cancel_url": done_url,
    })


@scoped(roles=(Role.TOWNSHIP,))
def room_add(request, code):
    township = editable_township(request, code)
    form = RoomForm(request.POST or None, initial={"since_year": timezone.localdate().year})
    return _form_page(
        request, township, form, _("登记办公服务用房"),
        lambda data: services.room_create(township=township, **data), reverse("facilities:rooms", args=[code]),
    )


@scoped(roles=(Role.TOWNSHIP,))
def room_edit(request, code, pk):
    township = editable_township(request, code)
    room = get_object_or_404(Room.objects.for_user(request.user), township=township, pk=pk)
    form = RoomForm(request.POST or None, instance=room)
    return _form_page(
        request, township, form, _("修改办公服务用房"),
        lambda data: services.room_update(room=room, **data), reverse("facilities:rooms", args=[code]),
    )


@scoped(roles=(Role.TOWNSHIP,))
@require_POST
def room_delete(request, code, pk):
    township = editable_township(request, code)
    room = get_object_or_404(Room.objects.for_user(request.user), township=township, pk=pk)
    services.room_delete(room=room)
    messages.success(request, _("已删除“%(name)s”。") % {"name": room.name})
    return redirect("facilities:rooms", code=code)


@scoped(roles=(Role.TOWNSHIP,))
def equipment_add(request, code):
    township = editable_township(request, code)
    initial = {"since_year": timezone.localdate().year, "kind": request.GET.get("kind", "")}
    if initial["kind"] == "computer":
        initial["networked"] = True
    form = EquipmentForm(request.POST or None, initial=initial)
    return _form_page(
        request, township, form, _("登记办公设备"),
        lambda data: services.equipment_create(township=township, **data), reverse("facilities:equipment", args=[code]),
    )


@scoped(roles=(Role.TOWNSHIP,))
def equipment_edit(request, code, pk):
    township = editable_township(request, code)
    item = get_object_or_404(Equipment.objects.for_user(request.user), township=township, pk=pk)
    form = EquipmentForm(request.POST or None, instance=item)
    return _form_page(
        request, township, form, _("修改办公设备"),
        lambda data: services.equipment_update(equipment=item, **data), reverse("facilities:equipment", args=[code]),
    )


@scoped(roles=(Role.TOWNSHIP,))
@require_POST
def equipment_delete(request, code, pk):
    township = editable_township(request, code)
    item = get_object_or_404(Equipment.objects.for_user(request.user), township=township, pk=pk)
    services.equipment_delete(equipment=item)
    messages.success(request, _("已删除“%(name)s”。") % {"name": item})
    return redirect("facilities:equipment", code=code)
