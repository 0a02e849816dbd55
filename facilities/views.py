"""Pages of the facilities app: rooms and area, equipment, village workstations.

Everyone in scope reads; only the township's own clerk writes
(offices.pages.editable_township answers 404 out of scope, 403 read-only).
What a page says about a rule is the one computation's result for its
township and year.
"""
import uuid

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facilities import compliance, rules, selectors, services, tables
from facilities.forms import DeleteForm, EquipmentForm, RoomDeleteForm, RoomForm, StationSpacesForm
from facilities.models import Equipment, Room
from offices.compliance.store import township_results
from offices.models import Role
from offices.pages import editable_township, form_page, page_year, visible_township
from offices.scoping import ALL_ROLES, scoped
from offices.selectors import township_context
from offices.tables import ListTable, township_info
from offices.vocabulary import EquipmentKind


def _page_context(request, township, *codes):
    """What every facilities page shows: township, year, who may edit, and its rules' results."""
    year, years = page_year(request)
    results = township_results(township, year, compliance)
    return {
        "township": township, "year": year, "years": years, "can_edit": request.user.can_edit_township(township),
        "results": results, "shown": [results[code] for code in codes],
    }


def _with_versions(items, model):
    """Give each listed row the version it was read at and a once-only token, for its delete form."""
    items = list(items)
    versions = selectors.versions_of(model, (item.pk for item in items))
    for item in items:
        item.version, item.form_token = versions.get(item.pk, 0), uuid.uuid4()
    return items


def _area(value):
    return f"{rules.format_area(value)} ㎡" if value is not None else "—"


@scoped(roles=ALL_ROLES)
def rooms(request, code):
    township = visible_township(request, code)
    page = _page_context(request, township, rules.AREA.code, rules.ROOMS.code)
    context = township_context(township, page["year"])
    area = page["results"][rules.AREA.code]
    year = page["year"]
    table = ListTable(
        request, _with_versions(selectors.rooms_for(township), Room), tables.room_columns(year), name="rooms",
        title=_("%(township)s办公服务用房清单") % {"township": township.name}, info=township_info(township, year),
        empty=_("尚未登记办公服务用房。"), row_class=tables.past(year),
        total_label=_("%(year)s年在用合计") % {"year": year},
        actions="facilities/_room_actions.html" if page["can_edit"] else "",
    )
    if table.exporting:
        return table.export_response()
    return render(request, "facilities/room_list.html", {
        **page, "standard": context.standard, "population": context.population, "table": table,
        "total_area": _area(area.actual), "required_area": _area(area.required),
    })


@scoped(roles=ALL_ROLES)
def equipment(request, code):
    township = visible_township(request, code)
    page = _page_context(request, township, rules.EQUIPMENT.code)
    result = page["results"][rules.EQUIPMENT.code]
    year = page["year"]
    table = ListTable(
        request, _with_versions(selectors.equipment_for(township), Equipment), tables.equipment_columns(year),
        name="equipment", title=_("%(township)s办公设备台账") % {"township": township.name},
        info=township_info(township, year), empty=_("尚未登记办公设备。"), row_class=tables.past(year),
        total_label=_("%(year)s年在用合计") % {"year": year},
        actions="facilities/_equipment_actions.html" if page["can_edit"] else "",
    )
    if table.exporting:
        return table.export_response()
    return render(request, "facilities/equipment_list.html", {
        **page, "checklist": selectors.equipment_checklist(township, year, result), "table": table,
    })


@scoped(roles=ALL_ROLES)
def stations(request, code):
    township = editable_township(request, code) if request.method == "POST" else visible_township(request, code)
    page = _page_context(request, township, rules.VILLAGE_STATIONS.code, rules.NAMING.code)
    form = StationSpacesForm(request.POST or None, villages=selectors.villages_for_stations(township))
    lacking = set(page["results"][rules.VILLAGE_STATIONS.code].items)
    return form_page(
        request, form=form, template="facilities/station_list.html",
        save=lambda data: services.station_spaces_save(township=township, entries=form.entries()),
        success=_("已保存村（社区）工作站办公场所与名称。"), next_url=reverse("facilities:stations", args=[code]),
        context={**page, "lacking_space": lacking}, history_rows=selectors.station_sheet_history(township),
    )


