"""Background jobs: a large export runs on the queue, its page shows progress, only its requester sees it."""
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments import exports
from offices.models import Job
from offices.workbooks import read_table
from tests.factories.offices import UserFactory

pytestmark = pytest.mark.django_db


def test_a_city_of_ordinary_size_downloads_at_once(small_city, city_staff, login):
    response = login(city_staff).get(reverse("assessments:export_city", args=[small_city.city.code]), {"year": 2025})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not Job.objects.exists()


def test_a_large_city_is_written_in_the_background(small_city, city_staff, login, settings):
    settings.WUYOU_SYNC_EXPORT_MAX_TOWNSHIPS = 2  # the small city has three townships
    client = login(city_staff)
    url = reverse("assessments:export_city", args=[small_city.city.code])
    confirm = client.get(url, {"year": 2025})
    assert confirm.status_code == 200 and "后台生成" in confirm.content.decode()
    assert not Job.objects.exists()  # a GET starts nothing
    started = client.post(f"{url}?year=2025")
    job = Job.objects.get()
    assert started.status_code == 302 and started["Location"] == reverse("offices:job", args=[job.pk])
    assert (job.kind, job.state, job.requested_by, job.done, job.total) == (
        Job.Kind.EXPORT, Job.State.DONE, city_staff, 3, 3)
    status = client.get(reverse("offices:job_status", args=[job.pk])).json()
    assert status["finished"] and status["percent"] == 100
    page = client.get(reverse("offices:job", args=[job.pk])).content.decode()
    assert job.filename in page and reverse("offices:job_download", args=[job.pk]) in page
    download = client.get(reverse("offices:job_download", args=[job.pk]))
    book = load_workbook(BytesIO(b"".join(download.streaming_content)))
    columns, rows = read_table(book[exports.DETAIL_SHEET])
    assert [row[columns["乡镇（街道）"]] for row in rows[:-2]] == ["兰山街道", "银雀山街道", "罗庄镇"]
    assert rows[-2][0] == "合计（3个乡镇）"


def test_a_job_is_seen_only_by_whoever_asked(small_city, city_staff, login, settings):
    settings.WUYOU_SYNC_EXPORT_MAX_TOWNSHIPS = 0
    login(city_staff).post(reverse("assessments:export_city", args=[small_city.city.code]) + "?year=2025")
    job = Job.objects.get()
    colleague = login(UserFactory(role="city", city=small_city.city))
    for name in ("offices:job", "offices:job_status", "offices:job_download"):
        assert colleague.get(reverse(name, args=[job.pk])).status_code == 404


def test_a_failed_job_says_so(small_city, city_staff, login, settings, monkeypatch):
    settings.WUYOU_SYNC_EXPORT_MAX_TOWNSHIPS = 0

    def broken(*args, **kwargs):
        raise OSError("磁盘已满")

    monkeypatch.setattr(exports, "write_workbook", broken)
    client = login(city_staff)
    with pytest.raises(OSError):
        client.post(reverse("assessments:export_city", args=[small_city.city.code]) + "?year=2025")
    job = Job.objects.get()
    assert job.state == Job.State.FAILED and "磁盘已满" in job.message
    assert client.get(reverse("offices:job_download", args=[job.pk])).status_code == 404


def test_the_jobs_list_shows_only_the_users_own_jobs(small_city, city_staff, login, settings):
    settings.WUYOU_SYNC_EXPORT_MAX_TOWNSHIPS = 0
    client = login(city_staff)
    assert reverse("offices:jobs") in client.get(
        reverse("assessments:dashboard", args=[small_city.city.code]), {"year": 2025}).content.decode()
    client.post(reverse("assessments:export_city", args=[small_city.city.code]) + "?year=2025")
    job = Job.objects.get()
    page = client.get(reverse("offices:jobs")).content.decode()
    assert reverse("offices:job", args=[job.pk]) in page and reverse("offices:job_download", args=[job.pk]) in page
    other = login(UserFactory(role="city", city=small_city.city)).get(reverse("offices:jobs")).content.decode()
    assert reverse("offices:job", args=[job.pk]) not in other and "还没有后台任务" in other
