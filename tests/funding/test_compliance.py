"""gather/evaluate: the inputs of many townships in a fixed number of queries, judged purely."""
from datetime import date
from decimal import Decimal

import pytest

from funding import compliance
from funding.compliance import FundingInputs
from funding.models import BudgetLine
from offices.compliance import Status, TownshipContext
from offices.models import Standard, Township
from tests.factories.funding import BudgetLineFactory, SubsidyPaymentFactory
from tests.factories.offices import StandardFactory, TownshipFactory, VillageFactory
from tests.factories.staffing import VillageAssistantFactory

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = date(2026, 2, 1)


def context(township, standard, population=50_000, year=2025):
    return TownshipContext(
        township_id=township.pk, code=township.code, name=township.name, year=year,
        standard=standard, population=population,
    )


def furnish(township):
    """A township that passes every funding rule in 2025 at 50,000 people."""
    BudgetLineFactory(township=township, kind="working_funds", budgeted=D("10000"), allocated=D("10000"))
    BudgetLineFactory(township=township, kind="vehicle", budgeted=D("30000"), allocated=D("25000"))
    village = VillageFactory(township=township)
    assistant = VillageAssistantFactory(village=village, start_date=date(2025, 2, 15))
    SubsidyPaymentFactory(assistant=assistant, quarter=1, amount=D("120"))
    for quarter in (2, 3, 4):
        SubsidyPaymentFactory(assistant=assistant, quarter=quarter, amount=D("180"))
    # Left before 2025: not in post, nothing due.
    VillageAssistantFactory(village=village, start_date=date(2019, 1, 1), end_date=date(2024, 12, 31))
    return assistant


@pytest.fixture
def standard():
    return StandardFactory()


def test_gather_collects_lines_terms_and_payments(township, standard):
    assistant = furnish(township)
    inputs = compliance.gather(Township.objects.all(), 2025, today=TODAY)[township.pk]
    assert inputs.line("working_funds") == (D("10000.00"), D("10000.00"))
    assert [t.assistant_id for t in inputs.terms] == [assistant.pk]
    assert inputs.payments[(assistant.pk, 1)] == D("120.00")
    results = compliance.evaluate(inputs, context(township, standard))
    assert [r.code for r in results] == ["funding.working_funds", "funding.assistant_subsidy", "funding.vehicle_costs"]
    assert all(r.passed for r in results), [r.explanation for r in results]


def test_a_township_with_nothing_fails_with_what_to_enter(township, standard):
    inputs = compliance.gather(Township.objects.all(), 2025, today=TODAY)[township.pk]
    assert inputs == FundingInputs(today=TODAY)
    funds, subsidy, vehicle = compliance.evaluate(inputs, context(township, standard))
    assert funds.failed and "尚未录入" in funds.explanation
    assert subsidy.passed  # no assistant in post: the staffing rules report that
    assert vehicle.failed and "未录入" in vehicle.explanation


def test_funds_exactly_equal_pass_one_cent_less_fails(township, standard):
    line = BudgetLineFactory(township=township, kind="working_funds", budgeted=D("10000"), allocated=D("10000"))
    inputs = compliance.gather([township], 2025, today=TODAY)[township.pk]
    assert compliance.evaluate(inputs, context(township, standard))[0].passed
    line.allocated = D("9999.99")
    line.save()
    inputs = compliance.gather([township], 2025, today=TODAY)[township.pk]
    assert compliance.evaluate(inputs, context(township, standard))[0].gap == D("0.01")


def test_other_years_and_townships_do_not_leak(township, other_township, standard):
    furnish(other_township)
    BudgetLineFactory(township=township, year=2024, kind="working_funds")
    inputs = compliance.gather(Township.objects.filter(pk=township.pk), 2025, today=TODAY)
    assert list(inputs) == [township.pk]
    assert inputs[township.pk] == FundingInputs(today=TODAY)


def test_no_standard_means_not_assessed(township):
    inputs = compliance.gather([township], 2025, today=TODAY)[township.pk]
    results = compliance.evaluate(inputs, context(township, None))
    assert [r.status for r in results] == [Status.NOT_ASSESSED] * 3


def test_liyang_standard_assesses_no_funding_rule(township):
    liyang = Standard.objects.get(jurisdiction_code="320481")
    inputs = compliance.gather([township], 2025, today=TODAY)[township.pk]
    assert {r.status for r in compliance.evaluate(inputs, context(township, liyang))} == {Status.NOT_ASSESSED}


def test_subsidy_of_current_year_judges_ended_quarters_only(township, standard):
    assistant = VillageAssistantFactory(village=VillageFactory(township=township))
    SubsidyPaymentFactory(assistant=assistant, quarter=1, amount=D("180"))
    inputs = compliance.gather([township], 2025, today=date(2025, 5, 1))[township.pk]
    assert compliance.evaluate(inputs, context(township, standard))[1].passed
    inputs = compliance.gather([township], 2025, today=date(2025, 7, 1))[township.pk]
    result = compliance.evaluate(inputs, context(township, standard))[1]
    assert result.failed and result.gap == D("180.00")
    assert "第二季度" in result.explanation and assistant.name in result.explanation


def test_gather_defaults_today_to_local_date(township):
    inputs = compliance.gather([township], 2025)[township.pk]
    assert inputs.today is not None


@pytest.mark.parametrize("count", [1, 6])
def test_gather_query_count_is_fixed(county, count, django_assert_num_queries):
    for _ in range(count):
        furnish(TownshipFactory(county=county))
    with django_assert_num_queries(4):  # ids, lines, assistants, payments
        gathered = compliance.gather(Township.objects.all(), 2025, today=TODAY)
    assert len(gathered) == count
    assert all(len(inputs.payments) == 4 for inputs in gathered.values())
    assert BudgetLine.objects.count() == 2 * count
