"""Pages: the clerk enters data, county/city read, everyone else gets 404; bad input never writes."""
from decimal import Decimal

import pytest
from django.urls import reverse

from facilities.models import Equipment, Room, VillageStation, VillageStationSpace
from tests.factories.facilities import EquipmentFactory, RoomFactory, full_rooms
from tests.factories.offices import (
    PopulationFactory,
    StandardFactory,
    TownshipFactory,
    UserFactory,
    VillageFactory,
)
from tests.store import fill_store

pytestmark = pytest.mark.django_db

LIST_PAGES = ["facilities:rooms", "facilities:equipment", "facilities:stations"]


@pytest.fixture
def standard(db):
    return StandardFactory()


@pytest.mark.parametrize("name", LIST_PAGES)
def test_clerk_county_and_city_read_list_pages(township, clerk, county_official, city_staff, login, standard, name):
    PopulationFactory(township=township, year=2025, resident=100_000)
    url = reverse(name, args=[township.code]) + "?year=2025"
    for user in (clerk, county_official, city_staff):
        response = login(user).get(url)
        assert response.status_code == 200


@pytest.mark.parametrize("name", LIST_PAGES + ["facilities:room_add", "facilities:equipment_add"])
def test_another_townships_clerk_gets_404(township, other_township, login, name):
    intruder = UserFactory(role="township", township=other_township)
    assert login(intruder).get(reverse(name, args=[township.code])).status_code == 404


def test_other_county_official_gets_404(township, other_county, login):
    official = UserFactory(role="county", county=other_county)
    assert login(official).get(reverse("facilities:rooms", args=[township.code])).status_code == 404


def test_room_page_shows_total_against_required(township, clerk, login, standard):
    PopulationFactory(township=township, year=2025, resident=100_000)
    full_rooms(township, area_each=Decimal("49.99"))
    content = login(clerk).get(reverse("facilities:rooms", args=[township.code]) + "?year=2025").content.decode()
    assert "199.96" in content and "200 ㎡" in content
    assert "缺0.04㎡" in content


def test_read_only_roles_cannot_write(township, county_official, login):
    client = login(county_official)
    assert client.get(reverse("facilities:room_add", args=[township.code])).status_code == 403
    room = RoomFactory(township=township)
    assert client.post(reverse("facilities:room_delete", args=[township.code, room.pk])).status_code == 403
    response = client.post(reverse("facilities:stations", args=[township.code]), {})
    assert response.status_code == 403
    assert Room.objects.count() == 1


def test_clerk_adds_edits_and_removes_a_room(township, clerk, login):
    client = login(clerk)
    response = client.post(reverse("facilities:room_add", args=[township.code]),
                           {"kind": "archive", "name": "档案室", "area": "18.5", "since_year": 2020})
    assert response.status_code == 302
    room = Room.objects.get()
    assert room.area == Decimal("18.50")
    response = client.post(reverse("facilities:room_edit", args=[township.code, room.pk]),
                           {"kind": "archive", "name": "档案室", "area": "20", "since_year": 2020, "until_year": 2024})
    assert response.status_code == 302
    room.refresh_from_db()
    assert room.until_year == 2024
    assert client.post(reverse("facilities:room_delete", args=[township.code, room.pk])).status_code == 302
    assert not Room.objects.exists()


def test_delete_needs_post(township, clerk, login):
    room = RoomFactory(township=township)
    assert login(clerk).get(reverse("facilities:room_delete", args=[township.code, room.pk])).status_code == 405


