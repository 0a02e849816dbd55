"""The reporting cycle's pages: each step through the views by the right role, refusals, to-dos, deadlines."""
from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from offices import reporting
from offices.models import AnnualReport, LockException, ReportAction, ReportEvent, ReportingCalendar, ReportState
from tests.factories.offices import PopulationFactory, TownshipFactory, UserFactory
from tests.store import fill_store

pytestmark = pytest.mark.django_db

YEAR = 2025
RULE = "staffing.staff_in_post"


@pytest.fixture
def data(township, other_township, clerk, county_official, city_staff):
    """The township with two years of population, stored (after the users: creating one empties the store)."""
    PopulationFactory(township=township, year=YEAR - 1, resident=60_000)
    PopulationFactory(township=township, year=YEAR, resident=90_000)  # moved 50 %: flagged for the county
    PopulationFactory(township=other_township, year=YEAR, resident=30_000)
    fill_store(years=[YEAR - 1, YEAR])
    return township


def page(township, year=YEAR):
    return reverse("reporting:report", args=[township.code, year])


def post(client, township, action, **fields):
    data = {"action": action, **{f"{action}-{name}": value for name, value in fields.items()}}
    return client.post(page(township), data)


def state(township):
    return AnnualReport.objects.get(township=township, year=YEAR).state


def submitted(township, clerk):
    return reporting.report_submit(township=township, year=YEAR, statement="自查完毕", user=clerk)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_clerk_submits_with_a_statement(data, clerk, login):
    client = login(clerk)
    response = client.get(page(data))
    assert response.status_code == 200 and "报送" in response.content.decode()
    assert not AnnualReport.objects.exists()  # a GET writes nothing
    response = post(client, data, "submit", statement="")
    assert "请填写自评说明。" in response.content.decode()
    response = post(client, data, "submit", statement="已完成自查，人员配备不足一人。")
    assert response.status_code == 302 and state(data) == ReportState.SUBMITTED
    # submitting twice: the service refuses the state (the button is gone; a forged POST is told why)
    response = post(client, data, "submit", statement="again")
    assert "不能执行该操作" in messages_of(response)[-1]
    assert ReportEvent.objects.filter(action=ReportAction.SUBMIT).count() == 1


def test_the_statement_is_kept_and_shown(data, clerk, login):
    client = login(clerk)
    post(client, data, "submit", statement="已完成自查，人员配备不足一人。")
    assert AnnualReport.objects.get().statement == "已完成自查，人员配备不足一人。"
    assert "已完成自查，人员配备不足一人。" in client.get(page(data)).content.decode()


def test_a_double_clicked_submit_counts_once(data, clerk, login):
    client = login(clerk)
    token = "4b0a1c1e-2a7c-4a57-9a55-1d6e7f3a9b10"
    for _ in range(2):
        response = client.post(page(data), {"action": "submit", "submit-statement": "自查完毕", "form_token": token})
    assert "该表单已保存过，重复提交未再次保存。" in messages_of(response)
    assert ReportEvent.objects.count() == 1


def test_the_county_returns_with_reasons_shown_to_the_clerk_beside_the_rule(data, clerk, county_official, login):
    submitted(data, clerk)
    client = login(county_official)
    html = client.get(page(data)).content.decode()
    assert "审核通过" in html and "退回" in html and f'name="return-rule__{RULE}"' in html
    assert 'data-moved="1"' in html  # the population moved 50 % from last year
    response = post(client, data, "return", reason="")
    assert "请填写退回理由。" in response.content.decode() and state(data) == ReportState.SUBMITTED
    response = client.post(page(data), {"action": "return", "return-reason": "人员数据需核实",
                                        f"return-rule__{RULE}": "请补录新进人员"})
    assert response.status_code == 302 and state(data) == ReportState.RETURNED
    assert AnnualReport.objects.get().rule_reasons == {RULE: "请补录新进人员"}

    client = login(clerk)
    scorecard = client.get(reverse("assessments:scorecard", args=[data.code]) + f"?year={YEAR}").content.decode()
    assert "人员数据需核实" in scorecard and "退回意见：请补录新进人员" in scorecard
    report_page = client.get(page(data)).content.decode()
    assert "请补录新进人员" in report_page and 'data-testid="changes"' in report_page


