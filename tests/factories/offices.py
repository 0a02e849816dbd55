import factory

from offices.models import City, County, Population, Role, Standard, Township, TownshipOffice, User, Village
from offices.standards_catalog import SHANDONG_DEFAULT
from tests.factories.base import Factory


class CityFactory(Factory):
    class Meta:
        model = City
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{1101 + n:04d}00000000")
    name = factory.Sequence(lambda n: f"测试{n}市")


class CountyFactory(Factory):
    class Meta:
        model = County

    city = factory.SubFactory(CityFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.city.code[:4]}{n % 99 + 1:02d}000000")
    name = factory.Sequence(lambda n: f"测试{n}县")
    kind = County.Kind.COUNTY


class TownshipFactory(Factory):
    class Meta:
        model = Township

    county = factory.SubFactory(CountyFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.county.code[:6]}{100 + n % 899:03d}000")
    name = factory.Sequence(lambda n: f"测试{n}镇")
    kind = Township.Kind.TOWN


class VillageFactory(Factory):
    class Meta:
        model = Village

    township = factory.SubFactory(TownshipFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.township.code[:9]}{200 + n % 799:03d}")
    name = factory.Sequence(lambda n: f"测试{n}村民委员会")
    kind = Village.Kind.VILLAGE


class PopulationFactory(Factory):
    class Meta:
        model = Population

    township = factory.SubFactory(TownshipFactory)
    year = 2025
    resident = 60_000
    registered = factory.LazyAttribute(lambda o: o.resident)


class TownshipOfficeFactory(Factory):
    class Meta:
        model = TownshipOffice

    township = factory.SubFactory(TownshipFactory)
    name = factory.LazyAttribute(lambda o: f"{o.township.name}民政办公室")


class StandardFactory(Factory):
    """A copy of the default standard; override any parameter per test."""

    class Meta:
        model = Standard

    name = "测试标准"
    # Shandong: more specific than the shipped default (jurisdiction ""), so a test's standard is the one that
    # applies to the test townships (3713…), whatever their years.
    jurisdiction_code = "37"
    jurisdiction_name = "测试"
    valid_from_year = 2000
    valid_to_year = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        data = {key: value for key, value in SHANDONG_DEFAULT.items() if key not in kwargs}
        return super()._create(model_class, *args, **{**data, **kwargs})


class UserFactory(Factory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-12345")

    class Params:
        city_staff = factory.Trait(role=Role.CITY, city=factory.SubFactory(CityFactory))
        county_official = factory.Trait(role=Role.COUNTY, county=factory.SubFactory(CountyFactory))
        clerk = factory.Trait(role=Role.TOWNSHIP, township=factory.SubFactory(TownshipFactory))

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()
