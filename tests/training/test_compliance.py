"""Training inputs gathered in a fixed number of queries; evaluate decides the three rules."""
import datetime

import pytest

from offices.compliance import LEFT_OUT, NO_STANDARD, Status, TownshipContext
from tests.factories.offices import StandardFactory, TownshipFactory, VillageFactory
from tests.factories.staffing import StaffMemberFactory, VillageAssistantFactory
from tests.factories.training import AttendanceFactory, TrainingSessionFactory
from training import compliance, rules

pytestmark = pytest.mark.django_db
D = datetime.date


def context(township, standard, year=2025):
    return TownshipContext(township.pk, township.code, township.name, year, standard, 60_000)


def _township_with_workers(county):
    township = TownshipFactory(county=county)
    village = VillageFactory(township=township)
    director = StaffMemberFactory(township=township, director=True, start_date=D(2020, 3, 1))
    clerk = StaffMemberFactory(township=township, start_date=D(2024, 3, 1))
    assistant = VillageAssistantFactory(village=village, start_date=D(2021, 1, 10))
    StaffMemberFactory(township=township, start_date=D(2010, 1, 1), end_date=D(2024, 6, 30))  # left: not counted
    city_session = TrainingSessionFactory(by_city=True, city=county.city, date=D(2023, 1, 1))
    county_session = TrainingSessionFactory(county=county, date=D(2024, 3, 1))
    township_session = TrainingSessionFactory(by_township=True, township=township, date=D(2022, 12, 31))
    AttendanceFactory(session=city_session, staff_member=director)
    AttendanceFactory(session=county_session, staff_member=clerk)
    AttendanceFactory(session=township_session, assistant=assistant)
    return township


def test_evaluate_on_gathered_inputs(county):
    township = _township_with_workers(county)
    inputs = compliance.gather([township.pk], 2025)
    assert len(inputs[township.pk].workers) == 3
    graded, rotation, before_post = compliance.evaluate(inputs[township.pk], context(township, StandardFactory()))
    # The assistant's only training (2022-12-31) is outside 2023–2025.
    assert rotation.failed and rotation.gap == 1 and "助理员" in rotation.explanation
    assert graded.failed and graded.gap == 1
    # The director started in 2020 but was first trained in 2023; the clerk was trained on the start day.
    assert before_post.failed and before_post.gap == 2
    assert graded.fix_url == "training:township"


def test_training_after_the_year_is_ignored(county):
    township = _township_with_workers(county)
    inputs = compliance.gather([township.pk], 2022)
    assert [w.trainings for w in inputs[township.pk].workers if w.role == "director"] == [()]


def test_empty_township_and_missing_inputs(county):
    township = TownshipFactory(county=county)
    inputs = compliance.gather([township.pk], 2025)
    assert inputs[township.pk].workers == []
    for entry in (inputs[township.pk], None):
        results = compliance.evaluate(entry, context(township, StandardFactory()))
        assert all(r.failed and "请先录入人员" in r.explanation for r in results)


def test_no_standard_and_liyang_standard_are_not_assessed(county):
    township = _township_with_workers(county)
    inputs = compliance.gather([township.pk], 2025)[township.pk]
    assert {r.status for r in compliance.evaluate(inputs, context(township, None))} == {Status.NOT_ASSESSED}
    liyang = StandardFactory(training_cycle_years=None, graded_training=False, training_before_post=False)
    assert {r.status for r in compliance.evaluate(inputs, context(township, liyang))} == {Status.NOT_ASSESSED}


@pytest.mark.parametrize(("spec", "parameters"), [
    (rules.GRADED, {"graded_training": False}),
    (rules.ROTATION, {"training_cycle_years": None}),
    (rules.BEFORE_POST, {"training_before_post": False}),
])
def test_a_rule_the_standard_leaves_out_is_not_assessed_by_the_engine(county, spec, parameters):
    """The rule functions no longer check their switch: the declaration does, and the engine says so."""
    township = _township_with_workers(county)
    inputs = compliance.gather([township.pk], 2025)[township.pk]
    standard = StandardFactory(**parameters)
    assert not spec.applies(standard)
    results = {r.code: r for r in compliance.evaluate(inputs, context(township, standard))}
    assert results[spec.code].status == Status.NOT_ASSESSED
    assert results[spec.code].explanation == str(LEFT_OUT)
    assert results[spec.code].items == ()
    assert all(r.assessed for code, r in results.items() if code != spec.code)


def test_no_standard_is_said_once_by_the_engine(county):
    township = _township_with_workers(county)
    results = compliance.evaluate(compliance.gather([township.pk], 2025)[township.pk], context(township, None))
    assert [r.code for r in results] == [spec.code for spec in compliance.RULES]
    assert {r.explanation for r in results} == {str(NO_STANDARD)}


def test_graded_without_a_cycle_counts_any_right_level_training_up_to_the_year_end(county):
    township = _township_with_workers(county)
    inputs = compliance.gather([township.pk], 2030)[township.pk]
    graded, rotation, _before = compliance.evaluate(
        inputs, context(township, StandardFactory(training_cycle_years=None), year=2030))
    assert graded.passed and rotation.status == Status.NOT_ASSESSED


def test_namesakes_in_one_township_get_distinct_labels(county):
    township = TownshipFactory(county=county)
    StaffMemberFactory(township=township, name="王芳", start_date=D(2020, 1, 1))
    StaffMemberFactory(township=township, name="王芳", start_date=D(2021, 1, 1))
    other = TownshipFactory(county=county)
    StaffMemberFactory(township=other, name="王芳", start_date=D(2020, 1, 1))
    inputs = compliance.gather([township.pk, other.pk], 2025)
    assert [w.label for w in inputs[township.pk].workers] == ["王芳", "王芳（2）"]
    assert [w.label for w in inputs[other.pk].workers] == ["王芳"]


def test_fixed_number_of_queries(county, django_assert_num_queries):
    one = _township_with_workers(county)
    with django_assert_num_queries(4):
        compliance.gather(type(one).objects.filter(pk=one.pk), 2025)
    for _ in range(5):
        _township_with_workers(county)
    with django_assert_num_queries(4):
        inputs = compliance.gather(type(one).objects.all(), 2025)
    assert len(inputs) == 6
