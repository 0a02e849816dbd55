"""Writes validate fully and save all or nothing."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from facilities import services
from facilities.models import Room, VillageStation, VillageStationSpace
from tests.factories.facilities import VillageStationFactory, VillageStationSpaceFactory
from tests.factories.offices import VillageFactory

pytestmark = pytest.mark.django_db


def test_room_create_and_update(township):
    room = services.room_create(township=township, kind="office", name="办公室", area=Decimal("25.50"), since_year=2020)
    services.room_update(room=room, area=Decimal("30"), until_year=2024)
    room.refresh_from_db()
    assert room.area == Decimal("30.00") and room.until_year == 2024


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"area": Decimal("0")}, "area", "使用面积必须大于0。"),
        ({"until_year": 2010}, "until_year", "停用年度不能早于启用年度。"),
        ({"since_year": 1800}, "since_year", "启用年度应在1949至2100之间。"),
    ],
)
def test_room_create_rejects_bad_values(township, values, field, message):
    data = {"kind": "office", "name": "办公室", "area": Decimal("20"), "since_year": 2020, **values}
    with pytest.raises(ValidationError) as error:
        services.room_create(township=township, **data)
    assert message in error.value.message_dict[field]
    assert not Room.objects.exists()


def test_duplicate_room_has_chinese_message(township):
    services.room_create(township=township, kind="office", name="办公室", area=Decimal("20"), since_year=2020)
    with pytest.raises(ValidationError) as error:
        services.room_create(township=township, kind="office", name="办公室", area=Decimal("20"), since_year=2020)
    assert "本乡镇已登记同名且同一年度启用的房间。" in error.value.messages


def test_equipment_networked_only_for_computers(township):
    with pytest.raises(ValidationError) as error:
        services.equipment_create(township=township, kind="printer", count=1, networked=True, since_year=2020)
    assert "只有电脑可以标注“可联网”。" in error.value.message_dict["networked"]
    computer = services.equipment_create(township=township, kind="computer", count=2, networked=True, since_year=2020)
    assert computer.networked


def test_station_spaces_saved_together(township):
    first = VillageFactory(township=township, name="甲村村民委员会")
    second = VillageFactory(township=township, name="乙村村民委员会")
    VillageStationFactory(village=second, name="乙村便民服务站")
    services.station_spaces_save(township=township, entries={
        first: {"kind": "own_room", "area": Decimal("20"), "station_name": "甲村民政工作站"},
        second: {"kind": "hall_window", "area": None, "station_name": "乙村民政工作站"},
    })
    assert VillageStationSpace.objects.count() == 2
    assert set(VillageStation.objects.values_list("name", flat=True)) == {"甲村民政工作站", "乙村民政工作站"}


def test_station_spaces_all_or_nothing(township):
    first = VillageFactory(township=township)
    second = VillageFactory(township=township)
    with pytest.raises(ValidationError) as error:
        services.station_spaces_save(township=township, entries={
            first: {"kind": "own_room", "area": Decimal("20"), "station_name": "x"},
            second: {"kind": "none", "area": None, "station_name": "y" * 81},
        })
    assert second.name in error.value.messages[0]
    assert not VillageStationSpace.objects.exists()
    assert not VillageStation.objects.exists()


def test_station_spaces_blank_removes(township):
    village = VillageFactory(township=township)
    VillageStationSpaceFactory(village=village)
    VillageStationFactory(village=village)
    services.station_spaces_save(township=township, entries={village: {"kind": "", "area": None, "station_name": ""}})
    assert not VillageStationSpace.objects.exists() and not VillageStation.objects.exists()


def test_station_spaces_refuses_foreign_village(township, other_township):
    foreign = VillageFactory(township=other_township)
    with pytest.raises(ValidationError):
        services.station_spaces_save(township=township, entries={foreign: {"kind": "own_room", "area": None}})
    assert not VillageStationSpace.objects.exists()
