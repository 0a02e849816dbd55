"""Facilities writes leave a history, ask the year's lock, refuse stale or repeated forms, and question the area."""
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from facilities import services
from facilities.models import Equipment, Room, VillageStation, VillageStationSpace
from offices import reporting
from offices.acting import acting_as
from offices.models import AnnualReport, ReportState
from tests.factories.facilities import EquipmentFactory, RoomFactory, VillageStationFactory
from tests.factories.offices import UserFactory, VillageFactory

pytestmark = pytest.mark.django_db

LOCKED = 2024
ADDRESS = "10.8.0.9"
THIS_YEAR = timezone.localdate().year


def url(name, township, *args):
    return reverse(f"facilities:{name}", args=[township.code, *args])


def room_data(room, **changes):
    data = {"kind": room.kind, "name": room.name, "area": str(room.area), "since_year": room.since_year,
            "until_year": room.until_year or ""}
    return {**data, **changes}


def hidden(html, name, after=""):
    match = re.search(rf'{re.escape(after)}[\s\S]*?name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden {name} in the page"
    return match.group(1)


def lock(township, state=ReportState.SUBMITTED, year=LOCKED):
    return AnnualReport.objects.create(township=township, year=year, state=state)


@pytest.fixture
def room(township):
    return RoomFactory(township=township, name="办公室", area=Decimal("100.00"), since_year=2015)


# --- history ------------------------------------------------------------------------------------------------------


def test_an_edit_records_who_where_and_before_after(township, clerk, login, room):
    response = login(clerk).post(url("room_edit", township, room.pk), room_data(room, area="110"),
                                 REMOTE_ADDR=ADDRESS)
    assert response.status_code == 302
    row = Room.history.filter(id=room.pk).latest("history_id")
    assert (row.history_type, row.history_user_id, row.history_address) == ("~", clerk.pk, ADDRESS)
    changes = {c.field: (c.old, c.new) for c in row.diff_against(row.prev_record).changes}
    assert changes == {"area": (Decimal("100.00"), Decimal("110.00"))}


def test_a_deleted_record_keeps_its_history(township, clerk, login):
    item = EquipmentFactory(township=township, kind="printer")
    client = login(clerk)
    assert client.post(url("equipment_delete", township, item.pk), REMOTE_ADDR=ADDRESS).status_code == 302
    assert not Equipment.objects.filter(pk=item.pk).exists()
    rows = list(Equipment.history.filter(id=item.pk).order_by("history_id"))
    assert [r.history_type for r in rows] == ["+", "-"]
    assert (rows[-1].history_user_id, rows[-1].history_address, rows[-1].kind) == (clerk.pk, ADDRESS, "printer")


def test_the_stations_sheet_records_each_village(township, clerk, login):
    village = VillageFactory(township=township)
    data = {f"kind_{village.pk}": "own_room", f"area_{village.pk}": "30", f"name_{village.pk}": "甲村民政工作站"}
    assert login(clerk).post(url("stations", township), data, REMOTE_ADDR=ADDRESS).status_code == 302
    assert VillageStationSpace.history.get(village_id=village.pk).history_address == ADDRESS
    assert VillageStation.history.get(village_id=village.pk).history_user_id == clerk.pk


# --- the year's lock --------------------------------------------------------------------------------------------


def test_a_clerk_is_refused_in_a_submitted_year_and_nothing_is_written(township, clerk, login, room):
    lock(township)
    client = login(clerk)
    response = client.post(url("room_add", township), {"kind": "archive", "name": "档案室", "area": "20",
                                                       "since_year": 2020, "confirmed": "on"})
    assert response.status_code == 200 and "2024年度填报已报送" in response.content.decode()
    assert not Room.objects.filter(name="档案室").exists()
    response = client.post(url("room_delete", township, room.pk), {"confirmed": "on"})
    assert response.status_code == 200 and "已锁定" in response.content.decode()
    assert Room.objects.filter(pk=room.pk).exists()
    assert Room.history.filter(id=room.pk).count() == 1


def test_a_room_in_use_only_after_the_locked_year_may_be_added(township, clerk, login):
    lock(township)
    response = login(clerk).post(url("room_add", township), {"kind": "archive", "name": "档案室", "area": "20",
                                                             "since_year": LOCKED + 1, "confirmed": "on"})
    assert response.status_code == 302 and Room.objects.filter(name="档案室").exists()


def test_an_accepted_year_refuses_the_system_and_a_superuser(township):
    lock(township, ReportState.ACCEPTED)
    with pytest.raises(ValidationError) as error:
        services.equipment_create(township=township, kind="printer", count=1, networked=False, since_year=2020)
    assert error.value.code == "locked"
    with acting_as(UserFactory(is_superuser=True, is_staff=True)), pytest.raises(ValidationError):
        services.equipment_create(township=township, kind="printer", count=1, networked=False, since_year=2020)
    assert not Equipment.objects.exists()


def test_the_stations_sheet_is_refused_when_this_year_is_accepted(township, clerk, login):
    village = VillageFactory(township=township)
    lock(township, ReportState.ACCEPTED, year=THIS_YEAR)
    data = {f"kind_{village.pk}": "own_room", f"area_{village.pk}": "30", f"name_{village.pk}": ""}
    response = login(clerk).post(url("stations", township), data)
    assert response.status_code == 200 and "临时解锁" in response.content.decode()
    assert not VillageStationSpace.objects.exists()


def test_a_lock_exception_reopens_the_year(township, clerk, county_official, login, room):
    report = lock(township, ReportState.ACCEPTED)
    client = login(clerk)
    edit = url("room_edit", township, room.pk)
    assert client.post(edit, room_data(room, name="大办公室")).status_code == 200
    reporting.lock_exception_grant(report=report, until=timezone.now() + timedelta(days=2), reason="更正名称",
                                   user=county_official)
    assert client.post(edit, room_data(room, name="大办公室")).status_code == 302
    assert Room.objects.get(pk=room.pk).name == "大办公室"


def test_only_an_end_after_the_locked_year_may_change(township, clerk, login, room):
    lock(township)
    client = login(clerk)
    edit = url("room_edit", township, room.pk)
    response = client.post(edit, room_data(room, until_year=LOCKED, confirmed="on"))
    assert response.status_code == 200 and "已锁定" in response.content.decode()
    assert client.post(edit, room_data(room, until_year=LOCKED + 1, confirmed="on")).status_code == 302
    assert Room.objects.get(pk=room.pk).until_year == LOCKED + 1


# --- versions and double submit --------------------------------------------------------------------------------


def test_a_stale_edit_is_refused_with_the_first_persons_change(township, login, room):
    first = UserFactory(role="township", township=township, username="first", first_name="一", last_name="张")
    second = UserFactory(role="township", township=township, username="second")
    edit = url("room_edit", township, room.pk)
    stale = hidden(login(second).get(edit).content.decode(), "read_version")
    client = login(first)
    fresh = hidden(client.get(edit).content.decode(), "read_version")
    assert client.post(edit, room_data(room, name="主任办公室", read_version=fresh)).status_code == 302
    client = login(second)
    response = client.post(edit, room_data(room, area="120", read_version=stale))
    text = response.content.decode()
    assert response.status_code == 200 and "他人已修改" in text and "张一" in text and "主任办公室" in text
    saved = Room.objects.get(pk=room.pk)
    assert (saved.name, saved.area) == ("主任办公室", Decimal("100.00"))


def test_a_delete_of_a_record_changed_since_the_list_was_read_is_refused(township, clerk, login):
    item = EquipmentFactory(township=township, kind="printer", count=1)
    client = login(clerk)
    page = client.get(url("equipment", township)).content.decode()
    action = url("equipment_delete", township, item.pk)
    version, token = hidden(page, "read_version", after=action), hidden(page, "form_token", after=action)
    other = UserFactory(role="township", township=township, username="other", first_name="二", last_name="李")
    with acting_as(other):
        services.equipment_update(equipment=item, count=3)
    response = client.post(action, {"read_version": version, "form_token": token})
    assert response.status_code == 200 and "李二" in response.content.decode()
    assert Equipment.objects.filter(pk=item.pk).exists()


def test_the_stations_sheet_refuses_a_stale_save(township, clerk, login):
    village = VillageFactory(township=township)
    station = VillageStationFactory(village=village, name="甲村民政工作站")
    client = login(clerk)
    page = client.get(url("stations", township)).content.decode()
    version = hidden(page, "read_version")
    other = UserFactory(role="township", township=township, username="other", first_name="二", last_name="李")
    with acting_as(other):
        services.station_spaces_save(township=township, entries={
            village: {"kind": "own_room", "area": Decimal("20"), "station_name": "甲村工作站"}})
    data = {f"kind_{village.pk}": "hall_window", f"area_{village.pk}": "", f"name_{village.pk}": station.name,
            "read_version": version, "form_token": hidden(page, "form_token")}
    response = client.post(url("stations", township), data)
    text = response.content.decode()
    assert response.status_code == 200 and "他人已修改" in text and "李二" in text and "甲村工作站" in text
    assert VillageStationSpace.objects.get(village=village).kind == "own_room"


def test_a_create_form_sent_twice_creates_one_room(township, clerk, login):
    client = login(clerk)
    token = hidden(client.get(url("room_add", township)).content.decode(), "form_token")
    data = {"kind": "archive", "name": "档案室", "area": "20", "since_year": 2020, "form_token": token}
    assert client.post(url("room_add", township), data).status_code == 302
    response = client.post(url("room_add", township), data, follow=True)
    assert "重复提交未再次保存" in response.content.decode()
    assert Room.objects.filter(name="档案室").count() == 1


# --- the floor area moved too far from last year --------------------------------------------------------------


def test_a_room_that_doubles_the_area_asks_for_confirmation(township, clerk, login, room):
    client = login(clerk)
    data = {"kind": "reception", "name": "接待室", "area": "100", "since_year": THIS_YEAR}
    response = client.post(url("room_add", township), data)
    text = response.content.decode()
    assert response.status_code == 200 and "确认变动无误" in text and "办公服务用房总使用面积" in text
    assert f"与{THIS_YEAR - 1}年度相比变动超过30%（100.00㎡ → 200.00㎡）" in text
    assert not Room.objects.filter(name="接待室").exists()
    assert client.post(url("room_add", township), {**data, "confirmed": "on"}).status_code == 302
    assert Room.objects.filter(name="接待室").exists()


def test_a_small_change_needs_no_confirmation(township, clerk, login, room):
    response = login(clerk).post(url("room_edit", township, room.pk), room_data(room, area="110"))
    assert response.status_code == 302


def test_shrinking_the_area_to_almost_nothing_asks_first(township, clerk, login, room):
    edit = url("room_edit", township, room.pk)
    response = login(clerk).post(edit, room_data(room, area="5"))
    assert response.status_code == 200 and "确认变动无误" in response.content.decode()
    assert Room.objects.get(pk=room.pk).area == Decimal("100.00")


def test_deleting_the_only_room_asks_for_confirmation_then_deletes(township, clerk, login, room):
    client = login(clerk)
    response = client.post(url("room_delete", township, room.pk))
    assert response.status_code == 200 and "确认变动无误" in response.content.decode()
    assert Room.objects.filter(pk=room.pk).exists()
    assert client.post(url("room_delete", township, room.pk), {"confirmed": "on"}).status_code == 302
    assert not Room.objects.filter(pk=room.pk).exists()


def test_the_area_check_reads_one_aggregate_each_side(township, room):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        services.room_update(room=room, area=Decimal("110"))
    sums = [q["sql"] for q in queries.captured_queries if "SUM(" in q["sql"] and "facilities_room" in q["sql"]]
    assert len(sums) == 2


def test_a_delete_clicked_twice_deletes_once_without_an_error_page(township, clerk, login):
    item = EquipmentFactory(township=township, kind="printer")
    client = login(clerk)
    page = client.get(url("equipment", township)).content.decode()
    action = url("equipment_delete", township, item.pk)
    data = {"read_version": hidden(page, "read_version", after=action), "form_token": hidden(page, "form_token",
                                                                                              after=action)}
    assert client.post(action, data).status_code == 302
    response = client.post(action, data, follow=True)
    assert response.status_code == 200 and "未再次删除" in response.content.decode()
    assert [r.history_type for r in Equipment.history.filter(id=item.pk).order_by("history_id")] == ["+", "-"]
