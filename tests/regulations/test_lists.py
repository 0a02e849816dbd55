"""The regulations page's two lists as offices.tables lists: 序号, sorting, red for a missing required kind, the same
rows as a file, scope (export included), and a query count that does not grow with the documents.

Given a county standard that requires three kinds, when the clerk or an official opens, sorts or exports the
regulations in force and the retired ones, then a required kind lacking at the year's end is a red row, the
file holds the page's rows in the page's order, and a township out of scope is not found.
"""
import datetime
import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from offices.workbooks import read_table
from regulations import services
from tests.factories.offices import StandardFactory, TownshipFactory, UserFactory
from tests.factories.regulations import PDF_BYTES, RegulationDocumentFactory
from tests.store import fill_store

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def documents(township):
    """Finance, procedures and archives required; procedures adopted twice, finance only in 2025, a time limit
    rule adopted though not required, and an archives rule replaced by a new version."""
    StandardFactory(jurisdiction_code=township.code[:6], jurisdiction_name="兰山区",
                    required_regulations=["finance", "procedures", "archives"])
    RegulationDocumentFactory(township=township, kind="procedures", title="办事程序（2018年版）",
                              adopted_on=D(2018, 5, 1))
    RegulationDocumentFactory(township=township, kind="procedures", title="办事程序（2022年版）",
                              adopted_on=D(2022, 5, 1))
    RegulationDocumentFactory(township=township, kind="finance", title="财务收支制度", adopted_on=D(2025, 3, 1))
    RegulationDocumentFactory(township=township, kind="time_limit", title="限时办结制度", adopted_on=D(2021, 1, 1))
    old = RegulationDocumentFactory(township=township, kind="archives", title="档案制度（旧）", adopted_on=D(2019, 1, 1))
    services.regulation_replace(document=old, title="档案制度（新）", adopted_on=D(2023, 7, 1),
                                file=SimpleUploadedFile("档案.pdf", PDF_BYTES))
    retired = RegulationDocumentFactory(township=township, kind="time_limit", title="限时办结（试行）",
                                        adopted_on=D(2019, 3, 1))
    services.regulation_retire(document=retired, retired_on=D(2020, 12, 31), reason="试行期满")


def cells(html, column, table):
    """The texts of a column's cells in one of the page's tables."""
    start = html.index(f'data-table="{table}"')
    part = html[start:html.index("</table>", start)]
    return [re.sub(r"<[^>]+>", "", text) for text in re.findall(rf'data-column="{column}"[^>]*>(.*?)</td>', part)]


def page(client, township, **query):
    response = client.get(reverse("regulations:list", args=[township.code]), {"year": 2024, **query})
    assert response.status_code == 200
    return response.content.decode()


def test_the_regulations_in_force_are_numbered_in_the_standards_order_and_missing_ones_red(
    township, clerk, login, documents
):
    html = page(login(clerk), township)
    assert cells(html, "kind", "regulations") == ["财务收支", "财务收支", "办事程序", "办事程序", "档案管理", "限时办结"]
    assert cells(html, "title", "regulations") == [
        "财务收支制度", "缺（截至2024年底未印发）", "办事程序（2022年版）", "办事程序（2018年版）", "档案制度（新）",
        "限时办结制度"]
    assert cells(html, "required", "regulations") == ["是", "是", "是", "是", "是", "否"]
    numbers = re.findall(r"data-row-number>(\d+)<", html[:html.index('id="retired-regulations"')])
    assert numbers == ["1", "2", "3", "4", "5", "6"] and "共6条" in html
    missing = re.findall(r'<tr class="table-danger" data-kind="(\w+)" data-required="1" data-missing="1">(.*?)</tr>',
                         html, re.S)
    assert [kind for kind, _row in missing] == ["finance"]
    assert 'data-column="title" data-failed>缺（截至2024年底未印发）' in missing[0][1]
    assert html.count("data-failed") == 2  # the missing row's kind and text, nothing else
    # The clerk uploads the missing one from its row; in 2025 finance is there and nothing is red.
    assert f'{reverse("regulations:add", args=[township.code])}?kind=finance' in missing[0][1]
    assert "data-failed" not in page(login(clerk), township, year=2025)


def test_the_regulations_sort_and_the_retired_ones_too(township, county_official, login, documents):
    client = login(county_official)
    html = page(client, township, **{"regulations-sort": "-adopted_on", "retired-sort": "retired_on"})
    # Newest adoption first; the missing row has no date and goes last.
    assert cells(html, "title", "regulations") == [
        "财务收支制度", "档案制度（新）", "办事程序（2022年版）", "限时办结制度", "办事程序（2018年版）",
        "缺（截至2024年底未印发）"]
    assert cells(html, "title", "retired") == ["限时办结（试行）", "档案制度（旧）"]
    assert cells(html, "replacement", "retired") == ["—", "“档案制度（新）”（2023-07-01）"]
    assert cells(html, "status", "retired") == ["已废止", "被替代"]
    html = page(client, township, **{"retired-sort": "-retired_on"})
    assert cells(html, "title", "retired") == ["档案制度（旧）", "限时办结（试行）"]
    assert 'aria-sort="descending" data-sort="retired_on"' in html
    assert "替换" not in html and "废止</a>" not in html  # an official reads only


def test_each_list_exports_its_rows_in_its_sort(township, county_official, login, documents):
    client = login(county_official)
    url = reverse("regulations:list", args=[township.code])
    html = page(client, township, **{"regulations-sort": "title"})
    response = client.get(url, {"year": 2024, "regulations-sort": "title", "export": "regulations"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    columns, rows = read_table(sheet)
    assert list(columns) == ["序号", "制度类别", "标准要求", "制度名称", "印发日期", "上传时间", "文件"]
    assert [row[columns["制度名称"]] for row in rows] == cells(html, "title", "regulations")
    assert [row[columns["序号"]] for row in rows] == [1, 2, 3, 4, 5, 6]
    assert township.name in sheet["A1"].value and "年度：2024" in [cell.value for cell in sheet[2]]
    response = client.get(url, {"export": "retired"})
    columns, rows = read_table(load_workbook(BytesIO(response.content)).active)
    assert [row[columns["制度名称"]] for row in rows] == ["档案制度（旧）", "限时办结（试行）"]  # latest retired first
    assert [row[columns["废止原因"]] for row in rows] == [None, "试行期满"]


def test_regulations_out_of_scope_are_not_found_nor_exported(township, other_county, login, documents):
    url = reverse("regulations:list", args=[township.code])
    for stranger in (UserFactory(role="county", county=other_county),
                     UserFactory(role="township", township=TownshipFactory(county=township.county))):
        client = login(stranger)
        for query in ({}, {"export": "regulations"}, {"export": "retired"}):
            assert client.get(url, query).status_code == 404


def test_the_page_query_count_does_not_grow_with_documents(township, clerk, login, documents,
                                                           django_assert_max_num_queries):
    client = login(clerk)
    url = reverse("regulations:list", args=[township.code]) + "?year=2025"
    fill_store()
    with django_assert_max_num_queries(13) as few:
        client.get(url)
    for year in range(2010, 2018):
        document = RegulationDocumentFactory(township=township, kind="first_inquiry", adopted_on=D(year, 1, 1))
        services.regulation_retire(document=document, retired_on=D(year, 6, 1), reason="试行期满")
        RegulationDocumentFactory(township=township, kind="finance", adopted_on=D(year, 2, 1))
    fill_store()
    with django_assert_max_num_queries(len(few)):
        client.get(url)