def test_clerk_cannot_edit_another_townships_room(township, other_township, clerk, login):
    room = RoomFactory(township=other_township)
    client = login(clerk)
    assert client.get(reverse("facilities:room_edit", args=[township.code, room.pk])).status_code == 404
    assert client.get(reverse("facilities:room_edit", args=[other_township.code, room.pk])).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "office", "name": "办公室", "area": "0", "since_year": 2020}, "使用面积（㎡）：请输入大于0的数字，例如 120 或 35.5。"),
        ({"kind": "office", "name": "办公室", "area": "abc", "since_year": 2020}, "使用面积（㎡）：请输入大于0的数字"),
        ({"kind": "office", "name": "", "area": "10", "since_year": 2020}, "请填写房间名称"),
        ({"kind": "office", "name": "办公室", "area": "10", "since_year": 2020, "until_year": 2019},
         "停用年度不能早于启用年度"),
        ({"kind": "gym", "name": "办公室", "area": "10", "since_year": 2020}, "房间功能不在可选范围内"),
        ({"kind": "office", "name": "办公室", "area": "10"}, "请填写启用年度"),
    ],
)
def test_bad_room_input_names_the_field(township, clerk, login, data, message):
    response = login(clerk).post(reverse("facilities:room_add", args=[township.code]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Room.objects.exists()


def test_duplicate_room_is_a_message_not_a_500(township, clerk, login):
    RoomFactory(township=township, name="办公室", since_year=2020)
    response = login(clerk).post(reverse("facilities:room_add", args=[township.code]),
                                 {"kind": "office", "name": "办公室", "area": "10", "since_year": 2020})
    assert response.status_code == 200
    assert "本乡镇已登记同名且同一年度启用的房间" in response.content.decode()


def test_clerk_adds_equipment(township, clerk, login):
    client = login(clerk)
    response = client.post(reverse("facilities:equipment_add", args=[township.code]),
                           {"kind": "computer", "count": 3, "networked": "on", "since_year": 2022})
    assert response.status_code == 302
    item = Equipment.objects.get()
    assert item.networked and item.count == 3
    response = client.post(reverse("facilities:equipment_edit", args=[township.code, item.pk]),
                           {"kind": "computer", "count": 4, "since_year": 2022})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.count == 4 and not item.networked


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "printer", "count": 0, "since_year": 2020}, "数量：请输入不小于1的整数，例如 1 或 2。"),
        ({"kind": "printer", "count": -1, "since_year": 2020}, "数量：请输入不小于1的整数，例如 1 或 2。"),
        ({"kind": "printer", "count": 1, "networked": "on", "since_year": 2020}, "只有电脑可以标注"),
        ({"kind": "", "count": 1, "since_year": 2020}, "请选择设备"),
    ],
)
def test_bad_equipment_input(township, clerk, login, data, message):
    response = login(clerk).post(reverse("facilities:equipment_add", args=[township.code]), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Equipment.objects.exists()


def test_equipment_checklist_lists_missing_items(township, clerk, login, standard):
    EquipmentFactory(township=township, kind="computer", networked=False, count=2)
    content = login(clerk).get(reverse("facilities:equipment", args=[township.code]) + "?year=2025").content.decode()
    assert "缺：电话、电脑（可联网）" in content
    assert "另有2台不能联网" in content


def test_stations_page_saves_every_village_in_one_submission(township, clerk, login, standard):
    villages = [VillageFactory(township=township, name=f"{n}村村民委员会") for n in "甲乙丙"]
    data = {}
    for village, kind in zip(villages, ["own_room", "hall_window", "none"]):
        data[f"kind_{village.pk}"] = kind
        data[f"area_{village.pk}"] = "25" if kind == "own_room" else ""
        data[f"name_{village.pk}"] = f"{village.short_name}民政工作站"
    response = login(clerk).post(reverse("facilities:stations", args=[township.code]), data)
    assert response.status_code == 302
    assert VillageStationSpace.objects.count() == 3
    assert VillageStation.objects.count() == 3
    content = login(clerk).get(reverse("facilities:stations", args=[township.code]) + "?year=2025").content.decode()
    assert "3个村（社区）中有1个没有工作站办公场所：丙村" in content


def test_stations_bad_area_writes_nothing(township, clerk, login):
    good, bad = VillageFactory(township=township), VillageFactory(township=township, name="乙村村民委员会")
    data = {f"kind_{good.pk}": "own_room", f"area_{good.pk}": "20", f"name_{good.pk}": "x",
            f"kind_{bad.pk}": "own_room", f"area_{bad.pk}": "-3", f"name_{bad.pk}": "y"}
    response = login(clerk).post(reverse("facilities:stations", args=[township.code]), data)
    assert response.status_code == 200
    assert "乙村村民委员会面积：请输入大于0的数字，例如 30 或 45.5。" in response.content.decode()
    assert not VillageStationSpace.objects.exists() and not VillageStation.objects.exists()


def test_stations_post_ignores_other_townships_villages(township, other_township, clerk, login):
    foreign = VillageFactory(township=other_township)
    response = login(clerk).post(reverse("facilities:stations", args=[township.code]),
                                 {f"kind_{foreign.pk}": "own_room"})
    assert response.status_code == 302
    assert not VillageStationSpace.objects.exists()


def test_list_pages_query_count_does_not_grow(township, clerk, login, standard, django_assert_max_num_queries):
    PopulationFactory(township=township, year=2025, resident=100_000)
    client = login(clerk)
    for n in range(30):
        VillageFactory(township=township)
        RoomFactory(township=township, name=f"r{n}")
        EquipmentFactory(township=township, kind="telephone", since_year=1990 + n)
    for name in LIST_PAGES:
        fill_store()  # the services keep the store current; count the page's own reads
        with django_assert_max_num_queries(25):
            assert client.get(reverse(name, args=[township.code]) + "?year=2025").status_code == 200


def test_unknown_township_is_404(clerk, login):
    assert login(clerk).get(reverse("facilities:rooms", args=["999999999999"])).status_code == 404


def test_superuser_can_read(township, login):
    admin = UserFactory(is_superuser=True, is_staff=True)
    TownshipFactory()
    assert login(admin).get(reverse("facilities:equipment", args=[township.code])).status_code == 200
