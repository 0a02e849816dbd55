"""The training rules at every boundary, with plain values only."""
import datetime

from hypothesis import given
from hypothesis import strategies as st

from offices.compliance import Actor, Dimension, Status, Unit
from training import rules
from training.rules import ASSISTANT, CITY, COUNTY, DIRECTOR, STAFF, TOWNSHIP, Training, Worker

D = datetime.date


def worker(role=STAFF, start=D(2015, 3, 1), *trainings, label="张三"):
    return Worker(label, role, start, tuple(Training(d, level) for d, level in trainings))


# --- the declarations -------------------------------------------------------------------------------------------


class Standard:
    """The three training parameters of a standard, as plain values."""

    def __init__(self, cycle=3, graded=True, before_post=True):
        self.training_cycle_years, self.graded_training, self.training_before_post = cycle, graded, before_post


def test_declarations():
    assert rules.RULES == [rules.GRADED, rules.ROTATION, rules.BEFORE_POST]
    assert [spec.code for spec in rules.RULES] == ["training.graded", "training.rotation", "training.before_post"]
    for spec in rules.RULES:
        assert spec.dimension == Dimension.TRAINING and spec.unit == Unit.PEOPLE
        assert spec.fix_url == "training:township" and spec.fixed_by == Actor.COUNTY


def test_each_rule_applies_when_its_parameter_is_set():
    assert all(spec.applies(Standard()) for spec in rules.RULES)
    # Graded training does not need a cycle: without one, any right-level training up to the year end counts.
    assert rules.GRADED.applies(Standard(cycle=None)) and not rules.GRADED.applies(Standard(graded=False))
    assert not rules.ROTATION.applies(Standard(cycle=None)) and not rules.ROTATION.applies(Standard(cycle=0))
    assert not rules.BEFORE_POST.applies(Standard(before_post=False))


def test_results_name_the_people_lacking_by_label():
    trained = worker(DIRECTOR, D(2015, 1, 1), (D(2014, 12, 1), CITY), label="主任甲")
    wrong_level = worker(STAFF, D(2015, 1, 1), (D(2024, 3, 1), TOWNSHIP), label="乙")
    never = worker(ASSISTANT, D(2024, 3, 1), label="丙（某村）")
    people = [trained, wrong_level, never]
    graded = rules.graded_training(people, year=2025, cycle_years=3)
    assert graded.items == ("主任甲", "乙", "丙（某村）")
    assert rules.graded_training(people, year=2025, cycle_years=None).items == ("乙", "丙（某村）")
    assert rules.rotation(people, year=2025, cycle_years=3).items == ("主任甲", "丙（某村）")
    before = rules.before_post(people, year=2025)
    assert before.items == ("乙", "丙（某村）") and "乙（2015-01-01到岗，2024-03-01才首次培训）" in before.explanation
    for result in (graded, before):
        assert result.unit == Unit.PEOPLE and result.fixed_by == Actor.COUNTY


def test_rotation_names_who_had_to_be_trained_in_the_year():
    renewed = worker(STAFF, D(2015, 1, 1), (D(2021, 6, 1), COUNTY), (D(2025, 4, 1), COUNTY), label="已训")
    covered = worker(STAFF, D(2015, 1, 1), (D(2024, 6, 1), COUNTY), label="周期内")
    never = worker(STAFF, D(2015, 1, 1), label="从未")
    result = rules.rotation([renewed, covered, never], year=2025, cycle_years=3)
    assert result.basis[str(rules.DUE_THIS_YEAR)] == ("已训", "从未")
    assert result.items == ("从未",)


def test_nobody_is_the_township_clerks_to_fix():
    result = rules.graded_training([], year=2025, cycle_years=3)
    assert result.failed and result.fix_url == "staffing:staff_list" and result.fixed_by == Actor.TOWNSHIP
    assert result.items == ()


def test_many_people_are_listed_with_their_number():
    people = [worker(STAFF, D(2015, 1, 1), label=f"人员{n}") for n in range(12)]
    result = rules.rotation(people, year=2025, cycle_years=3)
    assert "人员9等12人" in result.explanation and len(result.items) == 12


# --- the cycle window -------------------------------------------------------------------------------------------


