"""gather/evaluate: the right inputs per year, a fixed number of queries."""
from decimal import Decimal

import pytest

from facilities import compliance
from facilities.compliance import FacilitiesInputs
from offices.compliance import Status, TownshipContext
from offices.models import Township
from offices.standards_catalog import LIYANG_2005
from tests.factories.facilities import (
    EquipmentFactory,
    RoomFactory,
    VillageStationSpaceFactory,
    full_equipment,
    full_rooms,
)
from tests.factories.offices import (
    StandardFactory,
    TownshipFactory,
    TownshipOfficeFactory,
    VillageFactory,
    VillageStationFactory,
)

pytestmark = pytest.mark.django_db


def context(township, standard, population=100_000, year=2025):
    return TownshipContext(township_id=township.pk, code=township.code, name=township.name, year=year,
                           standard=standard, population=population)


def results_for(township, standard, year=2025, population=100_000):
    inputs = compliance.gather(Township.objects.filter(pk=township.pk), year)
    return {r.code: r for r in compliance.evaluate(inputs[township.pk], context(township, standard, population, year))}


def complete_township(township, rooms_area=Decimal("50.00")):
    full_rooms(township, area_each=rooms_area)
    full_equipment(township)
    TownshipOfficeFactory(township=township)
    village = VillageFactory(township=township)
    VillageStationFactory(village=village)
    VillageStationSpaceFactory(village=village)
    return township


def test_complete_township_passes_every_rule(township):
    complete_township(township)
    results = results_for(township, StandardFactory())
    assert {code: r.status for code, r in results.items()} == {
        "facilities.area": Status.PASS, "facilities.rooms": Status.PASS, "facilities.village_stations": Status.PASS,
        "facilities.naming": Status.PASS, "facilities.equipment": Status.PASS,
    }
    assert results["facilities.area"].actual == Decimal("200.00")


def test_empty_township_fails_with_explanations(township):
    results = results_for(township, StandardFactory())
    assert results["facilities.area"].failed and results["facilities.area"].gap == Decimal("200")
    assert results["facilities.rooms"].failed
    assert results["facilities.equipment"].failed
    assert results["facilities.naming"].failed  # no office
    assert results["facilities.village_stations"].passed  # no villages to equip


def test_rooms_and_equipment_count_only_in_their_years(township):
    complete_township(township)
    RoomFactory(township=township, kind="office", name="新办公室", area=Decimal("60.00"), since_year=2025)
    RoomFactory(township=township, kind="other", name="旧库房", area=Decimal("99.00"), since_year=2010, until_year=2023)
    EquipmentFactory(township=township, kind="fax", since_year=2025)
    liyang = StandardFactory(**{**LIYANG_2005, "area_minimum": "250.00"})
    assert results_for(township, liyang, year=2025)["facilities.area"].actual == Decimal("260.00")
    assert results_for(township, liyang, year=2024)["facilities.area"].actual == Decimal("200.00")
    assert results_for(township, liyang, year=2023)["facilities.area"].actual == Decimal("299.00")
    assert results_for(township, liyang, year=2024)["facilities.equipment"].gap == ["空调", "传真机"]
    assert results_for(township, liyang, year=2025)["facilities.equipment"].gap == ["空调"]


def test_unnetworked_computer_does_not_count(township):
    full_equipment(township, kinds=["telephone", "printer", "desk_chairs", "av_recorder", "archive_cabinet",
                                    "service_vehicle"])
    EquipmentFactory(township=township, kind="computer", networked=False, count=4)
    result = results_for(township, StandardFactory())["facilities.equipment"]
    assert result.failed and result.gap == ["电脑（可联网）"]


def test_village_without_space_or_with_none_fails(township):
    complete_township(township)
    VillageFactory(township=township, name="乙村民委员会")
    VillageStationSpaceFactory(village=VillageFactory(township=township, name="丙村村民委员会"), kind="none", area=None)
    result = results_for(township, StandardFactory())["facilities.village_stations"]
    assert result.failed and result.gap == 2


def test_liyang_leaves_rooms_stations_naming_unassessed(township):
    results = results_for(township, StandardFactory(**LIYANG_2005), population=None)
    assert results["facilities.rooms"].status == Status.NOT_ASSESSED
    assert results["facilities.village_stations"].status == Status.NOT_ASSESSED
    assert results["facilities.naming"].status == Status.NOT_ASSESSED
    assert results["facilities.area"].failed and results["facilities.area"].required == Decimal("40")


def test_no_standard_is_not_assessed(township):
    results = results_for(township, None)
    assert len(results) == 5 and all(r.status == Status.NOT_ASSESSED for r in results.values())


def test_evaluate_accepts_missing_inputs(township):
    results = compliance.evaluate(None, context(township, StandardFactory()))
    assert len(results) == 5
    assert compliance.evaluate(FacilitiesInputs(), context(township, StandardFactory()))[3].failed


def test_gather_returns_every_township(township, other_township):
    inputs = compliance.gather(Township.objects.all(), 2025)
    assert set(inputs) == {township.pk, other_township.pk}


def test_query_count_is_fixed(county, django_assert_num_queries):
    first = complete_township(TownshipFactory(county=county))
    with django_assert_num_queries(5):
        compliance.gather(Township.objects.filter(pk=first.pk), 2025)
    for n in range(6):
        complete_township(TownshipFactory(county=county))
        EquipmentFactory(township=first, kind="computer", networked=False, since_year=2016 + n)
    with django_assert_num_queries(5):
        inputs = compliance.gather(Township.objects.all(), 2025)
    assert len(inputs) == 7


def test_office_within_social_affairs_must_still_carry_the_name(township):
    office = TownshipOfficeFactory(township=township, name="兰山街道社会事务办公室", setup="within_social_affairs",
                                   parent_office_name="兰山街道社会事务办公室")
    result = results_for(township, StandardFactory())["facilities.naming"]
    assert result.failed and "应为“兰山街道民政办公室”" in result.explanation
    office.name = "兰山街道民政办公室"
    office.save()
    result = results_for(township, StandardFactory())["facilities.naming"]
    assert result.passed
    assert result.basis["设置方式"].startswith("社会事务办公室内")
