"""The supervision lists as offices.tables lists: 序号 across pages, sorting, 合计, red for what falls short, the same
rows as a file, scope (export included), and a query count that does not grow with the rows.

Given a county's inspections (a row per finding), an assistant's grades and a township's records, when an
official or the clerk opens, sorts, pages or exports a list, then the page and the file hold the same rows
in the same order, the counts add up once per inspection, and a township out of scope is not found.
"""
import datetime
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from offices.workbooks import read_table
from supervision.models import AssistantAssessment
from tests.factories.offices import TownshipFactory, UserFactory, VillageFactory
from tests.factories.staffing import VillageAssistantFactory
from tests.factories.supervision import (
    AssistantAssessmentFactory,
    InspectionFactory,
    SatisfactionSurveyFactory,
    ServiceContractFactory,
)
from tests.store import fill_store

pytestmark = pytest.mark.django_db
D = datetime.date
NOT_DUE = D(2100, 1, 1)


def cells(html, column):
    """The texts of a column's cells, the 合计 row's last."""
    return [re.sub(r"<[^>]+>", "", text) for text in
            re.findall(rf'data-column="{column}"[^>]*>(.*?)</td>', html, re.S)]


def numbers(html):
    return [int(n) for n in re.findall(r"data-row-number>(\d+)<", html)]


def row_marks(html, name):
    """The value of data-<name> on each row of the page, in order."""
    return [int(value) for value in re.findall(rf'<tr[^>]* data-{name}="(\d+)"', html)]


def sheet_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    return sheet, *read_table(sheet)


# --- inspections ------------------------------------------------------------------------------------------------


@pytest.fixture
def inspections(township, other_township):
    """Three inspections of the county: two findings (one overdue, one rectified), three not due, none."""
    two = InspectionFactory(township=township, date=D(2025, 3, 1), findings=[("台账不全", D(2025, 4, 1)),
                                                                             ("制度未上墙", D(2025, 4, 15))])
    rectified = two.findings.order_by("pk").last()
    rectified.status, rectified.rectified_on = "rectified", D(2025, 4, 10)
    rectified.save()
    three = InspectionFactory(township=other_township, date=D(2025, 6, 1),
                              findings=[("甲", NOT_DUE), ("乙", NOT_DUE), ("丙", NOT_DUE)])
    clean = InspectionFactory(township=township, date=D(2025, 8, 1), findings=None)
    InspectionFactory(township=TownshipFactory(), date=D(2025, 8, 1))  # another county's
    return {"two": two.pk, "three": three.pk, "clean": clean.pk}


