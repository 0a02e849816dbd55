"""The 变更记录 page: every change of a township-year with who, where, before and after; filters; export."""
import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from offices import services
from offices.acting import acting_as
from offices.models import Population, TownshipOffice
from offices.workbooks import read_table
from tests.factories.offices import UserFactory

pytestmark = pytest.mark.django_db


def history_url(township, **query):
    from urllib.parse import urlencode

    url = reverse("offices:history", args=[township.code])
    return f"{url}?{urlencode(query)}" if query else url


@pytest.fixture
def changes(township, clerk):
    """Given: the clerk enters a population and corrects it, and sets up the office, from two addresses."""
    clerk.last_name = "王芳"  # as the demo names its users: the whole name in last_name
    clerk.save()
    with acting_as(clerk, "10.0.0.7"):
        services.population_set(township=township, year=2025, resident=50_000, registered=48_000)
        services.population_set(township=township, year=2025, resident=52_000, registered=48_000)
    with acting_as(clerk, "10.0.0.8"):
        services.office_update(township=township, name="兰山街道民政办公室", setup="standalone", phone="0539-1")
    return clerk


def test_the_page_lists_each_change_newest_first_with_before_and_after(login, township, changes):
    response = login(changes).get(history_url(township, year=2025))
    assert response.status_code == 200
    entries = list(response.context["page"].object_list)
    assert [(e.label, e.action) for e in entries] == [("民政办公室", "新增"), ("人口", "修改"), ("人口", "新增")]
    correction = entries[1]
    assert correction.who == "王芳"
    assert correction.address == "10.0.0.7"
    assert correction.record == "兰山街道 2025"
    assert correction.changes == [("常住人口", "50,000", "52,000")]
    created_office = entries[0]
    assert ("设置方式", "", "独立设置的民政办公室") in created_office.changes  # choices shown by their label
    html = response.content.decode()
    assert "共3条" in html and "常住人口：50,000 → 52,000" in html


def test_filters_by_person_date_and_record_type(login, township, changes):
    client = login(changes)
    with acting_as(None):  # the system (a maintenance command) changes the office too
        services.office_update(township=township, name="兰山街道民政办", setup="standalone")
    people = dict(client.get(history_url(township, year=2025)).context["form"].fields["person"].choices)
    assert people[str(changes.pk)] == "王芳" and people["system"] == "系统"

    def labels(**query):
        response = client.get(history_url(township, year=2025, **query))
        return [(e.label, e.who) for e in response.context["page"].object_list]

    assert labels(person="system") == [("民政办公室", "系统")]
    assert labels(person=changes.pk, type="offices.townshipoffice") == [("民政办公室", "王芳")]
    assert len(labels(type="offices.population")) == 2
    today = timezone.localdate()
    assert len(labels(date_from=today.isoformat(), date_to=today.isoformat())) == 4
    assert labels(date_to=(today - timedelta(days=1)).isoformat()) == []
    bad = client.get(history_url(township, year=2025, date_from=today.isoformat(),
                                 date_to=(today - timedelta(days=2)).isoformat()))
    assert "截止日期不能早于起始日期。" in bad.content.decode()


def test_a_record_link_shows_that_record_only(login, township, changes):
    office = TownshipOffice.objects.get(township=township)
    response = login(changes).get(history_url(township, record=f"offices.townshipoffice:{office.pk}"))
    assert [e.label for e in response.context["page"].object_list] == ["民政办公室"]
    form_page = login(changes).get(reverse("offices:office_edit", args=[township.code]))
    assert f"record=offices.townshipoffice:{office.pk}" in form_page.content.decode()
    assert reverse("offices:history", args=[township.code]) in login(changes).get(
        reverse("offices:township", args=[township.code])).content.decode()
    assert "type=offices.population" in login(changes).get(
        reverse("offices:population_edit", args=[township.code])).content.decode()


def test_a_deleted_record_keeps_its_history(login, township, changes):
    population = Population.objects.get(township=township, year=2025)
    with acting_as(changes, "10.0.0.9"):
        population.delete()  # no service deletes a population: this tests the history itself
    response = login(changes).get(history_url(township, year=2025, type="offices.population"))
    entries = list(response.context["page"].object_list)
    assert [e.action for e in entries] == ["删除", "修改", "新增"]
    assert entries[0].address == "10.0.0.9"
    assert ("常住人口", "52,000", "") in entries[0].changes


def test_out_of_scope_is_404_and_every_role_in_scope_may_read(login, township, other_county, changes, county_official,
                                                               city_staff):
    outsider = UserFactory(role="county", county=other_county)
    assert login(outsider).get(history_url(township)).status_code == 404
    assert login(county_official).get(history_url(township, year=2025)).status_code == 200
    assert login(city_staff).get(history_url(township, year=2025)).status_code == 200


def test_the_query_count_does_not_grow_with_the_rows(login, township, clerk, django_assert_max_num_queries):
    with acting_as(clerk, "10.0.0.7"):
        services.population_set(township=township, year=2024, resident=40_000, registered=40_000)
        services.population_set(township=township, year=2024, resident=41_000, registered=40_000)
        for phone in range(60):
            services.office_update(township=township, name="兰山街道民政办公室", setup="standalone", phone=str(phone))
    client = login(clerk)
    client.get(history_url(township, year=2024))  # warm the session
    # The township, the years, the people, the count, the page's keys, two per table shown; the session and user.
    with django_assert_max_num_queries(16):
        response = client.get(history_url(township, year=2024, page=2))
    page = response.context["page"]
    assert page.paginator.count == 62 and len(page.object_list) == 12
    assert [e.label for e in page.object_list][-2:] == ["人口", "人口"]
    dates = [e.at for e in page.object_list]
    assert dates == sorted(dates, reverse=True)
    with django_assert_max_num_queries(16):
        client.get(history_url(township, year=2024, page=1))


def test_pages_hold_fifty_rows(login, township, clerk):
    with acting_as(clerk):
        for phone in range(55):
            services.office_update(township=township, name="兰山街道民政办公室", setup="standalone", phone=str(phone))
    client = login(clerk)
    first = client.get(history_url(township))
    assert len(first.context["page"].object_list) == 50
    assert "共55条" in first.content.decode()
    second = client.get(history_url(township), {"page": 2}).content.decode()
    assert re.findall(r"data-row-number>(\d+)<", second) == [str(n) for n in range(51, 56)]  # 序号 goes on


def test_the_export_writes_the_rows_as_text(login, township, clerk):
    with acting_as(clerk, "10.0.0.7"):
        services.office_update(township=township, name="=HYPERLINK(\"http://x\")", setup="standalone")
        services.population_set(township=township, year=2025, resident=50_000, registered=48_000)
    response = login(clerk).get(reverse("offices:history_export", args=[township.code]) + "?year=2025")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    keys, rows = read_table(sheet)
    assert len(rows) == 2
    office_row = next(r for r in rows if r[keys["记录类型"]] == "民政办公室")
    assert office_row[keys["记录"]] == "=HYPERLINK(\"http://x\")"
    assert office_row[keys["操作人"]] and office_row[keys["来源地址"]] == "10.0.0.7"
    for row in sheet.iter_rows():
        for c in row:
            assert c.data_type != "f"  # never a formula
