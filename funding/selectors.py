"""Reads of the funding app: the budget of a year and the subsidy sheet.

The rules' results come from the one computation
(`offices.compliance.engine.township_results(township, year, funding.compliance)`);
nothing here decides a rule again.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from funding import rules
from funding.models import QUARTERS, AssistantSubsidyPayment, BudgetLine
from offices.compliance import year_end
from staffing.models import VillageAssistant


def budget_lines(township, year):
    """Map BudgetLine.Kind → the township's line for `year` (absent kinds are left out)."""
    return {line.kind: line for line in BudgetLine.objects.filter(township=township, year=year)}


def in_post_during(year):
    """Q of the village assistants in post at some time in `year`."""
    return Q(start_date__lte=year_end(year)) & (Q(end_date__isnull=True) | Q(end_date__gte=date(year, 1, 1)))


def assistants_in_post(township, year):
    """Assistants of the township's villages in post at some time in `year`, by village."""
    return (
        VillageAssistant.objects.filter(in_post_during(year), village__township=township)
        .select_related("village")
        .order_by("village__code", "start_date", "name", "pk")
    )


@dataclass
class SubsidyCell:
    quarter: int
    months: int  # calendar months of the quarter in post; 0 = not in post, no subsidy due
    required: Decimal | None  # None when the rule is not assessed (no monthly subsidy set)
    paid: Decimal | None  # None when nothing was recorded
    short: bool  # the subsidy rule counts this cell as paid short

    @property
    def due(self):
        return self.months > 0


@dataclass
class SubsidyRow:
    assistant: VillageAssistant
    cells: list

    def cell(self, quarter):
        return next(cell for cell in self.cells if cell.quarter == quarter)

    @property
    def paid_total(self):
        """What the year's saved payments add up to; None when nothing was recorded."""
        paid = [cell.paid for cell in self.cells if cell.paid is not None]
        return sum(paid, Decimal("0.00")) if paid else None


@dataclass
class SubsidySheet:
    monthly_subsidy: Decimal | None  # the standard's rate; None when the subsidy rule is not assessed
    rows: list


def subsidy_sheet(township, year, *, computed):
    """One row per assistant in post in `year`, one cell per quarter with what is due and what was paid.

    `computed` is the township's TownshipCompliance of the one computation
    (funding rules). A cell is marked short when the subsidy rule's result
    lists it among its items, so the sheet marks what the scorecard counts,
    and nothing when the rule is not assessed. What each cell is due comes
    from the rate of the standard that result was judged under, through the
    rule's own arithmetic (`rules.required_subsidy`), shown only where the
    rule is assessed.
    """
    result = computed.result(rules.ASSISTANT_SUBSIDY.code)
    monthly_subsidy = computed.standard.assistant_monthly_subsidy if result.assessed else None
    assistants = list(assistants_in_post(township, year))
    paid = {
        (p.assistant_id, p.quarter): p.amount
        for p in AssistantSubsidyPayment.objects.filter(assistant__in=[a.pk for a in assistants], year=year)
    }
    short = {(s.assistant_id, s.quarter) for s in result.items}
    rows = []
    for assistant in assistants:
        cells = []
        for quarter in QUARTERS:
            months = rules.months_in_post(assistant.start_date, assistant.end_date, year, quarter)
            required = rules.required_subsidy(monthly_subsidy, months) if monthly_subsidy is not None else None
            key = (assistant.pk, quarter)
            cells.append(SubsidyCell(quarter, months, required, paid.get(key), key in short))
        rows.append(SubsidyRow(assistant, cells))
    return SubsidySheet(monthly_subsidy, rows)
