"""Training pages: scoped by organiser, attendance by the organiser only, Chinese messages, no partial writes."""
import datetime

import pytest
from django.urls import reverse

from tests.factories.offices import PopulationFactory, TownshipFactory, UserFactory, VillageFactory
from tests.factories.staffing import StaffMemberFactory, VillageAssistantFactory
from tests.factories.training import AttendanceFactory, TrainingSessionFactory
from tests.store import fill_store
from training.models import Attendance, TrainingSession

pytestmark = pytest.mark.django_db
D = datetime.date


def test_clerk_creates_a_township_session_then_enters_attendance(township, clerk, login):
    client = login(clerk)
    response = client.post(reverse("training:session_add"), {
        "date": "2025-04-01", "topic": "民政助理员培训", "hours": "4", "audience": "assistants"})
    session = TrainingSession.objects.get()
    assert response.status_code == 302 and session.township == township
    assistants = [VillageAssistantFactory(village=VillageFactory(township=township)) for _ in range(3)]
    url = reverse("training:attendance", args=[session.pk])
    page = client.get(url)
    assert page.status_code == 200 and assistants[0].name in page.content.decode()
    response = client.post(url, {"assistants": [a.pk for a in assistants[:2]]})
    assert response.status_code == 302
    assert set(Attendance.objects.values_list("assistant_id", flat=True)) == {a.pk for a in assistants[:2]}


@pytest.mark.parametrize(("data", "message"), [
    ({"date": "2025-04-01", "topic": "x", "hours": "0", "audience": "all"}, "学时：请输入大于0的数字，例如 4 或 1.5。"),
    ({"date": "2025-04-01", "topic": "x", "hours": "abc", "audience": "all"}, "学时：请输入大于0的数字"),
    ({"date": "2025-13-01", "topic": "x", "hours": "4", "audience": "all"}, "培训日期：请输入日期，例如 2025年3月1日 或 2025-03-01。"),
    ({"date": "2025-04-01", "hours": "4", "audience": "all"}, "请填写培训主题"),
    ({"date": "2025-04-01", "topic": "x", "hours": "4", "audience": "everyone"}, "培训对象无效"),
])
def test_bad_session_names_the_field(clerk, login, data, message):
    response = login(clerk).post(reverse("training:session_add"), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_attendance_with_foreign_person_is_refused_without_writing(county, other_county, township, county_official,
                                                                   login):
    session = TrainingSessionFactory(county=county)
    mine = StaffMemberFactory(township=township)
    foreign = StaffMemberFactory(township=TownshipFactory(county=other_county))
    response = login(county_official).post(reverse("training:attendance", args=[session.pk]),
                                           {"staff_members": [mine.pk, foreign.pk]})
    assert response.status_code == 200 and "不在可选范围内" in response.content.decode()
    assert not Attendance.objects.exists()


def test_only_the_organiser_enters_attendance(county, township, clerk, city_staff, login):
    session = TrainingSessionFactory(county=county)
    AttendanceFactory(session=session, staff_member=StaffMemberFactory(township=township))
    assert login(city_staff).get(reverse("training:attendance", args=[session.pk])).status_code == 403
    # The clerk sees the county session its own person attended, but may not edit it.
    assert login(clerk).get(reverse("training:session_detail", args=[session.pk])).status_code == 200
    assert login(clerk).get(reverse("training:attendance", args=[session.pk])).status_code == 403


def test_session_scoping(county, other_county, township, other_township, clerk, county_official, login):
    city_session = TrainingSessionFactory(by_city=True, city=county.city)
    other_county_session = TrainingSessionFactory(county=other_county)
    other_township_session = TrainingSessionFactory(by_township=True, township=other_township)
    own = TrainingSessionFactory(by_township=True, township=township)
    official = login(county_official)
    assert official.get(reverse("training:session_detail", args=[city_session.pk])).status_code == 200
    assert official.get(reverse("training:session_detail", args=[other_county_session.pk])).status_code == 404
    assert official.get(reverse("training:session_detail", args=[other_township_session.pk])).status_code == 200
    clerk_client = login(clerk)
    assert clerk_client.get(reverse("training:session_detail", args=[own.pk])).status_code == 200
    assert clerk_client.get(reverse("training:session_detail", args=[other_township_session.pk])).status_code == 404
    assert clerk_client.get(reverse("training:session_detail", args=[city_session.pk])).status_code == 404


def test_county_official_sees_only_own_attendees_of_a_city_session(county, other_county, township, county_official,
                                                                   login):
    session = TrainingSessionFactory(by_city=True, city=county.city)
    mine = StaffMemberFactory(township=township, director=True, name="本县主任")
    theirs = StaffMemberFactory(township=TownshipFactory(county=other_county), director=True, name="外县主任")
    AttendanceFactory(session=session, staff_member=mine)
    AttendanceFactory(session=session, staff_member=theirs)
    page = login(county_official).get(reverse("training:session_detail", args=[session.pk])).content.decode()
    assert "本县主任" in page and "外县主任" not in page


def test_plan_for_county_and_city_not_clerk(county, other_county, township, county_official, city_staff, clerk,
                                            login):
    PopulationFactory(township=township, year=2025)
    StaffMemberFactory(township=township, director=True, name="待训主任")
    url = reverse("training:plan", args=[county.code]) + "?year=2025"
    page = login(county_official).get(url)
    assert page.status_code == 200 and "待训主任" in page.content.decode()
    assert login(city_staff).get(url).status_code == 200
    assert login(clerk).get(url).status_code == 403
    assert login(county_official).get(reverse("training:plan", args=[other_county.code])).status_code == 404


def test_plan_query_count_does_not_grow(county, county_official, login, django_assert_max_num_queries):
    def add_township():
        t = TownshipFactory(county=county)
        PopulationFactory(township=t, year=2025)
        StaffMemberFactory(township=t, director=True)
        VillageAssistantFactory(village=VillageFactory(township=t))

    add_township()
    client = login(county_official)
    url = reverse("training:plan", args=[county.code]) + "?year=2025"
    fill_store()  # the services keep the store current; count the page's own reads
    with django_assert_max_num_queries(14) as one:
        client.get(url)
    for _ in range(6):
        add_township()
    fill_store()
    with django_assert_max_num_queries(len(one)):
        client.get(url)


def test_township_page_and_lists(township, other_township, clerk, login, django_assert_max_num_queries):
    PopulationFactory(township=township, year=2025)
    StaffMemberFactory(township=township, name="甲工作人员")
    client = login(clerk)
    page = client.get(reverse("training:township", args=[township.code]) + "?year=2025")
    assert page.status_code == 200 and "甲工作人员" in page.content.decode()
    assert client.get(reverse("training:township", args=[other_township.code])).status_code == 404
    for _ in range(5):
        TrainingSessionFactory(by_township=True, township=township)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("training:session_list") + "?year=all").status_code == 200


