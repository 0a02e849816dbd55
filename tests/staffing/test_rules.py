"""The staffing rules at every boundary of RULES.md, with plain values only."""
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from offices.compliance import LEFT_OUT, Dimension, Status, TownshipContext
from offices.models import Standard
from offices.standards_catalog import SHANDONG_DEFAULT
from staffing import compliance, rules

TIERS = SHANDONG_DEFAULT["posts_tiers"]
FLOOR = (TIERS, 20_000, 1, "floor")
CEIL = (TIERS, 20_000, 1, "ceil")


@pytest.mark.parametrize(
    ("population", "posts"),
    [(1, 3), (50_000, 3), (50_001, 5), (100_000, 5), (100_001, 5), (119_999, 5), (120_000, 6), (139_999, 6),
     (140_000, 7), (200_000, 10)],
)
def test_required_posts_floor(population, posts):
    assert rules.required_posts(population, *FLOOR) == posts


@pytest.mark.parametrize(
    ("population", "posts"),
    [(50_000, 3), (50_001, 5), (100_000, 5), (100_001, 6), (120_000, 6), (120_001, 7), (140_000, 7), (140_001, 8)],
)
def test_required_posts_ceil(population, posts):
    assert rules.required_posts(population, *CEIL) == posts


def test_required_posts_tiers_in_any_order_and_step_size():
    tiers = [{"max_population": 100_000, "posts": 5}, {"max_population": 50_000, "posts": 3}]
    assert rules.required_posts(120_000, tiers, 20_000, 2, "floor") == 7


def test_without_a_step_the_top_tier_applies():
    assert rules.required_posts(500_000, TIERS, None) == 5


@pytest.mark.parametrize("params", [FLOOR, CEIL])
@given(a=st.integers(min_value=0, max_value=5_000_000), b=st.integers(min_value=0, max_value=5_000_000))
def test_a_larger_population_never_lowers_required_posts(params, a, b):
    low, high = sorted((a, b))
    assert rules.required_posts(low, *params) <= rules.required_posts(high, *params)


@given(p=st.integers(min_value=0, max_value=5_000_000))
def test_ceil_never_requires_fewer_than_floor(p):
    assert rules.required_posts(p, *FLOOR) <= rules.required_posts(p, *CEIL) <= rules.required_posts(p, *FLOOR) + 1


@pytest.mark.parametrize(
    ("start", "end", "in_post"),
    [((2025, 12, 31), None, True), ((2026, 1, 1), None, False), ((2020, 1, 1), (2025, 12, 31), True),
     ((2020, 1, 1), (2025, 12, 30), False), ((2020, 1, 1), (2026, 3, 1), True)],
)
def test_in_post_at_year_end(start, end, in_post):
    end = datetime.date(*end) if end else None
    assert rules.in_post_at_year_end(datetime.date(*start), end, 2025) is in_post


# --- posts rules -----------------------------------------------------------------------------------------------

def posts(population, authorized, params=FLOOR):
    return rules.posts_authorized(
        year=2025, population=population, basis_label="常住人口", posts=authorized, standard_params=params
    )


def test_posts_short_names_the_shortfall():
    result = posts(61_234, 3)
    assert result.status == Status.FAIL and result.dimension == Dimension.STAFFING
    assert (result.required, result.actual, result.gap, result.surplus) == (5, 3, 2, 0)
    assert result.explanation == "常住人口61,234人，编制应配5人，实有编制3人，缺2人"
    assert result.fix_url == "staffing:posts_edit" and result.code == "staffing.posts_authorized"


@pytest.mark.parametrize(
    ("authorized", "status", "gap", "surplus"), [(4, "fail", 1, 0), (5, "pass", 0, 0), (7, "pass", 0, 2)]
)
def test_posts_boundary(authorized, status, gap, surplus):
    result = posts(100_000, authorized)
    assert (result.status, result.gap, result.surplus) == (status, gap, surplus)


def test_posts_not_entered_is_a_finding():
    result = posts(61_234, None)
    assert result.status == Status.FAIL and result.gap == 5
    assert "未录入2025年度实有编制" in result.explanation


def test_missing_population_says_what_to_enter():
    result = posts(None, 5)
    assert result.status == Status.FAIL and "未录入2025年常住人口" in result.explanation
    assert result.fix_url == "offices:population_edit"


def engine_result(spec, **standard):
    """A rule as the engine decides it under the default standard with `standard` overridden (no database)."""
    context = TownshipContext(1, "371302001000", "兰山街道", 2025, Standard(**{**SHANDONG_DEFAULT, **standard}), 61_234)
    results = compliance.evaluate(compliance.StaffingInputs(village_counts=[("甲村", 0)]), context)
    return next(r for r in results if r.code == spec.code)


def test_posts_without_tiers_is_not_assessed():
    result = engine_result(rules.POSTS_AUTHORIZED, posts_tiers=None)
    assert result.status == Status.NOT_ASSESSED and result.explanation == str(LEFT_OUT)
    result = engine_result(rules.POSTS_AUTHORIZED, posts_tiers=[])
    assert result.status == Status.NOT_ASSESSED


