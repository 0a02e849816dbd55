"""The reporting cycle's services: transitions by level, snapshots, the lock every write asks, unlocks, checks."""
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from offices import reporting, services
from offices.acting import acting_as
from offices.models import (
    AnnualReport,
    ComplianceSummary,
    LockException,
    Population,
    ReportAction,
    ReportEvent,
    ReportSnapshot,
    ReportState,
    SnapshotResult,
    SnapshotStage,
)
from offices.reporting import changed_years, moved_too_far
from tests.factories.offices import PopulationFactory, TownshipFactory, UserFactory

pytestmark = pytest.mark.django_db

YEAR = 2025


@pytest.fixture
def township():
    township = TownshipFactory(code="371302001000", county__code="371302000000", county__city__code="371300000000")
    PopulationFactory(township=township, year=YEAR, resident=60_000)
    return township


@pytest.fixture
def people(township):
    return {
        "clerk": UserFactory(role="township", township=township),
        "county": UserFactory(role="county", county=township.county),
        "city": UserFactory(role="city", city=township.county.city),
        "other_county": UserFactory(county_official=True),
    }


def submitted(township, clerk):
    return reporting.report_submit(township=township, year=YEAR, statement="自查完毕", user=clerk)


def test_the_whole_cycle_records_every_step_and_freezes_the_results(township, people):
    report = submitted(township, people["clerk"])
    assert report.state == ReportState.SUBMITTED and report.first_submitted_at is not None
    report = reporting.report_return(report=report, reason="人口数据有误", rule_reasons={"staffing.staff_in_post": "缺1人"},
                                     user=people["county"])
    assert report.state == ReportState.RETURNED and report.returned_by == "county"
    assert report.rule_reasons == {"staffing.staff_in_post": "缺1人"}
    first = report.first_submitted_at
    report = submitted(township, people["clerk"])
    assert report.first_submitted_at == first  # timeliness is judged by the first submission
    report = reporting.report_approve(report=report, user=people["county"])
    report = reporting.report_accept(report=report, user=people["city"])
    assert report.state == ReportState.ACCEPTED
    actions = list(ReportEvent.objects.filter(report=report).values_list("action", "actor_id"))
    assert actions == [
        (ReportAction.SUBMIT, people["clerk"].pk), (ReportAction.COUNTY_RETURN, people["county"].pk),
        (ReportAction.SUBMIT, people["clerk"].pk), (ReportAction.APPROVE, people["county"].pk),
        (ReportAction.ACCEPT, people["city"].pk),
    ]
    # Two submissions: the first snapshot is kept but superseded; one current snapshot per stage.
    assert ReportSnapshot.objects.filter(report=report, stage=SnapshotStage.SUBMITTED).count() == 2
    current = ReportSnapshot.objects.current(SnapshotStage.ACCEPTED).get(report=report)
    stored = ComplianceSummary.objects.get(township=township, year=YEAR)
    assert (current.status, current.failing_count, current.population) == (
        stored.status, stored.failing_count, stored.population)
    assert SnapshotResult.objects.current(SnapshotStage.ACCEPTED).filter(township=township).count() == stored.rule_count


def test_each_step_belongs_to_its_level(township, people):
    with pytest.raises(PermissionDenied):
        reporting.report_submit(township=township, year=YEAR, statement="x", user=people["county"])
    report = submitted(township, people["clerk"])
    for user in (people["clerk"], people["city"], people["other_county"]):
        with pytest.raises(PermissionDenied):
            reporting.report_approve(report=report, user=user)
    # Bottom-up: the city accepts only what the county approved.
    with pytest.raises(PermissionDenied):
        reporting.report_accept(report=report, user=people["county"])
    with pytest.raises(ValidationError) as error:
        reporting.report_accept(report=report, user=people["city"])
    assert error.value.code == "wrong_state"
    assert "已报送" in error.value.messages[0]


def test_a_return_needs_a_reason_and_known_rules(township, people):
    report = submitted(township, people["clerk"])
    with pytest.raises(ValidationError) as error:
        reporting.report_return(report=report, reason="  ", user=people["county"])
    assert "reason" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        reporting.report_return(report=report, reason="退回", rule_reasons={"no.such_rule": "x"}, user=people["county"])
    assert "no.such_rule" in error.value.messages[0]
    assert AnnualReport.objects.get(pk=report.pk).state == ReportState.SUBMITTED


def test_a_submission_needs_a_statement(township, people):
    with pytest.raises(ValidationError) as error:
        reporting.report_submit(township=township, year=YEAR, statement="", user=people["clerk"])
    assert "statement" in error.value.error_dict
    assert not AnnualReport.objects.filter(state=ReportState.SUBMITTED).exists()


def test_submission_locks_the_year_for_the_clerk_and_a_return_reopens_it(township, people):
    report = submitted(township, people["clerk"])
    with acting_as(people["clerk"]), pytest.raises(ValidationError) as error:
        services.population_set(township=township, year=YEAR, resident=61_000, registered=61_000)
    assert error.value.code == "locked" and "2025年度" in error.value.messages[0]
    assert Population.objects.get(township=township, year=YEAR).resident == 60_000
    # Another year is open.
    with acting_as(people["clerk"]):
        services.population_set(township=township, year=2026, resident=61_000, registered=61_000)
    reporting.report_return(report=report, reason="请核实", user=people["county"])
    with acting_as(people["clerk"]):
        services.population_set(township=township, year=YEAR, resident=61_000, registered=61_000)
    assert Population.objects.get(township=township, year=YEAR).resident == 61_000


