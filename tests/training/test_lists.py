"""The training lists as offices.tables lists (issue 13 point 5): the sessions, a session's attendees, the plan's
lists and a township's record — 序号, 共N条, sorting, 合计, red for 未达标 / 待培训, and the same rows as a file."""
import datetime
import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from offices.workbooks import read_table
from tests.factories.offices import PopulationFactory, TownshipFactory, VillageFactory
from tests.factories.staffing import StaffMemberFactory, VillageAssistantFactory
from tests.factories.training import AttendanceFactory, TrainingSessionFactory
from tests.store import fill_store

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = 2025


def _table(html, table):
    if table is not None:
        html = html[html.index(f'data-table="{table}"'):]
        html = html[:html.index("</table>")]
    return html


def _texts(html, column):
    return re.findall(rf'data-column="{re.escape(column)}"[^>]*>(?:<a [^>]*>)?([^<]*)<', html)


def cells(html, column, table=None):
    """The texts of a column's cells in the list's rows (not the 合计 row), of one list when `table` is given."""
    return _texts(re.sub(r"<tfoot.*?</tfoot>", "", _table(html, table), flags=re.S), column)


def total(html, column, table=None):
    """The 合计 row's text under a column."""
    (found,) = _texts("".join(re.findall(r"<tfoot.*?</tfoot>", _table(html, table), flags=re.S)), column)
    return found


def failed(html, column):
    """The texts of a column's red cells."""
    return re.findall(rf'data-column="{re.escape(column)}" data-failed>([^<]*)<', html)


def numbers(html):
    return [int(n) for n in re.findall(r"data-row-number>(\d+)<", html)]


def sheet_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment")
    return load_workbook(BytesIO(response.content)).active


def staff(township, n, **kwargs):
    return [StaffMemberFactory(township=township, **kwargs) for _ in range(n)]


# --- the sessions list ------------------------------------------------------------------------------------------


@pytest.fixture
def sessions(county, other_county, township, other_township):
    """Three 2025 sessions the county sees (3, 1 and 0 attendees), one of 2024 and one of another county."""
    by_county = TrainingSessionFactory(county=county, date=D(YEAR, 3, 1), topic="甲县级培训")
    by_township = TrainingSessionFactory(by_township=True, township=other_township, date=D(YEAR, 5, 1),
                                         topic="乙乡镇培训")
    TrainingSessionFactory(by_city=True, city=county.city, date=D(YEAR, 4, 1), topic="丙市级培训")
    TrainingSessionFactory(county=county, date=D(2024, 6, 1), topic="去年培训")
    TrainingSessionFactory(county=other_county, date=D(YEAR, 6, 1), topic="外县培训")
    for person in staff(township, 3):
        AttendanceFactory(session=by_county, staff_member=person)
    AttendanceFactory(session=by_township, assistant=VillageAssistantFactory(village=VillageFactory(
        township=other_township)))


def test_session_list_numbers_sorts_and_totals_the_attendance(county_official, login, sessions):
    client = login(county_official)
    url = reverse("training:session_list")
    html = client.get(url, {"year": YEAR}).content.decode()
    assert numbers(html) == [1, 2, 3] and "共3条" in html
    assert cells(html, "topic") == ["乙乡镇培训", "丙市级培训", "甲县级培训"]  # newest first
    assert 'aria-sort="descending" data-sort="date"' in html
    assert cells(html, "attendee_count") == ["1", "0", "3"] and total(html, "attendee_count") == "4"  # 人次
    assert 'data-testid="total-row"' in html and "参训人数（人次）" in html
    # The year filter is kept by the sort links and the export.
    assert 'href="?year=2025&amp;sessions-sort=attendee_count#sessions"' in html
    assert 'href="?year=2025&amp;export=sessions"' in html
    html = client.get(url, {"year": YEAR, "sessions-sort": "attendee_count"}).content.decode()
    assert cells(html, "topic") == ["丙市级培训", "乙乡镇培训", "甲县级培训"]
    html = client.get(url, {"year": YEAR, "sessions-sort": "-attendee_count"}).content.decode()
    assert cells(html, "topic") == ["甲县级培训", "乙乡镇培训", "丙市级培训"]
    html = client.get(url, {"year": YEAR, "sessions-sort": "organiser"}).content.decode()
    assert cells(html, "organiser") == sorted(cells(html, "organiser")) == ["临沂市", "兰山区", "白沙埠镇"]
    html = client.get(url, {"year": "all", "sessions-sort": "level"}).content.decode()
    assert cells(html, "level") == ["市级", "县级", "县级", "乡镇级"] and "去年培训" in html
    assert "外县培训" not in html


