"""Supervision pages: who enters what, scoping, Chinese messages, no partial writes."""
import datetime

import pytest
from django.urls import reverse

from supervision.models import AssistantAssessment, Inspection, SatisfactionSurvey, ServiceContract
from tests.factories.offices import PopulationFactory, TownshipFactory, UserFactory, VillageFactory
from tests.factories.staffing import VillageAssistantFactory
from tests.factories.supervision import AssistantAssessmentFactory, InspectionFactory
from tests.store import fill_store

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def assistants(township):
    PopulationFactory(township=township, year=2025)
    village = VillageFactory(township=township)
    return [VillageAssistantFactory(village=village) for _ in range(3)]


def grades_post(assistants, grades, **extra):
    data = {"year": 2025, "assessor": "镇考评小组", "assessed_on": "2026-01-10", **extra}
    data.update({f"grade_{a.pk}": g for a, g in zip(assistants, grades)})
    return data


def test_clerk_grades_all_assistants_in_one_form(township, clerk, assistants, login):
    url = reverse("supervision:grades", args=[township.code])
    client = login(clerk)
    page = client.get(url + "?year=2025")
    assert page.status_code == 200 and assistants[0].name in page.content.decode()
    response = client.post(url, grades_post(assistants, ["excellent", "incompetent", ""]))
    assert response.status_code == 302
    assert dict(AssistantAssessment.objects.values_list("assistant_id", "grade")) == {
        assistants[0].pk: "excellent", assistants[1].pk: "incompetent"}
    client.post(url, grades_post(assistants, ["competent", "", "basic"]))
    assert dict(AssistantAssessment.objects.values_list("assistant_id", "grade")) == {
        assistants[0].pk: "competent", assistants[2].pk: "basic"}


@pytest.mark.parametrize(("extra", "grades", "message"), [
    ({"assessed_on": "2024-12-31"}, ["competent"] * 3, "考评日期不能早于考评年度"),
    ({"assessed_on": ""}, ["competent"] * 3, "请填写考评日期"),
    ({"assessor": ""}, ["competent"] * 3, "请填写考评单位或考评人"),
    ({}, ["competent", "superb", "competent"], "的考评等次无效"),
])
def test_bad_grades_write_nothing(township, clerk, assistants, login, extra, grades, message):
    AssistantAssessmentFactory(assistant=assistants[0], year=2025, grade="basic")
    response = login(clerk).post(reverse("supervision:grades", args=[township.code]),
                                 grades_post(assistants, grades, **extra))
    assert response.status_code == 200 and message in response.content.decode()
    assert list(AssistantAssessment.objects.values_list("grade", flat=True)) == ["basic"]


def test_grades_read_only_for_officials_and_404_for_other_clerks(township, county_official, assistants, login):
    url = reverse("supervision:grades", args=[township.code])
    assert login(county_official).get(url).status_code == 200
    assert login(county_official).post(url, grades_post(assistants, ["competent"] * 3)).status_code == 403
    stranger = UserFactory(role="township", township=TownshipFactory(county=township.county))
    assert login(stranger).get(url).status_code == 404
    assert not AssistantAssessment.objects.exists()


def test_clerk_enters_survey_and_contract(township, clerk, login):
    client = login(clerk)
    url = reverse("supervision:survey_edit", args=[township.code])
    assert client.post(url, {"year": 2025, "sample_size": 300, "score": "92.5"}).status_code == 302
    assert client.post(url, {"year": 2025, "sample_size": 320, "score": "93"}).status_code == 302
    assert SatisfactionSurvey.objects.get().sample_size == 320
    response = client.post(reverse("supervision:contract_add", args=[township.code]), {
        "provider": "某社工中心", "area": "elderly_care", "amount": "50000", "start_date": "2025-01-01",
        "end_date": "2025-12-31"})
    assert response.status_code == 302 and ServiceContract.objects.count() == 1
    page = client.get(reverse("supervision:township_records", args=[township.code])).content.decode()
    assert "某社工中心" in page and "92.50" not in page and "93.00" in page


