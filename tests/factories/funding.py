"""Factories of the funding app."""
from decimal import Decimal

import factory

from funding.models import AssistantSubsidyPayment, BudgetLine
from tests.factories.base import Factory
from tests.factories.offices import TownshipFactory
from tests.factories.staffing import VillageAssistantFactory


class BudgetLineFactory(Factory):
    class Meta:
        model = BudgetLine

    township = factory.SubFactory(TownshipFactory)
    year = 2025
    kind = BudgetLine.Kind.WORKING_FUNDS
    budgeted = Decimal("20000.00")
    allocated = Decimal("20000.00")


class SubsidyPaymentFactory(Factory):
    class Meta:
        model = AssistantSubsidyPayment

    assistant = factory.SubFactory(VillageAssistantFactory)
    year = 2025
    quarter = 1
    amount = Decimal("180.00")
