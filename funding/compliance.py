"""The funding app's side of the compliance contract (see offices.compliance).

`gather` returns an entry for EVERY township id of the queryset, so a township
that entered nothing gets an empty `FundingInputs` (no lines, no payments) and
fails the rules with an explanation of what to enter.
"""
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils import timezone

from funding import rules
from funding.models import AssistantSubsidyPayment, BudgetLine
from funding.selectors import in_post_during
from offices.compliance import money, township_ids
from offices.compliance.engine import evaluator
from offices.models import village_short_name
from staffing.models import VillageAssistant

RULES = rules.RULES


@dataclass(frozen=True)
class FundingInputs:
    """What the funding rules need about one township in one year."""

    lines: dict = field(default_factory=dict)  # BudgetLine.Kind → (budgeted, allocated), two-place Decimals
    terms: tuple = ()  # AssistantTerm of every assistant in post at some time in the year
    payments: dict = field(default_factory=dict)  # (assistant_id, quarter) → amount paid

    def line(self, kind):
        return self.lines.get(kind, (None, None))


def gather(townships, year):
    """Collect budget lines, assistants' terms and payments for every township in 3 queries (+1 for a queryset)."""
    ids = township_ids(townships)
    lines = defaultdict(dict)
    for row in (
        BudgetLine.objects.filter(township_id__in=ids, year=year)
        .order_by()
        .values("township_id", "kind")
        .annotate(total_budgeted=Sum("budgeted"), total_allocated=Sum("allocated"))
    ):
        # SQLite sums decimals as floats or long decimals (24691.3900000000): back to exact cents.
        lines[row["township_id"]][row["kind"]] = (money(row["total_budgeted"]), money(row["total_allocated"]))

    terms = defaultdict(list)
    for pk, name, village_name, township_id, start, end in (
        VillageAssistant.objects.filter(in_post_during(year), village__township_id__in=ids)
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

    return {pk: FundingInputs(lines=lines[pk], terms=tuple(terms[pk]), payments=payments[pk]) for pk in ids}


def working_funds(inputs, context):
    budgeted, allocated = (inputs or FundingInputs()).line(BudgetLine.Kind.WORKING_FUNDS)
    return rules.working_funds_rule(
        population=context.population,
        funds_per_10k=context.standard.funds_per_10k_population,
        budgeted=budgeted,
        allocated=allocated,
        population_label=str(context.standard.get_population_basis_display()),
    )


def assistant_subsidy(inputs, context):
    inputs = inputs or FundingInputs()
    return rules.assistant_subsidy_rule(
        terms=inputs.terms,
        payments=inputs.payments,
        year=context.year,
        monthly_subsidy=context.standard.assistant_monthly_subsidy,
        # The engine dates every context; a context built by hand without a day is judged today.
        today=context.today or timezone.localdate(),
    )


def vehicle_costs(inputs, context):
    budgeted, _allocated = (inputs or FundingInputs()).line(BudgetLine.Kind.VEHICLE)
    return rules.vehicle_costs_rule(budgeted=budgeted)


DECIDERS = {
    rules.WORKING_FUNDS.code: working_funds,
    rules.ASSISTANT_SUBSIDY.code: assistant_subsidy,
    rules.VEHICLE_COSTS.code: vehicle_costs,
}
evaluate = evaluator(RULES, DECIDERS)
