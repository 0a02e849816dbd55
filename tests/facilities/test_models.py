"""Constraints the database holds even when a write skips validation."""
from decimal import Decimal

import pytest
from django.db import IntegrityError

from facilities.models import Equipment, Room, VillageStationSpace
from tests.factories.facilities import EquipmentFactory, RoomFactory
from tests.factories.offices import VillageFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (Room, {"kind": "office", "name": "零面积", "area": Decimal("0"), "since_year": 2020}),
        (Room, {"kind": "office", "name": "倒序", "area": Decimal("5"), "since_year": 2020, "until_year": 2019}),
        (Equipment, {"kind": "printer", "count": 0, "since_year": 2020}),
        (Equipment, {"kind": "printer", "count": 1, "networked": True, "since_year": 2020}),
        (Equipment, {"kind": "printer", "count": 1, "since_year": 1800}),
    ],
)
def test_check_constraints(township, model, values):
    with pytest.raises(IntegrityError):
        model.objects.create(township=township, **values)


def test_room_name_unique_per_since_year(township):
    RoomFactory(township=township, name="档案室", since_year=2020)
    RoomFactory(township=township, name="档案室", since_year=2024)  # a new archive room later is fine
    with pytest.raises(IntegrityError):
        Room.objects.create(township=township, kind="archive", name="档案室", area=Decimal("9"), since_year=2020)


def test_station_space_area_rules(township):
    village = VillageFactory(township=township)
    with pytest.raises(IntegrityError):
        VillageStationSpace.objects.create(village=village, kind="none", area=Decimal("10"))


def test_station_space_area_positive(township):
    with pytest.raises(IntegrityError):
        village = VillageFactory(township=township)
        VillageStationSpace.objects.create(village=village, kind="own_room", area=Decimal("0"))


def test_in_use_queryset(township):
    RoomFactory(township=township, name="a", since_year=2020, until_year=2023)
    RoomFactory(township=township, name="b", since_year=2024)
    assert list(Room.objects.in_use(2023).values_list("name", flat=True)) == ["a"]
    assert list(Room.objects.in_use(2024).values_list("name", flat=True)) == ["b"]
    assert not Room.objects.in_use(2019).exists()


def test_for_user_scopes_by_township(township, other_township, clerk, county_official):
    EquipmentFactory(township=township)
    EquipmentFactory(township=other_township)
    assert Equipment.objects.for_user(clerk).count() == 1
    assert Equipment.objects.for_user(county_official).count() == 2
