"""Demo data of the funding app: three years of budgets and quarterly subsidies.

Most townships have their working funds allocated in full; some are 10–30 %
short, some have them budgeted but not all arrived; a few never put the service
vehicle into the budget. Most assistants are paid 60 yuan per month in post
every quarter; in a few township-years some quarters are paid short. The
assistants themselves come from staffing.demo, which runs first.
"""
from datetime import timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils import timezone

from funding.models import AssistantSubsidyPayment, BudgetLine
from funding.rules import months_in_post, quarter_end, required_subsidy, required_working_funds
from offices.models import Standard
from offices.querysets import pick_standard
from offices.selectors import township_contexts
from staffing.models import VillageAssistant

DEFAULT_FUNDS_PER_10K = Decimal("2000.00")
DEFAULT_MONTHLY_SUBSIDY = Decimal("60.00")
HUNDRED = Decimal(100)

SHARE_FULLY_FUNDED = 0.74
SHARE_SHORT_FUNDED = 0.14  # 10–30 % short, as budgeted; the rest budgeted in full but not all allocated
SHARE_WITHOUT_VEHICLE_LINE = 0.07
SHARE_SLOPPY_PAYERS = 0.12  # township-years in which some quarters are paid short


def build(rng, units):
    townships, years = units.townships, units.years
    standards = {year: list(Standard.objects.in_force(year)) for year in years}
    build_budgets(rng, townships, years)
    build_subsidies(rng, townships, years, standards)


def _factor(rng, low, high):
    return Decimal(str(round(rng.uniform(low, high), 3)))


def _hundreds(amount, rounding):
    return (amount / HUNDRED).to_integral_value(rounding=rounding) * HUNDRED


def build_budgets(rng, townships, years):
    # The population each standard counts, from the one place a township's context is built.
    contexts = {(t.pk, year): c for year in years for t, c in township_contexts(townships, year)}
    lines = []
    for township in townships:
        without_vehicle = rng.random() < SHARE_WITHOUT_VEHICLE_LINE
        for year in years:
            context = contexts[township.pk, year]
            standard = context.standard
            people = context.population or 30_000
            per_10k = (standard and standard.funds_per_10k_population) or DEFAULT_FUNDS_PER_10K
            required = required_working_funds(people, per_10k)
            roll = rng.random()
            if roll < SHARE_FULLY_FUNDED:
                budgeted = _hundreds(required * _factor(rng, 1.0, 1.5), ROUND_CEILING)
                allocated = budgeted if rng.random() < 0.7 else max(required, budgeted * _factor(rng, 0.9, 1.0))
            elif roll < SHARE_FULLY_FUNDED + SHARE_SHORT_FUNDED:
                budgeted = _hundreds(required * _factor(rng, 0.70, 0.90), ROUND_FLOOR)
                allocated = budgeted
            else:
                budgeted = _hundreds(required * _factor(rng, 1.0, 1.3), ROUND_CEILING)
                allocated = _hundreds(required * _factor(rng, 0.6, 0.95), ROUND_FLOOR)
            allocated = allocated.quantize(Decimal("0.01"))
            lines.append(BudgetLine(township=township, year=year, kind=BudgetLine.Kind.WORKING_FUNDS,
                                    budgeted=budgeted, allocated=allocated))
            personnel = Decimal(rng.randint(18, 48) * 10_000)
            lines.append(BudgetLine(township=township, year=year, kind=BudgetLine.Kind.PERSONNEL,
                                    budgeted=personnel, allocated=personnel))
            if rng.random() < 0.6:
                special = Decimal(rng.randint(5, 60) * 1_000)
                arrived = _hundreds(special * _factor(rng, 0.7, 1.0), ROUND_FLOOR)
                lines.append(BudgetLine(township=township, year=year, kind=BudgetLine.Kind.SPECIAL,
                                        budgeted=special, allocated=arrived))
            vehicle = Decimal(rng.randint(15, 45) * 1_000)
            if not without_vehicle:
                lines.append(BudgetLine(township=township, year=year, kind=BudgetLine.Kind.VEHICLE,
                                        budgeted=vehicle, allocated=vehicle))
    BudgetLine.objects.bulk_create(lines, batch_size=2000)
    return lines


def build_subsidies(rng, townships, years, standards):
    """Quarterly payments for every demo assistant, for the quarters that have ended."""
    today = timezone.localdate()
    codes = {t.pk: t.code for t in townships}
    assistants = (
        VillageAssistant.objects.filter(village__township__in=townships)
        .order_by("pk")
        .values_list("pk", "village__township_id", "start_date", "end_date")
    )
    sloppy = {(t.pk, year) for t in townships for year in years if rng.random() < SHARE_SLOPPY_PAYERS}
    payments = []
    for assistant_id, township_id, start, end in assistants:
        for year in years:
            standard = pick_standard(standards[year], codes[township_id])
            monthly = (standard and standard.assistant_monthly_subsidy) or DEFAULT_MONTHLY_SUBSIDY
            for quarter in (1, 2, 3, 4):
                months = months_in_post(start, end, year, quarter)
                if not months:
                    continue
                due = required_subsidy(monthly, months)
                roll, delay = rng.random(), rng.randint(3, 25)  # drawn whatever today is: same data every day
                if quarter_end(year, quarter) >= today:
                    continue  # not paid yet
                if (township_id, year) in sloppy and roll < 0.3:
                    if roll < 0.05:
                        continue  # not paid at all
                    short_by_a_month = months > 1 and roll < 0.2
                    amount = due - monthly if short_by_a_month else (due * Decimal("0.8")).quantize(Decimal("1"))
                elif roll > 0.97:
                    amount = due + Decimal(20 * months)  # a township that pays above the floor
                else:
                    amount = due
                payments.append(AssistantSubsidyPayment(
                    assistant_id=assistant_id, year=year, quarter=quarter, amount=amount,
                    paid_date=quarter_end(year, quarter) + timedelta(days=delay),
                ))
    AssistantSubsidyPayment.objects.bulk_create(payments, batch_size=5000)
    return payments
