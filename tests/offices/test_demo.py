"""The demo city: real divisions of 临沂市, synthetic but plausible figures.

One test loads the whole demo once (inside the test's transaction, so it is
rolled back) and checks the base app's part of it.
"""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from offices.models import City, County, Population, Township, User, Village

pytestmark = pytest.mark.django_db


def test_demo_city_is_linyi_with_plausible_figures():
    out = StringIO()
    call_command("load_demo", stdout=out)

    assert City.objects.get().name == "临沂市"
    assert County.objects.count() == 13
    assert Township.objects.count() == 156
    assert Village.objects.count() == 4186
    assert Township.objects.get(code="371302001000").name == "兰山街道"

    for year in (2023, 2024, 2025):
        rows = Population.objects.filter(year=year)
        assert rows.count() == 156
        total = rows.aggregate(total=Sum("resident"))["total"]
        assert abs(total - 11_018_365) / 11_018_365 < 0.02
        assert rows.filter(resident__lte=50_000).exists()
        assert rows.filter(resident__gt=100_000).exists()
        assert rows.filter(resident__gt=50_000, resident__lte=100_000).count() > 156 / 2

    assert User.objects.filter(role="city").count() == 1
    assert User.objects.filter(role="county").count() == 13
    assert User.objects.filter(role="township").count() == 156
    assert User.objects.get(username="county371302").check_password("wuyou-demo-2025")
    assert "city3713" in out.getvalue() and "wuyou-demo-2025" in out.getvalue()

    with pytest.raises(CommandError):
        call_command("load_demo", stdout=StringIO())
    call_command("load_demo", "--if-empty", stdout=StringIO())
    assert Township.objects.count() == 156
