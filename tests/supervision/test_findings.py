"""Inspections with several findings, each with its own deadline; clean inspections; filters; the export.

Given an official recording an inspection, when it found several problems, then each is a finding with its
own deadline, rectified one by one by the inspecting level; the inspection is rectified when all are, and
the rectification rule counts findings. An inspection that found nothing is recorded with 「未发现问题」 and
has nothing to rectify. The list filters by township, year and state, and exports the same rows, one per
finding, as an official spreadsheet.
"""
import datetime
import re
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from offices.acting import acting_as
from offices.compliance.engine import township_compliance
from offices.models import AnnualReport, ReportState
from offices.workbooks import read_table
from supervision import rules, services
from supervision.models import Inspection, InspectionFinding
from tests.factories.offices import PopulationFactory, StandardFactory, TownshipFactory
from tests.factories.supervision import InspectionFactory

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = 2025


@pytest.fixture
def judged(township):
    StandardFactory()
    PopulationFactory(township=township, year=YEAR)
    return township


def create(township, findings, *, date=D(2025, 3, 1), level="county"):
    return services.inspection_create(township=township, level=level, date=date, inspectors="王某、李某",
                                      findings=findings)


def rectification(township):
    return township_compliance(township, YEAR).result(rules.RECTIFICATION.code)


# --- services and the rule ------------------------------------------------------------------------------------


def test_several_findings_each_with_its_deadline_and_history(township, county_official):
    with acting_as(county_official):
        inspection = create(township, [("台账不全", D(2025, 4, 1)), ("制度未上墙", D(2025, 5, 1))])
    findings = list(inspection.findings.order_by("pk"))
    assert [(f.text, f.deadline, f.status) for f in findings] == [
        ("台账不全", D(2025, 4, 1), "open"), ("制度未上墙", D(2025, 5, 1), "open")]
    assert not inspection.rectified
    rows = InspectionFinding.history.filter(inspection__township_id=township.pk)
    assert sorted((r.history_type, r.history_user_id) for r in rows) == [("+", county_official.pk)] * 2
    assert Inspection.history.get(id=inspection.pk).history_user_id == county_official.pk


def test_a_clean_inspection_is_recorded_and_has_nothing_to_rectify(judged):
    inspection = create(judged, [])
    assert inspection.findings.count() == 0 and inspection.rectified
    result = rectification(judged)
    assert result.passed and result.required == 0
    assert result.basis["检查次数"] == 1 and result.basis["其中未发现问题"] == 1


def test_rectifying_one_of_two_leaves_the_inspection_open_and_the_rule_follows(judged, county_official):
    inspection = create(judged, [("台账不全", D(2025, 4, 1)), ("制度未上墙", D(2025, 5, 1))])
    assert rectification(judged).gap == 2
    first, second = inspection.findings.order_by("pk")
    with acting_as(county_official):
        services.finding_rectify(finding=first, rectified_on=D(2025, 3, 20))
    inspection = Inspection.objects.prefetch_related("findings").get(pk=inspection.pk)
    assert not inspection.rectified
    result = rectification(judged)  # the service recomputed the store; this reads it
    assert result.failed and (result.required, result.actual, result.gap) == (2, 1, 1)
    assert result.items == ("县级检查（2025-03-01）第2项问题（整改期限2025-05-01）",)
    services.finding_rectify(finding=second, rectified_on=D(2025, 4, 30))
    assert Inspection.objects.get(pk=inspection.pk).rectified
    assert rectification(judged).passed


def test_a_finding_is_checked_against_its_inspection(township):
    with pytest.raises(ValidationError) as caught:
        create(township, [("台账不全", D(2025, 4, 1)), ("制度未上墙", D(2025, 2, 1))])
    assert caught.value.message_dict == {"deadline": ["第2项问题：整改期限不能早于检查日期。"]}
    with pytest.raises(ValidationError) as caught:
        create(township, [("", D(2025, 4, 1))])
    assert "findings" in caught.value.message_dict
    assert not Inspection.objects.exists() and not InspectionFinding.objects.exists()
    finding = create(township, [("台账不全", D(2025, 4, 1))]).findings.get()
    with pytest.raises(ValidationError) as caught:
        services.finding_rectify(finding=finding, rectified_on=D(2025, 2, 1))
    assert caught.value.message_dict == {"rectified_on": ["整改完成日期不能早于检查日期。"]}
    assert InspectionFinding.objects.get().status == "open"


def test_the_database_refuses_a_rectified_finding_without_a_date(township):
    inspection = create(township, [("台账不全", D(2025, 4, 1))])
    with pytest.raises(IntegrityError), transaction.atomic():
        InspectionFinding.objects.filter(inspection=inspection).update(status="rectified")
    with pytest.raises(IntegrityError), transaction.atomic():
        InspectionFinding.objects.create(inspection=inspection, text="", deadline=D(2025, 4, 1))