def test_session_list_export_is_the_lists_rows_in_its_sort(county_official, login, sessions):
    response = login(county_official).get(reverse("training:session_list"),
                                          {"year": YEAR, "sessions-sort": "-attendee_count", "export": "sessions"})
    sheet = sheet_of(response)
    keys, rows = read_table(sheet)
    assert list(keys) == ["序号", "培训主题", "培训日期", "组织层级", "组织单位", "培训对象", "学时", "参训人数（人次）"]
    assert [row[keys["培训主题"]] for row in rows[:-1]] == ["甲县级培训", "乙乡镇培训", "丙市级培训"]
    assert [row[0] for row in rows[:-1]] == [1, 2, 3]
    assert rows[-1][0] == "合计" and rows[-1][keys["参训人数（人次）"]] == 4
    assert "2025" in sheet["A1"].value and "兰山区" in " ".join(str(c.value) for c in sheet[2] if c.value)


def test_session_list_and_export_are_scoped(township, clerk, login, sessions):
    """The clerk sees its own township's sessions and those its people attended, in the page and the file."""
    client = login(clerk)
    url = reverse("training:session_list")
    html = client.get(url, {"year": YEAR}).content.decode()
    assert cells(html, "topic") == ["甲县级培训"]
    _keys, rows = read_table(sheet_of(client.get(url, {"year": YEAR, "export": "sessions"})))
    assert [row[1] for row in rows[:-1]] == ["甲县级培训"]


def test_session_list_pages_keep_numbering_and_queries(county, county_official, login,
                                                       django_assert_max_num_queries):
    client = login(county_official)
    url = reverse("training:session_list")
    TrainingSessionFactory(county=county)
    with django_assert_max_num_queries(12) as few:
        client.get(url, {"year": YEAR})
    for day in range(1, 53):
        session = TrainingSessionFactory(county=county, date=D(YEAR, 1, 1) + datetime.timedelta(days=day))
        AttendanceFactory(session=session, staff_member=StaffMemberFactory(
            township=TownshipFactory(county=county)))
    with django_assert_max_num_queries(len(few)):
        html = client.get(url, {"year": YEAR, "sessions-page": 2}).content.decode()
    assert numbers(html) == [51, 52, 53] and "共53条" in html and "第2/2页" in html
    assert total(html, "attendee_count") == "52"  # the 合计 is of every page


# --- a session's attendees --------------------------------------------------------------------------------------


@pytest.fixture
def city_session(county, other_county, township, other_township):
    session = TrainingSessionFactory(by_city=True, city=county.city, date=D(YEAR, 4, 1), topic="主任培训")
    for name, place in (("乙主任", township), ("甲主任", other_township), ("丙主任", township),
                        ("外县主任", TownshipFactory(county=other_county))):
        AttendanceFactory(session=session, staff_member=StaffMemberFactory(township=place, director=True, name=name))
    return session


def test_session_attendees_list_sorts_and_exports_what_the_user_may_see(county_official, login, city_session):
    client = login(county_official)
    url = reverse("training:session_detail", args=[city_session.pk])
    html = client.get(url).content.decode()
    assert numbers(html) == [1, 2, 3] and "共3条" in html
    assert cells(html, "name") == ["丙主任", "乙主任", "甲主任"]  # by township, then name
    assert cells(html, "township") == ["兰山街道", "兰山街道", "白沙埠镇"]
    html = client.get(url, {"attendances-sort": "-township"}).content.decode()
    assert cells(html, "name")[0] == "甲主任"
    response = client.get(url, {"attendances-sort": "-township", "export": "attendances"})
    keys, rows = read_table(sheet_of(response))
    assert list(keys) == ["序号", "姓名", "身份", "所在乡镇", "到岗日期"]
    assert [row[1] for row in rows] == ["甲主任", "丙主任", "乙主任"]  # no 合计; nobody of the other county
    assert "外县主任" not in html