def test_a_resubmission_shows_what_changed_since_the_return(data, clerk, county_official, login):
    report = submitted(data, clerk)
    reporting.report_return(report=report, reason="人口有误", user=county_official)
    from offices import services
    from offices.acting import acting_as

    with acting_as(clerk):
        services.population_set(township=data, year=YEAR, resident=61_000, registered=62_000, confirmed=True)
    submitted(data, clerk)
    html = login(county_official).get(page(data)).content.decode()
    change = html[html.index('data-testid="population-change"'):].split("</p>")[0].replace(",", "")
    assert "90000" in change and "61000" in change


def test_the_county_approves_and_the_city_accepts(data, clerk, county_official, city_staff, login):
    submitted(data, clerk)
    response = post(login(county_official), data, "approve", note="同意")
    assert response.status_code == 302 and state(data) == ReportState.APPROVED
    html = login(city_staff).get(page(data)).content.decode()
    assert "验收通过" in html
    response = post(login(city_staff), data, "approve", note="")
    assert state(data) == ReportState.ACCEPTED
    timeline = login(clerk).get(page(data)).content.decode()
    assert "县级审核通过" in timeline and "市级验收通过" in timeline and "同意" in timeline


def test_the_city_returns_what_the_county_approved(data, clerk, county_official, city_staff, login):
    report = submitted(data, clerk)
    reporting.report_approve(report=report, user=county_official)
    response = post(login(city_staff), data, "return", reason="经费数据与财政不符")
    assert response.status_code == 302 and state(data) == ReportState.RETURNED
    assert AnnualReport.objects.get().returned_by == "city"


def test_wrong_role_is_refused(data, clerk, county_official, city_staff, login):
    # the clerk may not approve or return; the county may not submit
    submitted(data, clerk)
    assert post(login(clerk), data, "approve", note="").status_code == 403
    assert post(login(clerk), data, "return", reason="x").status_code == 403
    assert state(data) == ReportState.SUBMITTED
    other = TownshipFactory(county=data.county)
    PopulationFactory(township=other, year=YEAR)
    assert login(county_official).post(page(other), {"action": "submit", "submit-statement": "x"}).status_code == 403
    # the city may not approve in the county's stead: nothing shows, a forged POST is refused
    assert post(login(city_staff), data, "approve", note="").status_code == 403
    assert state(data) == ReportState.SUBMITTED


def test_out_of_scope_is_404(data, clerk, other_township, login):
    outsider = UserFactory(county_official=True)
    assert login(outsider).get(page(data)).status_code == 404
    assert login(clerk).get(page(other_township)).status_code == 404
    assert login(clerk).get(reverse("reporting:county", args=[data.county.code, YEAR])).status_code == 403
    assert login(outsider).get(reverse("reporting:county", args=[data.county.code, YEAR])).status_code == 404
    assert login(outsider).get(reverse("reporting:city", args=[data.county.city.code, YEAR])).status_code == 403
    assert login(clerk).get(page(data, 1700)).status_code == 404


def test_the_county_grants_a_lock_exception(data, clerk, county_official, login):
    report = submitted(data, clerk)
    client = login(county_official)
    until = timezone.localtime() + timedelta(days=40)
    response = post(client, data, "unlock", until=until.strftime("%Y-%m-%dT%H:%M"), unlock_reason="更正人口")
    assert "临时解锁最长30天。" in response.content.decode() and not LockException.objects.exists()
    response = post(client, data, "unlock", until="", unlock_reason="")
    assert "请填写解锁截止时间。" in response.content.decode()
    until = timezone.localtime() + timedelta(days=3)
    response = post(client, data, "unlock", until=until.strftime("%Y-%m-%dT%H:%M"), unlock_reason="更正人口")
    assert response.status_code == 302
    exception = LockException.objects.get()
    assert exception.reason == "更正人口" and exception.event.report == report
    html = login(clerk).get(page(data)).content.decode()
    assert 'data-testid="unlock-note"' in html and "更正人口" in html


def test_the_city_sets_the_calendar(data, city_staff, county_official, login):
    url = reverse("reporting:calendar", args=[YEAR])
    assert login(county_official).get(url).status_code == 403
    client = login(city_staff)
    assert client.get(url).status_code == 200
    response = client.post(url, {"submit_by": "2026-01-31", "review_by": "2026-01-15", "change_threshold": "30"})
    assert "县级审核截止日不能早于乡镇报送截止日。" in response.content.decode()
    response = client.post(url, {"submit_by": "2026-01-31", "review_by": "2026-02-28", "change_threshold": "20"})
    assert response.status_code == 302
    calendar = ReportingCalendar.objects.get()
    assert (calendar.submit_by, calendar.review_by, calendar.change_threshold) == (
        date(2026, 1, 31), date(2026, 2, 28), 20)
    html = client.get(page(data)).content.decode()
    assert "2026-01-31" in html and "2026-02-28" in html