@pytest.mark.parametrize(("data", "message"), [
    ({"year": 2025, "sample_size": 0, "score": "90"}, "样本量（份）：请输入大于0的整数，例如 300 或 1.2万。"),
    ({"year": 2025, "sample_size": 10, "score": "100.01"}, "满意度得分：请输入0至100之间的数字，例如 92.5。"),
    ({"year": 2025, "sample_size": 10, "score": "abc"}, "满意度得分：请输入0至100之间的数字"),
    ({"year": 1800, "sample_size": 10, "score": "90"}, "年度：请输入1949至2100之间的年份"),
])
def test_bad_survey_names_the_field(township, clerk, login, data, message):
    response = login(clerk).post(reverse("supervision:survey_edit", args=[township.code]), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not SatisfactionSurvey.objects.exists()


@pytest.mark.parametrize(("data", "message"), [
    ({"amount": "0"}, "合同金额（元）：请输入大于0的金额，例如 12000 或 1.2万。"),
    ({"end_date": "2024-12-31"}, "结束日期不能早于开始日期"),
    ({"area": "space"}, "服务领域无效"),
    ({"provider": ""}, "请填写承接机构"),
])
def test_bad_contract_names_the_field(township, clerk, login, data, message):
    base = {"provider": "某社工中心", "area": "elderly_care", "amount": "50000", "start_date": "2025-01-01",
            "end_date": "2025-12-31"}
    response = login(clerk).post(reverse("supervision:contract_add", args=[township.code]), {**base, **data})
    assert response.status_code == 200 and message in response.content.decode()
    assert not ServiceContract.objects.exists()


def test_only_own_clerk_enters_survey(township, county_official, login):
    url = reverse("supervision:survey_edit", args=[township.code])
    assert login(county_official).get(url).status_code == 403
    stranger = UserFactory(role="township", township=TownshipFactory(county=township.county))
    assert login(stranger).get(url).status_code == 404


def test_county_records_and_confirms_an_inspection(township, county_official, clerk, login):
    client = login(county_official)
    response = client.post(reverse("supervision:inspection_add"), {
        "township": township.pk, "date": "2025-05-01", "inspectors": "王某", "findings": "档案不全",
        "deadline": "2025-06-30"})
    inspection = Inspection.objects.get()
    finding = inspection.findings.get()
    assert response.status_code == 302 and inspection.level == "county" and finding.status == "open"
    assert (finding.text, finding.deadline) == ("档案不全", D(2025, 6, 30))
    url = reverse("supervision:finding_rectify", args=[finding.pk])
    response = client.post(url, {"rectified_on": "2025-04-30"})
    assert response.status_code == 200 and "整改完成日期不能早于检查日期" in response.content.decode()
    assert client.post(url, {"rectified_on": "2025-06-20"}).status_code == 302
    finding.refresh_from_db()
    assert finding.status == "rectified" and finding.rectified_on == D(2025, 6, 20)
    # The clerk sees it but neither records nor confirms inspections.
    assert login(clerk).get(reverse("supervision:township_inspections", args=[township.code])).status_code == 200
    assert login(clerk).get(reverse("supervision:inspection_add")).status_code == 403


def test_inspection_scoping(county, other_county, township, county_official, city_staff, login):
    foreign = TownshipFactory(county=other_county)
    response = login(county_official).post(reverse("supervision:inspection_add"), {
        "township": foreign.pk, "date": "2025-05-01", "inspectors": "王某", "findings": "x", "deadline": "2025-06-30"})
    assert response.status_code == 200 and "不在您的管辖范围内" in response.content.decode()
    response = login(county_official).post(reverse("supervision:inspection_add"), {
        "township": township.pk, "date": "2025-05-01", "inspectors": "王某", "findings": "x", "deadline": "2025-04-30"})
    assert response.status_code == 200 and "整改期限不能早于检查日期" in response.content.decode()
    assert not Inspection.objects.exists()
    city_inspection = InspectionFactory(township=township, level="city")
    foreign_inspection = InspectionFactory(township=foreign)
    official = login(county_official)
    city_url = reverse("supervision:finding_rectify", args=[city_inspection.findings.get().pk])
    foreign_url = reverse("supervision:finding_rectify", args=[foreign_inspection.findings.get().pk])
    assert official.get(city_url).status_code == 403
    assert official.get(foreign_url).status_code == 404
    assert login(city_staff).get(city_url).status_code == 200


def test_inspection_list_query_count(county, county_official, login, django_assert_max_num_queries):
    for _ in range(2):
        InspectionFactory(township=TownshipFactory(county=county))
    client = login(county_official)
    with django_assert_max_num_queries(8) as few:
        assert client.get(reverse("supervision:inspection_list")).status_code == 200
    for _ in range(10):
        InspectionFactory(township=TownshipFactory(county=county))
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("supervision:inspection_list"))


def test_grades_page_query_count_does_not_grow(township, clerk, assistants, login, django_assert_max_num_queries):
    client = login(clerk)
    url = reverse("supervision:grades", args=[township.code]) + "?year=2025"
    fill_store()  # the services keep the store current; count the page's own reads
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    village = VillageFactory(township=township)
    for _ in range(10):
        AssistantAssessmentFactory(assistant=VillageAssistantFactory(village=village), year=2025)
    fill_store()  # the services keep the store current; count the page's own reads
    with django_assert_max_num_queries(len(few)):
        client.get(url)
