"""Accepted or latest figures on the dashboard, county page and files; the reporting rate and who lags behind.

The small city (tests.assessments.oversight_fixtures) has 兰山街道 60,000, 银雀山街道 40,000 and 罗庄镇 90,000
people in 2025. The fake rules ask 0.2 yuan a head of working funds against 10,000 yuan: 兰山街道 is short
2,000 yuan, 罗庄镇 8,000.
"""
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments import exports, oversight
from assessments import services as export_services
from offices import reporting, services
from offices.acting import acting_as
from offices.models import AnnualReport, Job, ReportingCalendar, ReportState, SnapshotResult, SnapshotStage
from tests.assessments.oversight_fixtures import add_townships
from tests.factories.offices import PopulationFactory, TownshipFactory, UserFactory
from tests.store import fill_store

pytestmark = pytest.mark.django_db

YEAR = 2025


def dashboard_url(city):
    return reverse("assessments:dashboard", args=[city.code])


def county_url(county):
    return reverse("assessments:county", args=[county.code])


def accept(township, *, county_user, city_user):
    clerk = UserFactory(role="township", township=township)
    report = reporting.report_submit(township=township, year=YEAR, statement="自查完毕", user=clerk)
    report = reporting.report_approve(report=report, user=county_user)
    return reporting.report_accept(report=report, user=city_user)


@pytest.fixture
def accepted(small_city, city_staff):
    """兰山街道 and 银雀山街道 accepted at 60,000 and 40,000 people; then 兰山街道 corrected to 40,000 under an unlock."""
    lanshan, yinque, _luozhuang = small_city.townships
    county_user = UserFactory(role="county", county=small_city.counties[0])
    report = accept(lanshan, county_user=county_user, city_user=city_staff)
    accept(yinque, county_user=county_user, city_user=city_staff)
    reporting.lock_exception_grant(report=report, until=timezone.now() + timedelta(days=1), reason="人口更正",
                                   user=county_user)
    with acting_as(county_user):
        services.population_set(township=lanshan, year=YEAR, resident=40_000, registered=40_000, confirmed=True)
    return small_city


def funds_shortfall_of_snapshots(city):
    rows = SnapshotResult.objects.current(SnapshotStage.ACCEPTED).filter(
        city=city, year=YEAR, code=oversight.FUNDS_RULE, status="fail")
    return sum((row.gap for row in rows), Decimal(0)).quantize(Decimal("0.01"))


class TestScope:
    def test_accepted_figures_stay_as_accepted_while_the_latest_move(self, accepted):
        latest = oversight.totals(oversight.scope_for(None, city=accepted.city), YEAR)
        frozen = oversight.totals(oversight.scope_for(None, city=accepted.city, figures="accepted"), YEAR)
        # Latest: 兰山街道 now has 40,000 people (no shortfall); only 罗庄镇 is short.
        assert (latest.townships, latest.funds_shortfall) == (3, Decimal("8000.00"))
        # Accepted: the two accepted townships as they stood at acceptance; 罗庄镇 is absent.
        assert (frozen.townships, frozen.funds_shortfall) == (2, Decimal("2000.00"))
        assert frozen.funds_shortfall == funds_shortfall_of_snapshots(accepted.city)
        assert frozen.overall.failing == 1 and latest.overall.failing == 1
        assert frozen.missing_equipment == {"打印机": 1}

    def test_anything_but_accepted_means_the_latest(self):
        assert oversight.figures_of("accepted") == oversight.ACCEPTED
        for value in (None, "", "latest", "<x>", "ACCEPTED"):
            assert oversight.figures_of(value) == oversight.LATEST

    def test_the_line_says_which_figures(self, small_city):
        assert oversight.scope_for(None).figures_line(3, 3) == "口径：最新数据"
        scope = oversight.scope_for(None, figures="accepted")
        assert scope.figures_line(2, 3) == "口径：验收数据（已验收2个乡镇，共3个）"
        assert scope.figures_label == "验收数据"

    def test_accepted_figures_are_scoped_like_the_latest(self, accepted):
        stranger = UserFactory(role="county", county=accepted.counties[1])
        scope = oversight.scope_for(stranger, figures="accepted")
        assert oversight.totals(scope, YEAR).townships == 0  # both accepted townships are in the other county


