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

from offices.compliance import Dimension, RuleResult, Status, not_assessed, shortfall, township_ids


def _result(code, dimension, title, required, actual, unit, gap=None, surplus=None):
    gap = shortfall(required, actual) if gap is None else gap
    failed = bool(gap)
    return RuleResult(
        code=code, dimension=dimension, title=title, status=Status.FAIL if failed else Status.PASS,
        required=required, actual=actual, gap=gap, unit=unit, surplus=surplus,
        explanation=f"{title}应达{required}{unit}，实有{actual}{unit}" + (f"，缺{gap}{unit}" if failed else ""),
    )


def gather(townships, year):
    return {pk: None for pk in township_ids(townships)}


def evaluate(inputs, context):
    codes = [("staffing.posts_authorized", Dimension.STAFFING, "编制数"),
             ("funding.working_funds", Dimension.FUNDING, "工作经费"),
             ("facilities.area", Dimension.FACILITIES, "办公面积"),
             ("facilities.equipment", Dimension.EQUIPMENT, "办公设备"),
             ("regulations.required", Dimension.REGULATIONS, "规章制度"),
             ("oversight.inspection", Dimension.OVERSIGHT, "实地检查")]
    if context.standard is None:
        return [not_assessed(code, dim, title) for code, dim, title in codes]
    population = context.population or 0
    required_posts = 3 if population <= 50_000 else 5
    posts = _result("staffing.posts_authorized", Dimension.STAFFING, "编制数", required_posts, 4, "人",
                    surplus=max(4 - required_posts, 0))
    funds = _result("funding.working_funds", Dimension.FUNDING, "工作经费",
                    (Decimal("0.2") * population).quantize(Decimal("0.01")), Decimal("10000.00"), "元")
    area = _result("facilities.area", Dimension.FACILITIES, "办公面积",
                   max(Decimal("80.00"), (Decimal(20) * population / 10_000).quantize(Decimal("0.01"))),
                   Decimal("100.00"), "㎡")
    missing = [label for label, limit in (("打印机", 50_000), ("影录设备", 80_000)) if population > limit]
    equipment = RuleResult(
        code="facilities.equipment", dimension=Dimension.EQUIPMENT, title="办公设备",
        status=Status.FAIL if missing else Status.PASS, required=["电话", "打印机", "影录设备"],
        actual=[x for x in ["电话", "打印机", "影录设备"] if x not in missing], gap=missing, unit="项",
        explanation="缺" + "、".join(missing) if missing else "设备齐全",
    )
    regulations = RuleResult(code="regulations.required", dimension=Dimension.REGULATIONS, title="规章制度",
                             status=Status.PASS, required=["办事程序"], actual=["办事程序"], gap=[],
                             explanation="制度齐全")
    inspection = not_assessed("oversight.inspection", Dimension.OVERSIGHT, "实地检查")
    return [posts, funds, area, equipment, regulations, inspection]


fake_module = types.ModuleType("tests.assessments.fake_rules")
fake_module.gather = gather
fake_module.evaluate = evaluate
sys.modules.setdefault(fake_module.__name__, fake_module)


@pytest.fixture
def fake_rules(monkeypatch):
    """Make the engine use only the fake rule module."""
    monkeypatch.setattr("assessments.compliance.rule_modules", lambda: [fake_module])
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
