"""Reads of the funding app: the budget of a year, the subsidy sheet and the funding rules' results."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from funding import compliance, rules
from funding.models import QUARTERS, AssistantSubsidyPayment, BudgetLine
from offices.compliance import TownshipContext
from offices.models import Population
from offices.selectors import standard_for
from staffing.models import VillageAssistant


def budget_lines(township, year):
    """Map BudgetLine.Kind → the township's line for `year` (absent kinds are left out)."""
    return {line.kind: line for line in BudgetLine.objects.filter(township=township, year=year)}


def township_context(township, year):
    """The TownshipContext of one township: its standard and population (per the standard's basis)."""
    standard = standard_for(township, year)
    basis = standard.population_basis if standard else "resident"
    population = Population.objects.filter(township=township, year=year).values_list(basis, flat=True).first()
    return TownshipContext(
        township_id=township.pk, code=township.code, name=township.name, year=year,
        standard=standard, population=population,
    )


def funding_results(township, year, *, today=None, context=None):
    """The funding rules' results for one township: the same computation every page uses."""
    inputs = compliance.gather([township], year, today=today)[township.pk]
    return compliance.evaluate(inputs, context or township_context(township, year))


def assistants_in_post(township, year):
    """Assistants of the township's villages in post at some time in `year`, by village."""
    return (
        VillageAssistant.objects.filter(village__township=township, start_date__lte=date(year, 12, 31))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=date(year, 1, 1)))
        .select_related("village")
        .order_by("village__code", "start_date", "name", "pk")
    )


@dataclass
class SubsidyCell:
    quarter: int
    months: int  # calendar months of the quarter in post; 0 = not in post, no subsidy due
    required: Decimal | None  # None when the standard sets no monthly subsidy
    paid: Decimal | None  # None when nothing was recorded
    ended: bool  # the quarter is over and therefore judged

    @property
    def due(self):
        return self.months > 0

    @property
    def short(self):
        return self.ended and self.due and self.required is not None and (self.paid or 0) < self.required


@dataclass
class SubsidyRow:
    assistant: VillageAssistant
    cells: list


def subsidy_sheet(township, year, *, monthly_subsidy=None, today):
    """One row per assistant in post in `year`, one cell per quarter with what is due and what was paid."""
    assistants = list(assistants_in_post(township, year))
    paid = {
        (p.assistant_id, p.quarter): p.amount
        for p in AssistantSubsidyPayment.objects.filter(assistant__in=[a.pk for a in assistants], year=year)
    }
    ended = set(rules.judged_quarters(year, today))
    rows = []
    for assistant in assistants:
        cells = []
        for quarter in QUARTERS:
            months = rules.months_in_post(assistant.start_date, assistant.end_date, year, quarter)
            required = rules.required_subsidy(monthly_subsidy, months) if monthly_subsidy is not None else None
            cells.append(SubsidyCell(quarter, months, required, paid.get((assistant.pk, quarter)), quarter in ended))
        rows.append(SubsidyRow(assistant, cells))
    return rows
