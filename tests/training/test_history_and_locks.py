"""Training under the reporting cycle: every attendance recorded, locked township-years refused, forms saved once."""
import datetime
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from offices import reporting
from offices.acting import acting_as
from offices.history import TRACKED
from offices.models import AnnualReport, ReportState
from tests.factories.offices import TownshipFactory, UserFactory, VillageFactory
from tests.factories.staffing import StaffMemberFactory, VillageAssistantFactory
from tests.factories.training import AttendanceFactory, TrainingSessionFactory
from training import services
from training.models import Attendance, TrainingSession

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = 2025


def hidden(html, name):
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden {name} in the form"
    return match.group(1)


def attendance_post(client, session, *, staff=(), assistants=(), html=None):
    url = reverse("training:attendance", args=[session.pk])
    html = html or client.get(url).content.decode()
    return client.post(url, {"staff_members": [p.pk for p in staff], "assistants": [p.pk for p in assistants],
                             "form_token": hidden(html, "form_token"), "read_version": hidden(html, "read_version")},
                       REMOTE_ADDR="10.3.4.5")


@pytest.fixture
def session(county):
    return TrainingSessionFactory(county=county, date=D(YEAR, 5, 20))


@pytest.fixture
def staff(township, other_township):
    return [StaffMemberFactory(township=t, name=name) for t, name in ((township, "甲"), (other_township, "乙"))]


def test_attendance_changes_are_recorded_and_found_per_township(township, other_township, county_official, login,
                                                                session, staff):
    mine, theirs = staff
    client = login(county_official)
    assert attendance_post(client, session, staff=staff).status_code == 302
    assert attendance_post(client, session, staff=[theirs]).status_code == 302
    rows = Attendance.history.filter(session_id=session.pk).order_by("history_id")
    assert [(r.history_type, r.staff_member_id) for r in rows] == [("+", mine.pk), ("+", theirs.pk), ("-", mine.pk)]
    assert {(r.history_user_id, r.history_address) for r in rows} == {(county_official.pk, "10.3.4.5")}
    # The 变更记录 page finds a township's attendance rows and the county session they belong to.
    found = TRACKED["training.attendance"].rows(township.pk, YEAR)
    assert sorted(found.values_list("history_type", flat=True)) == ["+", "-"]
    assert not TRACKED["training.attendance"].rows(township.pk, YEAR + 1).exists()
    assert TRACKED["training.trainingsession"].rows(township.pk, YEAR).filter(id=session.pk).exists()
    assert not TRACKED["training.trainingsession"].rows(TownshipFactory(county=township.county).pk, YEAR).exists()


def test_a_county_session_touching_an_accepted_township_year_is_refused_naming_it(
        township, other_township, county_official, login, session, staff):
    accepted = AnnualReport.objects.create(township=township, year=YEAR, state=ReportState.ACCEPTED)
    AnnualReport.objects.create(township=other_township, year=YEAR, state=ReportState.SUBMITTED)  # county may
    client = login(county_official)
    response = attendance_post(client, session, staff=staff)
    assert response.status_code == 200
    text = response.content.decode()
    refused = re.search(r"以下乡镇2025年度数据已锁定[^：]*：([^。]*)。", text)
    assert refused and refused.group(1) == township.name  # the submitted one is open to the county
    assert not Attendance.objects.exists() and not Attendance.history.exists()
    # The other township alone is fine: submitted locks the clerk only.
    assert attendance_post(client, session, staff=staff[1:]).status_code == 302
    # A lock exception granted by the county reopens the accepted year.
    reporting.lock_exception_grant(report=accepted, until=timezone.now() + timedelta(days=1), reason="补录参训",
                                   user=county_official)
    assert attendance_post(client, session, staff=staff).status_code == 302
    assert Attendance.objects.count() == 2


def test_a_new_county_session_with_a_locked_townships_people_is_not_created(township, county_official, login, staff):
    AnnualReport.objects.create(township=township, year=YEAR, state=ReportState.ACCEPTED)
    response = login(county_official).post(reverse("training:session_add"), {
        "date": "2025-06-01", "topic": "业务培训", "hours": "4", "audience": "staff", "staff_members": [staff[0].pk]})
    assert response.status_code == 200 and township.name in response.content.decode()
    assert not TrainingSession.objects.exists() and not Attendance.objects.exists()


def test_a_township_session_is_closed_to_its_clerk_once_submitted(township, clerk):
    AnnualReport.objects.create(township=township, year=YEAR, state=ReportState.SUBMITTED)
    with acting_as(clerk), pytest.raises(ValidationError) as error:
        services.session_create(user=clerk, date=D(YEAR, 4, 1), topic="助理员培训", hours=4, audience="assistants")
    assert error.value.code == "locked" and "2025年度" in error.value.messages[0]
    own = TrainingSessionFactory(by_township=True, township=township, date=D(YEAR, 3, 1))
    assistant = VillageAssistantFactory(village=VillageFactory(township=township))
    with acting_as(clerk), pytest.raises(ValidationError):
        services.attendance_set(session=own, staff_members=[], assistants=[assistant])
    assert not Attendance.objects.exists()
    with acting_as(clerk):  # another year is open
        services.session_create(user=clerk, date=D(YEAR + 1, 4, 1), topic="助理员培训", hours=4,
                                audience="assistants")


def test_a_stale_attendance_list_is_refused_naming_the_first_change(county, county_official, login, session, staff):
    other = UserFactory(role="county", county=county, username="other", first_name="一", last_name="张")
    client = login(county_official)
    stale = client.get(reverse("training:attendance", args=[session.pk])).content.decode()
    assert attendance_post(login(other), session, staff=staff[:1]).status_code == 302
    response = attendance_post(login(county_official), session, staff=staff, html=stale)
    assert response.status_code == 200
    text = response.content.decode()
    assert "他人已修改" in text and "张一" in text and "新增了参训记录" in text
    assert list(Attendance.objects.values_list("staff_member_id", flat=True)) == [staff[0].pk]


def test_a_session_form_sent_twice_creates_one_session(county_official, login, staff):
    client = login(county_official)
    token = hidden(client.get(reverse("training:session_add")).content.decode(), "form_token")
    data = {"date": "2025-06-01", "topic": "业务培训", "hours": "4", "audience": "staff",
            "staff_members": [staff[0].pk], "form_token": token}
    assert client.post(reverse("training:session_add"), data).status_code == 302
    response = client.post(reverse("training:session_add"), data, follow=True)
    assert "重复提交未再次保存" in response.content.decode()
    assert TrainingSession.objects.count() == 1 and Attendance.objects.count() == 1
    assert TrainingSession.history.get().history_user_id == county_official.pk


def test_an_attendance_list_sent_twice_saves_once(county_official, login, session, staff):
    client = login(county_official)
    url = reverse("training:attendance", args=[session.pk])
    html = client.get(url).content.decode()
    assert attendance_post(client, session, staff=staff, html=html).status_code == 302
    response = client.post(url, {"staff_members": [staff[0].pk], "form_token": hidden(html, "form_token")},
                           follow=True)
    assert "重复提交未再次保存" in response.content.decode()
    assert Attendance.objects.count() == 2


def test_deleting_a_person_records_the_attendance_deletion(township, session):
    person = StaffMemberFactory(township=township)
    attendance = AttendanceFactory(session=session, staff_member=person)
    person.delete()
    assert Attendance.history.filter(id=attendance.pk, history_type="-").exists()
