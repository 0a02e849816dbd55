"""The funding app's side of the compliance contract (see offices.compliance).

`gather` returns an entry for EVERY township id of the queryset, so a township
that entered nothing gets an empty `FundingInputs` (no lines, no payments) and
fails the rules with an explanation of what to enter.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from funding import rules
from funding.models import AssistantSubsidyPayment, BudgetLine
from offices.compliance import Dimension, not_assessed, township_ids
from offices.models import village_short_name
from staffing.models import VillageAssistant

RULE_TITLES = {
    rules.WORKING_FUNDS: "工作经费",
    rules.ASSISTANT_SUBSIDY: "民政助理员补助",
    rules.VEHICLE_COSTS: "服务车辆运行费",
}


@dataclass(frozen=True)
class FundingInputs:
    """What the funding rules need about one township in one year."""

    today: date  # the assessment date: only quarters ended before it are judged
    lines: dict = field(default_factory=dict)  # BudgetLine.Kind → (budgeted, allocated)
    terms: tuple = ()  # AssistantTerm of every assistant in post at some time in the year
    payments: dict = field(default_factory=dict)  # (assistant_id, quarter) → amount paid

    def line(self, kind):
        return self.lines.get(kind, (None, None))



def gather(townships, year, *, today=None):
    """Collect budget lines, assistants' terms and payments for every township in 4 queries."""
    today = today or timezone.localdate()
    ids = township_ids(townships)
    lines = defaultdict(dict)
    for row in (
        BudgetLine.objects.filter(township_id__in=ids, year=year)
        .order_by()
        .values("township_id", "kind")
        .annotate(total_budgeted=Sum("budgeted"), total_allocated=Sum("allocated"))
    ):
        lines[row["township_id"]][row["kind"]] = (row["total_budgeted"], row["total_allocated"])

    terms = defaultdict(list)
    for pk, name, village_name, township_id, start, end in (
        VillageAssistant.objects.filter(village__township_id__in=ids, start_date__lte=date(year, 12, 31))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=date(year, 1, 1)))
        .order_by("village__code", "start_date", "name", "pk")
        .values_list("pk", "name", "village__name", "village__township_id", "start_date", "end_date")
    ):
        terms[township_id].append(rules.AssistantTerm(pk, name, village_short_name(village_name), start, end))

    payments = defaultdict(dict)
    for assistant_id, township_id, quarter, amount in (
        AssistantSubsidyPayment.objects.filter(assistant__village__township_id__in=ids, year=year)
        .order_by()
        .values_list("assistant_id", "assistant__village__township_id", "quarter", "amount")
    ):
        payments[township_id][(assistant_id, quarter)] = amount

    return {
        pk: FundingInputs(today=today, lines=lines[pk], terms=tuple(terms[pk]), payments=payments[pk]) for pk in ids
    }


def evaluate(inputs, context):
    """Judge one township's funding for `context.year` under `context.standard` (pure)."""
    standard = context.standard
    if standard is None:
        return [
            not_assessed(code, Dimension.FUNDING, _(title), _("该年度无适用的建设标准，不予评估。"))
            for code, title in RULE_TITLES.items()
        ]
    budgeted, allocated = inputs.line(BudgetLine.Kind.WORKING_FUNDS)
    vehicle_budgeted, _vehicle_allocated = inputs.line(BudgetLine.Kind.VEHICLE)
    return [
        rules.working_funds_rule(
            population=context.population,
            funds_per_10k=standard.funds_per_10k_population,
            budgeted=budgeted,
            allocated=allocated,
            population_label=str(standard.get_population_basis_display()),
        ),
        rules.assistant_subsidy_rule(
            terms=inputs.terms,
            payments=inputs.payments,
            year=context.year,
            monthly_subsidy=standard.assistant_monthly_subsidy,
            today=inputs.today,
        ),
        rules.vehicle_costs_rule(required=standard.vehicle_costs_required, budgeted=vehicle_budgeted),
    ]
