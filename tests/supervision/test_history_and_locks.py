"""Supervision under the reporting cycle: every change recorded, locked years refused, stale or repeated forms refused."""
import datetime
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from offices import reporting
from offices.acting import acting_as
from offices.models import AnnualReport, ReportState
from supervision import services
from supervision.models import (
    AssistantAssessment,
    Inspection,
    InspectionFinding,
    SatisfactionSurvey,
    ServiceContract,
)
from tests.factories.offices import UserFactory, VillageFactory
from tests.factories.staffing import VillageAssistantFactory
from tests.factories.supervision import AssistantAssessmentFactory, InspectionFactory

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = 2025


def hidden(html, name):
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden {name} in the form"
    return match.group(1)


def report(township, state, year=YEAR):
    return AnnualReport.objects.create(township=township, year=year, state=state)


@pytest.fixture
def assistants(township):
    village = VillageFactory(township=township)
    return [VillageAssistantFactory(village=village, name=name, start_date=D(2020, 1, 1)) for name in ("甲", "乙")]


def grades_url(township):
    return reverse("supervision:grades", args=[township.code]) + f"?year={YEAR}"


def grades_post(client, township, assistants, grades, *, html=None, **extra):
    html = html or client.get(grades_url(township)).content.decode()
    data = {"year": YEAR, "assessor": "镇考评小组", "assessed_on": "2026-01-10",
            "form_token": hidden(html, "form_token"), "read_version": hidden(html, "read_version"), **extra}
    data.update({f"grade_{a.pk}": g for a, g in zip(assistants, grades)})
    return client.post(grades_url(township), data, REMOTE_ADDR="10.2.3.4")


def grade_history(township):
    return AssistantAssessment.history.filter(assistant__village__township_id=township.pk, year=YEAR)


def test_grades_record_who_where_before_after_and_removals(township, clerk, login, assistants):
    first, second = assistants
    AssistantAssessmentFactory(assistant=second, year=YEAR, grade="competent", assessor="镇考评小组",
                               assessed_on=D(2026, 1, 10))
    client = login(clerk)
    assert grades_post(client, township, assistants, ["excellent", "competent"]).status_code == 302
    made = grade_history(township).filter(history_user=clerk)
    # The unchanged grade is not rewritten: one new row for the new grade only.
    assert list(made.values_list("history_type", "assistant_id", "grade", "history_address")) == [
        ("+", first.pk, "excellent", "10.2.3.4")]
    assert grades_post(client, township, assistants, ["basic", ""]).status_code == 302
    changed = grade_history(township).filter(assistant_id=first.pk).latest("history_id")
    assert [(c.field, c.old, c.new) for c in changed.diff_against(changed.prev_record).changes] == [
        ("grade", "excellent", "basic")]
    removed = grade_history(township).filter(assistant_id=second.pk).latest("history_id")
    assert (removed.history_type, removed.history_user_id, removed.grade) == ("-", clerk.pk, "competent")
    assert not AssistantAssessment.objects.filter(assistant=second).exists()


def test_a_submitted_year_refuses_the_clerks_grades_and_writes_nothing(township, clerk, login, assistants):
    report(township, ReportState.SUBMITTED)
    response = grades_post(login(clerk), township, assistants, ["excellent", "basic"])
    assert response.status_code == 200
    assert "2025年度填报已报送" in response.content.decode()
    assert not AssistantAssessment.objects.exists() and not grade_history(township).exists()


def test_satisfaction_and_contracts_are_locked_by_their_years(township, clerk, login):
    report(township, ReportState.SUBMITTED)
    client = login(clerk)
    response = client.post(reverse("supervision:survey_edit", args=[township.code]),
                           {"year": YEAR, "sample_size": 300, "score": "92.5"})
    assert response.status_code == 200 and "已报送" in response.content.decode()
    contract = {"provider": "某中心", "area": "elderly_care", "amount": "50000"}
    response = client.post(reverse("supervision:contract_add", args=[township.code]),
                           {**contract, "start_date": "2024-07-01", "end_date": "2025-06-30"})
    assert response.status_code == 200 and "2025年度填报已报送" in response.content.decode()
    assert not SatisfactionSurvey.objects.exists() and not ServiceContract.objects.exists()
    # A contract wholly in another year is open.
    response = client.post(reverse("supervision:contract_add", args=[township.code]),
                           {**contract, "start_date": "2026-01-01", "end_date": "2026-12-31"})
    assert response.status_code == 302
    row = ServiceContract.history.get()
    assert (row.history_type, row.history_user_id) == ("+", clerk.pk)


