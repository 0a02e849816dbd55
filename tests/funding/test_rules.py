"""The funding rules at every boundary, with plain values."""
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from funding import rules
from funding.rules import AssistantTerm
from offices.compliance import Actor, Status, Unit

D = Decimal
PAST = date(2026, 6, 1)  # every quarter of 2025 has ended


# -- working funds ---------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "per_10k", "required"),
    [(50_000, "2000", "10000.00"), (1, "2000", "0.20"), (12_345, "2000", "2469.00"), (7, "2000.05", "1.40"),
     (3, "0.05", "0.00"), (5, "1.00", "0.00"), (50, "1.00", "0.01"), (0, "2000", "0.00")],
)
def test_required_working_funds_exact_and_half_up(population, per_10k, required):
    result = rules.required_working_funds(population, D(per_10k))
    assert result == D(required) and isinstance(result, Decimal)
    assert result.as_tuple().exponent == -2


def test_required_funds_rounds_half_up_not_to_even():
    # 25 × 1.00 / 10,000 = 0.0025 → 0.00; 50 × 1.00 / 10,000 = 0.005 → 0.01 (half up), and 150 → 0.015 → 0.02
    assert rules.required_working_funds(150, D("1.00")) == D("0.02")
    assert rules.required_working_funds(250, D("1.00")) == D("0.03")


@given(st.integers(0, 5_000_000), st.integers(0, 5_000_000), st.decimals("0", "100000", places=2))
def test_required_funds_monotone_in_population(a, b, per_10k):
    low, high = sorted((a, b))
    assert rules.required_working_funds(low, per_10k) <= rules.required_working_funds(high, per_10k)


@given(st.integers(0, 10_000_000))
def test_default_standard_is_twenty_cents_per_person(population):
    assert rules.required_working_funds(population, D("2000.00")) == (D("0.2") * population).quantize(D("0.01"))


def funds(population=50_000, budgeted=D("10000.00"), allocated=D("10000.00"), per_10k=D("2000.00")):
    return rules.working_funds_rule(
        population=population, funds_per_10k=per_10k, budgeted=budgeted, allocated=allocated
    )


def test_funds_exactly_equal_pass():
    result = funds()
    assert result.status == Status.PASS and result.gap == 0
    assert result.required == D("10000.00") and result.actual == D("10000.00")
    assert result.code == "funding.working_funds" and result.dimension == "funding"
    assert result.fix_url == "funding:budget"


def test_funds_one_cent_short_fail():
    result = funds(allocated=D("9999.99"))
    assert result.status == Status.FAIL and result.gap == D("0.01")
    assert "缺0.01元" in result.explanation


def test_funds_budgeted_but_not_allocated_shows_both():
    result = funds(budgeted=D("12000.00"), allocated=D("8000.00"))
    assert result.failed and result.gap == D("2000.00")
    assert result.basis["列入财政预算"] == "12,000元" and result.basis["实际到位"] == "8,000元"
    assert result.basis["预算未到位"] == "4,000元"
    assert "列入预算12,000元，实际到位8,000元，缺2,000元" in result.explanation


def test_funds_missing_population_fails_asking_for_it():
    result = funds(population=None)
    assert result.failed and "录入" in result.explanation and result.fix_url == "offices:population_edit"


def test_funds_without_a_line_fails():
    result = funds(budgeted=None, allocated=None)
    assert result.failed and result.actual == 0 and result.gap == D("10000.00")
    assert "尚未录入" in result.explanation


# -- assistant subsidy -------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "quarter", "months"),
    [(date(2020, 1, 1), None, 1, 3),
     (date(2025, 2, 15), None, 1, 2),
     (date(2025, 3, 31), None, 1, 1),
     (date(2025, 4, 1), None, 1, 0),
     (date(2020, 1, 1), date(2025, 1, 1), 1, 1),
     (date(2020, 1, 1), date(2024, 12, 31), 1, 0),
     (date(2025, 5, 10), date(2025, 5, 20), 2, 1),
     (date(2025, 11, 30), None, 4, 2),
     (date(2026, 1, 1), None, 4, 0)],
)
def test_months_in_post(start, end, quarter, months):
    assert rules.months_in_post(start, end, 2025, quarter) == months


@pytest.mark.parametrize(
    ("today", "quarters"),
    [(date(2025, 3, 31), []), (date(2025, 4, 1), [1]), (date(2025, 12, 31), [1, 2, 3]),
     (date(2026, 1, 1), [1, 2, 3, 4]), (date(2024, 6, 1), [])],
)
def test_judged_quarters_only_ended_ones(today, quarters):
    assert rules.judged_quarters(2025, today) == quarters


def subsidy(terms, payments, today=PAST, monthly=D("60.00")):
    return rules.assistant_subsidy_rule(terms=terms, payments=payments, year=2025, monthly_subsidy=monthly, today=today)


def term(pk=1, start=date(2020, 1, 1), end=None):
    return AssistantTerm(pk, f"助理员{pk}", "东村", start, end)


def full_year(pk, amount="180"):
    return {(pk, q): D(amount) for q in (1, 2, 3, 4)}


