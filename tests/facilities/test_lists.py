"""The rooms and equipment lists: 序号, sorting, the year's 合计 of what is in use, and the same rows as a file."""
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from offices.workbooks import read_table
from tests.factories.facilities import EquipmentFactory, RoomFactory
from tests.factories.offices import StandardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rooms(township):
    StandardFactory()
    RoomFactory(township=township, name="民政办公室", area=Decimal("48.50"))
    RoomFactory(township=township, name="档案室", kind="archive", area=Decimal("1200"))
    RoomFactory(township=township, name="旧接待室", area=Decimal("20"), until_year=2020)  # not in use in 2025


def cells(html, column):
    return re.findall(rf'data-column="{column}"[^>]*>([^<]*)<', html)


def test_rooms_list_numbers_sorts_and_totals_what_is_in_use(township, county_official, login, rooms):
    client = login(county_official)
    url = reverse("facilities:rooms", args=[township.code])
    html = client.get(url, {"year": 2025, "rooms-sort": "-area"}).content.decode()
    assert re.findall(r"data-row-number>(\d+)<", html) == ["1", "2", "3"]
    assert cells(html, "area") == ["1,200.00", "48.50", "20.00", "1,248.50"]  # the last is the 2025 total
    assert "2025年在用合计" in html and "共3条" in html
    assert 'aria-sort="descending" data-sort="area"' in html
    assert 'class="text-muted"' in html  # the room no longer in use


def test_rooms_export_is_the_lists_rows_in_its_sort(township, county_official, login, rooms):
    response = login(county_official).get(reverse("facilities:rooms", args=[township.code]),
                                          {"year": 2025, "rooms-sort": "name", "export": "rooms"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    keys, data = read_table(sheet)
    assert list(keys) == ["序号", "房间名称", "功能", "使用面积（㎡）", "使用年度"]
    assert [row[1] for row in data[:-1]] == sorted(["民政办公室", "档案室", "旧接待室"])
    assert data[-1][0] == "2025年在用合计"
    assert Decimal(str(data[-1][3])) == Decimal("1248.5")
    assert township.name in sheet["A1"].value


def test_equipment_list_has_a_total_count_and_the_clerks_buttons(township, clerk, login):
    StandardFactory()
    EquipmentFactory(township=township, kind="computer", count=3)
    EquipmentFactory(township=township, kind="telephone", count=2)
    html = login(clerk).get(reverse("facilities:equipment", args=[township.code]), {"year": 2025}).content.decode()
    assert cells(html, "count") == ["3", "2", "5"]
    assert html.count("确定删除该设备记录") == 2
    assert 'data-testid="export"' in html
