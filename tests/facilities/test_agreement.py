"""Every facilities page says what the scorecard says, under a standard that is not the default.

Given a standard for the county whose parameters differ from the default (another area per 10,000
people and minimum, another list of rooms, stations and naming not required, Liyang's list of
equipment), when a page is rendered, then its statuses, required figures and marked rows equal the
results of `township_compliance` for the same township and year.
"""
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from facilities import rules
from offices.compliance import LEFT_OUT, Status
from offices.compliance.engine import township_compliance
from offices.standards_catalog import LIYANG_2005
from tests.factories.facilities import EquipmentFactory, RoomFactory, VillageStationFactory, VillageStationSpaceFactory
from tests.factories.offices import PopulationFactory, StandardFactory, TownshipOfficeFactory, VillageFactory

pytestmark = pytest.mark.django_db

YEAR = 2025
RULE = re.compile(r'data-rule="(?P<code>[^"]+)" data-status="(?P<status>[^"]+)"')
CHECKLIST_ROW = re.compile(
    r'data-kind="(?P<kind>[^"]+)" data-required="(?P<required>yes|no)" data-missing="(?P<missing>yes|no)">'
    r'\s*<span>(?:<i [^>]*></i>)?\s*(?P<label>[^<\s]+)'
)


@pytest.fixture
def standard(county):
    """The county's own standard: nothing like the default."""
    return StandardFactory(
        jurisdiction_code=county.code[:6], jurisdiction_name="兰山区",
        area_per_10k_population=Decimal("30.00"), area_minimum=Decimal("120.00"),
        required_rooms=[["office"], ["archive"]],
        village_station_space_required=False, naming_required=False,
        required_equipment=LIYANG_2005["required_equipment"],
    )


def page(client, name, township):
    response = client.get(reverse(name, args=[township.code]) + f"?year={YEAR}")
    assert response.status_code == 200
    return response.content.decode()


def statuses(content):
    return {match["code"]: match["status"] for match in RULE.finditer(content)}


def scorecard(township):
    card = township_compliance(township, YEAR)
    return card, {code: result for code, result in card.by_code.items() if code.startswith("facilities.")}


def test_rooms_page_agrees_with_the_scorecard(township, clerk, login, standard):
    PopulationFactory(township=township, year=YEAR, resident=50_000)
    RoomFactory(township=township, kind="office", name="办公室", area=Decimal("60.00"))
    RoomFactory(township=township, kind="storage", name="库房", area=Decimal("40.00"))
    content = page(login(clerk), "facilities:rooms", township)
    card, results = scorecard(township)
    assert card.standard == standard
    area, rooms = results[rules.AREA.code], results[rules.ROOMS.code]
    # The county's parameters, not the default's: 30 ㎡ per 10,000 × 50,000 = 150 ㎡ (the default says 100).
    assert area.required == Decimal("150") and area.failed and rooms.gap == ["档案室"]
    assert statuses(content) == {rules.AREA.code: area.status, rules.ROOMS.code: rooms.status}
    assert re.search(r'id="required-area">150 ㎡<', content) and re.search(r'id="total-area">100 ㎡<', content)
    assert area.explanation in content and rooms.explanation in content
    assert "物资储备室" not in rooms.explanation and "缺：档案室。" in content


def test_equipment_page_agrees_with_the_scorecard(township, clerk, login, standard):
    # Liyang's list names 电脑 without "network access": computers that cannot go online count.
    EquipmentFactory(township=township, kind="computer", networked=False, count=2)
    EquipmentFactory(township=township, kind="printer")
    EquipmentFactory(township=township, kind="telephone")
    content = page(login(clerk), "facilities:equipment", township)
    _card, results = scorecard(township)
    equipment = results[rules.EQUIPMENT.code]
    assert equipment.failed and equipment.gap == ["空调", "传真机"]
    assert statuses(content) == {rules.EQUIPMENT.code: equipment.status}
    rows = [match.groupdict() for match in CHECKLIST_ROW.finditer(content)]
    assert [row["label"] for row in rows if row["required"] == "yes"] == equipment.required
    assert [row["label"] for row in rows if row["missing"] == "yes"] == equipment.gap
    assert [row["label"] for row in rows if row["required"] == "no"] == ["电话"]  # the default would require it
    assert "不能联网" not in content
    assert equipment.explanation in content


def test_equipment_page_under_the_default_standard_does_not_count_the_same_computer(township, clerk, login):
    EquipmentFactory(township=township, kind="computer", networked=False, count=2)
    content = page(login(clerk), "facilities:equipment", township)
    _card, results = scorecard(township)
    equipment = results[rules.EQUIPMENT.code]
    assert "电脑（可联网）" in equipment.gap
    rows = [match.groupdict() for match in CHECKLIST_ROW.finditer(content)]
    assert [row["label"] for row in rows if row["missing"] == "yes"] == equipment.gap
    assert "另有2台不能联网，不计入" in content


def test_stations_page_agrees_with_the_scorecard_when_not_required(township, clerk, login, standard):
    VillageStationSpaceFactory(village=VillageFactory(township=township, name="甲村村民委员会"), kind="none", area=None)
    VillageStationFactory(village=VillageFactory(township=township, name="乙村村民委员会"), name="乙村便民服务站")
    content = page(login(clerk), "facilities:stations", township)
    _card, results = scorecard(township)
    spaces, naming = results[rules.VILLAGE_STATIONS.code], results[rules.NAMING.code]
    assert spaces.status == naming.status == Status.NOT_ASSESSED and spaces.explanation == str(LEFT_OUT)
    assert statuses(content) == {rules.VILLAGE_STATIONS.code: spaces.status, rules.NAMING.code: naming.status}
    assert "data-lacking-space" not in content  # not assessed: the page marks nothing
    assert str(LEFT_OUT) in content


def test_stations_page_marks_the_villages_the_scorecard_names(township, clerk, login, standard):
    standard.village_station_space_required = True
    standard.save()
    VillageStationSpaceFactory(village=VillageFactory(township=township, name="甲村村民委员会"), kind="none", area=None)
    VillageFactory(township=township, name="乙社区居民委员会")
    VillageStationSpaceFactory(village=VillageFactory(township=township, name="丙村村民委员会"))
    TownshipOfficeFactory(township=township, name="兰山街道民政所")
    content = page(login(clerk), "facilities:stations", township)
    _card, results = scorecard(township)
    spaces, naming = results[rules.VILLAGE_STATIONS.code], results[rules.NAMING.code]
    assert spaces.failed and spaces.items == ("甲村", "乙社区") and naming.status == Status.NOT_ASSESSED
    assert statuses(content) == {rules.VILLAGE_STATIONS.code: spaces.status, rules.NAMING.code: naming.status}
    marked = re.findall(r'<tr class="table-warning" data-lacking-space>\s*<td[^>]*>[0-9]+</td><td>([^<]+)', content)
    assert [name.strip() for name in marked] == ["甲村村民委员会", "乙社区居民委员会"]
    assert spaces.explanation in content
