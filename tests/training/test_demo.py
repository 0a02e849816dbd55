"""The demo city's training: valid rows, every training rule failing somewhere but passing mostly."""
import random
from collections import Counter

import pytest

from offices import demo as offices_demo
from offices.compliance import TownshipContext
from offices.models import Township
from offices.selectors import standards_for_townships
from staffing import demo as staffing_demo
from training import compliance, rules
from training import demo as training_demo
from training.models import Attendance, Level, TrainingSession

pytestmark = pytest.mark.django_db


def test_demo_training():
    rng = random.Random(3713)
    units = offices_demo.build(rng, users=False)
    staffing_demo.build(rng, units)
    training_demo.build(rng, units)

    for session in TrainingSession.objects.order_by("?")[:50]:
        session.full_clean()
    assert set(TrainingSession.objects.values_list("level", flat=True)) == set(Level.values)
    for attendance in Attendance.objects.select_related("session", "staff_member__township__county",
                                                        "assistant__village__township__county").order_by("?")[:200]:
        person = attendance.person
        township = person.township if attendance.staff_member_id else person.village.township
        assert attendance.session.covers_township(township)

    year = units.years[-1]
    townships = list(Township.objects.all())
    standards = standards_for_townships(townships, year)
    inputs = compliance.gather(Township.objects.all(), year)
    failures, passes = Counter(), Counter()
    for t in townships:
        context = TownshipContext(t.pk, t.code, t.name, year, standards[t.pk], None)
        for result in compliance.evaluate(inputs[t.pk], context):
            (failures if result.failed else passes)[result.code] += 1
    codes = {rules.GRADED.code, rules.ROTATION.code, rules.BEFORE_POST.code}
    assert set(failures) == codes
    assert all(passes[code] > failures[code] * 2 for code in codes), (passes, failures)
