"""The circulars list as an offices.tables list: 序号, sorting, the same rows as a file, scope, fixed queries."""
import re
from datetime import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.models import Circular
from offices.workbooks import read_table
from tests.factories.offices import CityFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("assessments:circular_list")


def cells(html, column):
    return [re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(rf'data-column="{column}"[^>]*>(.*?)</td>', html, re.S)]


def circular(city, year, title, *, published=None, reference=""):
    fields = {}
    if published:
        at = timezone.make_aware(datetime(*published))
        fields = {"state": Circular.State.PUBLISHED, "snapshot": {"counties": []}, "published_at": at,
                  "snapshot_taken_at": at}
    return Circular.objects.create(city=city, year=year, title=title, reference=reference, **fields)


@pytest.fixture
def listed(city):
    return [
        circular(city, 2024, "2024年度通报", published=(2025, 2, 10, 9, 30), reference="临民字〔2025〕3号"),
        circular(city, 2025, "2025年度通报草稿"),
        circular(city, 2023, "2023年度通报", published=(2024, 3, 1, 15, 0)),
    ]


def test_the_city_sees_every_circular_numbered_newest_year_first(city_staff, login, listed):
    html = login(city_staff).get(URL).content.decode()
    assert re.findall(r"data-row-number>(\d+)<", html) == ["1", "2", "3"]
    assert cells(html, "title") == ["2025年度通报草稿", "2024年度通报", "2023年度通报"]
    assert cells(html, "state") == ["草稿", "已发布", "已发布"]
    assert cells(html, "reference") == ["—", "临民字〔2025〕3号", "—"]
    assert cells(html, "published_at") == ["—", "2025-02-10 09:30", "2024-03-01 15:00"]
    assert f'href="{reverse("assessments:circular_detail", args=[listed[0].pk])}"' in html
    assert 'data-testid="circular-list"' in html and 'data-testid="export"' in html and "共3条" in html
    assert "起草通报" in html


@pytest.mark.parametrize(("sort", "order"), [
    ("year", ["2023年度通报", "2024年度通报", "2025年度通报草稿"]),
    ("-published_at", ["2024年度通报", "2023年度通报", "2025年度通报草稿"]),  # the draft: no date, last
    ("state", ["2025年度通报草稿", "2024年度通报", "2023年度通报"]),  # draft, then published (newest year first)
])
def test_sorting(city_staff, login, listed, sort, order):
    html = login(city_staff).get(URL, {"circulars-sort": sort}).content.decode()
    assert cells(html, "title") == order


def test_the_export_is_the_lists_rows(city_staff, login, listed):
    response = login(city_staff).get(URL, {"circulars-sort": "year", "export": "circulars"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    keys, data = read_table(load_workbook(BytesIO(response.content)).active)
    assert list(keys) == ["序号", "标题", "文号", "年度", "状态", "发布时间"]
    assert [row[1:] for row in data] == [
        ["2023年度通报", None, "2023", "已发布", "2024-03-01 15:00"],
        ["2024年度通报", "临民字〔2025〕3号", "2024", "已发布", "2025-02-10 09:30"],
        ["2025年度通报草稿", None, "2025", "草稿", None],
    ]


def test_scope_counties_see_the_published_only_others_nothing(city, county_official, clerk, login, listed):
    html = login(county_official).get(URL).content.decode()
    assert cells(html, "title") == ["2024年度通报", "2023年度通报"] and "起草通报" not in html
    _keys, data = read_table(load_workbook(BytesIO(login(county_official).get(
        URL, {"export": "circulars"}).content)).active)
    assert [row[1] for row in data] == ["2024年度通报", "2023年度通报"]
    stranger = UserFactory(role="city", city=CityFactory(code="371400000000"))
    assert "暂无通报" in login(stranger).get(URL).content.decode()
    _keys, data = read_table(load_workbook(BytesIO(login(stranger).get(URL, {"export": "circulars"}).content)).active)
    assert data == []
    for query in ({}, {"export": "circulars"}):
        assert login(clerk).get(URL, query).status_code == 403


def test_queries_do_not_grow_with_rows(city, city_staff, login, listed, django_assert_max_num_queries):
    client = login(city_staff)
    client.get(URL)
    with django_assert_max_num_queries(10) as few:
        client.get(URL)
    for year in range(2010, 2020):
        circular(city, year, f"{year}年度通报", published=(year + 1, 1, 5, 8, 0))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(URL, {"circulars-sort": "-published_at"}).status_code == 200
