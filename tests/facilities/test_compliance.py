"""gather/evaluate: the right inputs per year, a fixed number of queries."""
from decimal import Decimal

import pytest

from facilities import compliance, rules
from facilities.compliance import FacilitiesInputs
from offices.compliance import LEFT_OUT, NO_STANDARD, Status, TownshipContext
from offices.compliance.engine import township_compliance
from offices.models import Standard, Township
from offices.standards_catalog import LIYANG_2005, SHANDONG_DEFAULT
from tests.factories.facilities import (
    EquipmentFactory,
    RoomFactory,
    VillageStationFactory,
    VillageStationSpaceFactory,
    full_equipment,
    full_rooms,
)
from tests.factories.offices import (
    CityFactory,
    CountyFactory,
    StandardFactory,
    TownshipFactory,
    TownshipOfficeFactory,
    VillageFactory,
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


# --- the engine: a rule the standard leaves out, or no standard at all ------------------------------------------


def default_standard(**changes):
    """An unsaved copy of the default standard with `changes`."""
    return Standard(**{**SHANDONG_DEFAULT, **changes})


@pytest.mark.parametrize(
    ("spec", "changes"),
    [
        (rules.AREA, {"area_per_10k_population": None, "area_minimum": None}),
        (rules.ROOMS, {"required_rooms": []}),
        (rules.VILLAGE_STATIONS, {"village_station_space_required": False}),
        (rules.NAMING, {"naming_required": False}),
        (rules.EQUIPMENT, {"required_equipment": []}),
    ],
)
def test_a_rule_the_standard_leaves_out_is_not_assessed(township, spec, changes):
    standard = default_standard(**changes)
    assert not spec.applies(standard) and spec.applies(default_standard())
    results = {r.code: r for r in compliance.evaluate(FacilitiesInputs(), context(township, standard, population=100))}
    assert results[spec.code].status == Status.NOT_ASSESSED
    assert results[spec.code].explanation == str(LEFT_OUT)
    assert all(r.assessed for code, r in results.items() if code != spec.code)


def test_area_is_assessed_with_only_one_of_its_parameters():
    assert rules.AREA.applies(default_standard(area_per_10k_population=None))
    assert rules.AREA.applies(default_standard(area_minimum=None))


def test_no_standard_covers_every_rule(township):
    results = compliance.evaluate(None, context(township, None))
    assert [r.code for r in results] == [
        "facilities.area", "facilities.rooms", "facilities.village_stations", "facilities.naming",
        "facilities.equipment",
    ]
    assert all(r.status == Status.NOT_ASSESSED and r.explanation == str(NO_STANDARD) for r in results)


# --- a computer that cannot go online, under each shipped standard (the installed rows) ----------------------


@pytest.fixture
def liyang_township(db):
    county = CountyFactory(city=CityFactory(code="320400000000", name="常州市"), code="320481000000", name="溧阳市",
                           kind="county_city")
    return TownshipFactory(county=county, code="320481100000", name="溧城街道", kind="subdistrict")


@pytest.mark.parametrize(("place", "counted"), [("township", False), ("liyang_township", True)])
def test_unnetworked_computer_counts_only_where_the_standard_asks_for_any_computer(request, place, counted):
    township = request.getfixturevalue(place)
    EquipmentFactory(township=township, kind="computer", networked=False, count=2)
    card = township_compliance(township, 2025)
    expected = Standard.objects.get(jurisdiction_code="320481" if counted else "")
    assert card.standard == expected
    result = card.result("facilities.equipment")
    assert result.failed  # both lists ask for more than a computer
    if counted:
        assert "电脑" in result.actual and "电脑" not in result.gap
        assert result.gap == ["空调", "传真机", "打印机"]
    else:
        assert "电脑（可联网）" in result.gap and result.actual == []
