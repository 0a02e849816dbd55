"""The demo city: real divisions of 临沂市, synthetic but plausible figures."""
import pytest
from django.core.management import call_command
from django.db.models import Sum

from offices.models import City, County, Population, Township, TownshipOffice, User, Village, VillageStation

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=open("/dev/null", "w"))
        yield
        # Module-scoped data outlives the per-test transaction: remove it by hand.
        for model in (User, Population, VillageStation, TownshipOffice, Village, Township, County, City):
            model.objects.all().delete()


def test_real_hierarchy_of_linyi(demo):
    assert City.objects.get().name == "临沂市"
    assert County.objects.count() == 13
    assert Township.objects.count() == 156
    assert Village.objects.count() == 4186
    assert Township.objects.get(code="371302001000").name == "兰山街道"


def test_populations_are_plausible(demo):
    for year in (2023, 2024, 2025):
        rows = Population.objects.filter(year=year)
        assert rows.count() == 156
        total = rows.aggregate(total=Sum("resident"))["total"]
        assert abs(total - 11_018_365) / 11_018_365 < 0.02
        assert rows.filter(resident__lte=50_000).exists()
        assert rows.filter(resident__gt=100_000).exists()
        assert rows.filter(resident__gt=50_000, resident__lte=100_000).count() > 156 / 2


def test_a_login_for_each_role(demo):
    assert User.objects.filter(role="city").count() == 1
    assert User.objects.filter(role="county").count() == 13
    assert User.objects.filter(role="township").count() == 156
    assert User.objects.get(username="county371302").check_password("wuyou-demo-2025")