@pytest.mark.parametrize(
    ("start", "end", "required"),
    [(date(2025, 2, 15), None, "120.00"),
     (date(2025, 3, 31), None, "60.00"),
     (date(2020, 1, 1), date(2025, 1, 1), "60.00")],
)
def test_pro_rata_first_quarter(start, end, required):
    terms = [term(start=start, end=end)]
    today = date(2025, 4, 1)  # only Q1 has ended
    assert subsidy(terms, {(1, 1): D(required)}, today=today).passed
    short = subsidy(terms, {(1, 1): D(required) - D("0.01")}, today=today)
    assert short.failed and short.required == D(required) and short.gap == D("0.01")


def test_full_quarter_179_99_fails_180_passes():
    assert subsidy([term()], full_year(1)).passed
    payments = {**full_year(1), (1, 3): D("179.99")}
    result = subsidy([term()], payments)
    assert result.failed and result.gap == D("0.01")
    assert result.basis["补助不足的人次（季度）"] == 1
    assert "东村 助理员1 第三季度：实发179.99元，应发180元" in result.explanation


def test_missing_payment_is_zero_and_overpayment_does_not_offset():
    payments = {(1, 1): D("360"), (1, 2): D("180"), (1, 3): D("180")}
    result = subsidy([term()], payments)
    assert result.failed and result.gap == D("180.00")
    assert result.required == D("720.00") and result.actual == D("720.00")


def test_current_year_judges_only_ended_quarters():
    result = subsidy([term()], {(1, 1): D("180")}, today=date(2025, 6, 30))
    assert result.passed and result.required == D("180.00")


def test_summary_counts_and_lists_at_most_ten():
    terms = [term(pk) for pk in range(1, 6)]
    result = subsidy(terms, {})  # nobody paid anything: 5 × 4 quarters short
    assert result.failed and result.basis["补助不足的人次（季度）"] == 20
    assert result.gap == D("3600.00")
    listed = result.basis["不足明细"]
    assert len(listed) == 11 and listed[-1] == "……另有10项"
    assert result.explanation.startswith("20人次（季度）补助低于每月60元的标准，共缺3,600元")


def test_subsidy_passes_with_nothing_to_judge():
    assert subsidy([], {}).passed
    assert subsidy([term()], {}, today=date(2025, 1, 15)).passed


def test_subsidy_items_are_every_shortfall_in_full():
    terms = [term(pk) for pk in range(1, 6)]
    result = subsidy(terms, {**full_year(1), **full_year(2), (2, 3): D("100")})
    assert len(result.items) == 3 * 4 + 1  # assistants 3–5 never paid, assistant 2 paid short in Q3
    assert len(result.basis["不足明细"]) == 10 + 1  # the basis names ten and counts the rest; items hold all
    cells = [(s.assistant_id, s.quarter) for s in result.items]
    assert cells[0] == (2, 3) and (5, 4) in cells and not any(pk == 1 for pk, _quarter in cells)
    assert str(result.items[0]) == "东村 助理员2 第三季度"
    assert subsidy(terms, {key: D("180") for pk in range(1, 6) for key in full_year(pk)}).items == ()


DATES = st.dates(date(2024, 1, 1), date(2026, 12, 31))


@given(st.integers(1, 4), DATES, DATES)
def test_months_in_post_between_zero_and_three_and_monotone_in_end(quarter, start, end):
    first, second = sorted((start, end))
    months = rules.months_in_post(first, second, 2025, quarter)
    assert 0 <= months <= 3
    assert months <= rules.months_in_post(first, None, 2025, quarter)


# -- vehicle running costs ----------------------------------------------------


@pytest.mark.parametrize(
    ("budgeted", "status"), [(None, Status.FAIL), (D("0.00"), Status.FAIL), (D("0.01"), Status.PASS)]
)
def test_vehicle_line_needs_a_positive_budget(budgeted, status):
    result = rules.vehicle_costs_rule(budgeted=budgeted)
    assert result.status == status and result.code == "funding.vehicle_costs"
    assert result.gap == (0 if status == Status.PASS else 1)



# -- declarations ---------------------------------------------------------------


def test_rules_are_declared_once_in_display_order():
    assert [spec.code for spec in rules.RULES] == [
        "funding.working_funds", "funding.assistant_subsidy", "funding.vehicle_costs"]
    assert [spec.unit for spec in rules.RULES] == [Unit.YUAN, Unit.YUAN, Unit.ITEMS]
    assert [spec.fix_url for spec in rules.RULES] == ["funding:budget", "funding:subsidies", "funding:budget"]
    assert {spec.fixed_by for spec in rules.RULES} == {Actor.TOWNSHIP}


def test_results_carry_the_declared_title_and_unit():
    assert funds().title == "工作经费" and funds().unit == Unit.YUAN
    assert subsidy([], {}).title == "民政助理员补助" and subsidy([], {}).unit == Unit.YUAN
    vehicle = rules.vehicle_costs_rule(budgeted=None)
    assert vehicle.title == "服务车辆运行费" and vehicle.unit == Unit.ITEMS