def _item_form(request, township, form, title, save, list_url, history_rows=None, success=None, help_text=""):
    return form_page(
        request, form=form, save=save, template="facilities/item_form.html", success=success or _("已保存。"),
        next_url=reverse(list_url, args=[township.code]), history_rows=history_rows,
        context={"township": township, "title": title, "help_text": help_text},
    )


def _gone(request, list_url, code):
    """A delete posted again (a double click) or of a row deleted meanwhile: say so instead of a 404 page."""
    messages.info(request, _("该记录已不存在（可能已被删除），未再次删除。"))
    return redirect(list_url, code=code)


def _posted(request):
    """The POST of a delete form (bound even when it carries nothing but the CSRF token)."""
    return request.POST if request.method == "POST" else None


@scoped(roles=(Role.TOWNSHIP,))
def room_add(request, code):
    township = editable_township(request, code)
    form = RoomForm(request.POST or None, initial={"since_year": timezone.localdate().year})
    return _item_form(request, township, form, _("登记办公服务用房"),
                      lambda data: services.room_create(township=township, **data), "facilities:rooms")


@scoped(roles=(Role.TOWNSHIP,))
def room_edit(request, code, pk):
    township = editable_township(request, code)
    room = get_object_or_404(Room.objects.for_user(request.user), township=township, pk=pk)
    form = RoomForm(request.POST or None, instance=room)
    return _item_form(request, township, form, _("修改办公服务用房"),
                      lambda data: services.room_update(room=room, **data), "facilities:rooms",
                      history_rows=Room.history.filter(id=room.pk))


@scoped(roles=(Role.TOWNSHIP,))
@require_POST
def room_delete(request, code, pk):
    """Delete a room posted from the list; a refusal (locked, changed since read, area to confirm) shows a page."""
    township = editable_township(request, code)
    room = Room.objects.for_user(request.user).filter(township=township, pk=pk).first()
    if room is None:
        return _gone(request, "facilities:rooms", code)
    name = room.name
    return _item_form(request, township, RoomDeleteForm(_posted(request)),
                      _("删除办公服务用房：%(name)s") % {"name": name},
                      lambda data: services.room_delete(room=room, **data), "facilities:rooms",
                      history_rows=Room.history.filter(id=pk), success=_("已删除“%(name)s”。") % {"name": name},
                      help_text=_("删除后该用房不再计入使用面积。核实无误后点击保存即删除。"))


@scoped(roles=(Role.TOWNSHIP,))
def equipment_add(request, code):
    township = editable_township(request, code)
    initial = {"since_year": timezone.localdate().year, "kind": request.GET.get("kind", "")}
    if initial["kind"] == EquipmentKind.COMPUTER:
        initial["networked"] = True
    form = EquipmentForm(request.POST or None, initial=initial)
    return _item_form(request, township, form, _("登记办公设备"),
                      lambda data: services.equipment_create(township=township, **data), "facilities:equipment")


@scoped(roles=(Role.TOWNSHIP,))
def equipment_edit(request, code, pk):
    township = editable_township(request, code)
    item = get_object_or_404(Equipment.objects.for_user(request.user), township=township, pk=pk)
    form = EquipmentForm(request.POST or None, instance=item)
    return _item_form(request, township, form, _("修改办公设备"),
                      lambda data: services.equipment_update(equipment=item, **data), "facilities:equipment",
                      history_rows=Equipment.history.filter(id=item.pk))


@scoped(roles=(Role.TOWNSHIP,))
@require_POST
def equipment_delete(request, code, pk):
    """Delete equipment posted from the list; a refusal (locked, changed since read) shows a page."""
    township = editable_township(request, code)
    item = Equipment.objects.for_user(request.user).filter(township=township, pk=pk).first()
    if item is None:
        return _gone(request, "facilities:equipment", code)
    name = str(item)
    return _item_form(request, township, DeleteForm(_posted(request)), _("删除办公设备：%(name)s") % {"name": name},
                      lambda data: services.equipment_delete(equipment=item), "facilities:equipment",
                      history_rows=Equipment.history.filter(id=pk), success=_("已删除“%(name)s”。") % {"name": name},
                      help_text=_("核实无误后点击保存即删除。"))