def test_anonymous_is_sent_to_login(client):
    assert client.get(reverse("training:session_list")).status_code == 302


def test_admin_without_unit_cannot_add(db, login):
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert login(admin).get(reverse("training:session_add")).status_code == 403


def test_township_page_query_count_does_not_grow(township, clerk, login, django_assert_max_num_queries):
    PopulationFactory(township=township, year=2025)
    client = login(clerk)
    url = reverse("training:township", args=[township.code]) + "?year=2025"
    session = TrainingSessionFactory(by_township=True, township=township)
    AttendanceFactory(session=session, staff_member=StaffMemberFactory(township=township))
    fill_store()  # the services keep the store current; count the page's own reads
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    village = VillageFactory(township=township)
    for _ in range(10):
        AttendanceFactory(session=session, assistant=VillageAssistantFactory(village=village))
    fill_store()  # the services keep the store current; count the page's own reads
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_county_records_session_with_attendees_in_one_form_and_coverage_rises(
    county, township, other_township, county_official, login
):
    """Issue 5, done means: one form, and the county's rotation coverage rises."""
    from offices.models import Township
    from training.selectors import county_plan

    PopulationFactory(township=township, year=2025)
    PopulationFactory(township=other_township, year=2025)
    staff = [StaffMemberFactory(township=t, start_date=D(2020, 3, 1)) for t in (township, township, other_township)]
    townships = Township.objects.filter(county=county).order_by("code")

    def coverage():
        return county_plan(county, townships, 2025).covered

    before = coverage()
    client = login(county_official)
    page = client.get(reverse("training:session_add"))
    assert all(s.name in page.content.decode() for s in staff)
    response = client.post(reverse("training:session_add"), {
        "date": "2025-05-20", "topic": "乡镇民政业务培训", "hours": "6", "audience": "staff",
        "staff_members": [s.pk for s in staff[:2]],
    })
    assert response.status_code == 302
    session = TrainingSession.objects.get()
    assert session.county == county
    assert set(session.attendances.values_list("staff_member_id", flat=True)) == {s.pk for s in staff[:2]}
    assert coverage() == before + 2


def test_one_form_refuses_a_person_outside_the_audience_without_writing(township, county, county_official, login):
    director = StaffMemberFactory(township=township, post="staff")
    assistant = VillageAssistantFactory(village=VillageFactory(township=township))
    response = login(county_official).post(reverse("training:session_add"), {
        "date": "2025-05-20", "topic": "x", "hours": "2", "audience": "staff",
        "staff_members": [director.pk], "assistants": [assistant.pk],
    })
    assert response.status_code == 200 and "不在可选范围内" in response.content.decode()
    assert not TrainingSession.objects.exists() and not Attendance.objects.exists()