def test_session_attendees_export_is_scoped(other_county, county_official, login):
    session = TrainingSessionFactory(county=other_county)
    url = reverse("training:session_detail", args=[session.pk])
    assert login(county_official).get(url, {"export": "attendances"}).status_code == 404


def test_session_attendees_queries_do_not_grow(county, township, county_official, login,
                                               django_assert_max_num_queries):
    session = TrainingSessionFactory(county=county)
    AttendanceFactory(session=session, staff_member=StaffMemberFactory(township=township))
    client = login(county_official)
    url = reverse("training:session_detail", args=[session.pk])
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    village = VillageFactory(township=township)
    for _ in range(8):
        AttendanceFactory(session=session, assistant=VillageAssistantFactory(village=village))
        AttendanceFactory(session=session, staff_member=StaffMemberFactory(township=township))
    with django_assert_max_num_queries(len(few)):
        html = client.get(url).content.decode()
    assert "共17条" in html and "民政助理员（" in html


# --- the county plan --------------------------------------------------------------------------------------------


@pytest.fixture
def plan(county, township, other_township):
    """The default standard (3-year rotation): in 兰山街道 乙 and 戊 never trained, 丁 trained in 2022 and again
    in March 2025; a director and an assistant never trained; in 白沙埠镇 己 never trained."""
    for place in (township, other_township):
        PopulationFactory(township=place, year=YEAR)
    StaffMemberFactory(township=township, director=True, name="主任甲", start_date=D(2020, 3, 1))
    StaffMemberFactory(township=township, name="乙", start_date=D(2019, 3, 1))
    StaffMemberFactory(township=township, name="戊", start_date=D(2017, 3, 1))
    fourth = StaffMemberFactory(township=township, name="丁", start_date=D(2018, 3, 1))
    VillageAssistantFactory(village=VillageFactory(township=township, name="东村村民委员会"), name="丙",
                            start_date=D(2021, 1, 10))
    StaffMemberFactory(township=other_township, name="己", start_date=D(2016, 3, 1))
    for day in (D(2022, 5, 1), D(YEAR, 3, 1)):
        AttendanceFactory(session=TrainingSessionFactory(county=county, date=day), staff_member=fourth)
    fill_store()


def test_plan_lists_number_sort_and_mark_who_is_still_to_be_trained(county, county_official, login, plan):
    client = login(county_official)
    url = reverse("training:plan", args=[county.code])
    html = client.get(url, {"year": YEAR}).content.decode()
    county_list = html[html.index('data-plan-level="county"'):html.index('data-plan-level="township"')]
    assert numbers(county_list) == [1, 2, 3, 4] and "共4条" in county_list
    assert sorted(cells(county_list, "name")) == sorted(["乙", "戊", "丁", "己"])
    assert sorted(failed(county_list, "this_year")) == ["待培训"] * 3  # 丁 was trained in March
    assert "已培训（2025-03-01）" in cells(county_list, "this_year")
    assert failed(county_list, "last") == ["从未参加培训"] * 3
    assert len(re.findall(r'data-pending="yes"', county_list)) == 3
    html = client.get(url, {"year": YEAR, "plan-county-sort": "start_date"}).content.decode()
    assert cells(html, "name", "plan-county") == ["己", "戊", "丁", "乙"]
    html = client.get(url, {"year": YEAR, "plan-county-sort": "-start_date"}).content.decode()
    assert cells(html, "name", "plan-county") == ["乙", "丁", "戊", "己"]
    assert 'href="?year=2025&amp;plan-county-sort=start_date#plan-county"' in html  # the year is kept
    # Sorting one list leaves the others in their own order.
    assert 'aria-sort="none" data-sort="start_date"><a class="link-body-emphasis text-decoration-none" ' \
           'href="?year=2025&amp;plan-county-sort=-start_date&amp;plan-city-sort=start_date#plan-city"' in html
    # The 登记培训班 of the list still ticks its pending people, and the plan's own workbook is still offered.
    assert 'data-testid="start-session"' in html and 'data-testid="plan-export"' in html