def test_inspections_refused_for_everyone_in_an_accepted_year_until_unlocked(township, county_official, login):
    accepted = report(township, ReportState.ACCEPTED)
    client = login(county_official)
    data = {"township": township.pk, "date": "2025-05-01", "inspectors": "王某", "findings": "档案不全",
            "deadline": "2025-06-30"}
    response = client.post(reverse("supervision:inspection_add"), data)
    assert response.status_code == 200 and "已通过市级验收" in response.content.decode()
    assert not Inspection.objects.exists()
    # Rectifying an inspection of an open year in the accepted year is refused too.
    inspection = InspectionFactory(township=township, date=D(2024, 11, 1), deadline=D(2025, 3, 1))
    finding = inspection.findings.get()
    url = reverse("supervision:finding_rectify", args=[finding.pk])
    response = client.post(url, {"rectified_on": "2025-02-01"})
    assert response.status_code == 200 and "已通过市级验收" in response.content.decode()
    assert InspectionFinding.objects.get(pk=finding.pk).status == "open"
    reporting.lock_exception_grant(report=accepted, until=timezone.now() + timedelta(days=1), reason="补登检查",
                                   user=county_official)
    assert client.post(reverse("supervision:inspection_add"), data).status_code == 302
    html = client.get(url).content.decode()
    assert client.post(url, {"rectified_on": "2025-02-01", "read_version": hidden(html, "read_version")}
                       ).status_code == 302
    rows = InspectionFinding.history.filter(id=finding.pk).order_by("history_id")
    assert [(r.history_type, r.status, r.history_user_id) for r in rows] == [
        ("+", "open", None), ("~", "rectified", county_official.pk)]


def test_submitted_is_locked_for_the_clerk_only(township, clerk, county_official):
    report(township, ReportState.SUBMITTED)
    with acting_as(clerk), pytest.raises(ValidationError) as error:
        services.survey_set(township=township, year=YEAR, sample_size=300, score=Decimal("90"))
    assert error.value.code == "locked"
    with acting_as(county_official):
        services.inspection_create(township=township, level="county", date=D(2025, 5, 1), inspectors="王某",
                                   findings="档案不全", deadline=D(2025, 6, 30))
    assert Inspection.objects.count() == 1


def test_a_stale_grades_sheet_is_refused_naming_the_first_change(township, clerk, login, assistants):
    other = UserFactory(role="township", township=township, username="other", first_name="一", last_name="张")
    client = login(clerk)
    stale = client.get(grades_url(township)).content.decode()
    assert grades_post(login(other), township, assistants, ["excellent", ""]).status_code == 302
    response = grades_post(login(clerk), township, assistants, ["basic", "basic"], html=stale)
    assert response.status_code == 200
    text = response.content.decode()
    assert "他人已修改" in text and "张一" in text and "新增了民政助理员年度考评" in text
    assert list(AssistantAssessment.objects.values_list("grade", flat=True)) == ["excellent"]


def test_a_contract_added_twice_is_saved_once(township, clerk, login):
    client = login(clerk)
    url = reverse("supervision:contract_add", args=[township.code])
    token = hidden(client.get(url).content.decode(), "form_token")
    data = {"provider": "某中心", "area": "elderly_care", "amount": "50000", "start_date": "2026-01-01",
            "end_date": "2026-12-31", "form_token": token}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data, follow=True)
    assert "重复提交未再次保存" in response.content.decode()
    assert ServiceContract.objects.count() == 1


def test_a_service_deletion_is_recorded(township, clerk, assistants):
    grade = AssistantAssessmentFactory(assistant=assistants[0], year=YEAR)
    with acting_as(clerk):
        services.grades_set(township=township, year=YEAR, grades={assistants[0]: ""}, assessor="x",
                            assessed_on=D(2026, 1, 1))
    row = AssistantAssessment.history.filter(id=grade.pk).latest("history_id")
    assert (row.history_type, row.history_user_id) == ("-", clerk.pk)
