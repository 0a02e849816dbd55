"""The budget page and the subsidy sheet say what the scorecard says, under a standard unlike the default.

Given a standard with other funds per 10,000 people (counted on the registered
population), another monthly subsidy and no vehicle requirement, when the
clerk opens a page, then its status, requirement and gap for each funding rule,
and the subsidy cells it marks short, are the scorecard's on the same day.
"""
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from offices.compliance import LEFT_OUT, Status, present
from offices.compliance.engine import township_compliance
from tests.factories.funding import BudgetLineFactory, SubsidyPaymentFactory
from tests.factories.offices import PopulationFactory, StandardFactory, VillageFactory
from tests.factories.staffing import VillageAssistantFactory

pytestmark = pytest.mark.django_db
D = Decimal
YEAR = 2025
TODAY = date(2025, 8, 15)  # the first two quarters of 2025 have ended, the last two have not
FUNDING_CODES = ("funding.working_funds", "funding.assistant_subsidy", "funding.vehicle_costs")


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """Page and scorecard are judged on the same day."""
    localdate = timezone.localdate
    monkeypatch.setattr(
        timezone, "localdate", lambda value=None, timezone=None: TODAY if value is None else localdate(value, timezone)
    )
    return TODAY


@pytest.fixture
def unlike_default(township):
    """The county's own standard: 3,500 yuan per 10,000 registered people, 100 yuan a month, no vehicle line."""
    PopulationFactory(township=township, year=YEAR, resident=50_000, registered=40_000)
    return StandardFactory(
        jurisdiction_code=township.code[:6], jurisdiction_name="兰山区", population_basis="registered",
        funds_per_10k_population=D("3500.00"), assistant_monthly_subsidy=D("100.00"), vehicle_costs_required=False,
    )


def scorecard(township):
    return township_compliance(township, YEAR, today=TODAY)


def rule_items(page):
    """{code: (status, text)} of the results the page shows."""
    found = re.findall(r'<li class="mb-1" data-rule="([^"]+)" data-status="([^"]+)">(.*?)</li>', page, re.S)
    return {code: (status, re.sub(r"<[^>]+>|\s+", "", text)) for code, status, text in found}


def assert_page_agrees(page, card, codes=FUNDING_CODES):
    shown = rule_items(page)
    for code in codes:
        result = card.result(code)
        status, text = shown[code]
        assert status == result.status, code
        assert result.explanation.replace(" ", "") in text, code
        if result.assessed and result.required is not None:
            assert present(result.required, result.unit) in text, code
            assert present(result.actual, result.unit) in text, code


def test_budget_page_agrees_with_the_scorecard(township, clerk, login, unlike_default):
    # 12,000 allocated: enough for the default's 10,000, short of this standard's 40,000 × 3,500 / 10,000 = 14,000.
    BudgetLineFactory(township=township, kind="working_funds", budgeted=D("15000"), allocated=D("12000"))
    page = login(clerk).get(reverse("funding:budget", args=[township.code]) + f"?year={YEAR}").content.decode()
    card = scorecard(township)
    funds = card.result("funding.working_funds")
    assert funds.status == Status.FAIL and funds.required == D("14000.00") and funds.gap == D("2000.00")
    assert "缺2,000元" in funds.explanation
    vehicle = card.result("funding.vehicle_costs")  # no vehicle line, but this standard does not ask for one
    assert vehicle.status == Status.NOT_ASSESSED and vehicle.explanation == str(LEFT_OUT)
    assert_page_agrees(page, card)
    assert rule_items(page)["funding.vehicle_costs"][0] == Status.NOT_ASSESSED


@pytest.fixture
def sheet(township):
    village = VillageFactory(township=township, name="东村村民委员会")
    zhang = VillageAssistantFactory(village=village, name="张三", start_date=date(2020, 1, 1))
    li = VillageAssistantFactory(village=village, name="李四", start_date=date(2025, 2, 15))
    SubsidyPaymentFactory(assistant=zhang, quarter=1, amount=D("180"))  # the default's 60 × 3; this one asks 300
    SubsidyPaymentFactory(assistant=zhang, quarter=2, amount=D("300"))
    SubsidyPaymentFactory(assistant=li, quarter=1, amount=D("200"))  # 2 months × 100
    SubsidyPaymentFactory(assistant=li, quarter=2, amount=D("250"))  # 50 short
    return zhang, li


def sheet_cells(page):
    """{(assistant id, quarter): (marked short, the amount due it shows or None)} of the subsidy sheet."""
    cells = {}
    for css, assistant, quarter, body in re.findall(
        r'<td class="([^"]*)"[^>]*data-cell="(\d+)-(\d)"[^>]*>(.*?)</td>', page, re.S
    ):
        due = re.search(r"应发 ([\d,.]+)", body)
        cells[(int(assistant), int(quarter))] = ("border-danger" in css, D(due.group(1)) if due else None)
    return cells


def subsidies_page(client, township):
    return client.get(reverse("funding:subsidies", args=[township.code]) + f"?year={YEAR}").content.decode()


def test_subsidy_sheet_marks_what_the_scorecard_counts(township, clerk, login, unlike_default, sheet):
    zhang, li = sheet
    page = subsidies_page(login(clerk), township)
    result = scorecard(township).result("funding.assistant_subsidy")
    assert result.status == Status.FAIL and result.gap == D("170.00")  # 120 for 张三's Q1, 50 for 李四's Q2
    assert_page_agrees(page, scorecard(township))
    cells = sheet_cells(page)
    marked = {key for key, (short, _due) in cells.items() if short}
    assert marked == {(s.assistant_id, s.quarter) for s in result.items} == {(zhang.pk, 1), (li.pk, 2)}
    for shortfall in result.items:
        assert cells[(shortfall.assistant_id, shortfall.quarter)][1] == shortfall.required
    # Every quarter in post shows what this standard makes due, ended or not; none not yet ended is marked.
    assert [cells[(zhang.pk, q)][1] for q in (1, 2, 3, 4)] == [D("300.00")] * 4
    assert [cells[(li.pk, q)][1] for q in (1, 2, 3, 4)] == [D("200.00"), D("300.00"), D("300.00"), D("300.00")]
    assert "每人每月不少于100.00元" in page


def test_subsidy_sheet_marks_nothing_when_the_standard_sets_no_subsidy(township, clerk, login, sheet):
    PopulationFactory(township=township, year=YEAR, resident=50_000)
    StandardFactory(jurisdiction_code=township.code[:6], assistant_monthly_subsidy=None)
    page = subsidies_page(login(clerk), township)
    card = scorecard(township)
    result = card.result("funding.assistant_subsidy")
    assert result.status == Status.NOT_ASSESSED and result.explanation == str(LEFT_OUT)
    assert_page_agrees(page, card)
    cells = sheet_cells(page)
    assert cells and not any(short or due is not None for short, due in cells.values())
    assert "适用标准未规定补助下限。" in page
