"""Staffing writes leave a history with who and where, ask the year's lock, and refuse stale or repeated forms."""
import datetime
import re
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from offices import reporting
from offices.acting import acting_as
from offices.models import AnnualReport, ReportState
from staffing import services
from staffing.models import AuthorizedPosts, DirectorOpinion, StaffMember, VillageAssistant
from tests.factories.offices import UserFactory, VillageFactory
from tests.factories.staffing import (
    AuthorizedPostsFactory,
    DirectorOpinionFactory,
    StaffMemberFactory,
    VillageAssistantFactory,
)

pytestmark = pytest.mark.django_db

LOCKED = 2024
ADDRESS = "10.8.0.7"


def url(name, township, *args):
    return reverse(f"staffing:{name}", args=[township.code, *args])


def staff_data(staff, **changes):
    data = {"name": staff.name, "sex": staff.sex, "birth_date": staff.birth_date.isoformat(),
            "education": staff.education, "post": staff.post, "full_time": "on" if staff.full_time else "",
            "qualification": staff.qualification, "start_date": staff.start_date.isoformat(),
            "end_date": staff.end_date.isoformat() if staff.end_date else ""}
    return {**data, **changes}


def hidden(html, name):
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden {name} in the form"
    return match.group(1)


def lock(township, state=ReportState.SUBMITTED, year=LOCKED):
    return AnnualReport.objects.create(township=township, year=year, state=state)


@pytest.fixture
def staff(township):
    return StaffMemberFactory(township=township, name="王芳", education="junior_college",
                              start_date=datetime.date(2015, 3, 1))


# --- history ------------------------------------------------------------------------------------------------------


def test_an_edit_records_who_where_and_before_after(township, clerk, login, staff):
    response = login(clerk).post(url("staff_edit", township, staff.pk), staff_data(staff, education="bachelor"),
                                 REMOTE_ADDR=ADDRESS)
    assert response.status_code == 302
    row = StaffMember.history.filter(id=staff.pk).latest("history_id")
    assert (row.history_type, row.history_user_id, row.history_address) == ("~", clerk.pk, ADDRESS)
    changes = {c.field: (c.old, c.new) for c in row.diff_against(row.prev_record).changes}
    assert changes == {"education": ("junior_college", "bachelor")}


def test_a_create_and_each_step_of_an_assistant_are_recorded(township, clerk, login):
    village = VillageFactory(township=township)
    client = login(clerk)
    data = {"village": village.pk, "name": "李强", "sex": "male", "birth_date": "1979-01-01", "education": "secondary",
            "role": "two_committees", "start_date": "2022-01-05", "end_date": "", "filed_date": ""}
    assert client.post(url("assistant_add", township), data, REMOTE_ADDR=ADDRESS).status_code == 302
    assistant = VillageAssistant.objects.get(name="李强")
    assert client.post(url("assistant_file", township, assistant.pk), {"filed_date": "2022-01-20"},
                       REMOTE_ADDR=ADDRESS).status_code == 302
    rows = list(VillageAssistant.history.filter(id=assistant.pk).order_by("history_id"))
    assert [(r.history_type, r.history_user_id, r.history_address, r.filed_date) for r in rows] == [
        ("+", clerk.pk, ADDRESS, None), ("~", clerk.pk, ADDRESS, datetime.date(2022, 1, 20))]


def test_posts_and_director_opinion_are_recorded(township, clerk, login):
    client = login(clerk)
    assert client.post(url("posts_edit", township) + "?year=2025", {"year": 2025, "posts": 6}).status_code == 302
    director = StaffMemberFactory(township=township, director=True)
    assert client.post(url("director_opinion", township), {"director": director.pk, "opinion_date": "2015-02-10",
                                                            "reference": "县民函〔2015〕3号", "note": ""}).status_code == 302
    assert AuthorizedPosts.history.get(township_id=township.pk).history_user_id == clerk.pk
    assert DirectorOpinion.history.get(director_id=director.pk).history_user_id == clerk.pk


# --- the year's lock --------------------------------------------------------------------------------------------


def test_a_clerk_is_refused_in_a_submitted_year_and_nothing_is_written(township, clerk, login, staff):
    lock(township)
    before = StaffMember.history.count()
    response = login(clerk).post(url("staff_edit", township, staff.pk), staff_data(staff, name="改名"))
    assert response.status_code == 200
    assert "2024年度填报已报送" in response.content.decode()
    assert StaffMember.objects.get(pk=staff.pk).name == "王芳"
    assert StaffMember.history.count() == before


def test_a_new_person_starting_before_the_locked_year_is_refused(township, clerk, login):
    lock(township)
    data = {"name": "新人", "sex": "female", "birth_date": "1990-01-01", "education": "bachelor", "post": "staff",
            "full_time": "on", "qualification": "", "start_date": "2023-05-01", "end_date": ""}
    response = login(clerk).post(url("staff_add", township), data)
    assert response.status_code == 200 and "已锁定" in response.content.decode()
    assert not StaffMember.objects.filter(name="新人").exists()
    data["start_date"] = "2025-05-01"  # only the years after the submitted one change
    assert login(clerk).post(url("staff_add", township), data).status_code == 302
    assert StaffMember.objects.filter(name="新人").exists()