def test_acceptance_locks_for_everyone_until_an_unlock(township, people):
    report = submitted(township, people["clerk"])
    report = reporting.report_approve(report=report, user=people["county"])
    report = reporting.report_accept(report=report, user=people["city"])
    with pytest.raises(ValidationError) as error:  # the system (no acting user) too
        services.population_set(township=township, year=YEAR, resident=61_000, registered=61_000)
    assert "临时解锁" in error.value.messages[0]
    with pytest.raises(PermissionDenied):
        reporting.lock_exception_grant(report=report, until=timezone.now() + timedelta(days=1), reason="更正",
                                       user=people["clerk"])
    with pytest.raises(ValidationError):
        reporting.lock_exception_grant(report=report, until=timezone.now() + timedelta(days=40), reason="更正",
                                       user=people["county"])
    unlock = reporting.lock_exception_grant(report=report, until=timezone.now() + timedelta(days=1),
                                            reason="更正人口", user=people["county"])
    assert unlock.event.action == ReportAction.UNLOCK and unlock.event.reason == "更正人口"
    with acting_as(people["clerk"]):
        services.population_set(township=township, year=YEAR, resident=61_000, registered=61_000)
    # An expired unlock locks again.
    LockException.objects.filter(pk=unlock.pk).update(until=timezone.now() - timedelta(seconds=1))
    with acting_as(people["clerk"]), pytest.raises(ValidationError):
        services.population_set(township=township, year=YEAR, resident=62_000, registered=62_000)
    # Accepted figures stay as they were at acceptance.
    accepted = ReportSnapshot.objects.current(SnapshotStage.ACCEPTED).get(report=report)
    assert accepted.population == 60_000


def test_timeline_rows_are_append_only(township, people):
    submitted(township, people["clerk"])
    event = ReportEvent.objects.get()
    event.reason = "改写"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()


@pytest.mark.parametrize(("before", "after", "content", "expected"), [
    (None, (2020, None), True, ((2020, None),)),  # created: every year from its start
    ((2020, None), None, True, ((2020, None),)),  # deleted
    ((2020, None), (2020, None), True, ((2020, None), (2020, None))),  # a name corrected: every year of it
    ((2020, None), (2020, 2026), False, ((2026, None),)),  # ended in 2026: 2026 on
    ((2020, 2024), (2020, 2026), False, ((2024, 2026),)),  # end moved from 2024 to 2026
    ((2020, None), (2022, None), False, ((2020, 2022),)),  # start moved
])
def test_changed_years(before, after, content, expected):
    assert changed_years(before, after, content_changed=content) == expected


def test_a_record_ended_after_the_locked_year_is_not_a_change_to_it(township, people):
    report = submitted(township, people["clerk"])
    reporting.report_accept(report=reporting.report_approve(report=report, user=people["county"]), user=people["city"])
    assert reporting.locked_years(township, changed_years((2020, None), (2020, 2026), content_changed=False),
                                  user=people["clerk"]) == []
    assert reporting.locked_years(township, changed_years((2020, None), (2020, None)), user=people["clerk"]) == [YEAR]


@pytest.mark.parametrize(("before", "after", "threshold", "expected"), [
    (76_550, 5, 30, True), (100, 130, 30, False), (100, 131, 30, True), (100, 69, 30, True), (None, 5, 30, False),
    (0, 5, 30, True), (100, 100, 1, False),
])
def test_moved_too_far(before, after, threshold, expected):
    assert moved_too_far(before, after, threshold) is expected


def test_a_population_that_moved_far_asks_for_confirmation(township, people):
    PopulationFactory(township=township, year=2024, resident=76_550)
    with acting_as(people["clerk"]), pytest.raises(ValidationError) as error:
        services.population_set(township=township, year=YEAR, resident=5, registered=5)
    assert "76,550人 → 5人" in error.value.error_dict["resident"][0].messages[0]
    with acting_as(people["clerk"]):
        services.population_set(township=township, year=YEAR, resident=5, registered=5, confirmed=True)
    assert Population.objects.get(township=township, year=YEAR).resident == 5


def test_the_calendar_is_the_citys_and_sets_the_threshold(township, people):
    city = township.county.city
    with pytest.raises(PermissionDenied):
        reporting.calendar_set(city=city, year=YEAR, submit_by=timezone.localdate(), review_by=timezone.localdate(),
                               user=people["county"])
    with pytest.raises(ValidationError):
        reporting.calendar_set(city=city, year=YEAR, submit_by=timezone.localdate(),
                               review_by=timezone.localdate() - timedelta(days=1), user=people["city"])
    reporting.calendar_set(city=city, year=YEAR, submit_by=timezone.localdate(), review_by=timezone.localdate(),
                           change_threshold=50, user=people["city"])
    assert reporting.change_threshold(township, YEAR) == 50
    assert reporting.change_threshold(township, 2024) == reporting.DEFAULT_CHANGE_THRESHOLD
