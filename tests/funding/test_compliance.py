"""gather/evaluate: the inputs of many townships in a fixed number of queries, judged purely."""
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from funding import compliance, rules
from funding.compliance import FundingInputs
from funding.models import BudgetLine
from offices.compliance import LEFT_OUT, NO_STANDARD, Status, TownshipContext, listed
from offices.compliance.engine import township_compliance
from offices.models import Standard, Township
from tests.factories.funding import BudgetLineFactory, SubsidyPaymentFactory
from tests.factories.offices import StandardFactory, TownshipFactory, VillageFactory
from tests.factories.staffing import VillageAssistantFactory

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = date(2026, 2, 1)


def context(township, standard, population=50_000, year=2025, today=TODAY):
    return TownshipContext(
        township_id=township.pk, code=township.code, name=township.name, year=year,
        standard=standard, population=population, today=today,
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
    inputs = compliance.gather(Township.objects.all(), 2025)[township.pk]
    assert inputs.line("working_funds") == (D("10000.00"), D("10000.00"))
    assert [t.assistant_id for t in inputs.terms] == [assistant.pk]
    assert inputs.payments[(assistant.pk, 1)] == D("120.00")
    results = compliance.evaluate(inputs, context(township, standard))
    assert [r.code for r in results] == ["funding.working_funds", "funding.assistant_subsidy", "funding.vehicle_costs"]
    assert all(r.passed for r in results), [r.explanation for r in results]


def test_a_township_with_nothing_fails_with_what_to_enter(township, standard):
    inputs = compliance.gather(Township.objects.all(), 2025)[township.pk]
    assert inputs == FundingInputs()
    funds, subsidy, vehicle = compliance.evaluate(inputs, context(township, standard))
    assert funds.failed and "尚未录入" in funds.explanation
    assert subsidy.passed  # no assistant in post: the staffing rules report that
    assert vehicle.failed and "未录入" in vehicle.explanation


def test_funds_exactly_equal_pass_one_cent_less_fails(township, standard):
    line = BudgetLineFactory(township=township, kind="working_funds", budgeted=D("10000"), allocated=D("10000"))
    inputs = compliance.gather([township], 2025)[township.pk]
    assert compliance.evaluate(inputs, context(township, standard))[0].passed
    line.allocated = D("9999.99")
    line.save()
    inputs = compliance.gather([township], 2025)[township.pk]
    assert compliance.evaluate(inputs, context(township, standard))[0].gap == D("0.01")


def test_other_years_and_townships_do_not_leak(township, other_township, standard):
    furnish(other_township)
    BudgetLineFactory(township=township, year=2024, kind="working_funds")
    inputs = compliance.gather(Township.objects.filter(pk=township.pk), 2025)
    assert list(inputs) == [township.pk]
    assert inputs[township.pk] == FundingInputs()


def test_no_standard_means_not_assessed(township):
    inputs = compliance.gather([township], 2025)[township.pk]
    results = compliance.evaluate(inputs, context(township, None))
    assert [r.status for r in results] == [Status.NOT_ASSESSED] * 3
    assert {r.explanation for r in results} == {str(NO_STANDARD)}


def test_liyang_standard_assesses_no_funding_rule(township):
    liyang = Standard.objects.get(jurisdiction_code="320481")
    inputs = compliance.gather([township], 2025)[township.pk]
    assert {r.status for r in compliance.evaluate(inputs, context(township, liyang))} == {Status.NOT_ASSESSED}


def test_subsidy_of_current_year_judges_ended_quarters_only(township, standard):
    assistant = VillageAssistantFactory(village=VillageFactory(township=township))
    SubsidyPaymentFactory(assistant=assistant, quarter=1, amount=D("180"))
    inputs = compliance.gather([township], 2025)[township.pk]
    assert compliance.evaluate(inputs, context(township, standard, today=date(2025, 5, 1)))[1].passed
    result = compliance.evaluate(inputs, context(township, standard, today=date(2025, 7, 1)))[1]
    assert result.failed and result.gap == D("180.00")
    assert "第二季度" in result.explanation and assistant.name in result.explanation


def test_a_context_without_a_day_is_judged_today(township, standard):
    inputs = compliance.gather([township], 2025)[township.pk]
    result = compliance.evaluate(inputs, context(township, standard, today=None))[1]
    judged = [rules.quarter_label(q) for q in rules.judged_quarters(2025, timezone.localdate())]
    assert result.basis["评估季度"] == (listed(judged) or "无（本年度尚无已结束的季度）")


def test_the_engine_dates_the_assessment(township, standard):
    assistant = VillageAssistantFactory(village=VillageFactory(township=township))
    SubsidyPaymentFactory(assistant=assistant, quarter=1, amount=D("180"))
    assert township_compliance(township, 2025, today=date(2025, 5, 1)).result("funding.assistant_subsidy").passed
    result = township_compliance(township, 2025, today=date(2025, 7, 1)).result("funding.assistant_subsidy")
    assert result.failed and result.gap == D("180.00")


@pytest.mark.parametrize("count", [1, 6])
def test_gather_query_count_is_fixed(county, count, django_assert_num_queries):
    for _ in range(count):
        furnish(TownshipFactory(county=county))
    with django_assert_num_queries(4):  # ids, lines, assistants, payments
        gathered = compliance.gather(Township.objects.all(), 2025)
    assert len(gathered) == count
    assert all(len(inputs.payments) == 4 for inputs in gathered.values())
    assert BudgetLine.objects.count() == 2 * count


# -- the engine, not the rule, leaves out what the standard does not set ------------------


def _left_out(township, standard, spec):
    inputs = compliance.gather([township], 2025)[township.pk]
    return {r.code: r for r in compliance.evaluate(inputs, context(township, standard))}[spec.code]


def test_funds_not_set_by_standard_is_not_assessed(township):
    standard = StandardFactory(funds_per_10k_population=None)
    assert not rules.WORKING_FUNDS.applies(standard)
    result = _left_out(township, standard, rules.WORKING_FUNDS)
    assert result.status == Status.NOT_ASSESSED and result.explanation == str(LEFT_OUT)


def test_subsidy_not_set_by_standard_is_not_assessed(township):
    standard = StandardFactory(assistant_monthly_subsidy=None)
    VillageAssistantFactory(village=VillageFactory(township=township))  # unpaid, yet nothing is judged
    assert not rules.ASSISTANT_SUBSIDY.applies(standard)
    result = _left_out(township, standard, rules.ASSISTANT_SUBSIDY)
    assert result.status == Status.NOT_ASSESSED and result.explanation == str(LEFT_OUT)
    assert result.items == ()


def test_vehicle_not_required_is_not_assessed(township):
    standard = StandardFactory(vehicle_costs_required=False)
    assert not rules.VEHICLE_COSTS.applies(standard)
    result = _left_out(township, standard, rules.VEHICLE_COSTS)
    assert result.status == Status.NOT_ASSESSED and result.explanation == str(LEFT_OUT)


def test_default_standard_sets_every_funding_rule(standard):
    assert all(spec.applies(standard) for spec in rules.RULES)


# -- money comes back in exact cents on every database -----------------------------------


@pytest.mark.parametrize("amount", ["24691.39", "0.10", "9999999999.99", "0.00"])
def test_gathered_sums_are_two_place_decimals(township, amount):
    BudgetLineFactory(township=township, kind="working_funds", budgeted=D(amount), allocated=D(amount))
    budgeted, allocated = compliance.gather([township], 2025)[township.pk].line("working_funds")
    for value in (budgeted, allocated):
        assert isinstance(value, Decimal) and str(value) == amount
