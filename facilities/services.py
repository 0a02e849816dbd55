"""Writes of the facilities app: each asks the lock, validates fully, then saves in one transaction.

Every write saves or deletes instance by instance, so each change leaves its
history row (offices.history).
"""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from facilities.models import Equipment, Room, StationSpaceKind, VillageStation, VillageStationSpace
from offices.compliance.store import recompute_township
from offices.reporting import changed_years, confirm_change, ensure_open, from_this_year

ROOM_FIELDS = ("kind", "name", "area", "since_year", "until_year")
EQUIPMENT_FIELDS = ("kind", "count", "networked", "note", "since_year", "until_year")
YEAR_FIELDS = ("since_year", "until_year")
AREA_FIELDS = ("area", "since_year", "until_year")
HUNDREDTH = Decimal("0.01")


def _years(item):
    return (item.since_year, item.until_year)


def _stored(model, item):
    """The row as stored (before this change), or None for a new one."""
    return model.objects.filter(pk=item.pk).first() if item.pk else None


def _spans(before, after, fields):
    """The years a change from `before` to `after` (either None) alters, for the lock."""
    content_changed = before is None or after is None or any(
        getattr(before, name) != getattr(after, name) for name in fields if name not in YEAR_FIELDS)
    return changed_years(before and _years(before), after and _years(after), content_changed=content_changed)


def _set(instance, fields, values):
    for name in fields:
        if name in values:
            setattr(instance, name, values[name])
    return instance


def _save(instance):
    instance.full_clean()
    instance.save()
    recompute_township(instance.township)
    return instance


# --- rooms and the office's floor area ------------------------------------------------------------------------


def room_area(township, year):
    """The township's total room area in use in `year` (one aggregate), in ㎡ to the hundredth on any database."""
    total = Room.objects.filter(township=township).in_use(year).aggregate(total=Sum("area"))["total"] or 0
    return Decimal(total).quantize(HUNDREDTH)


def _area_year(room):
    """The year whose total area a change to `room` is judged on: its first year, or this year while in use."""
    this_year = timezone.localdate().year
    if room.until_year is None:
        return max(room.since_year, this_year)
    return room.since_year


def _check_area(township, before, after, year, confirmed, save):
    """Run `save()`; then ask to confirm a total area in `year` that moved too far from last year's (as it was).

    Last year's total is read before the change and this year's after it, so
    deleting a room in use for years, or typing 5 for 500, is compared with what
    the office had, not with last year as rewritten by the same change.
    """
    moved = before is None or after is None or any(getattr(before, f) != getattr(after, f) for f in AREA_FIELDS)
    if not moved or confirmed:
        return save()
    previous = room_area(township, year - 1)
    saved = save()
    confirm_change(township, year, field="area", label=_("办公服务用房总使用面积"), before=previous or None,
                   after=room_area(township, year), confirmed=confirmed, unit="㎡")
    return saved


@transaction.atomic
def room_create(*, township, confirmed=False, **values):
    room = _set(Room(township=township), ROOM_FIELDS, values)
    ensure_open(township, _spans(None, room, ROOM_FIELDS))
    if room.since_year is None:
        return _save(room)  # full_clean names the missing year
    return _check_area(township, None, room, _area_year(room), confirmed, lambda: _save(room))


@transaction.atomic
def room_update(*, room, confirmed=False, **values):
    before = _stored(Room, room)
    _set(room, ROOM_FIELDS, values)
    ensure_open(room.township, _spans(before, room, ROOM_FIELDS))
    if room.since_year is None:
        return _save(room)
    return _check_area(room.township, before, room, _area_year(room), confirmed, lambda: _save(room))


@transaction.atomic
def room_delete(*, room, confirmed=False):
    township = room.township
    ensure_open(township, _spans(room, None, ROOM_FIELDS))

    def delete():
        room.delete()
        recompute_township(township)

    _check_area(township, room, None, _area_year(room), confirmed, delete)


# --- equipment ------------------------------------------------------------------------------------------------


@transaction.atomic
def equipment_create(*, township, **values):
    equipment = _set(Equipment(township=township), EQUIPMENT_FIELDS, values)
    ensure_open(township, _spans(None, equipment, EQUIPMENT_FIELDS))
    return _save(equipment)


@transaction.atomic
def equipment_update(*, equipment, **values):
    before = _stored(Equipment, equipment)
    _set(equipment, EQUIPMENT_FIELDS, values)
    ensure_open(equipment.township, _spans(before, equipment, EQUIPMENT_FIELDS))
    return _save(equipment)


@transaction.atomic
def equipment_delete(*, equipment):
    township = equipment.township
    ensure_open(township, _spans(equipment, None, EQUIPMENT_FIELDS))
    equipment.delete()
    recompute_township(township)


# --- village workstations -------------------------------------------------------------------------------------


@transaction.atomic
def station_spaces_save(*, township, entries):
    """Save every village's station space and workstation name in one go, or nothing.

    `entries` maps a village of the township → {"kind", "area", "station_name"}.
    An empty kind removes the record (not yet surveyed); an empty name removes
    the workstation. They have no dates: a change counts from this year on.
    """
    ensure_open(township, from_this_year())
    villages = {v.pk: v for v in township.villages.select_related("station", "station_space")}
    errors = []
    for village, entry in entries.items():
        if village.pk not in villages:
            raise ValidationError(_("村（社区）“%(name)s”不属于本乡镇。") % {"name": village.name}, code="foreign_village")
        village = villages[village.pk]
        try:
            _save_space(village, entry.get("kind") or "", entry.get("area"))
            _save_station(village, (entry.get("station_name") or "").strip())
        except ValidationError as error:
            errors.extend(f"{village.name}：{message}" for message in error.messages)
    if errors:
        # Raising rolls back the rows already saved in this transaction.
        raise ValidationError(errors)
    recompute_township(township)


def _save_space(village, kind, area):
    space = getattr(village, "station_space", None)
    if not kind:
        if space is not None:
            space.delete()
        return
    if kind == StationSpaceKind.NONE:
        area = None
    space = space or VillageStationSpace(village=village)
    if space.pk and space.kind == kind and space.area == area:
        return
    space.kind = kind
    space.area = area
    space.full_clean()
    space.save()


def _save_station(village, name):
    station = getattr(village, "station", None)
    if not name:
        if station is not None:
            station.delete()
        return
    if station is None or station.name != name:
        station = station or VillageStation(village=village)
        station.name = name
        station.full_clean()
        station.save()