def test_cycle_window_is_calendar_years():
    assert rules.cycle_window(2025, 3) == (D(2023, 1, 1), D(2025, 12, 31))
    assert rules.cycle_window(2025, 2) == (D(2024, 1, 1), D(2025, 12, 31))
    assert rules.cycle_window(2025, 1) == (D(2025, 1, 1), D(2025, 12, 31))


def test_rotation_counts_first_day_of_window_not_the_day_before():
    inside = worker(STAFF, D(2015, 3, 1), (D(2023, 1, 1), COUNTY), label="甲")
    outside = worker(STAFF, D(2015, 3, 1), (D(2022, 12, 31), COUNTY), label="乙")
    result = rules.rotation([inside, outside], year=2025, cycle_years=3)
    assert result.status == Status.FAIL
    assert (result.required, result.actual, result.gap) == (2, 1, 1)
    assert "乙" in result.explanation and "甲" not in result.explanation
    assert rules.rotation([inside], year=2025, cycle_years=3).status == Status.PASS


def test_rotation_with_two_year_cycle():
    trained_2024 = worker(STAFF, D(2015, 3, 1), (D(2024, 1, 1), TOWNSHIP))
    trained_2023 = worker(STAFF, D(2015, 3, 1), (D(2023, 12, 31), TOWNSHIP))
    assert rules.rotation([trained_2024], year=2025, cycle_years=2).passed
    assert rules.rotation([trained_2023], year=2025, cycle_years=2).failed
    assert rules.rotation([trained_2023], year=2025, cycle_years=3).passed


def test_rotation_ignores_training_after_the_year():
    later = worker(STAFF, D(2015, 3, 1), (D(2026, 1, 1), COUNTY))
    assert rules.rotation([later], year=2025, cycle_years=3).failed


def test_rotation_any_level_counts():
    assert rules.rotation([worker(DIRECTOR, D(2015, 1, 1), (D(2024, 5, 5), TOWNSHIP))], year=2025,
                          cycle_years=3).passed


def test_nobody_in_post_is_a_finding_that_says_what_to_enter():
    result = rules.rotation([], year=2025, cycle_years=3)
    assert result.failed and "请先录入人员" in result.explanation


# --- graded training --------------------------------------------------------------------------------------------


def test_graded_requires_the_responsible_level():
    director_by_city = worker(DIRECTOR, D(2015, 1, 1), (D(2024, 3, 1), CITY), label="主任甲")
    director_by_county = worker(DIRECTOR, D(2015, 1, 1), (D(2024, 3, 1), COUNTY), label="主任乙")
    staff_by_county = worker(STAFF, D(2015, 1, 1), (D(2024, 3, 1), COUNTY), label="丙")
    staff_by_city = worker(STAFF, D(2015, 1, 1), (D(2024, 3, 1), CITY), label="丁")
    assistant_by_township = worker(ASSISTANT, D(2015, 1, 1), (D(2024, 3, 1), TOWNSHIP), label="戊（某村）")
    assistant_by_county = worker(ASSISTANT, D(2015, 1, 1), (D(2024, 3, 1), COUNTY), label="己（某村）")
    people = [director_by_city, director_by_county, staff_by_county, staff_by_city, assistant_by_township,
              assistant_by_county]
    result = rules.graded_training(people, year=2025, cycle_years=3)
    assert result.failed and (result.required, result.actual, result.gap) == (6, 3, 3)
    assert "主任乙（民政办公室主任，应由市级培训）" in result.explanation
    assert "丁（民政办工作人员，应由县级培训）" in result.explanation
    assert "己（某村）（民政助理员，应由乡镇级培训）" in result.explanation


def test_graded_within_the_cycle_window():
    on_first_day = worker(DIRECTOR, D(2015, 1, 1), (D(2023, 1, 1), CITY))
    day_before = worker(DIRECTOR, D(2015, 1, 1), (D(2022, 12, 31), CITY))
    assert rules.graded_training([on_first_day], year=2025, cycle_years=3).passed
    assert rules.graded_training([day_before], year=2025, cycle_years=3).failed
    # Without a cycle, any right-level training up to the year end counts.
    assert rules.graded_training([day_before], year=2025, cycle_years=None).passed


# --- training before the post -----------------------------------------------------------------------------------


