"""The demo city's supervision records: valid rows, every judged rule failing somewhere but passing mostly."""
import random
from collections import Counter

import pytest
from django.db.models import Count

from funding import demo as funding_demo
from offices import demo as offices_demo
from offices.compliance import TownshipContext
from offices.models import Township
from offices.selectors import standards_for_townships
from staffing import demo as staffing_demo
from supervision import compliance, rules
from supervision import demo as supervision_demo
from supervision.models import (
    AssistantAssessment,
    Inspection,
    InspectionFinding,
    SatisfactionSurvey,
    ServiceContract,
)
from training import demo as training_demo

pytestmark = pytest.mark.django_db


def test_demo_records():
    rng = random.Random(3713)
    units = offices_demo.build(rng, users=False)
    staffing_demo.build(rng, units)
    funding_demo.build(rng, units)
    supervision_demo.build(rng, units)  # in the order of load_demo: training inducts the successors
    training_demo.build(rng, units)

    for model in (AssistantAssessment, Inspection, InspectionFinding, SatisfactionSurvey, ServiceContract):
        assert model.objects.exists()
        for row in model.objects.order_by("?")[:30]:
            row.full_clean()
    assert AssistantAssessment.objects.filter(grade="incompetent").exists()
    # Inspections find one to three problems, a few none (未发现问题).
    counts = Counter(Inspection.objects.annotate(n=Count("findings")).values_list("n", flat=True))
    assert set(counts) == {0, 1, 2, 3} and counts[0] < counts[1]

    year = units.years[-1]
    townships = list(Township.objects.all())
    standards = standards_for_townships(townships, year)
    inputs = compliance.gather(Township.objects.all(), year)
    failures, passes = Counter(), Counter()
    for t in townships:
        context = TownshipContext(t.pk, t.code, t.name, year, standards[t.pk], None)
        for result in compliance.evaluate(inputs[t.pk], context):
            (failures if result.failed else passes)[result.code] += 1
    judged = {rules.ASSISTANTS_GRADED.code, rules.INCOMPETENT_REPLACED.code, rules.SUBSIDY_BY_GRADE.code,
              rules.RECTIFICATION.code}
    assert set(failures) == judged
    assert all(passes[code] > failures[code] * 3 for code in judged), (passes, failures)
