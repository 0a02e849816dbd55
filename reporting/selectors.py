"""Reads of the reporting cycle: a report's page, what changed since a return, the figures to check, the to-do lists.

Every list is read in a fixed number of queries whatever the number of townships or reports.
"""
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from offices.compliance.store import result_from_row
from offices.models import (
    AnnualReport,
    ComplianceResult,
    ComplianceSummary,
    LockException,
    ReportEvent,
    ReportingCalendar,
    ReportSnapshot,
    ReportState,
    SnapshotStage,
    Township,
)
from offices.reporting import change_threshold, moved_too_far

# The figures a county sees flagged when they moved too far from last year (issue 10, point 7).
CHECKED_RULES = ("funding.working_funds", "facilities.area")


def report_of(township, year):
    """The township-year's report, or an unsaved 填报中 one when nobody has touched it yet (a GET writes nothing)."""
    report = AnnualReport.objects.filter(township=township, year=year).first()
    if report is None:
        report = AnnualReport(township=township, year=year, state=ReportState.DRAFT)
    report.township = township
    return report


def calendar_of(city_id, year):
    return ReportingCalendar.objects.filter(city_id=city_id, year=year).first()


def rules_of(township, year):
    """(code, title, failed) of the township-year's stored results, in the computation's order."""
    rows = ComplianceResult.objects.filter(township=township, year=year).order_by("position")
    return [(row.code, result_from_row(row).title, row.status == "fail") for row in rows]


def reason_rows(rule_reasons, titles):
    """[(rule title, reason)] of a {code: reason} dict, in the rules' order (a rule gone since: its code)."""
    order = {code: position for position, code in enumerate(titles)}
    return [(titles.get(code, code), text)
            for code, text in sorted(rule_reasons.items(), key=lambda item: order.get(item[0], len(order)))]


def timeline(report, titles):
    """Every step of the report, oldest first, with its per-rule reasons titled and the unlock it granted."""
    if report.pk is None:
        return []
    events = list(ReportEvent.objects.filter(report=report).select_related("lock_exception").order_by("at", "pk"))
    for event in events:
        event.reason_rows = reason_rows(event.rule_reasons or {}, titles)
    return events


def active_unlock(township, year):
    return (LockException.objects.filter(township=township, year=year, until__gt=timezone.now())
            .order_by("-until").first())


# --- what changed since the return --------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleChange:
    code: str
    title: str
    status_before: str
    status_after: str
    actual_before: object
    actual_after: object
    unit: str


@dataclass
class Changes:
    """How the results the county saw differ from the results now (or resubmitted)."""

    seen_at: object  # when the county's snapshot was taken
    now_label: str
    population_before: object
    population_after: object
    rules: list = field(default_factory=list)

    @property
    def population_changed(self):
        return self.population_before != self.population_after


def _rows_by_code(rows):
    return {row.code: row for row in rows}


def changes_since_return(report):
    """What changed between the submission a county or city returned and now (or the resubmission); else None.

    While 已退回 the county saw the current SUBMITTED snapshot and the clerk is fixing the stored results; after
    a resubmission the county saw the superseded snapshot and now sees the current one.
    """
    if report.pk is None or not report.return_reason and report.state != ReportState.RETURNED:
        return None
    snapshots = list(ReportSnapshot.objects.filter(report=report, stage=SnapshotStage.SUBMITTED)
                     .order_by("-taken_at", "-pk")[:2])
    if report.state == ReportState.RETURNED and snapshots:
        before = snapshots[0]
        summary = ComplianceSummary.objects.filter(township_id=report.township_id, year=report.year).first()
        after_rows = ComplianceResult.objects.filter(township_id=report.township_id, year=report.year)
        after_population, now_label = (summary.population if summary else None), _("当前数据")
    elif len(snapshots) == 2:
        before, after = snapshots[1], snapshots[0]
        after_rows, after_population, now_label = after.results.all(), after.population, _("重新报送时")
    else:
        return None
    old = _rows_by_code(before.results.all())
    changes = Changes(seen_at=before.taken_at, now_label=now_label, population_before=before.population,
                      population_after=after_population)
    for row in sorted(after_rows, key=lambda r: r.position):
        was = old.get(row.code)
        if was is not None and (was.status, was.actual) == (row.status, row.actual):
            continue
        changes.rules.append(RuleChange(
            code=row.code, title=result_from_row(row).title, unit=row.unit,
            status_before=was.status if was else "", status_after=row.status,
            actual_before=was.actual if was else None, actual_after=row.actual))
    return changes


