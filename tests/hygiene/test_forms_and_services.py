"""Text with control characters is refused on the page and in the service, with the field named.

Given a clerk or an official pasting from Word (a vertical tab where Shift+Enter was pressed), when
they save, then the page shows 「<field>」不能包含控制字符… on that field and nothing is written; a
service called directly (a command, an import) refuses the same text. Multi-line text keeps its
line breaks.
"""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.circulars import circular_create
from assessments.models import Circular
from facilities.models import VillageStation
from offices.services import office_update
from regulations.services import regulation_create
from staffing import services as staffing
from staffing.models import VillageAssistant
from supervision.models import Inspection
from supervision.services import inspection_create
from tests.factories.offices import VillageFactory
from tests.factories.regulations import PDF_BYTES
from training.services import session_create

pytestmark = pytest.mark.django_db


def refused(label):
    return f"「{label}」不能包含控制字符（如从Word粘贴带来的换行符），请删除后重试。"


@pytest.fixture
def village(township):
    return VillageFactory(township=township, name="东关村民委员会")


def assistant_data(village, **changes):
    return {"village": village.pk, "name": "张三", "sex": "male", "birth_date": "1980-01-01",
            "education": "secondary", "role": "two_committees", "start_date": "2021-01-10", **changes}


def test_a_vertical_tab_in_an_assistants_name_is_refused_on_the_page(township, clerk, login, village):
    client = login(clerk)
    url = reverse("staffing:assistant_add", args=[township.code])
    response = client.post(url, assistant_data(village, name="张\x0b三"))
    assert response.status_code == 200
    assert refused("姓名") in response.content.decode()
    assert not VillageAssistant.objects.exists()
    assert client.post(url, assistant_data(village)).status_code == 302


def test_the_service_refuses_it_too(village):
    with pytest.raises(ValidationError) as caught:
        staffing.assistant_create(village=village, name="张\x0b三", sex="male", birth_date=datetime.date(1980, 1, 1),
                                  education="secondary", role="two_committees",
                                  start_date=datetime.date(2021, 1, 10))
    assert caught.value.message_dict == {"name": [refused("姓名")]}
    assert not VillageAssistant.objects.exists()


def test_a_workstation_name_added_per_village_is_refused_naming_the_village(township, clerk, login, village):
    response = login(clerk).post(reverse("facilities:stations", args=[township.code]),
                                 {f"kind_{village.pk}": "", f"name_{village.pk}": "东关\x0c工作站"})
    assert response.status_code == 200
    assert refused("东关村民委员会工作站名称") in response.content.decode()
    assert not VillageStation.objects.exists()


def test_findings_keep_their_lines_and_refuse_a_form_feed(township, county_official, login):
    client = login(county_official)
    data = {"township": township.pk, "date": "2025-03-01", "inspectors": "王五、赵六", "deadline": "2025-04-01"}
    response = client.post(reverse("supervision:inspection_add"), {**data, "findings": "一、台账不全\x0c二、制度未上墙"})
    assert response.status_code == 200 and refused("发现问题") in response.content.decode()
    response = client.post(reverse("supervision:inspection_add"), {**data, "inspectors": "王五\n赵六",
                                                                    "findings": "一、台账不全"})
    assert response.status_code == 200 and refused("检查人员") in response.content.decode()
    assert not Inspection.objects.exists()
    response = client.post(reverse("supervision:inspection_add"), {**data, "findings": "一、台账不全\r\n二、制度未上墙"})
    assert response.status_code == 302
    assert Inspection.objects.get().findings.get().text == "一、台账不全\r\n二、制度未上墙"


def test_services_of_every_app_refuse_control_characters(township, city, county, village):
    calls = {
        "staffing": lambda: staffing.staff_create(
            township=township, name="李\x01四", sex="female", birth_date=datetime.date(1985, 6, 1),
            education="bachelor", start_date=datetime.date(2015, 3, 1)),
        "offices": lambda: office_update(township=township, name="兰山街道民政办公室", setup="standalone",
                                         address="兰山路\x0b1号"),
        "regulations": lambda: regulation_create(
            township=township, kind="procedures", title="办事\x7f程序", adopted_on=datetime.date(2024, 3, 1),
            file=SimpleUploadedFile("a.pdf", PDF_BYTES)),
        "supervision": lambda: inspection_create(
            township=township, level="county", date=datetime.date(2025, 3, 1), inspectors="王五",
            findings="问题\x00", deadline=datetime.date(2025, 4, 1)),
        "assessments": lambda: circular_create(city=city, year=2025, title="通报\u2028标题", preface="第一段\n第二段"),
    }
    fields = {"staffing": ("name", "姓名"), "offices": ("address", "办公地址"), "regulations": ("title", "制度名称"),
              "supervision": ("findings", "发现问题"), "assessments": ("title", "标题")}
    for app, call in calls.items():
        with pytest.raises(ValidationError) as caught:
            call()
        field, label = fields[app]
        assert caught.value.message_dict[field] == [refused(label)], app
    assert not Circular.objects.exists() and not Inspection.objects.exists()


def test_training_topics_are_refused_for_the_county(county_official):
    with pytest.raises(ValidationError) as caught:
        session_create(user=county_official, date=datetime.date(2025, 3, 1), topic="业务\x1b培训", hours=4,
                       audience="township_staff")
    assert caught.value.message_dict["topic"] == [refused("培训主题")]