class TestDashboard:
    def test_latest_by_default_and_says_so(self, accepted, city_staff, login):
        page = login(city_staff).get(dashboard_url(accepted.city), {"year": YEAR})
        html = page.content.decode()
        assert page.context["figures"] == "latest"
        assert "口径：最新数据" in html
        assert page.context["view"].totals.townships == 3
        assert 'value="latest" selected' in html

    def test_accepted_figures_and_the_links_keep_them(self, accepted, city_staff, login):
        page = login(city_staff).get(dashboard_url(accepted.city), {"year": YEAR, "figures": "accepted"})
        html = page.content.decode()
        assert "口径：验收数据（已验收2个乡镇，共3个）" in html
        view = page.context["view"]
        assert view.totals.townships == 2 and view.totals.funds_shortfall == Decimal("2000.00")
        assert [row.county.name for row in view.counties] == ["兰山区"]
        assert [row.township.name for row in page.context["failing"]] == ["兰山街道"]
        county = county_url(accepted.counties[0])
        assert page.context["charts"]["counties"][0]["url"] == f"{county}?year={YEAR}&figures=accepted"
        assert f"{county}?year={YEAR}&amp;figures=accepted" in html
        export = reverse("assessments:export_city", args=[accepted.city.code])
        assert f"{export}?year={YEAR}&amp;figures=accepted" in html
        assert reverse("assessments:dashboard_trend", args=[accepted.city.code]) + "?figures=accepted" in html
        assert '<input type="hidden" name="figures" value="accepted">' in html  # the filter form keeps them
        assert 'value="accepted" selected' in html

    def test_the_year_picker_carries_the_figures(self, accepted, city_staff, login):
        html = login(city_staff).get(dashboard_url(accepted.city), {"year": YEAR, "figures": "accepted",
                                                                    "status": "pass"}).content.decode()
        picker = html[html.index('data-testid="year-picker"'):]
        picker = picker[:picker.index("</form>")]
        assert '<input type="hidden" name="figures" value="accepted">' in picker
        assert '<input type="hidden" name="status" value="pass">' in picker

    def test_trend_of_accepted_figures(self, accepted, city_staff, login):
        url = reverse("assessments:dashboard_trend", args=[accepted.city.code])
        client = login(city_staff)
        latest = client.get(url).json()
        frozen = client.get(url, {"figures": "accepted"}).json()
        assert latest["years"] == frozen["years"] == [2024, 2025]
        assert latest["series"][0]["values"] == [100.0, 66.7]  # 兰山街道 passes with 40,000 people: 2 of 3
        assert frozen["series"][0]["values"] == [None, 50.0]  # as accepted: 兰山街道 failed; nothing accepted in 2024

    def test_query_count_is_pinned_for_both_figures(self, accepted, city_staff, login, django_assert_num_queries):
        client = login(city_staff)
        client.get(dashboard_url(accepted.city), {"year": YEAR})  # warm caches (session, content types)
        fill_store()
        with django_assert_num_queries(LATEST_DASHBOARD_QUERIES):
            client.get(dashboard_url(accepted.city), {"year": YEAR})
        with django_assert_num_queries(ACCEPTED_DASHBOARD_QUERIES):
            client.get(dashboard_url(accepted.city), {"year": YEAR, "figures": "accepted"})
        county_user = UserFactory(role="county", county=accepted.counties[1])
        for township in add_townships(accepted.counties[1], 3):
            accept(township, county_user=county_user, city_user=city_staff)
        with django_assert_num_queries(ACCEPTED_DASHBOARD_QUERIES):
            page = client.get(dashboard_url(accepted.city), {"year": YEAR, "figures": "accepted"})
        assert page.context["view"].totals.townships == 5


class TestCountyPage:
    def test_accepted_rows_are_the_snapshots(self, accepted, county_official, login):
        county = accepted.counties[0]
        client = login(county_official)
        latest = client.get(county_url(county), {"year": YEAR})
        frozen = client.get(county_url(county), {"year": YEAR, "figures": "accepted"})
        assert {r.card.township.name: r.card.population for r in latest.context["rows"]} == {
            "兰山街道": 40_000, "银雀山街道": 40_000}
        assert {r.card.township.name: r.card.population for r in frozen.context["rows"]} == {
            "兰山街道": 60_000, "银雀山街道": 40_000}
        assert 'data-total="funds_shortfall">2,000元<' in frozen.content.decode()
        assert 'data-total="funds_shortfall">0' in latest.content.decode()
        assert "口径：最新数据" in latest.content.decode()
        assert "口径：验收数据（已验收2个乡镇，共2个）" in frozen.content.decode()
        export = reverse("assessments:export_county", args=[county.code])
        assert f"{export}?year={YEAR}&amp;figures=accepted" in frozen.content.decode()

    def test_query_count_is_pinned_for_both_figures(self, accepted, county_official, city_staff, login,
                                                    django_assert_num_queries):
        client = login(county_official)
        county = accepted.counties[0]
        client.get(county_url(county), {"year": YEAR})
        fill_store()
        with django_assert_num_queries(LATEST_COUNTY_QUERIES):
            client.get(county_url(county), {"year": YEAR})
        with django_assert_num_queries(ACCEPTED_COUNTY_QUERIES):
            client.get(county_url(county), {"year": YEAR, "figures": "accepted"})
        for township in add_townships(county, 3):
            accept(township, county_user=county_official, city_user=city_staff)
        with django_assert_num_queries(ACCEPTED_COUNTY_QUERIES):
            page = client.get(county_url(county), {"year": YEAR, "figures": "accepted"})
        assert len(page.context["rows"]) == 5


