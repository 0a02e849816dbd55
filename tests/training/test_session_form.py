"""The session and attendance forms: people by audience and township, started from the plan, named refusals, export.

Issue 13 point 6: a county's new-session form offered 435 unfiltered checkboxes, the plan's 待培训 list could not
start a session, and a refused person was not named.
"""
import datetime
import io
import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from offices.acting import acting_as
from offices.workbooks import read_table
from tests.factories.offices import PopulationFactory, TownshipFactory, VillageFactory
from tests.factories.staffing import StaffMemberFactory, VillageAssistantFactory
from tests.factories.training import AttendanceFactory, TrainingSessionFactory
from training import services
from training.models import Attendance, Audience, TrainingSession

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = 2025


def offered(html):
    """{person id (s12 / a7): (data-name, data-audiences, ticked)} of a people form."""
    people = re.findall(
        r'<div class="form-check form-check-inline" data-person data-name="([^"]*)" data-audiences="([^"]*)">'
        r'<input class="form-check-input" type="checkbox" name="\w+" value="\d+" id="(\w+)"( checked)?>', html)
    return {pk: (name, audiences.split(), bool(checked)) for name, audiences, pk, checked in people}


def groups(html):
    """The township codes of the groups, in page order."""
    return re.findall(r'data-township-group="(\d+)"', html)


@pytest.fixture
def workers(township, other_township, other_county):
    """A director, a staff member and an assistant in two townships of the county, and one of another county."""
    east = VillageFactory(township=township, name="东村村民委员会")
    return {
        "director": StaffMemberFactory(township=township, director=True, name="主任甲"),
        "staff": StaffMemberFactory(township=township, name="乙"),
        "other": StaffMemberFactory(township=other_township, name="戊"),
        "assistant": VillageAssistantFactory(village=east, name="张三"),
        "foreign": StaffMemberFactory(township=TownshipFactory(county=other_county), name="外县人"),
    }


# --- Who is offered, grouped and marked -------------------------------------------------------------------------


def test_county_form_groups_its_townships_people_and_marks_their_audiences(county_official, login, workers, township,
                                                                           other_township):
    html = login(county_official).get(reverse("training:session_add")).content.decode()
    people = offered(html)
    assert set(people) == {f"s{workers[k].pk}" for k in ("director", "staff", "other")} | {
        f"a{workers['assistant'].pk}"}
    assert "外县人" not in html
    # Grouped by township (staff, then assistants), each group with its 全选/全不选 for the script.
    assert groups(html) == [township.code, other_township.code, township.code]
    assert html.count("data-select-all") == html.count("data-select-none") == 3
    # The audiences each belongs to: what static/js/training.js filters by.
    assert people[f"s{workers['director'].pk}"][1] == ["directors", "staff", "all"]
    assert people[f"s{workers['staff'].pk}"][1] == ["staff", "all"]
    assert people[f"a{workers['assistant'].pk}"] == ("张三 东村", ["assistants", "all"], False)
    assert "js/training.js" in html and "data-people-search" in html


def test_township_form_offers_only_its_own_people(clerk, login, workers):
    people = offered(login(clerk).get(reverse("training:session_add")).content.decode())
    assert set(people) == {f"s{workers['director'].pk}", f"s{workers['staff'].pk}", f"a{workers['assistant'].pk}"}


def test_attendance_form_lists_the_sessions_audience_and_who_is_already_recorded(county, county_official, login,
                                                                                  workers):
    session = TrainingSessionFactory(county=county, audience=Audience.STAFF)
    url = reverse("training:attendance", args=[session.pk])
    people = offered(login(county_official).get(url).content.decode())
    assert set(people) == {f"s{workers[k].pk}" for k in ("director", "staff", "other")}
    # An assistant recorded before the audience was checked is shown ticked, so the organiser can untick them.
    AttendanceFactory(session=session, assistant=workers["assistant"])
    people = offered(login(county_official).get(url).content.decode())
    assert people[f"a{workers['assistant'].pk}"][2] is True


