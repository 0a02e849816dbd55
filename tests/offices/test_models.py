"""Hierarchy constraints: held by the database, not only by forms."""
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from offices.models import County, Population, Township, TownshipOffice, User, Village
from tests.factories.offices import PopulationFactory, TownshipFactory, VillageFactory

pytestmark = pytest.mark.django_db


def db_rejects(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


class TestDivisionCodes:
    @pytest.mark.parametrize("code", ["37130200100", "3713020010000", "37130200100a", "３７１３０２００１０００"])
    def test_code_must_be_twelve_ascii_digits(self, county, code):
        township = Township(county=county, code=code, name="X镇", kind="town")
        with pytest.raises(ValidationError) as error:
            township.full_clean()
        assert "code" in error.value.message_dict

    def test_database_rejects_malformed_code(self, county):
        db_rejects(lambda: Township.objects.create(county=county, code="37130200100X", name="X镇", kind="town"))

    def test_code_must_start_with_parent_prefix(self, county):
        township = Township(county=county, code="371311001000", name="X镇", kind="town")
        with pytest.raises(ValidationError) as error:
            township.full_clean()
        assert "兰山区" in error.value.message_dict["code"][0]
        assert "371302" in error.value.message_dict["code"][0]

    def test_township_code_must_end_in_zeros(self, county):
        township = Township(county=county, code="371302001001", name="X镇", kind="town")
        with pytest.raises(ValidationError) as error:
            township.full_clean()
        assert "第10位起应全为0" in error.value.message_dict["code"][0]

    def test_village_code_under_its_township(self, township):
        Village(township=township, code="371302001201", name="甲村民委员会", kind="village").full_clean()
        with pytest.raises(ValidationError):
            Village(township=township, code="371302002201", name="乙村民委员会", kind="village").full_clean()

    def test_codes_are_unique(self, county):
        TownshipFactory(county=county, code="371302002000")
        db_rejects(lambda: Township.objects.create(county=county, code="371302002000", name="重复", kind="town"))

    @pytest.mark.parametrize(
        ("code", "kind"),
        [("371302001000", "subdistrict"), ("371302099000", "subdistrict"), ("371302100000", "town"),
         ("371302199000", "town"), ("371302200000", "township"), ("371302399000", "township"),
         ("371302400000", "other")],
    )
    def test_township_kind_from_code_range(self, code, kind):
        assert Township.kind_for_code(code) == kind

    @pytest.mark.parametrize(
        ("code", "kind"), [("371302001001", "community"), ("371302001199", "community"), ("371302001200", "village")]
    )
    def test_village_kind_from_code_range(self, code, kind):
        assert Village.kind_for_code(code) == kind

    @pytest.mark.parametrize(
        ("name", "short"),
        [("前十社区居民委员会", "前十社区"), ("银闸社区居委会", "银闸社区"), ("新城二村委会", "新城二村"),
         ("后胡家埠村民委员会", "后胡家埠村"), ("开元社区居民委员", "开元社区"), ("孙蒿科社区居会", "孙蒿科社区")],
    )
    def test_village_short_name(self, township, name, short):
        assert Village(township=township, name=name).short_name == short


class TestPopulation:
    def test_one_row_per_township_and_year(self, township):
        PopulationFactory(township=township, year=2025)
        db_rejects(lambda: Population.objects.create(township=township, year=2025, resident=1, registered=1))

    @pytest.mark.parametrize("field", ["resident", "registered"])
    def test_population_must_be_positive(self, township, field):
        values = {"resident": 10, "registered": 10, field: 0}
        db_rejects(lambda: Population.objects.create(township=township, year=2025, **values))

    def test_year_range(self, township):
        db_rejects(lambda: Population.objects.create(township=township, year=1900, resident=1, registered=1))


class TestOffice:
    def test_within_social_affairs_needs_parent_name(self, township):
        office = TownshipOffice(township=township, name="兰山街道民政办公室", setup="within_social_affairs")
        with pytest.raises(ValidationError) as error:
            office.full_clean()
        assert "parent_office_name" in error.value.message_dict
        db_rejects(office.save)

    def test_one_office_per_township(self, township):
        TownshipOffice.objects.create(township=township, name="兰山街道民政办公室")
        db_rejects(lambda: TownshipOffice.objects.create(township=township, name="另一个"))


class TestUserRole:
    def test_role_must_bind_its_own_level(self, county, township):
        db_rejects(lambda: User.objects.create(username="x", role="county", township=township))
        db_rejects(lambda: User.objects.create(username="y", role="township"))
        User.objects.create(username="z", role="county", county=county)

    def test_unit_is_the_bound_level(self, county):
        assert User(role="county", county=county).unit == county


def test_factories_keep_children_in_parent(township):
    village = VillageFactory(township=township)
    assert village.code.startswith(township.short_code)
    village.full_clean()
    assert County.objects.count() == 1
