"""The demo city's staffing: valid rows, seed-000-like workforce, every rule failing somewhere."""
import random
from collections import Counter

import pytest

from offices import demo as offices_demo
from offices.compliance import TownshipContext
from offices.models import Population, Township
from offices.selectors import standards_for_townships
from staffing import compliance, selectors
from staffing import demo as staffing_demo
from staffing.models import StaffMember, VillageAssistant

pytestmark = pytest.mark.django_db


def test_demo_staffing():
    rng = random.Random(3713)
    units = offices_demo.build(rng, users=False)
    staffing_demo.build(rng, units)

    for person in StaffMember.objects.order_by("?")[:50]:
        person.full_clean()
    for assistant in VillageAssistant.objects.order_by("?")[:50]:
        assistant.full_clean()

    year = units.years[-1]
    workforce = selectors.workforce_indicators(Township.objects.all(), year)["staff"]
    assert 70 <= workforce.full_time_share <= 86
    assert 66 <= workforce.junior_college_share <= 82
    assert 37 <= workforce.average_age <= 46
    assert workforce.aged_50_plus > 0 and workforce.qualified > 0

    townships = list(Township.objects.all())
    standards = standards_for_townships(townships, year)
    populations = dict(Population.objects.filter(year=year).values_list("township_id", "resident"))
    inputs = compliance.gather(Township.objects.all(), year)
    failures, passes = Counter(), Counter()
    for t in townships:
        context = TownshipContext(t.pk, t.code, t.name, year, standards[t.pk], populations[t.pk])
        for result in compliance.evaluate(inputs[t.pk], context):
            (failures if result.failed else passes)[result.code] += 1
    assert set(failures) == {spec.code for spec in compliance.RULES}
    assert all(passes[code] > failures[code] * 3 for code in (spec.code for spec in compliance.RULES)), (dict(passes), dict(failures))
