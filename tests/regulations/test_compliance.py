"""gather/evaluate for 有章理事: adopted by the end of the year, fixed query count."""
import datetime

import pytest

from offices.compliance import LEFT_OUT, NO_STANDARD, Status, TownshipContext
from offices.models import Township
from offices.standards_catalog import LIYANG_2005
from regulations.compliance import evaluate, gather
from tests.factories.offices import StandardFactory, TownshipFactory
from tests.factories.regulations import RegulationDocumentFactory

pytestmark = pytest.mark.django_db

ALL_KINDS = ["procedures", "post_responsibility", "service_commitment", "archives",
             "first_inquiry", "time_limit", "finance", "assessment_rewards"]


def adopt(township, kind, adopted_on=datetime.date(2020, 1, 1)):
    return RegulationDocumentFactory(township=township, kind=kind, adopted_on=adopted_on)


def context(township, standard, year):
    return TownshipContext(township_id=township.pk, code=township.code, name=township.name, year=year,
                           standard=standard, population=None)


def result(township, standard, year):
    inputs = gather(Township.objects.filter(pk=township.pk), year)
    return evaluate(inputs[township.pk], context(township, standard, year))[0]


def test_adopted_on_the_last_day_of_the_year_counts(township):
    for kind in ALL_KINDS[:-1]:
        adopt(township, kind)
    adopt(township, "assessment_rewards", datetime.date(2024, 12, 31))
    standard = StandardFactory()
    assert result(township, standard, 2024).passed
    earlier = result(township, standard, 2023)
    assert earlier.failed and earlier.gap == ["考核奖惩"]


def test_adopted_next_year_does_not_count(township):
    adopt(township, "procedures", datetime.date(2025, 1, 1))
    assert "办事程序" in result(township, StandardFactory(), 2024).gap


def test_nothing_adopted(township):
    outcome = result(township, StandardFactory(), 2025)
    assert outcome.failed and len(outcome.gap) == 8


def test_liyang_and_no_standard_not_assessed(township):
    liyang = result(township, StandardFactory(**LIYANG_2005), 2025)
    assert liyang.status == Status.NOT_ASSESSED and liyang.explanation == str(LEFT_OUT)
    without = result(township, None, 2025)
    assert without.status == Status.NOT_ASSESSED and without.explanation == str(NO_STANDARD)
    assert evaluate(None, context(township, StandardFactory(), 2025))[0].failed


def test_query_count_is_fixed(county, django_assert_num_queries):
    first = TownshipFactory(county=county)
    adopt(first, "procedures")
    with django_assert_num_queries(2):
        gather(Township.objects.filter(pk=first.pk), 2025)
    for _ in range(5):
        other = TownshipFactory(county=county)
        adopt(other, "finance")
        adopt(other, "finance", datetime.date(2021, 5, 1))
    with django_assert_num_queries(2):
        inputs = gather(Township.objects.all(), 2025)
    assert len(inputs) == 6 and inputs[first.pk] == {"procedures"}
