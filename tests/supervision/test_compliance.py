"""Supervision inputs gathered in a fixed number of queries; evaluate decides the rules."""
import datetime
from decimal import Decimal

import pytest

from funding.models import AssistantSubsidyPayment
from offices.compliance import Status, TownshipContext
from supervision import compliance, rules
from tests.factories.offices import StandardFactory, TownshipFactory, VillageFactory
from tests.factories.staffing import VillageAssistantFactory
from tests.factories.supervision import (
    AssistantAssessmentFactory,
    InspectionFactory,
    SatisfactionSurveyFactory,
    ServiceContractFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def context(township, standard, year=2025, today=None):
    return TownshipContext(township.pk, township.code, township.name, year, standard, 60_000, today=today)


def _township(county):
    township = TownshipFactory(county=county)
    village = VillageFactory(township=township)
    graded = VillageAssistantFactory(village=village)
    AssistantAssessmentFactory(assistant=graded, year=2025, grade="basic")
    for quarter in (1, 2, 3, 4):
        AssistantSubsidyPayment.objects.create(assistant=graded, year=2025, quarter=quarter, amount=Decimal("180"))
    VillageAssistantFactory(village=village, name="未考评者")
    incompetent = VillageAssistantFactory(village=village, name="不称职者")
    AssistantAssessmentFactory(assistant=incompetent, year=2025, grade="incompetent", assessed_on=D(2026, 1, 8))
    InspectionFactory(township=township, date=D(2025, 5, 1), deadline=D(2025, 6, 30))  # overdue
    InspectionFactory(township=township, date=D(2024, 5, 1), deadline=D(2024, 6, 30), status="rectified",
                      rectified_on=D(2024, 6, 1))  # closed before the year: not relevant
    InspectionFactory(township=township, date=D(2024, 9, 1), deadline=D(2024, 10, 30), status="rectified",
                      rectified_on=D(2025, 2, 1))  # open on 1 January, rectified in the year
    SatisfactionSurveyFactory(township=township, year=2025)
    ServiceContractFactory(township=township)
    ServiceContractFactory(township=township, start_date=D(2023, 1, 1), end_date=D(2024, 12, 31))  # ended before
    return township


def test_evaluate_on_gathered_inputs(county):
    township = _township(county)
    inputs = compliance.gather([township.pk], 2025)[township.pk]
    today = D(2026, 3, 1)  # pinned: 2025 is over
    assert len(inputs.inspections) == 2 and len(inputs.contracts) == 1
    assert [len(i.findings) for i in inputs.inspections] == [1, 1]
    results = {r.code: r for r in compliance.evaluate(inputs, context(township, StandardFactory(), today=today))}
    assert results[rules.ASSISTANTS_GRADED.code].failed and "未考评者" in results[rules.ASSISTANTS_GRADED.code].explanation
    assert results[rules.INCOMPETENT_REPLACED.code].failed and "不称职者" in results[rules.INCOMPETENT_REPLACED.code].explanation
    assert results[rules.SUBSIDY_BY_GRADE.code].passed  # basic × 1.00 under the default standard, incompetent × 0
    assert results[rules.RECTIFICATION.code].failed and results[rules.RECTIFICATION.code].gap == 1
    assert results[rules.SATISFACTION.code].status == Status.NOT_ASSESSED
    assert results[rules.SATISFACTION.code].actual == Decimal("91.50")
    assert results[rules.SERVICE_CONTRACTS.code].actual == 1


def test_empty_township_none_inputs_and_no_standard(county):
    township = TownshipFactory(county=county)
    inputs = compliance.gather([township.pk], 2025)[township.pk]
    statuses = {r.code: r.status for r in compliance.evaluate(inputs, context(township, StandardFactory()))}
    assert statuses[rules.RECTIFICATION.code] == Status.PASS
    assert len(compliance.evaluate(None, context(township, StandardFactory()))) == len(rules.RULES)
    assert {r.status for r in compliance.evaluate(inputs, context(township, None))} == {Status.NOT_ASSESSED}
    liyang = StandardFactory(grade_subsidy_factors=None, assistant_monthly_subsidy=None)
    statuses = {r.code: r.status for r in compliance.evaluate(inputs, context(township, liyang))}
    assert statuses[rules.ASSISTANTS_GRADED.code] == statuses[rules.SUBSIDY_BY_GRADE.code] == Status.NOT_ASSESSED


def test_fixed_number_of_queries(county, django_assert_num_queries):
    one = _township(county)
    with django_assert_num_queries(6):
        compliance.gather(type(one).objects.filter(pk=one.pk), 2025)
    for _ in range(5):
        _township(county)
    with django_assert_num_queries(6):
        inputs = compliance.gather(type(one).objects.all(), 2025)
    assert len(inputs) == 6 and all(len(i.assistants) == 3 for i in inputs.values())