def test_training_on_start_date_counts_as_before_day_after_does_not():
    on_day = worker(STAFF, D(2024, 3, 1), (D(2024, 3, 1), COUNTY), label="甲")
    day_after = worker(STAFF, D(2024, 3, 1), (D(2024, 3, 2), COUNTY), label="乙")
    never = worker(STAFF, D(2024, 3, 1), label="丙")
    assert rules.trained_before_post(D(2024, 3, 1), D(2024, 3, 1))
    assert not rules.trained_before_post(D(2024, 3, 1), D(2024, 3, 2))
    assert not rules.trained_before_post(D(2024, 3, 1), None)
    result = rules.before_post([on_day, day_after, never], year=2025)
    assert result.failed and (result.actual, result.gap) == (1, 2)
    assert "乙（2024-03-01到岗，2024-03-02才首次培训）" in result.explanation
    assert "丙（2024-03-01到岗，未参加培训）" in result.explanation


def test_before_post_uses_the_first_training():
    early_then_late = worker(STAFF, D(2024, 3, 1), (D(2024, 6, 1), COUNTY), (D(2024, 2, 1), TOWNSHIP))
    assert rules.before_post([early_then_late], year=2025).passed


# --- due this year ----------------------------------------------------------------------------------------------


def test_due_this_year():
    never = worker(STAFF, D(2015, 1, 1), label="从未")
    fell_out = worker(STAFF, D(2015, 1, 1), (D(2022, 6, 1), COUNTY), label="出周期")
    covered_2023 = worker(STAFF, D(2015, 1, 1), (D(2023, 6, 1), COUNTY), label="周期内")
    done = worker(STAFF, D(2015, 1, 1), (D(2021, 6, 1), COUNTY), (D(2025, 4, 1), COUNTY), label="已训")
    due = rules.due_this_year([never, fell_out, covered_2023, done], year=2025, cycle_years=3)
    assert [d.worker.label for d in due] == ["从未", "出周期", "已训"]
    assert [d.last_before_year for d in due] == [None, D(2022, 6, 1), D(2021, 6, 1)]
    assert [d.done for d in due] == [False, False, True]
    assert rules.due_this_year([never], year=2025, cycle_years=None) == []


def test_due_with_one_year_cycle_is_everybody_not_yet_trained_this_year():
    last_year = worker(STAFF, D(2015, 1, 1), (D(2024, 12, 31), COUNTY))
    assert len(rules.due_this_year([last_year], year=2025, cycle_years=1)) == 1


def test_coverage():
    """The rotation result carries the coverage the county plan shows."""
    people = [worker(STAFF, D(2015, 1, 1), (D(2024, 1, 1), COUNTY)), worker(), worker()]
    result = rules.rotation(people, year=2025, cycle_years=3)
    covered, total, share = result.actual, result.required, result.basis["轮训覆盖率"]
    assert (covered, total, share) == (1, 3, "33.3%")


# --- properties -------------------------------------------------------------------------------------------------

dates = st.dates(min_value=D(2010, 1, 1), max_value=D(2030, 12, 31))


@given(year=st.integers(2015, 2030), cycle=st.integers(1, 5), day=dates)
def test_rotation_agrees_with_calendar_years(year, cycle, day):
    person = worker(STAFF, D(2000, 1, 1), (day, COUNTY))
    expected = year - cycle + 1 <= day.year <= year
    assert rules.rotation([person], year=year, cycle_years=cycle).passed is expected


@given(year=st.integers(2015, 2030), cycle=st.integers(1, 5), days=st.lists(dates, max_size=4))
def test_at_year_end_in_rotation_or_due_and_pending(year, cycle, days):
    """At the end of a year a worker is in rotation exactly when not still pending in the plan."""
    person = worker(STAFF, D(2000, 1, 1), *[(d, COUNTY) for d in days])
    pending = [d for d in rules.due_this_year([person], year=year, cycle_years=cycle) if not d.done]
    assert rules.in_rotation(person, year, cycle) is (not pending)


@given(start=dates, first=st.one_of(st.none(), dates))
def test_before_post_is_first_training_on_or_before_start(start, first):
    assert rules.trained_before_post(start, first) is (first is not None and first <= start)
