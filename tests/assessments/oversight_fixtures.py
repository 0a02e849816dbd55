"""A fake rule module with known gaps, so oversight tests do not depend on the apps' rules.

Its results follow the township's population (editable data), so a test can
change the data and watch the figures move — or, for a circular, not move.
Population P: posts required 3 (P ≤ 50,000) or 5; authorized posts 4 → a
township above 50,000 is short 1, below is 1 above requirement. Funds 10,000
yuan against 0.2 × P; area 100 m² against max(80, 20 × P / 10,000);
equipment lacks 打印机 above 50,000 and 影录设备 above 80,000.
"""
import sys
import types
from decimal import Decimal

import pytest

from offices.compliance import Dimension, RuleSpec, Status, Unit, shortfall, township_ids
from offices.compliance.engine import evaluator

POSTS = RuleSpec("staffing.posts_authorized", Dimension.STAFFING, "编制数", Unit.PEOPLE, "")
FUNDS = RuleSpec("funding.working_funds", Dimension.FUNDING, "工作经费", Unit.YUAN, "")
AREA = RuleSpec("facilities.area", Dimension.FACILITIES, "办公面积", Unit.SQUARE_METRES, "")
EQUIPMENT = RuleSpec("facilities.equipment", Dimension.EQUIPMENT, "办公设备", Unit.ITEMS, "")
REGULATIONS = RuleSpec("regulations.required", Dimension.REGULATIONS, "规章制度", Unit.ITEMS, "")
INSPECTION = RuleSpec("supervision.inspection", Dimension.SUPERVISION, "实地检查", Unit.ITEMS, "",
                      applies=lambda standard: False)
RULES = [POSTS, FUNDS, AREA, EQUIPMENT, REGULATIONS, INSPECTION]


def _result(spec, required, actual, gap=None, surplus=None):
    gap = shortfall(required, actual) if gap is None else gap
    failed = bool(gap)
    unit = Unit(spec.unit).label
    return spec.result(
        Status.FAIL if failed else Status.PASS, required=required, actual=actual, gap=gap, surplus=surplus,
        explanation=f"{spec.title}应达{required}{unit}，实有{actual}{unit}" + (f"，缺{gap}{unit}" if failed else ""),
    )


def gather(townships, year):
    return {pk: None for pk in township_ids(townships)}


def _posts(inputs, context):
    required_posts = 3 if (context.population or 0) <= 50_000 else 5
    return _result(POSTS, required_posts, 4, surplus=max(4 - required_posts, 0))


def _funds(inputs, context):
    return _result(FUNDS, (Decimal("0.2") * (context.population or 0)).quantize(Decimal("0.01")), Decimal("10000.00"))


def _area(inputs, context):
    required = max(Decimal("80.00"), (Decimal(20) * (context.population or 0) / 10_000).quantize(Decimal("0.01")))
    return _result(AREA, required, Decimal("100.00"))


def _equipment(inputs, context):
    missing = [label for label, limit in (("打印机", 50_000), ("影录设备", 80_000)) if (context.population or 0) > limit]
    return EQUIPMENT.result(
        Status.FAIL if missing else Status.PASS, required=["电话", "打印机", "影录设备"],
        actual=[x for x in ["电话", "打印机", "影录设备"] if x not in missing], gap=missing,
        explanation="缺" + "、".join(missing) if missing else "设备齐全",
    )


DECIDERS = {
    POSTS.code: _posts,
    FUNDS.code: _funds,
    AREA.code: _area,
    EQUIPMENT.code: _equipment,
    REGULATIONS.code: lambda inputs, context: REGULATIONS.result(
        Status.PASS, required=["办事程序"], actual=["办事程序"], gap=[], explanation="制度齐全"),
    INSPECTION.code: lambda inputs, context: None,  # never called: the standard leaves it out
}
evaluate = evaluator(RULES, DECIDERS)


fake_module = types.ModuleType("tests.assessments.fake_rules")
fake_module.gather = gather
fake_module.evaluate = evaluate
fake_module.RULES = RULES
fake_module.DECIDERS = DECIDERS
sys.modules.setdefault(fake_module.__name__, fake_module)


@pytest.fixture
def fake_rules(monkeypatch):
    """Make the engine use only the fake rule module."""
    monkeypatch.setattr("offices.compliance.engine.rule_modules", lambda: (fake_module,))
    return fake_module


@pytest.fixture
def small_city(fake_rules, city, county, other_county, township):
    """Two counties, three townships with known gaps in 2025 (and 2024 for the trend)."""
    from tests.factories.offices import PopulationFactory, TownshipFactory

    t1 = township  # 371302001000 兰山街道, the conftest clerk's township
    t2 = TownshipFactory(county=county, code="371302002000", name="银雀山街道")
    t3 = TownshipFactory(county=other_county, code="371311101000", name="罗庄镇")
    for township, population in ((t1, 60_000), (t2, 40_000), (t3, 90_000)):
        PopulationFactory(township=township, year=2025, resident=population)
        PopulationFactory(township=township, year=2024, resident=40_000)
    return types.SimpleNamespace(city=city, counties=(county, other_county), townships=(t1, t2, t3))


def add_townships(county, count, *, start=300, population=60_000, year=2025):
    """`count` more townships in `county`, each with a population (for query-count tests)."""
    from tests.factories.offices import PopulationFactory, TownshipFactory

    made = []
    for index in range(count):
        township = TownshipFactory(county=county, code=f"{county.code[:6]}{start + index:03d}000",
                                   name=f"第{start + index}镇")
        PopulationFactory(township=township, year=year, resident=population + index * 1000)
        made.append(township)
    return made