def test_plan_coverage_list_totals_and_marks_townships_short_of_the_rotation(county, township, other_township,
                                                                            county_official, login, plan):
    html = login(county_official).get(reverse("training:plan", args=[county.code]), {"year": YEAR}).content.decode()
    assert cells(html, "township", "coverage") == [township.name, other_township.name]
    assert cells(html, "total", "coverage") == ["5", "1"] and total(html, "total", "coverage") == "6"
    assert cells(html, "covered", "coverage") == ["1", "0"] and total(html, "covered", "coverage") == "1"
    assert cells(html, "coverage", "coverage") == ["20.0%", "0.0%"]
    assert total(html, "coverage", "coverage") == ""  # a rate is not added up
    assert cells(html, "pending", "coverage") == ["4", "1"] and total(html, "pending", "coverage") == "5"
    assert failed(html, "coverage") == ["20.0%", "0.0%"]


def test_plan_list_export_is_the_lists_rows(county, county_official, login, plan):
    response = login(county_official).get(reverse("training:plan", args=[county.code]),
                                          {"year": YEAR, "plan-county-sort": "name", "export": "plan-county"})
    sheet = sheet_of(response)
    keys, rows = read_table(sheet)
    assert list(keys) == ["序号", "乡镇（街道）", "姓名", "身份", "到岗日期", "上次培训", "本年培训"]
    assert [row[keys["姓名"]] for row in rows] == sorted(["乙", "戊", "丁", "己"])
    assert {row[keys["姓名"]]: row[keys["本年培训"]] for row in rows}["丁"] == "已培训（2025-03-01）"
    assert sheet["A1"].value == "兰山区2025年度由县级培训人员"
    assert "填报单位：兰山区民政局" in " ".join(str(c.value) for c in sheet[2] if c.value)
    response = login(county_official).get(reverse("training:plan", args=[county.code]),
                                          {"year": YEAR, "export": "coverage"})
    keys, rows = read_table(sheet_of(response))
    assert rows[-1][0] == "合计" and rows[-1][keys["年末在岗（人）"]] == 6


def test_plan_list_export_is_scoped(other_county, county_official, clerk, county, login):
    url = reverse("training:plan", args=[other_county.code])
    assert login(county_official).get(url, {"export": "plan-county"}).status_code == 404
    assert login(clerk).get(reverse("training:plan", args=[county.code]), {"export": "coverage"}).status_code == 403


# --- a township's record ----------------------------------------------------------------------------------------


def test_township_record_marks_sorts_and_exports(township, clerk, login, plan):
    client = login(clerk)
    url = reverse("training:township", args=[township.code])
    html = client.get(url, {"year": YEAR}).content.decode()
    assert numbers(html) == [1, 2, 3, 4, 5] and "共5条" in html
    assert sorted(failed(html, "training.rotation")) == ["未达标"] * 4  # only 丁 is in rotation
    assert failed(html, "trainings") == ["无"] * 4
    assert re.findall(r'<tr data-person="([^"]+)">', html)[:1] == ["主任甲"]
    html = client.get(url, {"year": YEAR, "people-sort": "-training.rotation"}).content.decode()
    assert cells(html, "training.rotation") == ["达标"] + ["未达标"] * 4
    assert cells(html, "name")[0] == "丁"
    response = client.get(url, {"year": YEAR, "people-sort": "-training.rotation", "export": "people"})
    sheet = sheet_of(response)
    keys, rows = read_table(sheet)
    assert list(keys) == ["序号", "姓名", "身份", "到岗日期", "培训记录", "轮训", "对应层级", "岗前培训"]
    assert [row[keys["姓名"]] for row in rows] == cells(html, "name")
    assert rows[0][keys["培训记录"]].startswith("2022-05-01 县级") and "2025-03-01 县级" in rows[0][keys["培训记录"]]
    assert township.name in sheet["A1"].value and township.code in str(sheet["A2"].value)


def test_township_record_export_is_scoped(other_township, clerk, login):
    url = reverse("training:township", args=[other_township.code])
    assert login(clerk).get(url, {"year": YEAR, "export": "people"}).status_code == 404