def test_locked_years_refuse_new_inspections_and_rectifications(township, county_official):
    finding = create(township, [("台账不全", D(2025, 4, 1))], date=D(2024, 11, 1)).findings.get()
    AnnualReport.objects.create(township=township, year=YEAR, state=ReportState.ACCEPTED)
    with acting_as(county_official):
        with pytest.raises(ValidationError) as caught:
            create(township, [("档案不全", D(2025, 6, 1))], date=D(2025, 5, 1))
        assert caught.value.code == "locked"
        with pytest.raises(ValidationError) as caught:
            services.finding_rectify(finding=finding, rectified_on=D(2025, 1, 10))  # rectified in the locked year
        assert caught.value.code == "locked"
    assert Inspection.objects.count() == 1 and InspectionFinding.objects.get().status == "open"


# --- pages ------------------------------------------------------------------------------------------------------


def add_url():
    return reverse("supervision:inspection_add")


def test_the_form_takes_several_findings_or_none(township, county_official, login):
    client = login(county_official)
    base = {"township": township.pk, "date": "2025-05-01", "inspectors": "王某"}
    response = client.post(add_url(), base)
    assert response.status_code == 200 and "请勾选「未发现问题」" in response.content.decode()
    response = client.post(add_url(), {**base, "clean_inspection": "on", "findings": "档案不全"})
    assert response.status_code == 200 and "已勾选「未发现问题」" in response.content.decode()
    response = client.post(add_url(), {**base, "findings": "档案不全", "deadline": "2025-06-30",
                                       "findings_3": "窗口未公开办事程序"})
    assert response.status_code == 200 and "请填写整改期限（第3项）" in response.content.decode()
    assert not Inspection.objects.exists()
    response = client.post(add_url(), {**base, "findings": "档案不全", "deadline": "2025-06-30",
                                       "findings_3": "窗口未公开办事程序", "deadline_3": "2025年7月31日"})
    assert response.status_code == 302
    assert list(InspectionFinding.objects.order_by("pk").values_list("text", "deadline")) == [
        ("档案不全", D(2025, 6, 30)), ("窗口未公开办事程序", D(2025, 7, 31))]
    assert client.post(add_url(), {**base, "clean_inspection": "on"}).status_code == 302
    assert Inspection.objects.filter(findings__isnull=True).count() == 1
    html = client.get(add_url()).content.decode()
    assert 'name="findings_5"' in html and 'name="clean_inspection"' in html


def test_the_list_shows_a_row_per_finding_overdue_in_red_and_rectify_per_finding(township, county_official,
                                                                                 login):
    today = timezone.localdate()
    inspection = InspectionFactory(township=township, date=today - datetime.timedelta(days=60), findings=[
        ("台账不全", today - datetime.timedelta(days=1)), ("制度未上墙", today + datetime.timedelta(days=30))])
    InspectionFactory(township=township, findings=None, date=today - datetime.timedelta(days=10))
    late, later = inspection.findings.order_by("pk")
    html = login(county_official).get(reverse("supervision:inspection_list")).content.decode()
    assert html.count("data-finding-id=") == 2 and "data-clean" in html
    row = row_with(html, f'data-finding-id="{late.pk}"')
    assert row.startswith('<tr class="table-danger" ') and "逾期" in row
    assert 'data-column="deadline" data-failed' in row and 'data-column="status" data-failed' in row
    assert reverse("supervision:finding_rectify", args=[late.pk]) in row
    row = row_with(html, f'data-finding-id="{later.pk}"')
    assert "table-danger" not in row and "逾期" not in row
    assert 'data-column="deadline" data-failed' not in row
    assert 'data-column="status" data-failed' in row  # not rectified yet: red, though not late


def row_with(html, marker):
    """The table row (<tr …>…</tr>) that holds `marker`."""
    rows = [row for row in re.findall(r"<tr[ >].*?</tr>", html, re.S) if marker in row]
    assert len(rows) == 1, marker
    return rows[0]


@pytest.fixture
def listed(county, township, other_township):
    """Four inspections of 2025: open and overdue, rectified, clean (in the township); open, not due (other)."""
    overdue = InspectionFactory(township=township, date=D(2025, 3, 1), deadline=D(2025, 4, 1))
    rectified = InspectionFactory(township=township, date=D(2025, 5, 1), deadline=D(2025, 6, 1), status="rectified",
                                  rectified_on=D(2025, 5, 20))
    clean = InspectionFactory(township=township, date=D(2025, 7, 1), findings=None)
    not_due = InspectionFactory(township=other_township, date=D(2025, 8, 1), deadline=D(2100, 1, 1))
    foreign = InspectionFactory(township=TownshipFactory(), date=D(2025, 8, 1))
    return {"overdue": overdue, "rectified": rectified, "clean": clean, "not_due": not_due, "foreign": foreign}


