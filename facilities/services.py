"""Writes of the facilities app: each validates fully, then saves in one transaction."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from facilities.models import Equipment, Room, StationSpaceKind, VillageStation, VillageStationSpace
from offices.compliance.store import recompute_township

ROOM_FIELDS = ("kind", "name", "area", "since_year", "until_year")
EQUIPMENT_FIELDS = ("kind", "count", "networked", "note", "since_year", "until_year")


def _save(instance, fields, values):
    for name in fields:
        if name in values:
            setattr(instance, name, values[name])
    instance.full_clean()
    instance.save()
    recompute_township(instance.township)
    return instance


@transaction.atomic
def room_create(*, township, **values):
    return _save(Room(township=township), ROOM_FIELDS, values)


@transaction.atomic
def room_update(*, room, **values):
    return _save(room, ROOM_FIELDS, values)


@transaction.atomic
def room_delete(*, room):
    township = room.township
    room.delete()
    recompute_township(township)


@transaction.atomic
def equipment_create(*, township, **values):
    return _save(Equipment(township=township), EQUIPMENT_FIELDS, values)


@transaction.atomic
def equipment_update(*, equipment, **values):
    return _save(equipment, EQUIPMENT_FIELDS, values)


@transaction.atomic
def equipment_delete(*, equipment):
    township = equipment.township
    equipment.delete()
    recompute_township(township)


@transaction.atomic
def station_spaces_save(*, township, entries):
    """Save every village's station space and workstation name in one go, or nothing.

    `entries` maps a village of the township → {"kind", "area", "station_name"}.
    An empty kind removes the record (not yet surveyed); an empty name removes
    the workstation.
    """
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