def detail_rows(book):
    sheet = book[exports.DETAIL_SHEET]
    return [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]


def text_of(book):
    return "\n".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
                     if cell is not None)


class TestExports:
    def test_county_file_of_accepted_figures(self, accepted, county_official, login):
        url = reverse("assessments:export_county", args=[accepted.counties[0].code])
        client = login(county_official)
        frozen = load_workbook(BytesIO(b"".join(client.get(url, {"year": YEAR, "figures": "accepted"})
                                                .streaming_content)))
        latest = load_workbook(BytesIO(b"".join(client.get(url, {"year": YEAR}).streaming_content)))
        assert "口径：验收数据" in text_of(frozen) and "口径：最新数据" in text_of(latest)
        lanshan = [row for row in detail_rows(frozen) if "兰山街道" in row]
        assert lanshan and 60_000 in lanshan[0]
        lanshan = [row for row in detail_rows(latest) if "兰山街道" in row]
        assert lanshan and 40_000 in lanshan[0] and 60_000 not in lanshan[0]

    def test_city_file_in_the_background_keeps_the_figures(self, accepted, city_staff, login, settings):
        settings.WUYOU_SYNC_EXPORT_MAX_TOWNSHIPS = 0
        client = login(city_staff)
        url = reverse("assessments:export_city", args=[accepted.city.code])
        client.post(f"{url}?year={YEAR}&figures=accepted")
        job = Job.objects.get()
        assert job.state == Job.State.DONE and job.total == 2 and "验收数据" in job.title
        download = client.get(reverse("offices:job_download", args=[job.pk]))
        book = load_workbook(BytesIO(b"".join(download.streaming_content)))
        assert "口径：验收数据" in text_of(book) and "罗庄镇" not in text_of(book)

    def test_the_service_defaults_to_the_latest(self, accepted, city_staff):
        job = export_services.export_start(user=city_staff, city=accepted.city, year=YEAR)
        job.refresh_from_db()
        assert job.total == 3 and "验收数据" not in job.title


# --- The reporting rate ----------------------------------------------------------------------------------------


@pytest.fixture
def progress(small_city, city_staff):
    """Five townships: accepted on time, approved on time, submitted late (review overdue), returned, not started."""
    lanshan, yinque, luozhuang = small_city.townships
    county_user = UserFactory(role="county", county=small_city.counties[0])
    other_county_user = UserFactory(role="county", county=small_city.counties[1])
    idle = TownshipFactory(county=small_city.counties[1], code="371311102000", name="册山街道")
    PopulationFactory(township=idle, year=YEAR, resident=30_000)
    approved = TownshipFactory(county=small_city.counties[1], code="371311103000", name="沂堂镇")
    PopulationFactory(township=approved, year=YEAR, resident=30_000)
    today = timezone.localdate()
    ReportingCalendar.objects.create(city=small_city.city, year=YEAR, submit_by=today - timedelta(days=10),
                                     review_by=today - timedelta(days=1))
    accept(lanshan, county_user=county_user, city_user=city_staff)
    clerk = UserFactory(role="township", township=approved)
    report = reporting.report_submit(township=approved, year=YEAR, statement="自查", user=clerk)
    reporting.report_approve(report=report, user=other_county_user)
    clerk = UserFactory(role="township", township=yinque)
    late = reporting.report_submit(township=yinque, year=YEAR, statement="自查", user=clerk)
    clerk = UserFactory(role="township", township=luozhuang)
    report = reporting.report_submit(township=luozhuang, year=YEAR, statement="自查", user=clerk)
    reporting.report_return(report=report, reason="人口有误", user=other_county_user)
    on_time = timezone.now() - timedelta(days=12)
    AnnualReport.objects.exclude(pk=late.pk).update(first_submitted_at=on_time)
    AnnualReport.objects.filter(pk=late.pk).update(first_submitted_at=timezone.now() - timedelta(days=3))
    return small_city


def rates_of(rates):
    return {name: getattr(rates, name) for name in ("expected", "submitted", "on_time", "late", "returned",
                                                    "approved", "accepted", "review_overdue", "not_submitted")}


