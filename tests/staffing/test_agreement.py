"""The staffing pages say what the scorecard says, under a standard whose parameters are not the defaults."""
import datetime
import re

import pytest
from django.urls import reverse

from offices.compliance import Status
from offices.compliance.engine import township_compliance
from staffing import rules
from tests.factories.offices import PopulationFactory, StandardFactory, VillageFactory
from tests.factories.staffing import (
    AuthorizedPostsFactory,
    DirectorOpinionFactory,
    StaffMemberFactory,
    VillageAssistantFactory,
)
from tests.listing import table_rows

pytestmark = pytest.mark.django_db

YEAR = 2025


def page(client, name, township):
    response = client.get(reverse(f"staffing:{name}", args=[township.code]), {"year": YEAR})
    assert response.status_code == 200
    return response.content.decode()


def shown_status(html, spec):
    match = re.search(rf'data-rule="{re.escape(spec.code)}" data-status="(\w+)"', html)
    assert match, f"{spec.code} is not shown"
    return match.group(1)


@pytest.fixture
def villages(township):
    """Three villages: two assistants, one assistant, none; one assistant unfiled."""
    two, one, none = (VillageFactory(township=township, name=f"{n}村民委员会") for n in ("甲", "乙", "丙"))
    VillageAssistantFactory.create_batch(2, village=two)
    VillageAssistantFactory(village=one, name="未备案者", filed_date=None)
    return two, one, none


def test_two_assistants_per_village(township, clerk, login, villages):
    StandardFactory(jurisdiction_code="3713", assistants_per_village=2)
    html = page(login(clerk), "assistant_list", township)
    result = township_compliance(township, YEAR).result(rules.VILLAGE_ASSISTANTS.code)
    assert result.failed and set(result.items) == {"乙村", "丙村"}  # 乙 has one assistant: short under 2 a village
    assert shown_status(html, rules.VILLAGE_ASSISTANTS) == result.status
    assert str(result.explanation) in html
    # The village with one assistant is marked short, as the rule says, not "covered": its row, in red.
    short = [row for row in table_rows(html, "assistants") if row["village"] == "乙村" and row["name"] == "未备案者"]
    assert short and short[0]["css"] == "table-warning", "乙村 should be marked as short of assistants"
    assert short[0]["staffed"] == "未配足" and "staffed" in short[0]["failed"]
    shown_short = {row["village"] for row in table_rows(html, "assistants") if row["staffed"] == "未配足"}
    assert shown_short == set(result.items)


def test_one_assistant_per_village_marks_only_the_empty_one(township, clerk, login, villages):
    StandardFactory(jurisdiction_code="3713", assistants_per_village=1)
    html = page(login(clerk), "assistant_list", township)
    result = township_compliance(township, YEAR).result(rules.VILLAGE_ASSISTANTS.code)
    assert set(result.items) == {"丙村"}
    assert shown_status(html, rules.VILLAGE_ASSISTANTS) == result.status == Status.FAIL
    rows = table_rows(html, "assistants")
    assert not any(row["css"] == "table-warning" for row in rows if row["village"] == "乙村")
    assert {row["village"] for row in rows if row["css"] == "table-warning"} == {"丙村"}
    assert {row["village"] for row in rows if "staffed" in row["failed"]} == {"丙村"}


def test_filing_not_required_lists_no_unfiled_assistant(township, clerk, login, villages):
    StandardFactory(jurisdiction_code="3713", assistant_filing_required=False)
    html = page(login(clerk), "assistant_list", township)
    result = township_compliance(township, YEAR).result(rules.ASSISTANTS_FILED.code)
    assert result.status == Status.NOT_ASSESSED
    assert shown_status(html, rules.ASSISTANTS_FILED) == Status.NOT_ASSESSED
    rows = table_rows(html, "assistants")
    assert not any("filed" in row["failed"] for row in rows)
    assert not any("未备案" in row["filed"] for row in rows)


def test_filing_required_marks_the_unfiled_assistant(township, clerk, login, villages):
    StandardFactory(jurisdiction_code="3713", assistant_filing_required=True)
    html = page(login(clerk), "assistant_list", township)
    result = township_compliance(township, YEAR).result(rules.ASSISTANTS_FILED.code)
    assert result.failed and result.items == ("未备案者（乙村）",)
    assert shown_status(html, rules.ASSISTANTS_FILED) == Status.FAIL
    marked = [row for row in table_rows(html, "assistants") if "filed" in row["failed"]]
    assert [(row["name"], row["filed"]) for row in marked] == [("未备案者", "未备案")]
    assert sum("未备案" in row["filed"] for row in table_rows(html, "assistants")) == 1


@pytest.mark.parametrize("required", [True, False])
def test_director_opinion_follows_the_standard(township, clerk, login, required):
    StandardFactory(jurisdiction_code="3713", director_opinion_required=required)
    director = StaffMemberFactory(township=township, director=True, start_date=datetime.date(2024, 3, 1))
    DirectorOpinionFactory(director=director, opinion_date=datetime.date(2024, 3, 5))  # after the start: late
    html = page(login(clerk), "staff_list", township)
    result = township_compliance(township, YEAR).result(rules.DIRECTOR_OPINION.code)
    assert shown_status(html, rules.DIRECTOR_OPINION) == result.status
    assert (result.status == Status.FAIL) is required
    assert ("晚于到岗</span>" in html) is required  # the page marks the director only where the rule does


def test_posts_under_other_tiers(township, clerk, login):
    tiers = [{"max_population": 30_000, "posts": 2}, {"max_population": 60_000, "posts": 4}]
    StandardFactory(jurisdiction_code="3713", posts_tiers=tiers, posts_step_population=10_000, posts_step_posts=1)
    PopulationFactory(township=township, year=YEAR, resident=75_000)
    AuthorizedPostsFactory(township=township, year=YEAR, posts=5)
    html = page(login(clerk), "staff_list", township)
    result = township_compliance(township, YEAR).result(rules.POSTS_AUTHORIZED.code)
    assert (result.required, result.actual, result.gap) == (5, 5, 0)  # 4 + one whole step of 10,000 above 60,000
    assert shown_status(html, rules.POSTS_AUTHORIZED) == result.status == Status.PASS
    # The history table's 应配编制 for the year is the rule's requirement.
    (shown,) = [row for row in table_rows(html, "posts") if row["year"] == str(YEAR)]
    assert (shown["population"], shown["required"], shown["authorized"], shown["gap"]) == ("75,000", "5", "5", "持平")
    assert not shown["failed"] and shown["css"] == "table-active"
