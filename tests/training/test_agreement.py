"""The training pages say what the scorecard says, under a standard whose parameters are not the defaults.

The default standard rotates every 3 years, grades training and requires it
before the post; here the cycle is 2 years, graded training is off and
training before the post is not required.
"""
import datetime
import re

import pytest
from django.urls import reverse

from offices.compliance import Status
from offices.compliance.engine import township_compliance
from tests.factories.offices import PopulationFactory, StandardFactory, TownshipFactory, VillageFactory
from tests.factories.staffing import StaffMemberFactory, VillageAssistantFactory
from tests.factories.training import AttendanceFactory, TrainingSessionFactory
from training import rules

pytestmark = pytest.mark.django_db

YEAR = 2025
D = datetime.date
NON_DEFAULT = {"training_cycle_years": 2, "training_before_post": False, "graded_training": False}


def standard(township, **parameters):
    """A standard for the township's county: more specific than the default standard the database ships with."""
    return StandardFactory(jurisdiction_code=township.county.code[:6], jurisdiction_name="测试县", **parameters)


def people(township):
    """Four people in post at the end of 2025, trained so that a 2-year cycle and a 3-year one differ.

    - 主任甲: trained by the county in 2024 (the wrong level for a director), after the start;
    - 乙: trained in 2023 — in a 3-year cycle, out of a 2-year one;
    - 丙 (an assistant): never trained;
    - 丁: trained in 2022, then again in 2025 — due this year and done.
    """
    county = township.county
    PopulationFactory(township=township, year=YEAR)
    director = StaffMemberFactory(township=township, director=True, name="主任甲", start_date=D(2020, 3, 1))
    second = StaffMemberFactory(township=township, name="乙", start_date=D(2019, 3, 1))
    fourth = StaffMemberFactory(township=township, name="丁", start_date=D(2018, 3, 1))
    VillageAssistantFactory(village=VillageFactory(township=township, name="东村村民委员会"), name="丙",
                            start_date=D(2021, 1, 10))
    sessions = {
        day: TrainingSessionFactory(county=county, date=day) for day in (D(2022, 5, 1), D(2023, 6, 1),
                                                                         D(2024, 5, 1), D(2025, 3, 1))
    }
    AttendanceFactory(session=sessions[D(2024, 5, 1)], staff_member=director)
    AttendanceFactory(session=sessions[D(2023, 6, 1)], staff_member=second)
    AttendanceFactory(session=sessions[D(2022, 5, 1)], staff_member=fourth)
    AttendanceFactory(session=sessions[D(2025, 3, 1)], staff_member=fourth)


def get(client, url):
    response = client.get(url, {"year": YEAR})
    assert response.status_code == 200
    return response.content.decode()


def shown_status(html, spec):
    match = re.search(rf'data-rule="{re.escape(spec.code)}" data-status="(\w+)"', html)
    assert match, f"{spec.code} is not shown"
    return match.group(1)


# How the township's list shows each rule's verdict on a person (offices.tables cells keyed by the rule's code).
MET = {"达标": "yes", "未达标": "no", "不评估": "na"}


def marks(html):
    """{person label: {rule code: "yes" / "no" / "na"}} as the township page marks its rows; a "no" is red."""
    rows = re.findall(r'<tr(?: class="[^"]*")? data-person="([^"]+)">(.*?)</tr>', html, flags=re.S)
    shown = {}
    for person, row in rows:
        cells = re.findall(r'data-column="(training\.\w+)"( data-failed)?>([^<]*)<', row)
        assert all((text == "未达标") == bool(failed) for _code, failed, text in cells), row
        shown[person] = {code: MET[text] for code, _failed, text in cells}
    return shown


def expected_marks(result, labels):
    if not result.assessed:
        return {label: "na" for label in labels}
    return {label: "no" if label in result.items else "yes" for label in labels}


LABELS = ["主任甲", "丁", "乙", "丙（东村）"]