class TestRates:
    def test_rates_and_laggards(self, progress, django_assert_num_queries):
        scope = oversight.scope_for(None, city=progress.city)
        with django_assert_num_queries(2):  # the calendars, one aggregate
            rates = oversight.reporting_rates(scope, YEAR)
        assert rates_of(rates) == {"expected": 5, "submitted": 3, "on_time": 2, "late": 1, "returned": 1,
                                   "approved": 2, "accepted": 1, "review_overdue": 1, "not_submitted": 2}
        assert rates.submitted_percent == 60.0 and rates.calendar.year == YEAR and rates.submit_overdue
        with django_assert_num_queries(2):  # the calendars, the townships
            laggards = oversight.reporting_laggards(scope, YEAR)
        assert [(lag.township.name, lag.state, lag.state_label) for lag in laggards.not_submitted] == [
            ("罗庄镇", ReportState.RETURNED, "已退回"), ("册山街道", "", "未开始填报")]
        assert [lag.township.name for lag in laggards.review_overdue] == ["银雀山街道"]
        assert laggards.not_submitted[0].township.county.name == "罗庄区"  # loaded with the township

    def test_a_county_sees_its_own(self, progress):
        scope = oversight.scope_for(None, county=progress.counties[0])
        rates = oversight.reporting_rates(scope, YEAR)
        assert rates_of(rates) == {"expected": 2, "submitted": 2, "on_time": 1, "late": 1, "returned": 0,
                                   "approved": 1, "accepted": 1, "review_overdue": 1, "not_submitted": 0}

    def test_no_calendar_no_lateness(self, progress):
        ReportingCalendar.objects.all().delete()
        scope = oversight.scope_for(None, city=progress.city)
        rates = oversight.reporting_rates(scope, YEAR)
        assert (rates.submitted, rates.on_time, rates.late, rates.review_overdue) == (3, 3, 0, 0)
        assert rates.calendar is None and not rates.submit_overdue
        assert oversight.reporting_laggards(scope, YEAR).review_overdue == []

    def test_another_year_has_nothing_submitted(self, progress):
        rates = oversight.reporting_rates(oversight.scope_for(None, city=progress.city), YEAR - 1)
        assert (rates.expected, rates.submitted, rates.on_time, rates.late) == (5, 0, 0, 0)

    def test_the_query_count_does_not_grow_with_townships(self, progress, django_assert_num_queries):
        more = add_townships(progress.counties[0], 6)
        for township in more[:3]:
            reporting.report_submit(township=township, year=YEAR, statement="自查",
                                    user=UserFactory(role="township", township=township))
        scope = oversight.scope_for(None, city=progress.city)
        with django_assert_num_queries(2):
            rates = oversight.reporting_rates(scope, YEAR)
        with django_assert_num_queries(2):
            laggards = oversight.reporting_laggards(scope, YEAR)
        assert (rates.expected, rates.submitted, rates.late) == (11, 6, 4)
        assert len(laggards.not_submitted) == 5 and len(laggards.review_overdue) == 4

    def test_the_dashboard_shows_them(self, progress, city_staff, login):
        html = login(city_staff).get(dashboard_url(progress.city), {"year": YEAR}).content.decode()
        block = html[html.index('data-testid="reporting-rates"'):]
        for name, value in (("expected", 5), ("submitted", 3), ("on_time", 2), ("late", 1), ("approved", 2),
                            ("accepted", 1), ("review_overdue", 1)):
            assert f'data-rate="{name}">{value}<' in block, name
        assert "未报送 2 个乡镇" in block and "县级审核逾期 1 个乡镇" in block
        assert "罗庄区·册山街道" in block and "已过报送截止日" in block
        assert "乡镇报送截止" in block

    def test_the_county_page_shows_its_own(self, progress, county_official, login):
        html = login(county_official).get(county_url(progress.counties[0]), {"year": YEAR}).content.decode()
        block = html[html.index('data-testid="reporting-rates"'):]
        assert 'data-rate="expected">2<' in block and 'data-rate="late">1<' in block
        assert "兰山区·银雀山街道" in block and "册山街道" not in block

    def test_without_a_calendar_the_page_says_nobody_is_late(self, progress, city_staff, login):
        ReportingCalendar.objects.all().delete()
        html = login(city_staff).get(dashboard_url(progress.city), {"year": YEAR}).content.decode()
        assert "市级尚未设置本年度填报日程，暂不计逾期。" in html


# Measured on SQLite and PostgreSQL (the page's own reads after warming the session; the store is current).
# Accepted figures skip the one query that checks the store holds every township-year (nothing to compute in
# frozen snapshots); every other read is the same query on the snapshot tables. The reporting rate adds three.
LATEST_DASHBOARD_QUERIES = 16
ACCEPTED_DASHBOARD_QUERIES = LATEST_DASHBOARD_QUERIES - 1
LATEST_COUNTY_QUERIES = 18
ACCEPTED_COUNTY_QUERIES = LATEST_COUNTY_QUERIES - 1
