"""The background jobs list as an offices.tables list: the user's own jobs, newest first, 序号 across pages, sorting,
red for a failed job, the download button, the same rows as a file, and queries that do not grow."""
import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from offices.models import Job
from offices.workbooks import read_table
from tests.factories.offices import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("offices:jobs")


def cells(html, column):
    return [re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(rf'data-column="{column}"[^>]*>(.*?)</td>', html, re.S)]


def job(user, title, state, *, hours_ago, **fields):
    made = Job.objects.create(kind=Job.Kind.EXPORT, title=title, state=state, requested_by=user, **fields)
    Job.objects.filter(pk=made.pk).update(created_at=timezone.now() - timedelta(hours=hours_ago))
    return made


@pytest.fixture
def jobs(city_staff):
    done = job(city_staff, "乙 全市达标情况表", Job.State.DONE, hours_ago=3, file="jobs/2025/01/a.xlsx",
               filename="a.xlsx", finished_at=timezone.now())
    failed = job(city_staff, "甲 重新计算", Job.State.FAILED, hours_ago=2, message="磁盘已满")
    running = job(city_staff, "丙 兰山区达标情况表", Job.State.RUNNING, hours_ago=1, done=2, total=5)
    return done, failed, running


def test_the_users_jobs_newest_first_with_state_and_download(city_staff, login, jobs):
    done, failed, running = jobs
    html = login(city_staff).get(URL).content.decode()
    assert re.findall(r"data-row-number>(\d+)<", html) == ["1", "2", "3"]
    assert cells(html, "title") == ["丙 兰山区达标情况表", "甲 重新计算", "乙 全市达标情况表"]
    assert cells(html, "state") == ["进行中（40%）", "失败", "已完成"]
    failed_cell = re.search(r'<td[^>]*data-column="state"[^>]*data-failed[^>]*>失败</td>', html)
    assert failed_cell and "text-danger" in failed_cell.group(0)
    assert html.count("data-failed") == 1
    assert reverse("offices:job", args=[failed.pk]) in html
    assert html.count('data-testid="job-download"') == 1
    assert reverse("offices:job_download", args=[done.pk]) in html
    assert 'data-testid="export"' in html and "共3条" in html


def test_sorting_by_state_and_title(city_staff, login, jobs):
    client = login(city_staff)
    by_state = client.get(URL, {"jobs-sort": "state"}).content.decode()
    assert cells(by_state, "state") == ["进行中（40%）", "已完成", "失败"]  # the order a job goes through
    by_state = client.get(URL, {"jobs-sort": "-state"}).content.decode()
    assert cells(by_state, "state") == ["失败", "已完成", "进行中（40%）"]
    oldest = client.get(URL, {"jobs-sort": "created_at"}).content.decode()
    assert cells(oldest, "title")[0] == "乙 全市达标情况表"
    assert 'aria-sort="ascending" data-sort="created_at"' in oldest


def test_numbered_across_pages(city_staff, login):
    for number in range(53):
        job(city_staff, f"任务{number}", Job.State.DONE, hours_ago=number)
    second = login(city_staff).get(URL, {"jobs-page": 2}).content.decode()
    assert re.findall(r"data-row-number>(\d+)<", second) == ["51", "52", "53"]
    assert "共53条" in second


def test_the_export_holds_the_users_jobs_only(city_staff, login, jobs):
    other = UserFactory(role="city", city=city_staff.city)
    job(other, "别人的任务", Job.State.DONE, hours_ago=0)
    response = login(city_staff).get(URL, {"jobs-sort": "-state", "export": "jobs"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    keys, data = read_table(load_workbook(BytesIO(response.content)).active)
    assert list(keys) == ["序号", "任务", "状态", "提交时间", "完成时间"]
    assert [row[1] for row in data] == ["甲 重新计算", "乙 全市达标情况表", "丙 兰山区达标情况表"]
    theirs = login(other).get(URL, {"export": "jobs"})
    assert [row[1] for row in read_table(load_workbook(BytesIO(theirs.content)).active)[1]] == ["别人的任务"]
    assert "还没有后台任务" in login(UserFactory(role="city", city=city_staff.city)).get(URL).content.decode()


def test_queries_do_not_grow_with_rows(city_staff, login, jobs, django_assert_max_num_queries):
    client = login(city_staff)
    client.get(URL)
    with django_assert_max_num_queries(10) as few:
        client.get(URL)
    for number in range(10):
        job(city_staff, f"任务{number}", Job.State.FAILED, hours_ago=5 + number)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(URL, {"jobs-sort": "state"}).status_code == 200
