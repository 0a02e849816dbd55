"""gather() in a fixed number of queries; evaluate() over what it gathered."""
import datetime

import pytest

from offices.compliance import TownshipContext
from offices.models import Standard, Township
from offices.standards_catalog import SHANDONG_DEFAULT
from staffing import compliance
from tests.factories.offices import PopulationFactory, TownshipFactory, VillageFactory
from tests.factories.staffing import (
    AuthorizedPostsFactory,
    DirectorOpinionFactory,
    StaffMemberFactory,
    VillageAssistantFactory,
)

pytestmark = pytest.mark.django_db

GATHER_QUERIES = 5


def default_standard(**overrides):
    """The shipped default standard, unsaved: evaluate() needs no database."""
    return Standard(**{**SHANDONG_DEFAULT, **overrides})


def context(township, standard, population=61_234, year=2025):
    return TownshipContext(
        township_id=township.pk, code=township.code, name=township.name, year=year, standard=standard,
        population=population,
    )


def populate(township, *, posts=5, staff=5, villages=3, covered=3, unfiled=0):
    AuthorizedPostsFactory(township=township, posts=posts)
    director = StaffMemberFactory(township=township, director=True, start_date=datetime.date(2020, 5, 1))
    DirectorOpinionFactory(director=director)
    StaffMemberFactory.create_batch(staff - 1, township=township)
    for index in range(villages):
        village = VillageFactory(township=township)
        if index < covered:
            VillageAssistantFactory(village=village, filed_date=None if index < unfiled else datetime.date(2021, 2, 1))


def by_code(results):
    return {r.code: r for r in results}


@pytest.mark.parametrize("count", [1, 30])
def test_gather_queries_do_not_grow_with_townships(county, django_assert_max_num_queries, count):
    townships = TownshipFactory.create_batch(count, county=county)
    for township in townships:
        populate(township)
    with django_assert_max_num_queries(GATHER_QUERIES):
        inputs = compliance.gather(Township.objects.filter(county=county), 2025)
    assert len(inputs) == count
    assert all(entry.headcount == 5 and len(entry.village_counts) == 3 for entry in inputs.values())


def test_township_without_rows_gets_empty_inputs(township):
    inputs = compliance.gather(Township.objects.all(), 2025)
    assert inputs[township.pk] == compliance.StaffingInputs()
    results = by_code(compliance.evaluate(inputs[township.pk], context(township, default_standard())))
    assert results["staffing.posts_authorized"].failed
    assert results["staffing.staff_in_post"].gap == 5
    assert results["staffing.village_assistants"].passed  # no villages registered
    assert results["staffing.director_opinion"].explanation == "2025年末未配备民政办公室主任"


def test_compliant_township_passes_every_rule(township):
    populate(township)
    inputs = compliance.gather(Township.objects.all(), 2025)[township.pk]
    results = compliance.evaluate(inputs, context(township, default_standard()))
    assert [r.code for r in results] == [spec.code for spec in compliance.RULES]
    assert all(r.passed for r in results), [r.explanation for r in results if not r.passed]


def test_findings(township):
    populate(township, posts=3, staff=4, villages=4, covered=2, unfiled=1)
    StaffMemberFactory(township=township, start_date=datetime.date(2010, 1, 1), end_date=datetime.date(2025, 6, 30))
    StaffMemberFactory(township=township, start_date=datetime.date(2026, 1, 1))  # not yet in post at 2025 year end
    inputs = compliance.gather(Township.objects.all(), 2025)[township.pk]
    results = by_code(compliance.evaluate(inputs, context(township, default_standard())))
    assert results["staffing.posts_authorized"].explanation == "常住人口61,234人，编制应配5人，实有编制3人，缺2人"
    assert (results["staffing.staff_in_post"].actual, results["staffing.staff_in_post"].gap) == (4, 1)
    assert results["staffing.village_assistants"].gap == 2
    assert results["staffing.assistants_filed"].gap == 1


def test_surplus_for_the_county_total(township):
    populate(township, posts=7, staff=6)
    inputs = compliance.gather(Township.objects.all(), 2025)[township.pk]
    results = by_code(compliance.evaluate(inputs, context(township, default_standard())))
    assert results["staffing.posts_authorized"].surplus == 2
    assert results["staffing.staff_in_post"].surplus == 1


def test_no_standard_is_not_assessed(township):
    results = compliance.evaluate(compliance.StaffingInputs(), context(township, None))
    assert len(results) == 5 and all(r.status == "not_assessed" for r in results)


def test_liyang_standard_leaves_staffing_out(township):
    from offices.standards_catalog import LIYANG_2005

    results = compliance.evaluate(compliance.StaffingInputs(), context(township, Standard(**LIYANG_2005)))
    assert all(r.status == "not_assessed" for r in results)


def test_ceil_standard(township):
    AuthorizedPostsFactory(township=township, posts=6)
    inputs = compliance.gather(Township.objects.all(), 2025)[township.pk]
    standard = default_standard(posts_step_rounding="ceil")
    result = compliance.evaluate(inputs, context(township, standard, population=120_001))[0]
    assert (result.required, result.gap) == (7, 1)


def test_missing_population(township):
    results = compliance.evaluate(compliance.StaffingInputs(), context(township, default_standard(), population=None))
    assert results[0].failed and "未录入2025年常住人口" in results[0].explanation


def test_director_opinion_after_start_is_a_finding(township):
    director = StaffMemberFactory(township=township, director=True, start_date=datetime.date(2024, 3, 1))
    DirectorOpinionFactory(director=director, opinion_date=datetime.date(2024, 3, 5))
    inputs = compliance.gather(Township.objects.all(), 2025)[township.pk]
    result = by_code(compliance.evaluate(inputs, context(township, default_standard())))["staffing.director_opinion"]
    assert result.failed and "晚于到岗日期" in result.explanation


def test_other_years_and_population(township):
    PopulationFactory(township=township, year=2025, resident=61_234)
    populate(township)
    assert compliance.gather(Township.objects.all(), 2014)[township.pk].headcount == 0
