"""Which standard applies to a township in a year: the most specific in force."""
import pytest
from django.core.exceptions import ValidationError

from offices.models import Standard
from offices.selectors import standards_for_townships
from tests.factories.offices import StandardFactory, TownshipFactory

pytestmark = pytest.mark.django_db

LINYI_TOWN = "371302101000"
LIYANG_TOWN = "320481100000"


def test_shipped_standards_are_installed():
    default = Standard.objects.get(jurisdiction_code="")
    liyang = Standard.objects.get(jurisdiction_code="320481")
    assert default.area_minimum == 80 and default.area_per_10k_population == 20
    assert default.funds_per_10k_population == 2000
    assert len(default.required_equipment) == 7
    assert liyang.area_minimum == 40 and liyang.area_per_10k_population is None
    # Liyang's 「电脑」 is any computer; the default's 「电脑（可联网）」 a networked one (migration 0006).
    assert liyang.required_equipment == ["computer_any", "air_conditioner", "fax", "printer"]
    assert liyang.posts_tiers is None


def test_default_applies_everywhere_in_force():
    assert Standard.objects.applicable(LINYI_TOWN, 2025).jurisdiction_code == ""


def test_more_specific_jurisdiction_wins():
    assert Standard.objects.applicable(LIYANG_TOWN, 2025).jurisdiction_code == "320481"


@pytest.mark.parametrize(("year", "expected"), [(2004, None), (2005, "320481"), (2013, "320481")])
def test_year_decides_what_is_in_force(year, expected):
    standard = Standard.objects.applicable(LIYANG_TOWN, year)
    assert (standard and standard.jurisdiction_code) == expected


def test_before_any_standard_nothing_applies():
    assert Standard.objects.applicable(LINYI_TOWN, 2013) is None


def test_city_standard_beats_province_and_expires():
    StandardFactory(jurisdiction_code="37", name="山东省", valid_from_year=2020)
    StandardFactory(jurisdiction_code="3713", name="临沂市", valid_from_year=2022, valid_to_year=2024)
    assert Standard.objects.applicable(LINYI_TOWN, 2023).name == "临沂市"
    assert Standard.objects.applicable(LINYI_TOWN, 2024).name == "临沂市"
    assert Standard.objects.applicable(LINYI_TOWN, 2025).name == "山东省"
    assert Standard.objects.applicable("370102001000", 2023).name == "山东省"


def test_newer_edition_of_same_jurisdiction_wins():
    StandardFactory(jurisdiction_code="3713", name="旧版", valid_from_year=2018)
    StandardFactory(jurisdiction_code="3713", name="新版", valid_from_year=2023)
    assert Standard.objects.applicable(LINYI_TOWN, 2022).name == "旧版"
    assert Standard.objects.applicable(LINYI_TOWN, 2024).name == "新版"


def test_many_townships_in_one_query(county, django_assert_num_queries):
    StandardFactory(jurisdiction_code="371302", name="兰山区", valid_from_year=2020)
    townships = TownshipFactory.create_batch(5, county=county)
    with django_assert_num_queries(1):
        chosen = standards_for_townships(townships, 2025)
    assert {s.name for s in chosen.values()} == {"兰山区"}


@pytest.mark.parametrize(
    ("field", "value"),
    [("required_equipment", ["telephone", "teleporter"]), ("required_rooms", [["office"], []]),
     ("posts_tiers", [{"max_population": 100000, "posts": 5}, {"max_population": 50000, "posts": 3}]),
     ("grade_subsidy_factors", {"excellent": "-1"}), ("required_regulations", "procedures")],
)
def test_parameters_are_validated(field, value):
    default = Standard.objects.get(jurisdiction_code="")
    values = {f.attname: getattr(default, f.attname) for f in Standard._meta.concrete_fields if f.name != "id"}
    standard = Standard(**{**values, field: value})
    with pytest.raises(ValidationError) as error:
        standard.full_clean()
    assert field in error.value.message_dict
