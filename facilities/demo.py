"""Demo data of the facilities app: rooms, equipment, village workstations and their space.

Most townships meet the default standard; realistic exceptions make every
rule fail somewhere: small offices, a missing archive or storage room, no
audio/video recorder or service vehicle, computers that cannot go online,
offices enlarged only in the last year, villages without a workstation, a
workstation under another name, villages without a station space.
"""
from decimal import ROUND_HALF_UP, Decimal

from facilities.models import Equipment, Room, StationSpaceKind, VillageStation, VillageStationSpace
from facilities.rules import required_area
from offices.models import Population
from offices.standards_catalog import SHANDONG_DEFAULT
from offices.vocabulary import EquipmentKind, RoomKind

CENT = Decimal("0.01")


def _money_area(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _requirements(townships, years):
    """Township id → the largest required area over the demo years under the default standard."""
    per_10k = Decimal(SHANDONG_DEFAULT["area_per_10k_population"])
    minimum = Decimal(SHANDONG_DEFAULT["area_minimum"])
    peak = {}
    for township_id, resident in Population.objects.filter(
        township__in=townships, year__in=years
    ).values_list("township_id", "resident"):
        peak[township_id] = max(peak.get(township_id, 0), resident)
    return {t.pk: required_area(peak.get(t.pk), per_10k, minimum) or minimum for t in townships}


def build_rooms(rng, townships, years):
    requirement = _requirements(townships, years)
    first, last = years[0], years[-1]
    rooms = []
    for township in townships:
        needed = requirement[township.pk]
        roll = rng.random()
        # 6%: the reception hall was only opened in the last year (earlier years fall short).
        late_hall = roll > 0.94
        if roll < 0.08:
            total = needed * Decimal(str(rng.uniform(0.55, 0.95)))  # a cramped office
        elif late_hall:
            total = needed * Decimal(str(rng.uniform(1.03, 1.2)))
        else:
            total = needed * Decimal(str(rng.uniform(1.03, 1.6)))
        since = rng.randint(2006, first - 1)
        kinds = [RoomKind.OFFICE, RoomKind.OFFICE]
        kinds.append(RoomKind.SERVICE_WINDOW if rng.random() < 0.55 else RoomKind.RECEPTION)
        if rng.random() > 0.05:
            kinds.append(RoomKind.ARCHIVE)
        if rng.random() > 0.06:
            kinds.append(RoomKind.STORAGE)
        if rng.random() < 0.3:
            kinds.append(RoomKind.OTHER)
        weights = {RoomKind.OFFICE: 3, RoomKind.RECEPTION: 3, RoomKind.SERVICE_WINDOW: 3, RoomKind.ARCHIVE: 2,
                   RoomKind.STORAGE: 2, RoomKind.OTHER: 1}
        weight_sum = sum(weights[k] for k in kinds)
        for number, kind in enumerate(kinds, start=1):
            area = max(_money_area(total * weights[kind] / weight_sum), Decimal("6.00"))
            label = RoomKind(kind).label
            name = f"{label}{number if kind == RoomKind.OFFICE else ''}"
            room_since = last if late_hall and kind in (RoomKind.RECEPTION, RoomKind.SERVICE_WINDOW) else since
            rooms.append(Room(township=township, kind=kind, name=name, area=area, since_year=room_since))
        if late_hall:
            # The old, smaller reception room it replaced.
            rooms.append(Room(township=township, kind=RoomKind.RECEPTION, name="原群众接待室",
                              area=Decimal("8.00"), since_year=since, until_year=last - 1))
    Room.objects.bulk_create(rooms, batch_size=2000)
    return rooms


def build_equipment(rng, townships, years):
    first, last = years[0], years[-1]
    items = []
    for township in townships:
        since = rng.randint(2010, first - 1)

        def add(kind, count, networked=False, item_since=since, note=""):
            items.append(Equipment(township=township, kind=kind, count=count, networked=networked,
                                   since_year=item_since, note=note))

        add(EquipmentKind.TELEPHONE, rng.randint(1, 4))
        if rng.random() < 0.03:
            add(EquipmentKind.COMPUTER, rng.randint(1, 3), networked=False, note="内网专用，不能联网")
        else:
            add(EquipmentKind.COMPUTER, rng.randint(2, 6), networked=True)
            if rng.random() < 0.2:
                add(EquipmentKind.COMPUTER, 1, networked=False, note="涉密单机")
        add(EquipmentKind.PRINTER, rng.randint(1, 3))
        add(EquipmentKind.DESK_CHAIRS, rng.randint(4, 12))
        if rng.random() > 0.07:
            add(EquipmentKind.AV_RECORDER, 1)
        add(EquipmentKind.ARCHIVE_CABINET, rng.randint(2, 8))
        roll = rng.random()
        if roll > 0.08:
            # 10% of vehicles arrived only in the last year.
            add(EquipmentKind.SERVICE_VEHICLE, 1, item_since=last if roll > 0.9 else since)
        if rng.random() < 0.7:
            add(EquipmentKind.AIR_CONDITIONER, rng.randint(1, 4))
        if rng.random() < 0.4:
            add(EquipmentKind.FAX, 1)
    Equipment.objects.bulk_create(items, batch_size=2000)
    return items


def build_stations(rng, townships, villages):
    """Workstations: mostly by the naming convention, with realistic exceptions.

    Gaps cluster in a few townships (a township that has not finished setting
    them up), as in the field; the rest are in order.
    """
    lagging = {t.pk for t in townships if rng.random() < 0.12}
    stations = []
    for village in villages:
        if village.township_id in lagging:
            roll = rng.random()
            if roll < 0.15:
                continue  # no workstation set up yet
            name = f"{village.short_name}民政工作站" if roll < 0.85 else f"{village.short_name}便民服务站"
        else:
            name = f"{village.short_name}民政工作站"
        stations.append(VillageStation(village=village, name=name))
    VillageStation.objects.bulk_create(stations, batch_size=2000)
    return stations


def build_station_spaces(rng, villages):
    """About 3% of villages lack a station space, concentrated in a fifth of the townships."""
    lagging = {}
    spaces = []
    for village in villages:
        if village.township_id not in lagging:
            lagging[village.township_id] = rng.random() < 0.2
        roll = rng.random()
        if lagging[village.township_id] and roll < 0.14:
            if roll < 0.07:
                continue  # not surveyed yet
            spaces.append(VillageStationSpace(village=village, kind=StationSpaceKind.NONE))
        elif roll < 0.6:
            spaces.append(VillageStationSpace(village=village, kind=StationSpaceKind.OWN_ROOM,
                                              area=_money_area(rng.uniform(12, 45))))
        else:
            spaces.append(VillageStationSpace(village=village, kind=StationSpaceKind.HALL_WINDOW))
    VillageStationSpace.objects.bulk_create(spaces, batch_size=2000)
    return spaces


def build(rng, units):
    """Build rooms, equipment, workstations and their spaces for every demo township and village."""
    years = tuple(units.years)
    build_stations(rng, units.townships, units.villages)
    build_rooms(rng, units.townships, years)
    build_equipment(rng, units.townships, years)
    build_station_spaces(rng, units.villages)