# --- figures that moved too far from last year ---------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    label: str
    before: object
    after: object
    unit: str
    moved: bool


def checked_figures(township, year):
    """Population, working funds and floor area this year against last year, flagged past the city's threshold."""
    threshold = change_threshold(township, year)
    population = dict(ComplianceSummary.objects.filter(township=township, year__in=(year - 1, year))
                      .values_list("year", "population"))
    rows = {(row.code, row.year): row for row in ComplianceResult.objects.filter(
        township=township, year__in=(year - 1, year), code__in=CHECKED_RULES)}
    figures = [Figure(_("人口"), population.get(year - 1), population.get(year), _("人"),
                      moved_too_far(population.get(year - 1), population.get(year), threshold))]
    for code in CHECKED_RULES:
        last, this = rows.get((code, year - 1)), rows.get((code, year))
        if last is None and this is None:
            continue
        before, after = (last.actual if last else None), (this.actual if this else None)
        title = result_from_row(this or last).title
        figures.append(Figure(title, before, after, (this or last).unit, moved_too_far(before, after, threshold)))
    return threshold, figures


# --- timeliness, lists and to-dos ------------------------------------------------------------------------------


def timeliness(report, calendar, today=None):
    """「按时」, 「逾期报送」, 「未报送」 or 「逾期未报送」: judged by the first submission against submit_by."""
    today = today or timezone.localdate()
    submitted = report.first_submitted_at if report is not None else None
    if submitted is not None:
        if calendar is not None and timezone.localdate(submitted) > calendar.submit_by:
            return "late"
        return "on_time"
    if calendar is not None and today > calendar.submit_by:
        return "overdue"
    return "missing"


TIMELINESS_LABELS = {
    "on_time": gettext_lazy("按时报送"),
    "late": gettext_lazy("逾期报送"),
    "missing": gettext_lazy("未报送"),
    "overdue": gettext_lazy("逾期未报送"),
}


def review_overdue(report, calendar, today=None):
    """A submitted report still waiting for its county after review_by."""
    today = today or timezone.localdate()
    return report.state == ReportState.SUBMITTED and calendar is not None and today > calendar.review_by


@dataclass(frozen=True)
class Row:
    township: Township
    report: AnnualReport
    timeliness: str
    review_overdue: bool

    @property
    def timeliness_label(self):
        return TIMELINESS_LABELS[self.timeliness]


def county_rows(user, county, year):
    """Each township of `county` in scope with its report of `year` (unsaved 填报中 when none): 2 queries."""
    calendar = calendar_of(county.city_id, year)
    townships = list(Township.objects.for_user(user).filter(county=county).order_by("code"))
    reports = {r.township_id: r for r in AnnualReport.objects.filter(township__in=townships, year=year)}
    rows = []
    for township in townships:
        report = reports.get(township.pk) or AnnualReport(township=township, year=year, state=ReportState.DRAFT)
        report.township = township
        rows.append(Row(township, report, timeliness(report if report.pk else None, calendar),
                        review_overdue(report, calendar)))
    return calendar, rows


@dataclass
class CountyLine:
    county: object
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    approved: int = 0
    accepted: int = 0
    review_overdue: int = 0

    @property
    def rate(self):
        return round(self.submitted * 100 / self.expected) if self.expected else 0


def city_lines(user, city, year):
    """Per county of `city`: reports expected, submitted (on time / late), approved, accepted, reviews overdue."""
    calendar = calendar_of(city.pk, year)
    townships = list(Township.objects.for_user(user).filter(county__city=city).select_related("county")
                     .order_by("county__code", "code"))
    reports = {r.township_id: r for r in AnnualReport.objects.filter(township__in=townships, year=year)}
    lines = {}
    for township in townships:
        line = lines.setdefault(township.county_id, CountyLine(township.county))
        line.expected += 1
        report = reports.get(township.pk)
        if report is None:
            continue
        if report.first_submitted_at is not None:
            line.submitted += 1
            if timeliness(report, calendar) == "late":
                line.late += 1
            else:
                line.on_time += 1
        line.approved += report.state in (ReportState.APPROVED, ReportState.ACCEPTED)
        line.accepted += report.state == ReportState.ACCEPTED
        line.review_overdue += review_overdue(report, calendar)
    awaiting = sorted((r for r in reports.values() if r.state == ReportState.APPROVED),
                      key=lambda r: r.township_id)
    by_pk = {t.pk: t for t in townships}
    for report in awaiting:
        report.township = by_pk[report.township_id]
    return calendar, list(lines.values()), awaiting


