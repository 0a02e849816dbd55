"""Writes: every value validated before anything is saved."""
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from funding import services
from funding.models import AssistantSubsidyPayment, BudgetLine
from tests.factories.funding import BudgetLineFactory, SubsidyPaymentFactory
from tests.factories.offices import VillageFactory
from tests.factories.staffing import VillageAssistantFactory

pytestmark = pytest.mark.django_db
D = Decimal


def test_budget_set_creates_updates_and_removes(township):
    services.budget_set(township=township, year=2025, lines={
        "working_funds": (D("12000"), D("11000")), "vehicle": (D("30000"), None), "other": None,
    })
    assert BudgetLine.objects.get(kind="vehicle").allocated == 0
    services.budget_set(
        township=township, year=2025, lines={"working_funds": (D("12000"), D("12000")), "vehicle": None}
    )
    assert list(BudgetLine.objects.values_list("kind", "allocated")) == [("working_funds", D("12000.00"))]


def test_budget_set_rejects_negative_and_writes_nothing(township):
    BudgetLineFactory(township=township, kind="vehicle", budgeted=D("100"))
    with pytest.raises(ValidationError):
        services.budget_set(township=township, year=2025, lines={
            "working_funds": (D("12000"), D("11000")), "vehicle": (D("-1"), D("0")),
        })
    assert list(BudgetLine.objects.values_list("kind", "budgeted")) == [("vehicle", D("100.00"))]


@pytest.fixture
def assistant(township):
    return VillageAssistantFactory(village=VillageFactory(township=township, name="东村村民委员会"), name="张三",
                            start_date=date(2025, 2, 15))


def test_subsidies_record_creates_updates_clears(township, assistant):
    SubsidyPaymentFactory(assistant=assistant, quarter=2, amount=D("100"))
    SubsidyPaymentFactory(assistant=assistant, quarter=3, amount=D("180"))
    created, updated, deleted = services.subsidies_record(
        township=township, year=2025, paid_date=date(2025, 10, 8),
        amounts={(assistant.pk, 1): D("120"), (assistant.pk, 2): D("180"), (assistant.pk, 3): None,
                 (assistant.pk, 4): None},
    )
    assert (created, updated, deleted) == (1, 1, 1)
    rows = {p.quarter: (p.amount, p.paid_date) for p in AssistantSubsidyPayment.objects.all()}
    assert rows == {1: (D("120.00"), date(2025, 10, 8)), 2: (D("180.00"), date(2025, 10, 8))}


def test_subsidies_record_rejects_quarter_not_in_post(township, assistant):
    other = VillageAssistantFactory(village=assistant.village, name="李四", end_date=date(2025, 3, 1))
    with pytest.raises(ValidationError) as raised:
        services.subsidies_record(township=township, year=2025, amounts={
            (assistant.pk, 1): D("120"), (other.pk, 1): D("180"), (other.pk, 2): D("180"),
        })
    assert "东村 李四 第二季度：该季度不在岗，不应录入补助。" in raised.value.messages
    assert not AssistantSubsidyPayment.objects.exists()


def test_subsidies_record_rejects_another_townships_assistant(township, other_township, assistant):
    stranger = VillageAssistantFactory(village=VillageFactory(township=other_township))
    with pytest.raises(ValidationError):
        services.subsidies_record(township=township, year=2025, amounts={
            (assistant.pk, 1): D("120"), (stranger.pk, 1): D("180"),
        })
    assert not AssistantSubsidyPayment.objects.exists()