def test_to_do_counts_per_role(data, other_township, clerk, county_official, city_staff, login):
    ReportingCalendar.objects.create(city=data.county.city, year=YEAR, submit_by=date(2026, 1, 31),
                                     review_by=date(2026, 2, 28))
    todo = reverse("reporting:todo") + f"?year={YEAR}"
    html = login(clerk).get(todo).content.decode()
    assert "去报送" in html and "2026-01-31" in html
    report = submitted(data, clerk)
    html = login(county_official).get(todo).content.decode()
    assert 'data-testid="todo-count">1<' in html and "审核逾期" in html  # review_by has passed
    assert other_township.name in html  # not submitted yet
    reporting.report_return(report=report, reason="请补充说明", user=county_official)
    html = login(clerk).get(todo).content.decode()
    assert "请补充说明" in html and "去修改" in html
    report = submitted(data, clerk)
    reporting.report_approve(report=report, user=county_official)
    html = login(city_staff).get(todo).content.decode()
    assert 'data-testid="todo-count">1<' in html and "验收" in html


def test_each_role_lands_with_its_to_do_counts(data, clerk, county_official, login):
    submitted(data, clerk)
    response = login(county_official).get(reverse("home") + f"?year={YEAR}")
    assert response.status_code == 302
    assert any("待审核 1 份" in message for message in messages_of(response))


def test_the_township_page_links_to_the_report(data, clerk, login):
    html = login(clerk).get(reverse("offices:township", args=[data.code]) + f"?year={YEAR}").content.decode()
    assert page(data) in html


def test_lists_keep_their_queries_bounded(data, clerk, county_official, city_staff, login,
                                          django_assert_max_num_queries):
    for _ in range(5):
        township = TownshipFactory(county=data.county)
        PopulationFactory(township=township, year=YEAR)
        reporting.report_submit(township=township, year=YEAR, statement="ok",
                                user=UserFactory(role="township", township=township))
    county_client = login(county_official)
    with django_assert_max_num_queries(10):
        assert county_client.get(reverse("reporting:county", args=[data.county.code, YEAR])).status_code == 200
    with django_assert_max_num_queries(10):
        assert county_client.get(reverse("reporting:todo") + f"?year={YEAR}").status_code == 200
    with django_assert_max_num_queries(20):
        assert county_client.get(page(data)).status_code == 200
    city_client = login(city_staff)
    with django_assert_max_num_queries(10):
        assert city_client.get(reverse("reporting:city", args=[data.county.city.code, YEAR])).status_code == 200
    with django_assert_max_num_queries(10):
        assert city_client.get(reverse("reporting:todo") + f"?year={YEAR}").status_code == 200


JUNK = ["", "abc", "\x00", "9" * 400, "<script>x</script>", "2026-13-45T99:99", "-1"]


@pytest.mark.parametrize("stage", ["draft", "submitted", "approved", "accepted"])
def test_junk_never_answers_500(data, clerk, county_official, city_staff, login, stage):
    report = submitted(data, clerk) if stage != "draft" else None
    if stage in ("approved", "accepted"):
        report = reporting.report_approve(report=report, user=county_official)
    if stage == "accepted":
        reporting.report_accept(report=report, user=city_staff)
    fields = ["submit-statement", "return-reason", f"return-rule__{RULE}", "return-rule__nope", "approve-note",
              "unlock-until", "unlock-unlock_reason", "form_token"]
    for user in (clerk, county_official, city_staff):
        client = login(user)
        for action in ("submit", "return", "approve", "unlock", "nope", ""):
            for junk in JUNK:
                response = client.post(page(data), {"action": action, **{name: junk for name in fields}})
                assert response.status_code in (200, 302, 400, 403), (user.role, action, junk)
    for junk in JUNK:
        response = login(city_staff).post(reverse("reporting:calendar", args=[YEAR]),
                                          {"submit_by": junk, "review_by": junk, "change_threshold": junk})
        assert response.status_code in (200, 400) and not ReportingCalendar.objects.exists()
    assert login(clerk).get(reverse("reporting:todo") + "?year=abc").status_code == 200