def listed_pks(client, **query):
    html = client.get(reverse("supervision:inspection_list"), query).content.decode()
    return {int(pk) for pk in re.findall(r'data-inspection="(\d+)"', html)}


def test_the_list_filters_by_township_year_and_state(listed, county_official, township, login):
    client = login(county_official)
    pk = {name: i.pk for name, i in listed.items()}
    assert listed_pks(client) == {pk["overdue"], pk["rectified"], pk["clean"], pk["not_due"]}
    assert listed_pks(client, township=township.pk) == {pk["overdue"], pk["rectified"], pk["clean"]}
    assert listed_pks(client, status="open") == {pk["overdue"], pk["not_due"]}
    assert listed_pks(client, status="overdue") == {pk["overdue"]}
    assert listed_pks(client, status="rectified") == {pk["rectified"]}
    assert listed_pks(client, status="clean") == {pk["clean"]}
    assert listed_pks(client, year=2024) == set()
    # A township outside the county is not a choice: the page says so and shows only the county's.
    response = client.get(reverse("supervision:inspection_list"), {"township": listed["foreign"].township.pk})
    assert response.status_code == 200 and "所选乡镇不在您的管辖范围内" in response.content.decode()
    assert pk["foreign"] not in listed_pks(client, township=listed["foreign"].township.pk)
    html = client.get(reverse("supervision:inspection_list"), {"status": "open"}).content.decode()
    assert 'href="?status=open&amp;export=inspections"' in html  # the list's 导出 keeps its filters


def test_the_list_query_count_does_not_grow_with_findings(county, county_official, login,
                                                          django_assert_max_num_queries):
    client = login(county_official)
    InspectionFactory(township=TownshipFactory(county=county))
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("supervision:inspection_list"), {"status": "open"})
    for _ in range(5):
        InspectionFactory(township=TownshipFactory(county=county),
                          findings=[("甲", D(2025, 6, 1)), ("乙", D(2025, 7, 1)), ("丙", D(2025, 8, 1))])
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("supervision:inspection_list"), {"status": "open"})


def exported(client, **query):
    """(sheet, columns, rows, 合计 row) of the file at the export's first address."""
    response = client.get(reverse("supervision:inspection_export"), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    columns, rows = read_table(sheet)
    *rows, total = rows
    assert total[0] == "合计"
    return sheet, columns, rows, total


def test_the_export_has_a_row_per_finding_with_the_lists_filters(listed, county_official, township, login):
    client = login(county_official)
    two = listed["overdue"]
    InspectionFinding.objects.create(inspection=two, text="制度未上墙", deadline=D(2025, 4, 15))
    sheet, columns, rows, total = exported(client, township=township.pk, year=YEAR)
    assert sheet["A1"].value == "兰山区2025年度乡镇民政办督导检查情况表"
    assert "填报单位：兰山区民政局" in sheet["A2"].value or any(
        "填报单位：兰山区民政局" == c.value for c in sheet[2] if c.value)
    assert list(columns) == ["序号", "乡镇", "检查日期", "检查层级", "检查人员", "发现问题", "整改期限", "整改状态",
                             "整改完成日期", "问题数（项）", "未整改（项）"]
    # 合计: 3 findings, 2 of them (the overdue inspection's) not rectified; each inspection counted once.
    assert (total[columns["问题数（项）"]], total[columns["未整改（项）"]]) == (3, 2)
    assert sum(row[columns["问题数（项）"]] or 0 for row in rows) == 3
    assert [row[columns["序号"]] for row in rows] == [1, 2, 3, 4]
    by_text = {row[columns["发现问题"]]: row for row in rows}
    assert set(by_text) == {"档案未按年度归档。", "制度未上墙", "未发现问题"}
    assert len(rows) == 4  # the overdue inspection's two findings, the rectified one's, the clean one
    assert [r[columns["整改状态"]] for r in rows if r[columns["乡镇"]] == township.name].count("逾期") == 2
    assert by_text["未发现问题"][columns["整改状态"]] == "无问题"
    rectified = next(r for r in rows if r[columns["整改完成日期"]])
    assert (rectified[columns["整改状态"]], rectified[columns["整改完成日期"]]) == ("已整改", "2025-05-20")
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows
    _sheet, columns, rows, _total = exported(client, status="clean")
    assert [row[columns["发现问题"]] for row in rows] == ["未发现问题"]
    assert client.get(reverse("supervision:inspection_export"), {"year": "abc"}).status_code == 404