def test_staff_in_post():
    result = rules.staff_in_post(year=2025, population=140_000, basis_label="常住人口", headcount=6, standard_params=FLOOR)
    assert (result.status, result.required, result.actual, result.gap) == ("fail", 7, 6, 1)
    assert result.explanation == "常住人口140,000人，编制应配7人，年末在岗6人，缺1人"
    result = rules.staff_in_post(year=2025, population=140_000, basis_label="常住人口", headcount=7, standard_params=FLOOR)
    assert result.passed and result.surplus == 0


# --- village assistants ---------------------------------------------------------------------------------------

def test_every_village_needs_an_assistant():
    counts = [("甲村", 1), ("乙村", 0), ("丙社区", 2)]
    result = rules.village_assistants(year=2025, village_counts=counts, per_village=1)
    assert result.failed and (result.required, result.actual, result.gap) == (3, 2, 1)
    assert "乙村" in result.explanation and "甲村" not in result.explanation
    assert rules.village_assistants(year=2025, village_counts=counts, per_village=2).gap == 2
    assert rules.village_assistants(year=2025, village_counts=counts[:1], per_village=1).passed


def test_long_lists_are_cut_at_ten_names():
    counts = [(f"村{i}", 0) for i in range(14)]
    result = rules.village_assistants(year=2025, village_counts=counts, per_village=1)
    assert "村9" in result.explanation and "村10" not in result.explanation and "等14个" in result.explanation
    assert result.gap == 14


def test_assistants_rule_not_set():
    assert engine_result(rules.VILLAGE_ASSISTANTS, assistants_per_village=None).status == "not_assessed"


def test_no_villages_passes():
    assert rules.village_assistants(year=2025, village_counts=[], per_village=1).passed


# --- filing ---------------------------------------------------------------------------------------------------

def test_unfiled_assistants_are_named():
    day = datetime.date
    assistants = [("张三", "甲村", day(2025, 3, 1)), ("李四", "乙村", None), ("王五", "丙村", day(2025, 12, 31)),
                  ("赵六", "丁村", day(2026, 1, 1))]
    result = rules.assistants_filed(year=2025, assistants=assistants)
    assert result.failed and (result.required, result.actual, result.gap) == (4, 2, 2)
    assert "李四（乙村）" in result.explanation and "赵六（丁村）" in result.explanation
    assert "王五" not in result.explanation
    assert engine_result(rules.ASSISTANTS_FILED, assistant_filing_required=False).status == "not_assessed"


# --- director opinion -----------------------------------------------------------------------------------------

START = datetime.date(2022, 3, 1)


@pytest.mark.parametrize(
    ("opinion", "passed", "words"),
    [(datetime.date(2022, 2, 1), True, "已于2022-02-01征求"), (START, True, "已于2022-03-01征求"),
     (datetime.date(2022, 3, 2), False, "晚于到岗日期"), (None, False, "未征求县级民政部门意见")],
)
def test_director_opinion_before_start(opinion, passed, words):
    result = rules.director_opinion(year=2025, directors=[("王主任", START, opinion)])
    assert result.passed is passed and words in result.explanation
    assert result.fix_url == "staffing:director_opinion"


def test_no_director_is_a_finding():
    result = rules.director_opinion(year=2025, directors=[])
    assert result.failed and result.explanation == "2025年末未配备民政办公室主任"


def test_director_opinion_not_required():
    result = engine_result(rules.DIRECTOR_OPINION, director_opinion_required=False)
    assert result.status == "not_assessed"


# --- workforce indicators --------------------------------------------------------------------------------------

def person(birth, education="bachelor", full_time=True, qualification=""):
    return {"birth_date": datetime.date(*birth), "education": education, "full_time": full_time,
            "qualification": qualification}


def test_workforce_indicators():
    people = [
        person((1975, 12, 31), "junior_college", True, "assistant"),  # 50 on 2025-12-31
        person((1976, 1, 1), "secondary", False),  # 49
        person((1990, 6, 1), "bachelor", True, "senior"),
        person((1995, 6, 1), "below", True),
    ]
    w = rules.workforce(people, 2025)
    assert (w.count, w.full_time, w.junior_college_or_higher, w.aged_50_plus, w.qualified) == (4, 3, 2, 1, 2)
    assert str(w.full_time_share) == "75.0" and str(w.junior_college_share) == "50.0"
    assert str(w.qualified_share) == "50.0"
    assert str(w.average_age) == "41.0"  # (50 + 49 + 35 + 30) / 4


def test_seed_figures():
    assert str(rules.share(36, 46)) == "78.3"


def test_empty_workforce():
    w = rules.workforce([], 2025)
    assert w.count == 0 and w.full_time_share is None and w.average_age is None


def test_qualification_not_recorded():
    people = [{"birth_date": datetime.date(1980, 1, 1), "education": "bachelor", "full_time": False}]
    w = rules.workforce(people, 2025)
    assert w.qualified is None and w.qualified_share is None