def test_directors_session_lists_only_directors(county, county_official, login, workers):
    session = TrainingSessionFactory(county=county, audience=Audience.DIRECTORS)
    people = offered(login(county_official).get(reverse("training:attendance", args=[session.pk])).content.decode())
    assert set(people) == {f"s{workers['director'].pk}"}


# --- Named refusals ---------------------------------------------------------------------------------------------


def test_new_session_names_the_person_outside_the_audience(county_official, login, workers):
    response = login(county_official).post(reverse("training:session_add"), {
        "date": "2025-05-20", "topic": "业务培训", "hours": "4", "audience": "staff",
        "staff_members": [workers["staff"].pk], "assistants": [workers["assistant"].pk],
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "民政助理员张三（东村）不属于本次培训的对象（对象：乡镇民政办工作人员）" in html
    assert not TrainingSession.objects.exists() and not Attendance.objects.exists()
    # The ticks are kept for the correction.
    assert offered(html)[f"s{workers['staff'].pk}"][2] is True


def test_attendance_names_everyone_who_does_not_fit(county, county_official, login, workers, township):
    session = TrainingSessionFactory(county=county, audience=Audience.DIRECTORS)
    response = login(county_official).post(reverse("training:attendance", args=[session.pk]), {
        "staff_members": [workers["director"].pk, workers["staff"].pk], "assistants": [workers["assistant"].pk]})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"民政办工作人员乙（{township.name}）不属于本次培训的对象（对象：民政办公室主任）" in html
    assert "民政助理员张三（东村）不属于本次培训的对象（对象：民政办公室主任）" in html
    assert not Attendance.objects.exists()


def test_service_names_the_person_outside_the_organisers_jurisdiction(township, other_township, clerk, workers):
    session = TrainingSessionFactory(by_township=True, township=township, audience=Audience.STAFF)
    with acting_as(clerk), pytest.raises(ValidationError) as error:
        services.attendance_set(session=session, staff_members=[workers["staff"], workers["other"]], assistants=[])
    assert error.value.messages == [f"民政办工作人员戊（{other_township.name}）不在组织单位（{township.name}）辖区内。"]
    assert {e.code for e in error.value.error_list} == {"out_of_scope"}
    assert not Attendance.objects.exists()


# --- Started from the plan --------------------------------------------------------------------------------------


@pytest.fixture
def plan_people(township, county):
    """Under the default standard (3-year cycle): everyone untrained since 2022 is due in 2025.

    Two namesakes 乙 both pending; 丁 trained by the county in March 2025 (done); a director and an assistant
    pending for the city and the township.
    """
    PopulationFactory(township=township, year=YEAR)
    people = {
        "director": StaffMemberFactory(township=township, director=True, name="主任甲", start_date=D(2020, 3, 1)),
        "second": StaffMemberFactory(township=township, name="乙", start_date=D(2019, 3, 1)),
        "namesake": StaffMemberFactory(township=township, name="乙", start_date=D(2019, 4, 1)),
        "fourth": StaffMemberFactory(township=township, name="丁", start_date=D(2018, 3, 1)),
        "assistant": VillageAssistantFactory(village=VillageFactory(township=township, name="东村村民委员会"),
                                             name="丙", start_date=D(2021, 1, 10)),
    }
    session = TrainingSessionFactory(county=county, date=D(YEAR, 3, 1), topic="乡镇民政业务轮训")
    AttendanceFactory(session=session, staff_member=people["fourth"])
    return people


def start_links(html):
    """{plan level: the 登记培训班 link} of the plan page."""
    return {
        level: url.replace("&amp;", "&")
        for level, url in re.findall(r'data-plan-level="(\w+)">.*?(?:href="([^"]*)" data-testid="start-session"|</table>)',
                                     html, flags=re.S)
        if url
    }


def test_plan_offers_each_level_its_pending_people(county, county_official, city_staff, login, plan_people):
    url = reverse("training:plan", args=[county.code])
    links = start_links(login(county_official).get(url, {"year": YEAR}).content.decode())
    assert set(links) == {"county"}  # the county trains the staff; the directors are the city's
    query = parse_qs(urlsplit(links["county"]).query)
    assert {int(pk) for pk in query["staff"][0].split(",")} == {plan_people["second"].pk, plan_people["namesake"].pk}
    assert query["audience"] == ["staff"] and "assistants" not in query  # nobody of the township level ticked
    links = start_links(login(city_staff).get(url, {"year": YEAR}).content.decode())
    assert set(links) == {"city"}
    assert parse_qs(urlsplit(links["city"]).query)["staff"] == [str(plan_people["director"].pk)]


def test_form_from_the_plan_ticks_the_people_and_ignores_ids_out_of_scope(county, county_official, login,
                                                                          plan_people, workers):
    client = login(county_official)
    url = reverse("training:session_add")
    mine = [plan_people["second"].pk, plan_people["namesake"].pk]
    html = client.get(url, {"staff": ",".join(map(str, [*mine, workers["foreign"].pk])) + ",x,99999999999999999999999",
                            "assistants": f"{plan_people['assistant'].pk}", "audience": "staff"}).content.decode()
    people = offered(html)
    assert {pk for pk, (_name, _audiences, ticked) in people.items() if ticked} == {
        f"s{pk}" for pk in mine} | {f"a{plan_people['assistant'].pk}"}
    assert f"s{workers['foreign'].pk}" not in people and "外县人" not in html
    assert re.search(r'<option value="staff" selected>', html)
    # Saved as ticked: the session has those attendees.
    response = client.post(url, {"date": "2025-06-01", "topic": "轮训补训", "hours": "4", "audience": "staff",
                                 "staff_members": mine})
    assert response.status_code == 302
    session = TrainingSession.objects.get(topic="轮训补训")
    assert set(session.attendances.values_list("staff_member_id", flat=True)) == set(mine)


def test_a_bad_audience_in_the_query_is_ignored(county_official, login):
    response = login(county_official).get(reverse("training:session_add"), {"audience": "<b>x</b>", "staff": "1,,2"})
    assert response.status_code == 200 and "<b>x</b>" not in response.content.decode()


# --- The plan workbook ------------------------------------------------------------------------------------------


def test_plan_export_is_an_official_workbook_of_the_pending_and_the_sessions(county, county_official, login,
                                                                             plan_people, township):
    client = login(county_official)
    page = client.get(reverse("training:plan", args=[county.code]), {"year": YEAR}).content.decode()
    export_url = reverse("training:plan_export", args=[county.code])
    assert f'href="{export_url}?year={YEAR}"' in page
    response = client.get(export_url, {"year": YEAR})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert quote("兰山区_2025_民政干部培训计划.xlsx") in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    plan = workbook["培训计划"]
    assert plan["A1"].value == "兰山区2025年度民政干部培训计划"
    info = " ".join(str(c.value) for c in plan[2] if c.value)
    assert "填报单位：兰山区民政局" in info and "数据日期：" in info
    assert plan.page_setup.orientation == "landscape" and plan.print_title_rows
    keys, rows = read_table(plan)
    assert list(keys)[:4] == ["序号", "培训层级", "乡镇（街道）", "姓名"]
    data = [row for row in rows if isinstance(row[0], int)]
    assert [row[0] for row in data] == list(range(1, len(data) + 1))
    status = {row[keys["姓名"]]: row[keys["本年培训"]] for row in data}
    assert status == {"主任甲": "待培训", "乙": "待培训", "乙（2）": "待培训", "丙（东村）": "待培训",
                      "丁": "已培训（2025-03-01）"}
    assert {row[keys["乡镇（街道）"]] for row in data} == {township.name}
    assert "待培训4人" in str(rows[-1][0])
    keys, rows = read_table(workbook["培训班"])
    assert [row[keys["培训主题"]] for row in rows] == ["乡镇民政业务轮训"]
    assert rows[0][keys["参训人数（人）"]] == 1


def test_plan_export_is_scoped(other_county, county_official, clerk, login):
    assert login(county_official).get(reverse("training:plan_export", args=[other_county.code])).status_code == 404
    assert login(clerk).get(reverse("training:plan_export", args=[other_county.code])).status_code == 403