def test_posts_of_a_submitted_year_are_refused_and_of_the_next_year_saved(township, clerk, login):
    lock(township)
    AuthorizedPostsFactory(township=township, year=LOCKED, posts=5)
    client = login(clerk)
    response = client.post(url("posts_edit", township) + f"?year={LOCKED}", {"year": LOCKED, "posts": 9})
    assert response.status_code == 200 and "已锁定" in response.content.decode()
    assert AuthorizedPosts.objects.get(township=township, year=LOCKED).posts == 5
    assert client.post(url("posts_edit", township) + "?year=2025", {"year": 2025, "posts": 9}).status_code == 302


def test_the_director_opinion_counts_in_the_directors_years(township, clerk, login):
    director = StaffMemberFactory(township=township, director=True, start_date=datetime.date(2015, 3, 1))
    opinion = DirectorOpinionFactory(director=director)
    lock(township)
    response = login(clerk).post(url("director_opinion", township), {
        "director": director.pk, "opinion_date": "2015-02-11", "reference": "改过的文号", "note": ""})
    assert response.status_code == 200 and "已锁定" in response.content.decode()
    assert DirectorOpinion.objects.get(pk=opinion.pk).reference == opinion.reference


def test_an_accepted_year_refuses_the_system_and_a_superuser(township, staff):
    lock(township, ReportState.ACCEPTED)
    with pytest.raises(ValidationError) as error:
        services.staff_update(staff=staff, name="系统改名")
    assert error.value.code == "locked" and "市级验收" in error.value.messages[0]
    with acting_as(UserFactory(is_superuser=True, is_staff=True)), pytest.raises(ValidationError):
        services.staff_update(staff=StaffMember.objects.get(pk=staff.pk), name="管理员改名")
    assert StaffMember.objects.get(pk=staff.pk).name == "王芳"


def test_a_lock_exception_reopens_the_year(township, clerk, county_official, login, staff):
    report = lock(township, ReportState.ACCEPTED)
    client = login(clerk)
    assert client.post(url("staff_edit", township, staff.pk), staff_data(staff, name="改名")).status_code == 200
    reporting.lock_exception_grant(report=report, until=timezone.now() + timedelta(days=2), reason="更正姓名",
                                   user=county_official)
    assert client.post(url("staff_edit", township, staff.pk), staff_data(staff, name="改名")).status_code == 302
    assert StaffMember.objects.get(pk=staff.pk).name == "改名"


def test_only_an_end_date_after_the_locked_year_may_change(township, clerk, login, staff):
    lock(township)
    client = login(clerk)
    response = client.post(url("staff_end", township, staff.pk), {"end_date": f"{LOCKED}-06-30"})
    assert response.status_code == 200 and "已锁定" in response.content.decode()
    assert client.post(url("staff_end", township, staff.pk), {"end_date": "2025-06-30"}).status_code == 302
    assert StaffMember.objects.get(pk=staff.pk).end_date == datetime.date(2025, 6, 30)


def test_an_assistant_end_after_the_locked_year_is_allowed(township, clerk, login):
    assistant = VillageAssistantFactory(village=VillageFactory(township=township))
    lock(township)
    client = login(clerk)
    assert client.post(url("assistant_end", township, assistant.pk), {"end_date": "2025-01-31"}).status_code == 302
    response = client.post(url("assistant_file", township, assistant.pk), {"filed_date": "2021-02-01"})
    assert response.status_code == 200 and "已锁定" in response.content.decode()


# --- versions and double submit --------------------------------------------------------------------------------


def test_a_stale_edit_is_refused_with_the_first_persons_change(township, login, staff):
    first = UserFactory(role="township", township=township, username="first", first_name="一", last_name="张")
    second = UserFactory(role="township", township=township, username="second")
    edit = url("staff_edit", township, staff.pk)
    client = login(second)
    stale = hidden(client.get(edit).content.decode(), "read_version")
    client = login(first)
    fresh = hidden(client.get(edit).content.decode(), "read_version")
    assert client.post(edit, staff_data(staff, education="bachelor", read_version=fresh)).status_code == 302
    client = login(second)
    response = client.post(edit, staff_data(staff, name="李芳", read_version=stale))
    text = response.content.decode()
    assert response.status_code == 200 and "他人已修改" in text and "张一" in text and "学历" in text
    saved = StaffMember.objects.get(pk=staff.pk)
    assert (saved.name, saved.education) == ("王芳", "bachelor")


def test_a_create_form_sent_twice_creates_one_person(township, clerk, login):
    client = login(clerk)
    token = hidden(client.get(url("staff_add", township)).content.decode(), "form_token")
    data = {"name": "新人", "sex": "female", "birth_date": "1990-01-01", "education": "bachelor", "post": "staff",
            "full_time": "on", "qualification": "", "start_date": "2023-05-01", "end_date": "", "form_token": token}
    assert client.post(url("staff_add", township), data).status_code == 302
    response = client.post(url("staff_add", township), data, follow=True)
    assert "重复提交未再次保存" in response.content.decode()
    assert StaffMember.objects.filter(name="新人").count() == 1


def test_each_form_carries_a_token(township, clerk, login, staff):
    html = login(clerk).get(url("staff_end", township, staff.pk)).content.decode()
    uuid.UUID(hidden(html, "form_token"))
    assert int(hidden(html, "read_version")) == StaffMember.history.filter(id=staff.pk).latest("history_id").pk
