"""The funding demo: plausible budgets and subsidies, most townships pass, every rule fails somewhere."""
import random
from collections import Counter
from datetime import date

import pytest

from funding import compliance, demo
from funding.models import AssistantSubsidyPayment, BudgetLine
from offices import demo as offices_demo
from offices.compliance.engine import compliance_for
from offices.models import Township, Village
from staffing.models import VillageAssistant

pytestmark = pytest.mark.django_db
COUNTIES = {"371302000000", "371321000000", "371323000000", "371324000000"}  # 61 townships


def some_assistants(rng, villages):
    """Stand-ins for staffing.demo's assistants: one per village, a few starting or leaving mid-year."""
    assistants = []
    for village in villages:
        start = date(rng.randint(2012, 2024), rng.randint(1, 12), rng.randint(1, 28))
        end = date(rng.randint(2023, 2025), rng.randint(1, 12), 1) if rng.random() < 0.08 else None
        assistants.append(VillageAssistant(
            village=village, name=f"助理员{village.code[-3:]}", sex="female", birth_date=date(1980, 1, 1),
            education="secondary", role="two_committees", start_date=start,
            end_date=end if end and end > start else None,
        ))
    VillageAssistant.objects.bulk_create(assistants, batch_size=2000)


@pytest.fixture
def units():
    rows = offices_demo.read_divisions()
    townships = {r.code for r in rows if r.level == "township" and r.parent_code in COUNTIES}
    keep = [r for r in rows if r.level in ("city", "county") or r.code in townships or r.parent_code in townships]
    rng = random.Random(7)
    units = offices_demo.build(rng, rows=keep, total_population=3_500_000, users=False)
    some_assistants(rng, Village.objects.filter(township__in=units.townships))
    demo.build(rng, units)
    return units


def results_for(year):
    computed = compliance_for(Township.objects.all(), year, modules=(compliance,), today=date(2026, 6, 1))
    return [result for township in computed for result in township.results]


def test_demo_has_variety_for_every_year(units):
    assert BudgetLine.objects.filter(kind="working_funds").count() == len(units.townships) * 3
    assert AssistantSubsidyPayment.objects.exists()
    for year in units.years:
        outcome = Counter((r.code, r.status) for r in results_for(year))
        for code in ("funding.working_funds", "funding.assistant_subsidy", "funding.vehicle_costs"):
            passed, failed = outcome[(code, "pass")], outcome[(code, "fail")]
            assert failed > 0, (year, code)
            assert passed > failed, (year, code, passed, failed)


def test_budgeted_but_not_allocated_exists(units):
    lines = BudgetLine.objects.filter(kind="working_funds")
    assert any(line.budgeted > line.allocated for line in lines)


def test_demo_is_reproducible(units):
    def rebuild():
        BudgetLine.objects.all().delete()
        AssistantSubsidyPayment.objects.all().delete()
        demo.build(random.Random(11), units)
        return (
            list(BudgetLine.objects.order_by("township__code", "year", "kind").values_list("budgeted", "allocated")),
            list(AssistantSubsidyPayment.objects.order_by("assistant_id", "year", "quarter").values_list("amount")),
        )

    assert rebuild() == rebuild()