def listing(client, **query):
    response = client.get(reverse("supervision:inspection_list"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_inspections_are_numbered_newest_first_with_the_counts_added_once(inspections, county_official, login):
    html = listing(login(county_official))
    two, three, clean = inspections["two"], inspections["three"], inspections["clean"]
    assert row_marks(html, "inspection") == [clean, three, three, three, two, two]
    assert numbers(html) == [1, 2, 3, 4, 5, 6] and "共6条" in html
    assert 'aria-sort="descending" data-sort="date"' in html
    # The counts stand on each inspection's first row; the 合计 adds each inspection once.
    assert cells(html, "findings") == ["0", "3", "—", "—", "2", "—", "5"]
    assert cells(html, "open") == ["0", "3", "—", "—", "1", "—", "4"]
    assert 'data-testid="total-row"' in html


@pytest.mark.parametrize(("sort", "order"), [
    ("findings", ["clean", "two", "two", "three", "three", "three"]),
    ("-findings", ["three", "three", "three", "two", "two", "clean"]),
    ("-open", ["three", "three", "three", "two", "two", "clean"]),
    ("open", ["clean", "two", "two", "three", "three", "three"]),
    ("township", ["clean", "two", "two", "three", "three", "three"]),  # by code; ties keep the newest first
    ("-township", ["three", "three", "three", "clean", "two", "two"]),
    ("date", ["two", "two", "three", "three", "three", "clean"]),
])
def test_inspections_sort_keeping_an_inspections_rows_together(inspections, county_official, login, sort, order):
    html = listing(login(county_official), **{"inspections-sort": sort})
    assert row_marks(html, "inspection") == [inspections[name] for name in order]
    assert numbers(html) == [1, 2, 3, 4, 5, 6]


def test_overdue_and_unrectified_findings_are_red(inspections, county_official, login):
    html = listing(login(county_official), **{"inspections-sort": "date"})
    rows = re.findall(r"<tr[ >].*?</tr>", html, re.S)[1:7]
    overdue, rectified = rows[0], rows[1]
    assert overdue.startswith('<tr class="table-danger"') and "逾期" in overdue
    assert 'data-column="deadline" data-failed' in overdue and 'data-column="open" data-failed' in overdue
    assert "table-danger" not in rectified and "data-failed" not in rectified and "已整改" in rectified
    not_due = rows[2]
    assert "table-danger" not in not_due and 'data-column="status" data-failed>待整改' in not_due
    assert 'data-column="deadline" data-failed' not in not_due
    assert "data-failed" not in rows[5]  # the clean inspection


def test_the_numbers_run_on_across_pages(township, county_official, login):
    InspectionFactory(township=township, findings=[(f"问题{n}", NOT_DUE) for n in range(52)])
    client = login(county_official)
    html = listing(client)
    assert numbers(html)[-1] == 50 and "共52条" in html and 'data-testid="pagination"' in html
    html = listing(client, **{"inspections-page": 2})
    assert numbers(html) == [51, 52]
    assert cells(html, "findings") == ["—", "—", "52"]  # the 合计 is every page's


def test_the_export_is_the_lists_rows_in_its_sort_at_both_addresses(inspections, county_official, login):
    client = login(county_official)
    query = {"inspections-sort": "-findings", "year": 2025}
    html = listing(client, **query)
    page_rows = cells(html, "finding")[:-1]  # the last is the 合计 row's
    for response in (client.get(reverse("supervision:inspection_list"), {**query, "export": "inspections"}),
                     client.get(reverse("supervision:inspection_export"), query)):
        sheet, columns, rows = sheet_of(response)
        *rows, total = rows
        assert [row[columns["发现问题"]] for row in rows] == page_rows
        assert [row[columns["序号"]] for row in rows] == [1, 2, 3, 4, 5, 6]
        assert (total[0], total[columns["问题数（项）"]], total[columns["未整改（项）"]]) == ("合计", 5, 4)
        assert sheet["A1"].value == "兰山区2025年度乡镇民政办督导检查情况表"
    # Filters hold in the file as on the page; filters that do not hold refuse the file at both addresses.
    _sheet, columns, rows = sheet_of(client.get(reverse("supervision:inspection_list"),
                                                {"status": "clean", "export": "inspections"}))
    assert [row[columns["发现问题"]] for row in rows[:-1]] == ["未发现问题"]
    assert client.get(reverse("supervision:inspection_list"), {"year": "abc", "export": "inspections"}
                      ).status_code == 404


def test_a_townships_list_marks_and_exports_its_own(inspections, township, clerk, login):
    client = login(clerk)
    url = reverse("supervision:township_inspections", args=[township.code])
    html = client.get(url, {"year": 2025}).content.decode()
    assert set(row_marks(html, "inspection")) == {inspections["two"], inspections["clean"]}
    assert 'data-sort="township"' not in html  # every row is the township's own
    assert cells(html, "findings")[-1] == "2"
    _sheet, columns, rows = sheet_of(client.get(url, {"year": 2025, "export": "inspections"}))
    assert "乡镇" not in columns and len(rows) == 4  # three rows and the 合计
    assert township.name in _sheet["A1"].value


def test_inspections_out_of_scope_are_not_found_nor_exported(inspections, township, other_county, login):
    url = reverse("supervision:township_inspections", args=[township.code])
    for stranger in (UserFactory(role="county", county=other_county),
                     UserFactory(role="township", township=TownshipFactory(county=township.county))):
        client = login(stranger)
        assert client.get(url).status_code == 404
        assert client.get(url, {"export": "inspections"}).status_code == 404
    # Another county's official lists and exports only its own county's inspections: none of these.
    client = login(UserFactory(role="county", county=other_county))
    assert row_marks(listing(client), "inspection") == []
    _sheet, columns, rows = sheet_of(client.get(reverse("supervision:inspection_export")))
    assert "问题数（项）" in columns and rows == []  # the headers, no rows, and no 合计 of zeros


def test_a_townships_inspections_page_query_count_does_not_grow(township, county_official, login,
                                                               django_assert_max_num_queries):
    client = login(county_official)
    url = reverse("supervision:township_inspections", args=[township.code]) + "?year=2025"
    InspectionFactory(township=township)
    fill_store()
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    for _ in range(5):
        InspectionFactory(township=township, findings=[("甲", D(2025, 6, 1)), ("乙", NOT_DUE)])
    fill_store()
    with django_assert_max_num_queries(len(few)):
        client.get(url)


# --- grades -----------------------------------------------------------------------------------------------------


@pytest.fixture
def graded(township):
    village = VillageFactory(township=township, name="东村村民委员会")
    people = {name: VillageAssistantFactory(village=village, name=name, start_date=D(2020, 1, 1))
              for name in ("甲", "乙", "丙", "丁")}
    for name, grade in (("甲", "competent"), ("乙", "incompetent"), ("丙", "excellent")):
        AssistantAssessmentFactory(assistant=people[name], year=2025, grade=grade)
    return people


def grades(client, township, **query):
    response = client.get(reverse("supervision:grades", args=[township.code]), {"year": 2025, **query})
    assert response.status_code == 200
    return response.content.decode()


def test_grades_sort_by_grade_and_red_for_incompetent(township, clerk, login, graded):
    client = login(clerk)
    html = grades(client, township, **{"grades-sort": "grade"})
    assert cells(html, "name") == ["丙", "甲", "乙", "丁"]  # 优秀, 称职, 不称职, then the ungraded
    assert numbers(html) == [1, 2, 3, 4]
    assert cells(html, "grade") == ["优秀", "称职", "不称职", "—"]
    assert 'data-column="grade" data-failed>不称职' in html and html.count('data-column="grade" data-failed') == 1
    html = grades(client, township, **{"grades-sort": "-grade"})
    assert cells(html, "name") == ["乙", "甲", "丙", "丁"]  # the ungraded stay last
    assert 'data-testid="total-row"' not in html  # nothing here adds up


def test_every_assistant_is_on_the_one_form_however_many(township, clerk, login):
    village = VillageFactory(township=township)
    people = [VillageAssistantFactory(village=village, start_date=D(2020, 1, 1)) for _ in range(52)]
    client = login(clerk)
    html = grades(client, township, **{"grades-sort": "-name"})
    assert numbers(html)[-1] == 52 and 'data-testid="pagination"' not in html
    assert all(f'name="grade_{person.pk}"' in html for person in people)
    token = re.search(r'name="form_token" value="([^"]*)"', html).group(1)
    version = re.search(r'name="read_version" value="([^"]*)"', html).group(1)
    data = {"year": 2025, "assessor": "镇考评小组", "assessed_on": "2026-01-10", "form_token": token,
            "read_version": version, **{f"grade_{person.pk}": "competent" for person in people}}
    url = reverse("supervision:grades", args=[township.code]) + "?year=2025&grades-sort=-name"
    assert client.post(url, data).status_code == 302
    assert AssistantAssessment.objects.filter(year=2025, grade="competent").count() == 52


def test_grades_export_is_the_lists_rows(township, county_official, login, graded):
    response = login(county_official).get(reverse("supervision:grades", args=[township.code]),
                                          {"year": 2025, "grades-sort": "grade", "export": "grades"})
    sheet, columns, rows = sheet_of(response)
    assert list(columns) == ["序号", "民政助理员", "村（社区）", "考评等次", "存在问题", "考评单位或考评人", "考评日期"]
    assert [row[columns["民政助理员"]] for row in rows] == ["丙", "甲", "乙", "丁"]
    assert rows[0][columns["考评日期"]] == "2025-12-20"
    assert "2025" in sheet["A1"].value and township.name in sheet["A1"].value


def test_grades_out_of_scope_are_not_found_nor_exported(township, login, graded):
    stranger = UserFactory(role="township", township=TownshipFactory(county=township.county))
    url = reverse("supervision:grades", args=[township.code])
    assert login(stranger).get(url).status_code == 404
    assert login(stranger).get(url, {"export": "grades"}).status_code == 404


# --- records ----------------------------------------------------------------------------------------------------


@pytest.fixture
def records(township):
    for year, score in ((2023, "88"), (2024, "92.5"), (2025, "90.25")):
        SatisfactionSurveyFactory(township=township, year=year, score=Decimal(score), sample_size=1200)
    ServiceContractFactory(township=township, provider="甲社工中心", amount=Decimal("120000"),
                           start_date=D(2025, 1, 1))
    ServiceContractFactory(township=township, provider="乙养老服务中心", amount=Decimal("3500.50"),
                           start_date=D(2024, 3, 1), end_date=D(2024, 12, 31))


def records_page(client, township, **query):
    response = client.get(reverse("supervision:township_records", args=[township.code]), query)
    assert response.status_code == 200
    return response.content.decode()


def test_records_sort_and_add_up_the_amounts(township, clerk, login, records):
    client = login(clerk)
    html = records_page(client, township)
    assert cells(html, "year") == ["2025", "2024", "2023"]  # newest first
    assert cells(html, "score") == ["90.25", "92.50", "88.00"] and cells(html, "sample_size")[0] == "1,200"
    assert cells(html, "provider") == ["甲社工中心", "乙养老服务中心"]
    assert cells(html, "amount") == ["120,000.00", "3,500.50", "123,500.50"]  # the last is the 合计
    html = records_page(client, township, **{"surveys-sort": "score", "contracts-sort": "amount"})
    assert cells(html, "year") == ["2023", "2025", "2024"]
    assert cells(html, "provider") == ["乙养老服务中心", "甲社工中心"]


def test_records_export_each_list(township, county_official, login, records):
    client = login(county_official)
    url = reverse("supervision:township_records", args=[township.code])
    _sheet, columns, rows = sheet_of(client.get(url, {"export": "contracts", "contracts-sort": "amount"}))
    assert [row[columns["承接机构"]] for row in rows[:-1]] == ["乙养老服务中心", "甲社工中心"]
    assert rows[-1][0] == "合计"
    assert Decimal(str(rows[-1][columns["金额（元）"]])) == Decimal("123500.50")
    _sheet, columns, rows = sheet_of(client.get(url, {"export": "surveys"}))
    assert [row[columns["年度"]] for row in rows] == ["2025", "2024", "2023"]
    assert [Decimal(str(row[columns["满意度得分（分）"]])) for row in rows] == [
        Decimal("90.25"), Decimal("92.5"), Decimal("88")]


def test_records_out_of_scope_are_not_found_nor_exported(township, other_county, login, records):
    url = reverse("supervision:township_records", args=[township.code])
    client = login(UserFactory(role="county", county=other_county))
    for query in ({}, {"export": "contracts"}, {"export": "surveys"}):
        assert client.get(url, query).status_code == 404


def test_records_page_query_count_does_not_grow(township, clerk, login, django_assert_max_num_queries):
    client = login(clerk)
    url = reverse("supervision:township_records", args=[township.code]) + "?year=2025"
    ServiceContractFactory(township=township)
    SatisfactionSurveyFactory(township=township, year=2025)
    fill_store()
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    for year in range(2015, 2025):
        SatisfactionSurveyFactory(township=township, year=year)
        ServiceContractFactory(township=township, start_date=D(year, 1, 1), end_date=D(year, 12, 31))
    fill_store()
    with django_assert_max_num_queries(len(few)):
        client.get(url)