@pytest.mark.parametrize("parameters", [NON_DEFAULT, {}], ids=["non-default", "default"])
def test_township_page_marks_what_the_scorecard_finds(township, clerk, login, parameters):
    standard(township, **parameters)
    people(township)
    html = get(login(clerk), reverse("training:township", args=[township.code]))
    card = township_compliance(township, YEAR)
    shown = marks(html)
    assert sorted(shown) == sorted(LABELS)
    for spec in rules.RULES:
        result = card.result(spec.code)
        assert shown_status(html, spec) == result.status
        assert str(result.explanation) in html
        if result.assessed:
            assert f"应达 {result.required}人，实有 {result.actual}人" in html
        assert {label: row[spec.code] for label, row in shown.items()} == expected_marks(result, LABELS)


def test_under_the_non_default_standard_the_page_differs_as_the_scorecard_does(township, clerk, login):
    standard(township, **NON_DEFAULT)
    people(township)
    html = get(login(clerk), reverse("training:township", args=[township.code]))
    card = township_compliance(township, YEAR)
    rotation = card.result(rules.ROTATION.code)
    # 乙 was trained in 2023: inside a 3-year cycle, outside a 2-year one.
    assert rotation.failed and set(rotation.items) == {"乙", "丙（东村）"}
    assert (rotation.required, rotation.actual, rotation.gap) == (4, 2, 2)
    assert marks(html)["乙"][rules.ROTATION.code] == "no"
    # Graded training is off: the director trained by the county is not marked, and neither rule is assessed.
    assert card.result(rules.GRADED.code).status == card.result(rules.BEFORE_POST.code).status == Status.NOT_ASSESSED
    assert {row[rules.GRADED.code] for row in marks(html).values()} == {"na"}
    assert {row[rules.BEFORE_POST.code] for row in marks(html).values()} == {"na"}
    assert "每2年轮训一遍" in html


def plan_rows(html):
    """{person: pending "yes"/"no"} of the plan's lists, and {township code: [total, covered, coverage, pending]}.

    A person still 待培训 is shown red, one trained this year is not."""
    due = {}
    for person, pending, row in re.findall(r'<tr(?: class="[^"]*")? data-person="([^"]+)" data-pending="(\w+)">(.*?)</tr>',
                                           html, flags=re.S):
        this_year = re.search(r'data-column="this_year"( data-failed)?>([^<]*)<', row)
        assert (pending == "yes") == bool(this_year.group(1)) == (this_year.group(2) == "待培训"), row
        due[person] = pending
    townships = {
        code: [dict(re.findall(r'data-column="(\w+)"[^>]*>([^<]*)<', row))[key]
               for key in ("total", "covered", "coverage", "pending")]
        for code, row in re.findall(r'<tr(?: class="[^"]*")? data-township="(\d+)">(.*?)</tr>', html, flags=re.S)
    }
    return due, townships


def test_county_plan_lists_who_the_scorecard_finds(county, township, county_official, login):
    standard(township, **NON_DEFAULT)
    people(township)
    other = TownshipFactory(county=county)
    PopulationFactory(township=other, year=YEAR)
    StaffMemberFactory(township=other, name="戊", start_date=D(2015, 1, 1))  # never trained
    html = get(login(county_official), reverse("training:plan", args=[county.code]))
    due, townships = plan_rows(html)
    assert "近2年内参训" in html
    everyone_due, everyone_pending = set(), set()
    for place in (township, other):
        rotation = township_compliance(place, YEAR).result(rules.ROTATION.code)
        assert rotation.failed
        total, covered, coverage, pending = townships[place.code]
        assert (int(total), int(covered), int(pending)) == (rotation.required, rotation.actual, rotation.gap)
        assert coverage == f"{rotation.basis['轮训覆盖率']}"
        everyone_due |= set(rotation.basis[str(rules.DUE_THIS_YEAR)])
        everyone_pending |= set(rotation.items)
    # 丁 was due this year and trained in March: listed as done; the people the scorecard finds are pending.
    assert set(due) == everyone_due == {"乙", "丙（东村）", "丁", "戊"}
    assert {person for person, pending in due.items() if pending == "yes"} == everyone_pending == {"乙", "丙（东村）",
                                                                                                   "戊"}


def test_county_plan_without_a_cycle_is_not_drawn_up(county, township, county_official, login):
    standard(township, **{**NON_DEFAULT, "training_cycle_years": None})
    people(township)
    html = get(login(county_official), reverse("training:plan", args=[county.code]))
    assert township_compliance(township, YEAR).result(rules.ROTATION.code).status == Status.NOT_ASSESSED
    assert "不编制轮训计划" in html and "data-pending" not in html
