"""An uploaded regulation leaves a history, counts from its adoption year on for the lock, and uploads once."""
import datetime
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from offices import reporting
from offices.acting import acting_as
from offices.models import AnnualReport, ReportState
from regulations import services
from regulations.models import RegulationDocument
from tests.factories.offices import UserFactory
from tests.factories.regulations import PDF_BYTES

pytestmark = pytest.mark.django_db

LOCKED = 2024
ADDRESS = "10.8.0.11"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def post(client, township, adopted_on, **extra):
    data = {"kind": "procedures", "title": "民政业务办事程序", "adopted_on": adopted_on,
            "file": SimpleUploadedFile("规则.pdf", PDF_BYTES), **extra}
    return client.post(reverse("regulations:add", args=[township.code]), data, REMOTE_ADDR=ADDRESS)


def lock(township, state=ReportState.SUBMITTED, year=LOCKED):
    return AnnualReport.objects.create(township=township, year=year, state=state)


def this_year_date():
    return datetime.date(timezone.localdate().year, 1, 1).isoformat()


def test_an_upload_records_who_and_where(township, clerk, login):
    assert post(login(clerk), township, "2023-03-01").status_code == 302
    document = RegulationDocument.objects.get()
    row = RegulationDocument.history.get(id=document.pk)
    assert (row.history_type, row.history_user_id, row.history_address, row.title) == (
        "+", clerk.pk, ADDRESS, "民政业务办事程序")


def test_a_regulation_adopted_by_a_submitted_year_is_refused(township, clerk, login, media_root):
    lock(township)
    response = post(login(clerk), township, f"{LOCKED}-03-01")
    assert response.status_code == 200 and "2024年度填报已报送" in response.content.decode()
    assert not RegulationDocument.objects.exists() and not RegulationDocument.history.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]  # no file stored either


def test_a_regulation_adopted_after_the_locked_year_is_saved(township, clerk, login):
    lock(township)
    assert post(login(clerk), township, this_year_date()).status_code == 302
    assert RegulationDocument.objects.count() == 1


def test_an_accepted_year_refuses_the_system_and_a_superuser(township):
    lock(township, ReportState.ACCEPTED)
    values = {"township": township, "kind": "procedures", "title": "制度", "adopted_on": datetime.date(2020, 1, 1)}
    with pytest.raises(ValidationError) as error:
        services.regulation_create(**values, file=SimpleUploadedFile("a.pdf", PDF_BYTES))
    assert error.value.code == "locked"
    with acting_as(UserFactory(is_superuser=True, is_staff=True)), pytest.raises(ValidationError):
        services.regulation_create(**values, file=SimpleUploadedFile("a.pdf", PDF_BYTES))
    assert not RegulationDocument.objects.exists()


def test_a_lock_exception_reopens_the_year(township, clerk, county_official, login):
    report = lock(township, ReportState.ACCEPTED)
    client = login(clerk)
    assert post(client, township, "2020-05-01").status_code == 200
    reporting.lock_exception_grant(report=report, until=timezone.now() + timedelta(days=2), reason="补传制度",
                                   user=county_official)
    assert post(client, township, "2020-05-01").status_code == 302
    assert RegulationDocument.objects.count() == 1


def test_an_upload_sent_twice_is_saved_once(township, clerk, login):
    client = login(clerk)
    html = client.get(reverse("regulations:add", args=[township.code])).content.decode()
    token = re.search(r'name="form_token" value="([^"]*)"', html).group(1)
    assert post(client, township, "2023-03-01", form_token=token).status_code == 302
    response = post(client, township, "2023-03-01", form_token=token)
    assert response.status_code == 302
    assert RegulationDocument.objects.count() == 1
