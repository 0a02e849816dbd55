from decimal import Decimal

import factory

from facilities.models import Equipment, Room, StationSpaceKind, VillageStation, VillageStationSpace
from offices.vocabulary import RoomKind
from tests.factories.base import Factory
from tests.factories.offices import TownshipFactory, VillageFactory


class RoomFactory(Factory):
    class Meta:
        model = Room

    township = factory.SubFactory(TownshipFactory)
    kind = "office"
    name = factory.Sequence(lambda n: f"办公室{n}")
    area = Decimal("30.00")
    since_year = 2015
    until_year = None


class EquipmentFactory(Factory):
    class Meta:
        model = Equipment

    township = factory.SubFactory(TownshipFactory)
    kind = "telephone"
    count = 1
    networked = factory.LazyAttribute(lambda o: o.kind == "computer")
    since_year = 2015
    until_year = None


class VillageStationFactory(Factory):
    class Meta:
        model = VillageStation

    village = factory.SubFactory(VillageFactory)
    name = factory.LazyAttribute(lambda o: f"{o.village.short_name}民政工作站")


class VillageStationSpaceFactory(Factory):
    class Meta:
        model = VillageStationSpace

    village = factory.SubFactory(VillageFactory)
    kind = StationSpaceKind.OWN_ROOM
    area = Decimal("20.00")


def full_rooms(township, area_each=Decimal("30.00"), since_year=2015):
    """One room of each required kind (office, reception, archive, storage)."""
    return [
        RoomFactory(township=township, kind=kind, name=str(RoomKind(kind).label), area=area_each, since_year=since_year)
        for kind in ("office", "reception", "archive", "storage")
    ]


SHANDONG_EQUIPMENT = [
    "telephone", "computer", "printer", "desk_chairs", "av_recorder", "archive_cabinet", "service_vehicle",
]


def full_equipment(township, kinds=SHANDONG_EQUIPMENT, since_year=2015):
    return [EquipmentFactory(township=township, kind=kind, since_year=since_year) for kind in kinds]