@dataclass
class Todo:
    """What a user has to do: items per kind (待报送, 被退回, 待审核, 待验收, 未报送, 审核逾期)."""

    year: int
    calendar: object = None
    to_submit: list = field(default_factory=list)  # township: this year's report not yet submitted
    returned: list = field(default_factory=list)  # township: reports returned to it
    to_review: list = field(default_factory=list)  # county: submitted reports of its townships
    not_submitted: list = field(default_factory=list)  # county: its townships that have not submitted this year
    to_accept: list = field(default_factory=list)  # city: reports its counties approved
    overdue_counties: list = field(default_factory=list)  # city: (county, number of reviews overdue)

    @property
    def count(self):
        return (len(self.to_submit) + len(self.returned) + len(self.to_review) + len(self.to_accept))


def _calendars(city_id):
    return {c.year: c for c in ReportingCalendar.objects.filter(city_id=city_id)} if city_id else {}


def todo(user, year):
    """The to-do list of `user` for `year` (returned, submitted and approved reports of any year count too)."""
    todo = Todo(year=year)
    city_id = user.city_id if user.is_city else (user.county.city_id if user.is_county else (
        user.township.county.city_id if user.is_township else None))
    calendars = _calendars(city_id)
    todo.calendar = calendars.get(year)
    reports = (AnnualReport.objects.for_user(user).select_related("township__county")
               .order_by("year", "township__code"))
    if user.is_township:
        mine = list(reports)
        this_year = next((r for r in mine if r.year == year), None)
        if this_year is None or this_year.state == ReportState.DRAFT:
            todo.to_submit.append(this_year or AnnualReport(township=user.township, year=year))
        todo.returned = [r for r in mine if r.state == ReportState.RETURNED]
    elif user.is_county:
        pending = list(reports.filter(state=ReportState.SUBMITTED))
        for report in pending:
            report.overdue = review_overdue(report, calendars.get(report.year))
        todo.to_review = pending
        submitted = set(reports.filter(year=year, first_submitted_at__isnull=False).values_list("township_id",
                                                                                                 flat=True))
        todo.not_submitted = [t for t in Township.objects.for_user(user).order_by("code") if t.pk not in submitted]
    elif user.is_city:
        todo.to_accept = list(reports.filter(state=ReportState.APPROVED))
        overdue = {}
        for report in reports.filter(state=ReportState.SUBMITTED):
            if review_overdue(report, calendars.get(report.year)):
                county = report.township.county
                overdue[county.pk] = (county, overdue.get(county.pk, (county, 0))[1] + 1)
        todo.overdue_counties = list(overdue.values())
    return todo


def todo_message(user, year):
    """The to-do counts a user lands with, e.g. 「待办：待审核 3 份（逾期 1 份）」; "" when there is nothing to do."""
    if not user.role:
        return ""
    items = todo(user, year)
    parts = []
    if items.to_submit:
        deadline = items.calendar.submit_by.strftime("%Y-%m-%d") if items.calendar else ""
        parts.append(_("%(year)s年度待报送（截止 %(day)s）") % {"year": year, "day": deadline} if deadline
                     else _("%(year)s年度待报送") % {"year": year})
    if items.returned:
        parts.append(_("被退回 %(count)s 份：%(reason)s") % {"count": len(items.returned),
                                                           "reason": items.returned[-1].return_reason})
    if items.to_review:
        overdue = sum(1 for r in items.to_review if r.overdue)
        parts.append(_("待审核 %(count)s 份（逾期 %(overdue)s 份）") % {"count": len(items.to_review), "overdue": overdue}
                     if overdue else _("待审核 %(count)s 份") % {"count": len(items.to_review)})
    if items.to_accept:
        parts.append(_("待验收 %(count)s 份") % {"count": len(items.to_accept)})
    if items.overdue_counties:
        parts.append(_("%(count)s 个县（市、区）审核逾期") % {"count": len(items.overdue_counties)})
    if not parts:
        return ""
    return _("待办：%(items)s。详见「待办事项」。") % {"items": "；".join(parts)}

