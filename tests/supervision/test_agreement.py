"""Each supervision page says what the scorecard says, under a standard that differs from the default.

Given a standard of the township's county whose parameters are not the defaults (no graded management,
other grade factors and monthly subsidy, Liyang's), when the grades, records or inspections page is
rendered, then each rule it shows has the scorecard's status, required figure and explanation, and the
rows it marks are exactly the things behind the scorecard's finding — none where the rule is not assessed.
"""
import datetime
import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from funding.models import AssistantSubsidyPayment
from offices.compliance import LEFT_OUT, NO_STANDARD, Status, present
from offices.compliance.engine import township_compliance
from offices.models import Standard
from supervision import rules
from tests.factories.offices import PopulationFactory, StandardFactory, VillageFactory
from tests.factories.staffing import VillageAssistantFactory
from tests.factories.supervision import (
    AssistantAssessmentFactory,
    InspectionFactory,
    SatisfactionSurveyFactory,
    ServiceContractFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = 2025
RESULT = re.compile(r'<li class="mb-1" data-rule="([^"]+)" data-status="([^"]+)">(.*?)</li>', re.S)


def shown(html):
    """{code: (status, text)} of the rule results a page shows."""
    return {code: (status, unescape(re.sub(r"<[^>]+>", "", text))) for code, status, text in RESULT.findall(html)}


def marked_assistants(html):
    return {unescape(label): finding for label, finding in
            re.findall(r'data-assistant="([^"]+)" data-finding="([^"]+)"', html)}


def marked_inspections(html):
    return {int(pk) for pk in re.findall(r'data-inspection="(\d+)" data-finding-id="\d+" data-finding="overdue"', html)}


def marked_findings(html):
    return {int(pk) for pk in re.findall(r'data-finding-id="(\d+)" data-finding="overdue"', html)}


def agrees(page, card, specs):
    """The page shows each rule with the scorecard's status, explanation and required figure."""
    for spec in specs:
        result = card.result(spec.code)
        status, text = page[spec.code]
        assert status == result.status, spec.code
        assert result.explanation in text, spec.code
        if result.assessed and result.required is not None:
            assert present(result.required, result.unit) in text, spec.code


@pytest.fixture
def county_standard(township):
    """Make a standard of the township's county, which wins over the province's default."""
    def make(**parameters):
        return StandardFactory(name="县级试行标准", jurisdiction_code=township.county.code[:6], **parameters)
    return make


@pytest.fixture
def graded(township):
    """A competent assistant paid in full at 1.00 × 60, one not graded, one 不称职 still in post."""
    PopulationFactory(township=township, year=YEAR)
    village = VillageFactory(township=township, name="东村村民委员会")
    paid = VillageAssistantFactory(village=village, name="称职者", start_date=D(2020, 1, 1))
    AssistantAssessmentFactory(assistant=paid, year=YEAR, grade="competent")
    for quarter in (1, 2, 3, 4):
        AssistantSubsidyPayment.objects.create(assistant=paid, year=YEAR, quarter=quarter, amount=Decimal("180.00"))
    VillageAssistantFactory(village=village, name="未考评者", start_date=D(2020, 1, 1))
    staying = VillageAssistantFactory(village=village, name="不称职者", start_date=D(2020, 1, 1))
    AssistantAssessmentFactory(assistant=staying, year=YEAR, grade="incompetent", assessed_on=D(2026, 1, 8))
    return village


def grades_page(client, township, year=YEAR):
    return client.get(reverse("supervision:grades", args=[township.code]) + f"?year={year}").content.decode()


def test_grades_page_without_graded_management_marks_nobody(township, clerk, login, county_standard, graded):
    standard = county_standard(grade_subsidy_factors=None)
    assert not any(spec.applies(standard) for spec in rules.GRADE_RULES)
    html = grades_page(login(clerk), township)
    card = township_compliance(township, YEAR)
    assert card.standard == standard
    page = shown(html)
    agrees(page, card, rules.GRADE_RULES)
    for spec in rules.GRADE_RULES:
        assert card.result(spec.code).status == Status.NOT_ASSESSED
        assert card.result(spec.code).explanation == str(LEFT_OUT)
    assert marked_assistants(html) == {}
    assert "未考评者（东村）" in html  # listed, not marked


def test_grades_page_marks_what_the_scorecard_finds_under_other_factors(township, clerk, login, county_standard,
                                                                       graded):
    # Competent assistants get 1.5 × 100 a month here: 180 a quarter is 270 short over the year.
    county_standard(assistant_monthly_subsidy=Decimal("100.00"),
                    grade_subsidy_factors={"excellent": "2.00", "competent": "1.50", "basic": "1.00",
                                           "incompetent": "0"})
    html = grades_page(login(clerk), township)
    card = township_compliance(township, YEAR)
    page = shown(html)
    agrees(page, card, rules.GRADE_RULES)
    assert [card.result(spec.code).status for spec in rules.GRADE_RULES] == [Status.FAIL] * 3
    assert card.result(rules.SUBSIDY_BY_GRADE.code).required == Decimal("1800.00")  # 4 quarters × 3 × 150
    assert card.result(rules.SUBSIDY_BY_GRADE.code).gap == Decimal("1080.00")
    ungraded = set(card.result(rules.ASSISTANTS_GRADED.code).items)
    staying = set(card.result(rules.INCOMPETENT_REPLACED.code).items)
    assert ungraded == {"未考评者（东村）"} and staying == {"不称职者（东村）"}
    assert marked_assistants(html) == {**dict.fromkeys(ungraded, "ungraded"), **dict.fromkeys(staying, "incompetent")}


def test_grades_page_marks_nobody_while_the_year_runs(township, clerk, login, county_standard, graded):
    county_standard(grade_subsidy_factors={"excellent": "1", "competent": "1", "basic": "1", "incompetent": "0"})
    year = timezone.localdate().year
    html = grades_page(login(clerk), township, year)
    card = township_compliance(township, year)
    agrees(shown(html), card, [rules.ASSISTANTS_GRADED])
    assert card.result(rules.ASSISTANTS_GRADED.code).status == Status.NOT_ASSESSED
    assert "尚未结束" in card.result(rules.ASSISTANTS_GRADED.code).explanation
    assert "ungraded" not in marked_assistants(html).values()


def test_records_page_shows_the_tracked_figures_of_the_scorecard(township, clerk, login, county_standard):
    county_standard(grade_subsidy_factors=None, assistant_monthly_subsidy=None, training_cycle_years=2)
    PopulationFactory(township=township, year=YEAR)
    SatisfactionSurveyFactory(township=township, year=YEAR, score=Decimal("88.25"), sample_size=250)
    ServiceContractFactory(township=township, provider="甲社工中心")
    html = login(clerk).get(reverse("supervision:township_records", args=[township.code]) + f"?year={YEAR}")
    html = html.content.decode()
    card = township_compliance(township, YEAR)
    page = shown(html)
    agrees(page, card, rules.TRACKED_RULES)
    assert set(page) == {spec.code for spec in rules.TRACKED_RULES}
    assert "88.25" in page[rules.SATISFACTION.code][1] and "仅作跟踪" in page[rules.SATISFACTION.code][1]
    assert card.result(rules.SERVICE_CONTRACTS.code).actual == 1


def test_records_page_without_any_standard(township, clerk, login):
    Standard.objects.all().delete()
    html = login(clerk).get(reverse("supervision:township_records", args=[township.code]) + f"?year={YEAR}")
    page = shown(html.content.decode())
    card = township_compliance(township, YEAR)
    agrees(page, card, rules.TRACKED_RULES)
    assert card.standard is None
    for spec in rules.TRACKED_RULES:
        assert page[spec.code][0] == Status.NOT_ASSESSED and str(NO_STANDARD) in page[spec.code][1]


def test_inspections_page_marks_the_overdue_inspections_of_the_scorecard(township, county_official, login,
                                                                         county_standard):
    county_standard(grade_subsidy_factors=None, assistant_monthly_subsidy=None)  # Liyang-like: no grading
    PopulationFactory(township=township, year=YEAR)
    open_late = InspectionFactory(township=township, date=D(2025, 5, 1), deadline=D(2025, 6, 30))
    rectified_late = InspectionFactory(township=township, date=D(2025, 3, 1), deadline=D(2025, 4, 30),
                                       status="rectified", rectified_on=D(2026, 1, 5))
    in_time = InspectionFactory(township=township, date=D(2025, 8, 1), deadline=D(2025, 9, 30), status="rectified",
                                rectified_on=D(2025, 9, 1))
    closed_before = InspectionFactory(township=township, date=D(2024, 5, 1), deadline=D(2024, 6, 30),
                                      status="rectified", rectified_on=D(2024, 6, 1))
    client = login(county_official)
    html = client.get(reverse("supervision:township_inspections", args=[township.code]) + f"?year={YEAR}")
    html = html.content.decode()
    card = township_compliance(township, YEAR)
    result = card.result(rules.RECTIFICATION.code)
    agrees(shown(html), card, [rules.RECTIFICATION])
    assert result.failed and (result.required, result.gap) == (3, 2)
    assert result.fixed_by == "county"
    assert marked_inspections(html) == {open_late.pk, rectified_late.pk}
    assert {in_time.pk, closed_before.pk}.isdisjoint(marked_inspections(html))
    assert len(result.items) == len(marked_findings(html)) == 2
    # The city-wide list shows no township's results and marks nothing.
    listing = client.get(reverse("supervision:inspection_list")).content.decode()
    assert shown(listing) == {} and marked_inspections(listing) == set()


def test_inspections_page_marks_the_overdue_finding_not_its_rectified_sibling(township, county_official, login,
                                                                             county_standard):
    """Of an inspection's two findings only the late one is marked; the rule counts findings, not inspections."""
    county_standard(grade_subsidy_factors=None, assistant_monthly_subsidy=None)
    PopulationFactory(township=township, year=YEAR)
    inspection = InspectionFactory(township=township, date=D(2025, 5, 1),
                                   findings=[("台账不全", D(2025, 6, 30)), ("制度未上墙", D(2025, 7, 31))])
    done, late = inspection.findings.order_by("pk")
    done.status, done.rectified_on = "rectified", D(2025, 6, 1)
    done.save()
    InspectionFactory(township=township, date=D(2025, 9, 1), findings=None)  # clean
    html = login(county_official).get(
        reverse("supervision:township_inspections", args=[township.code]) + f"?year={YEAR}").content.decode()
    card = township_compliance(township, YEAR)
    result = card.result(rules.RECTIFICATION.code)
    agrees(shown(html), card, [rules.RECTIFICATION])
    assert (result.required, result.actual, result.gap) == (2, 1, 1)
    assert marked_findings(html) == {late.pk}
    assert result.items == ("县级检查（2025-05-01）第2项问题（整改期限2025-07-31）",)
