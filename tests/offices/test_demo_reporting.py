"""The demo's reporting cycle: past years accepted, the current one in progress, and a history to look at."""
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from offices.demo_reporting import calendar_dates
from offices.models import (
    AnnualReport,
    ComplianceGapItem,
    ComplianceResult,
    Population,
    ReportAction,
    ReportingCalendar,
    ReportSnapshot,
    ReportState,
    SnapshotStage,
    Township,
    TownshipOffice,
    User,
)
from tests.factories.demo import build_demo_city

pytestmark = pytest.mark.django_db

DEMO_TOWNSHIP = "371302001000"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo city's first two counties, every app's demo steps (the reporting one included), built once.

    Built in a transaction rolled back after the module: each test runs inside it, on its own savepoint.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_demo_city(counties=2)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.parametrize("year", [2023, 2024])
def test_past_years_are_mostly_accepted_with_their_snapshots(demo, year):
    reports = AnnualReport.objects.filter(year=year)
    assert reports.count() == len(demo.townships)
    accepted = reports.filter(state=ReportState.ACCEPTED).count()
    assert accepted >= 0.8 * len(demo.townships)
    assert reports.exclude(state=ReportState.ACCEPTED).exists(), "a few still approved or returned"
    assert set(reports.values_list("state", flat=True)) <= {ReportState.ACCEPTED, ReportState.APPROVED,
                                                            ReportState.RETURNED}
    snapshots = ReportSnapshot.objects.current(SnapshotStage.ACCEPTED).filter(report__year=year)
    assert snapshots.count() == accepted
    # A snapshot holds the township-year's results as stored (the demo changes nothing after its snapshots).
    snapshot = snapshots.order_by("township__code").first()
    frozen = set(snapshot.results.values_list("code", "status", "actual"))
    stored = set(ComplianceResult.objects.filter(township_id=snapshot.township_id, year=year)
                 .values_list("code", "status", "actual"))
    assert frozen == stored and len(frozen) > 10
    assert snapshot.gap_items.count() == ComplianceGapItem.objects.filter(
        township_id=snapshot.township_id, year=year).count()
    submit_by, review_by = calendar_dates(year)
    calendar = ReportingCalendar.objects.get(year=year)
    assert (calendar.submit_by, calendar.review_by) == (submit_by, review_by)


def test_the_current_year_is_in_progress_in_every_state(demo):
    reports = AnnualReport.objects.filter(year=2025)
    assert set(reports.values_list("state", flat=True)) == set(ReportState.values)
    first_county = Township.objects.get(code=DEMO_TOWNSHIP).county
    # Each demo login finds something to do.
    assert reports.get(township__code=DEMO_TOWNSHIP).state in (ReportState.DRAFT, ReportState.RETURNED)
    assert reports.filter(township__county=first_county, state=ReportState.SUBMITTED).exists()  # 待审核
    assert reports.filter(state=ReportState.APPROVED).exists()  # 待验收


def test_late_reports_were_first_submitted_after_the_deadline(demo):
    submit_by, _review_by = calendar_dates(2025)
    submitted = AnnualReport.objects.filter(year=2025, first_submitted_at__isnull=False)
    late = [r for r in submitted if r.first_submitted_at.date() > submit_by]
    on_time = [r for r in submitted if r.first_submitted_at.date() <= submit_by]
    assert late and on_time
    for report in submitted:
        events = list(report.events.order_by("pk"))
        assert [e.at for e in events] == sorted(e.at for e in events), "the timeline runs forward"
        first = next(e for e in events if e.action == ReportAction.SUBMIT)
        assert first.at == report.first_submitted_at
        assert all(s.taken_at == s.event.at for s in report.snapshots.select_related("event"))


def test_returned_reports_say_why(demo):
    returned = AnnualReport.objects.filter(state=ReportState.RETURNED)
    assert returned.exists()
    assert all(r.return_reason and r.returned_by for r in returned)
    assert any(r.rule_reasons for r in returned)
    demo_report = AnnualReport.objects.get(township__code=DEMO_TOWNSHIP, year=2025)
    assert demo_report.state == ReportState.RETURNED and demo_report.rule_reasons


def test_the_demo_edits_are_in_the_history_with_who_and_where(demo, client):
    township = Township.objects.get(code=DEMO_TOWNSHIP)
    clerk = User.objects.get(username="town371302001")
    edits = Population.history.filter(township_id=township.pk, history_type="~")
    assert edits.count() >= 3
    assert {row.history_user_id for row in edits} == {clerk.pk}
    assert all(row.history_address.startswith("10.0.0.") for row in edits)
    assert TownshipOffice.history.filter(township_id=township.pk, history_type="~", history_user=clerk).exists()
    client.force_login(clerk)
    page = client.get(reverse("offices:history", args=[township.code]), {"year": 2025})
    changes = [e for e in page.context["page"].object_list if e.action == "修改"]
    assert any(name == "常住人口" and before and after for e in changes for name, before, after in e.changes)


def test_the_stored_results_still_agree_with_the_live_ones(demo):
    out = StringIO()
    call_command("verify_compliance", stdout=out, stderr=StringIO())  # exits 1 on any difference
    assert "一致" in out.getvalue()
