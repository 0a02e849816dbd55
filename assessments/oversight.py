"""City and county oversight: aggregates of the stored compliance results, computed by the database.

Every figure here is SQL over the rows of the scope's figures: the stored rows
(`offices.models.ComplianceSummary`, `ComplianceResult`, `ComplianceGapItem`,
最新数据) or the snapshots frozen at city acceptance (`ReportSnapshot`,
`SnapshotResult`, `SnapshotGapItem`, 验收数据), grouped by county: shares passing
overall and per dimension, shortfall totals, the missing equipment, the
ranking, the trend. Each function runs a fixed number of queries whatever
the number of townships or years; Python only adds up the per-county rows
(a city has a few dozen counties) and ranks them.

A `Scope` is what a page may see: the user's scope (`for_user`, the one
place access is decided) narrowed to a city or a county.
"""
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BooleanField, Case, Count, F, FilteredRelation, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from offices.compliance import FIVE_HAVES, Dimension, Status, present
from offices.compliance.engine import rule_specs
from offices.compliance.store import ensure_stored, result_from_row
from offices.models import (
    ComplianceGapItem,
    ComplianceResult,
    ComplianceSummary,
    County,
    ReportingCalendar,
    ReportSnapshot,
    ReportState,
    SnapshotGapItem,
    SnapshotResult,
    SnapshotStage,
    Township,
)

# The dimensions a dashboard shows: the five "haves", then training and supervision.
DASHBOARD_DIMENSIONS = [*FIVE_HAVES, Dimension.TRAINING, Dimension.SUPERVISION]

# The rules whose gaps add up into a county's totals.
POSTS_RULE = "staffing.posts_authorized"
FUNDS_RULE = "funding.working_funds"
AREA_RULE = "facilities.area"
EQUIPMENT_RULE = "facilities.equipment"

TREND_YEARS = 5  # at most this many years on the trend line

# One colour per dimension on every chart, bar and line alike (dashboard.js draws with these and no other):
# a dimension keeps its colour whichever dimensions a year or a standard leaves out. "overall" is the site's red.
CHART_COLOURS = {
    "overall": "#a61b1b",
    Dimension.STAFFING.value: "#0d6efd",
    Dimension.FUNDING.value: "#fd7e14",
    Dimension.FACILITIES.value: "#198754",
    Dimension.EQUIPMENT.value: "#6f42c1",
    Dimension.REGULATIONS.value: "#17a2b8",
    Dimension.TRAINING.value: "#d63384",
    Dimension.SUPERVISION.value: "#795548",
}

ZERO = Decimal("0.00")


# Which figures a page shows: the city's accepted snapshots (验收数据) or the store as it stands (最新数据).
LATEST = "latest"
ACCEPTED = "accepted"
FIGURES = {LATEST: gettext_lazy("最新数据"), ACCEPTED: gettext_lazy("验收数据")}


def figures_of(value):
    """The figures asked for in `?figures=` (anything else: the latest)."""
    return ACCEPTED if value == ACCEPTED else LATEST


@dataclass
class Scope:
    """The townships a page covers and the rows its figures are read from (every year).

    `figures` LATEST: the store (ComplianceSummary, ComplianceResult, ComplianceGapItem);
    ACCEPTED: the current snapshots taken at city acceptance (ReportSnapshot, SnapshotResult,
    SnapshotGapItem: the same columns), so a township-year not accepted yet is absent.
    """

    townships: object  # QuerySet of Township
    summaries: object  # QuerySet of ComplianceSummary or ReportSnapshot
    results: object  # QuerySet of ComplianceResult or SnapshotResult
    gap_items: object  # QuerySet of ComplianceGapItem or SnapshotGapItem
    figures: str = LATEST
    ensured: set = field(default_factory=set)  # the years checked already during this request

    @property
    def accepted(self):
        return self.figures == ACCEPTED

    @property
    def figures_label(self):
        """「验收数据」 or 「最新数据」: what every page and file built from this scope says it shows."""
        return str(FIGURES[self.figures])

    def figures_line(self, counted, expected):
        """The line a page shows: 口径：验收数据（已验收N个乡镇，共M个） or 口径：最新数据."""
        if self.accepted:
            return _("口径：验收数据（已验收%(counted)s个乡镇，共%(expected)s个）") % {
                "counted": counted, "expected": expected}
        return _("口径：最新数据")

    def ensure(self, year):
        """Compute the township-years of this scope never stored yet (one query when none is missing, once a year).

        Accepted figures are read as they were frozen: nothing to compute.
        """
        if year not in self.ensured:
            if not self.accepted:
                ensure_stored(self.townships, year)
            self.ensured.add(year)


def scope_for(user, *, city=None, county=None, figures=LATEST):
    """What `user` sees of `city` or `county` (user None: everything, for commands), in the `figures` asked for."""
    def scoped(manager):
        return manager.all() if user is None else manager.for_user(user)

    townships, rows = scoped(Township.objects), {}
    if city is not None:
        townships, rows = townships.filter(county__city=city), {"city": city}
    if county is not None:
        townships, rows = townships.filter(county=county), {"county": county}
    if figures_of(figures) == ACCEPTED:
        return Scope(
            townships=townships,
            summaries=scoped(ReportSnapshot.objects).current(SnapshotStage.ACCEPTED).filter(**rows),
            results=scoped(SnapshotResult.objects).current(SnapshotStage.ACCEPTED).filter(**rows),
            gap_items=scoped(SnapshotGapItem.objects).current(SnapshotStage.ACCEPTED).filter(**rows),
            figures=ACCEPTED,
        )
    return Scope(
        townships=townships,
        summaries=scoped(ComplianceSummary.objects).filter(**rows),
        results=scoped(ComplianceResult.objects).filter(**rows),
        gap_items=scoped(ComplianceGapItem.objects).filter(**rows),
    )


@dataclass
class Share:
    """How many townships pass, out of those assessed (a rule left out by the standard is not counted)."""

    passing: int = 0
    failing: int = 0
    not_assessed: int = 0

    @property
    def assessed(self):
        return self.passing + self.failing

    @property
    def total(self):
        return self.assessed + self.not_assessed

    @property
    def ratio(self):
        """Share passing in [0, 1], or None where nothing was assessed."""
        return self.passing / self.assessed if self.assessed else None

    @property
    def percent(self):
        ratio = self.ratio
        return None if ratio is None else round(ratio * 100, 1)

    def __iadd__(self, other):
        self.passing += other.passing
        self.failing += other.failing
        self.not_assessed += other.not_assessed
        return self


@dataclass
class Totals:
    """What a set of townships lacks, added up (a county's row, or the whole scope's)."""

    townships: int = 0
    overall: Share = field(default_factory=Share)
    dimensions: dict = field(default_factory=lambda: {d.value: Share() for d in DASHBOARD_DIMENSIONS})
    posts_short: int = 0
    posts_surplus: int = 0
    # Exact sums (an area's gap has three places); rounded to the cent once, when shown.
    funds_exact: Decimal = ZERO
    area_exact: Decimal = ZERO
    missing_equipment: Counter = field(default_factory=Counter)

    @property
    def funds_shortfall(self):
        return self.funds_exact.quantize(ZERO)

    @property
    def area_shortfall(self):
        return self.area_exact.quantize(ZERO)

    @property
    def posts_net(self):
        """Surplus minus shortfall: ≥ 0 means the county can cover its townships from its own total."""
        return self.posts_surplus - self.posts_short

    @property
    def dimension_shares(self):
        """[(Dimension, Share)] in display order."""
        return [(d, self.dimensions[d.value]) for d in DASHBOARD_DIMENSIONS]

    @property
    def missing_equipment_items(self):
        """[(label, townships missing it)], most often missing first."""
        return sorted(self.missing_equipment.items(), key=lambda item: (-item[1], item[0]))

    def __iadd__(self, other):
        self.townships += other.townships
        self.overall += other.overall
        for key, share in other.dimensions.items():
            self.dimensions[key] += share
        self.posts_short += other.posts_short
        self.posts_surplus += other.posts_surplus
        self.funds_exact += other.funds_exact
        self.area_exact += other.area_exact
        self.missing_equipment.update(other.missing_equipment)
        return self


# --- The SQL -------------------------------------------------------------------------------------------------------


def _status_counts(column):
    return {
        f"{column}_pass": Count("pk", filter=Q(**{column: Status.PASS})),
        f"{column}_fail": Count("pk", filter=Q(**{column: Status.FAIL})),
        f"{column}_none": Count("pk", filter=Q(**{column: Status.NOT_ASSESSED})),
    }


SHARE_COLUMNS = ["status", *(ComplianceSummary.dimension_field(d) for d in DASHBOARD_DIMENSIONS)]


def share_annotations():
    annotations = {"townships": Count("pk")}
    for column in SHARE_COLUMNS:
        annotations.update(_status_counts(column))
    return annotations


def gap_annotations():
    assessed = ~Q(status=Status.NOT_ASSESSED)
    return {
        "posts_short": Sum("gap", filter=Q(code=POSTS_RULE) & assessed),
        "posts_surplus": Sum("surplus", filter=Q(code=POSTS_RULE) & assessed),
        "funds_shortfall": Sum("gap", filter=Q(code=FUNDS_RULE, status=Status.FAIL)),
        "area_shortfall": Sum("gap", filter=Q(code=AREA_RULE, status=Status.FAIL)),
    }


def _share(row, column):
    return Share(passing=row[f"{column}_pass"], failing=row[f"{column}_fail"], not_assessed=row[f"{column}_none"])


def _shares_totals(row):
    totals = Totals(townships=row["townships"], overall=_share(row, "status"))
    for dimension in DASHBOARD_DIMENSIONS:
        totals.dimensions[dimension.value] = _share(row, ComplianceSummary.dimension_field(dimension))
    return totals


def _add_gaps(totals, row):
    totals.posts_short = int(row["posts_short"] or 0)
    totals.posts_surplus = int(row["posts_surplus"] or 0)
    totals.funds_exact = Decimal(row["funds_shortfall"] or 0)
    totals.area_exact = Decimal(row["area_shortfall"] or 0)


def totals_by(scope, year, key):
    """{key value: Totals} grouped by `key` ("county_id" or "year"); three queries.

    `year` is one year, or a list of years when grouping by year.
    """
    years = list(year) if isinstance(year, (list, tuple, set, range)) else [year]
    summaries = scope.summaries.filter(year__in=years)
    out = {}
    for row in summaries.order_by().values(key).annotate(**share_annotations()):
        out[row[key]] = _shares_totals(row)
    gap_rows = (scope.results.filter(year__in=years, code__in=[POSTS_RULE, FUNDS_RULE, AREA_RULE])
                .order_by().values(key).annotate(**gap_annotations()))
    for row in gap_rows:
        if row[key] in out:
            _add_gaps(out[row[key]], row)
    missing = (scope.gap_items.filter(year__in=years, code=EQUIPMENT_RULE).order_by().values(key, "label")
               .annotate(n=Count("pk")))
    for row in missing:
        if row[key] in out:
            out[row[key]].missing_equipment[_(row["label"])] += row["n"]
    return out


def totals(scope, year):
    """The scope's Totals in `year` (the per-county rows of the database, added up)."""
    scope.ensure(year)
    result = Totals()
    for county_totals in totals_by(scope, year, "county_id").values():
        result += county_totals
    return result


@dataclass
class CountyRow:
    county: object  # offices.models.County
    totals: Totals
    rank: int = 0

    @property
    def share(self):
        return self.totals.overall


def rank(rows):
    """Rank counties by share passing (best first; unassessed last); tied counties share a rank (并列)."""
    def key(row):
        return (row.share.ratio is None, -(row.share.ratio or 0), -row.share.passing)

    ordered = sorted(rows, key=lambda row: (*key(row), row.county.code))
    previous = None
    for index, row in enumerate(ordered, start=1):
        row.rank = previous.rank if previous is not None and key(previous) == key(row) else index
        previous = row
    return ordered


def counties_ranked(scope, year, *, by_county=None):
    """[CountyRow] of the scope in `year`, ranked."""
    if by_county is None:
        scope.ensure(year)
        by_county = totals_by(scope, year, "county_id")
    counties = County.objects.filter(pk__in=list(by_county)).select_related("city")
    return rank([CountyRow(county=county, totals=by_county[county.pk]) for county in counties])


def gap_text(result):
    """A finding's gap in words: the missing items, or the number with its unit."""
    if result.gap is None or (isinstance(result.gap, (list, tuple, set)) and not result.gap):
        return ""
    return present(result.gap, result.unit)


@dataclass
class FailingTownship:
    township: object  # offices.models.Township, with its county
    status: str
    findings: list  # the RuleResults behind the status (all findings, or those of one dimension)


def status_filter(*, dimension=None, status=Status.FAIL):
    column = ComplianceSummary.dimension_field(dimension) if dimension else "status"
    return column, (Q(**{column: status}) if status else Q())


def failing_townships(scope, year, *, county=None, dimension=None, status=Status.FAIL):
    """Townships whose status (overall, or in `dimension`) is `status`, with the findings behind it; two queries."""
    scope.ensure(year)
    column, condition = status_filter(dimension=dimension, status=status)
    summaries = scope.summaries.filter(condition, year=year)
    if county:
        summaries = summaries.filter(county__code=county)
    summaries = list(summaries.select_related("township__county").order_by("county__code", "township__code"))
    findings = scope.results.filter(year=year, status=Status.FAIL,
                                    township_id__in=[s.township_id for s in summaries])
    if dimension:
        findings = findings.filter(dimension=dimension)
    by_township = {}
    for row in findings.order_by("township_id", "position"):
        by_township.setdefault(row.township_id, []).append(result_from_row(row))
    return [FailingTownship(township=s.township, status=getattr(s, column), findings=by_township.get(s.township_id, []))
            for s in summaries]


def rule_columns(scope, year, dimension=None):
    """[(Dimension, [(code, title, unit)])]: every rule stored for the scope, grouped by dimension in display order."""
    scope.ensure(year)
    rows = scope.results.filter(year=year)
    if dimension:
        rows = rows.filter(dimension=dimension)
    specs = rule_specs()
    seen = {}
    for code, dimension_value, unit, _position in (rows.order_by().values_list("code", "dimension", "unit", "position")
                                                   .distinct().order_by("position")):
        spec = specs.get(code)
        title = str(spec.title) if spec is not None else code
        seen.setdefault(dimension_value, {}).setdefault(code, (code, title, unit))
    return [(Dimension(value), list(seen[value].values())) for value in Dimension.values if value in seen]


@dataclass
class ColumnTotal:
    unit: str = ""
    failing: int = 0
    gap: object = None  # sum of numeric gaps; None for list rules

    @property
    def gap_or_count(self):
        """What the 合计 row shows: the summed gap, 0 where none fails, the failing count for list rules."""
        if self.gap is not None:
            return self.gap
        return 0 if not self.failing else None


def column_totals(scope, year, columns):
    """Per rule column: how many townships fail it and, for numeric rules, the summed gap; one query."""
    failing = Q(status=Status.FAIL)
    sums = {
        row["code"]: row
        for row in scope.results.filter(year=year).order_by().values("code").annotate(
            failing=Count("pk", filter=failing), gap=Sum("gap", filter=failing))
    }
    out = []
    for _dimension, rules in columns:
        for code, _title, unit in rules:
            row = sums.get(code, {"failing": 0, "gap": None})
            gap = row["gap"]
            if gap is not None:
                gap = int(gap) if unit in ("people", "items", "places", "contracts") else Decimal(gap).quantize(ZERO)
            out.append(ColumnTotal(unit=unit, failing=row["failing"], gap=gap))
    return out


@dataclass
class TableRow:
    card: object  # StoredCompliance
    status: str  # overall, or of the filtered dimension
    cells: list  # [RuleResult | None], one per column


def township_table(cards, columns, *, dimension=None, status=None):
    """Rows of the county table: each township's result per rule column, filtered by status."""
    codes = [code for _dimension, rules in columns for code, _title, _unit in rules]
    rows = []
    for card in cards:
        current = card.dimension_status(dimension) if dimension else card.status
        if status and current != status:
            continue
        rows.append(TableRow(card=card, status=current, cells=[card.result(code) for code in codes]))
    return rows


@dataclass
class YearPoint:
    year: int
    totals: Totals


def trend(scope, years):
    """Shares over the last TREND_YEARS of `years` (oldest first), in one grouped query."""
    years = sorted(years)[-TREND_YEARS:]
    for year in years:
        scope.ensure(year)
    rows = {row["year"]: _shares_totals(row)
            for row in scope.summaries.filter(year__in=years).order_by().values("year").annotate(**share_annotations())}
    return [YearPoint(year=year, totals=rows.get(year, Totals())) for year in years]


@dataclass
class Overview:
    """Everything the city dashboard shows for one year."""

    year: int
    totals: Totals
    counties: list  # [CountyRow], ranked
    computed_at: object = None
    trend: list = field(default_factory=list)  # [YearPoint]


def overview(scope, year):
    scope.ensure(year)
    by_county = totals_by(scope, year, "county_id")
    city = Totals()
    for county_totals in by_county.values():
        city += county_totals
    return Overview(year=year, totals=city, counties=counties_ranked(scope, year, by_county=by_county),
                    computed_at=computed_at(scope, year))


def computed_at(scope, year):
    """When the oldest figure of the scope in `year` was computed (what the page says its figures date from)."""
    from django.db.models import Min

    return scope.summaries.filter(year=year).aggregate(at=Min("computed_at"))["at"]


# --- Reporting rate: who has submitted, on time, and whose review is overdue ----------------------------------

SUBMITTED_STATES = (ReportState.SUBMITTED, ReportState.APPROVED, ReportState.ACCEPTED)
APPROVED_STATES = (ReportState.APPROVED, ReportState.ACCEPTED)


def calendars(scope, year):
    """{city id: ReportingCalendar} of the cities of the scope's townships in `year`; one query."""
    rows = ReportingCalendar.objects.filter(
        year=year, city__in=scope.townships.order_by().values("county__city_id")).order_by()
    return {calendar.city_id: calendar for calendar in rows}


def _with_report(townships, year):
    """The townships with `report`: a join on their report of `year` only (none: the township has not started)."""
    return townships.alias(report=FilteredRelation("reports", condition=Q(reports__year=year)))


def _on_time(by_city):
    """Q of a first submission on or before its city's deadline; the second: after it (no calendar: never late)."""
    on_time, late = ~Q(county__city_id__in=list(by_city)), Q(pk__in=[])
    for city_id, calendar in by_city.items():
        here = Q(county__city_id=city_id)
        on_time |= here & Q(report__first_submitted_at__date__lte=calendar.submit_by)
        late |= here & Q(report__first_submitted_at__date__gt=calendar.submit_by)
    return on_time, late


def _review_overdue(by_city, today):
    """Q of a report awaiting the county's review after its city's review deadline."""
    overdue = Q(pk__in=[])
    for city_id, calendar in by_city.items():
        if today > calendar.review_by:
            overdue |= Q(county__city_id=city_id)
    return Q(report__state=ReportState.SUBMITTED) & overdue


@dataclass
class ReportingRates:
    """How far the scope's townships have got with the year's report (年度填报).

    Submitted counts the reports at 已报送, 县级审核通过 or 市级验收通过 now; on time and late split them by the
    first submission against the city's deadline (no calendar for the year: nobody is late, `calendar` is None).
    """

    year: int
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    returned: int = 0
    approved: int = 0  # 县级审核通过, including those the city accepted since
    accepted: int = 0
    review_overdue: int = 0
    calendar: object = None  # the ReportingCalendar (of one city's scope), or None
    calendars: dict = field(default_factory=dict)

    @property
    def not_submitted(self):
        return self.expected - self.submitted

    @staticmethod
    def _percent(part, whole):
        return round(part * 100 / whole, 1) if whole else None

    @property
    def submitted_percent(self):
        return self._percent(self.submitted, self.expected)

    @property
    def on_time_percent(self):
        return self._percent(self.on_time, self.expected)

    @property
    def accepted_percent(self):
        return self._percent(self.accepted, self.expected)

    @property
    def submit_overdue(self):
        """Whether the submission deadline has passed (of the scope's one city)."""
        return self.calendar is not None and timezone.localdate() > self.calendar.submit_by


def reporting_rates(scope, year, *, by_city=None, today=None):
    """The ReportingRates of the scope in `year`: one aggregate over the townships (and one for the calendars)."""
    today = today or timezone.localdate()
    by_city = calendars(scope, year) if by_city is None else by_city
    on_time, late = _on_time(by_city)
    submitted = Q(report__state__in=SUBMITTED_STATES)
    row = _with_report(scope.townships, year).order_by().aggregate(
        expected=Count("pk"),
        submitted=Count("pk", filter=submitted),
        on_time=Count("pk", filter=submitted & on_time),
        late=Count("pk", filter=submitted & late),
        returned=Count("pk", filter=Q(report__state=ReportState.RETURNED)),
        approved=Count("pk", filter=Q(report__state__in=APPROVED_STATES)),
        accepted=Count("pk", filter=Q(report__state=ReportState.ACCEPTED)),
        review_overdue=Count("pk", filter=_review_overdue(by_city, today)),
    )
    calendar = next(iter(by_city.values())) if len(by_city) == 1 else None
    return ReportingRates(year=year, calendar=calendar, calendars=by_city, **row)


@dataclass
class Laggard:
    township: object  # offices.models.Township, with its county
    state: str  # ReportState value, "" when no report was started
    returned_by: str = ""

    @property
    def state_label(self):
        return ReportState(self.state).label if self.state else _("未开始填报")


@dataclass
class Laggards:
    not_submitted: list  # [Laggard]: no report, 填报中 or 已退回
    review_overdue: list  # [Laggard]: 已报送 and the county's review deadline has passed


def reporting_laggards(scope, year, *, by_city=None, today=None):
    """Who has not submitted `year`'s report, and whose county review is overdue; one query (and the calendars)."""
    today = today or timezone.localdate()
    by_city = calendars(scope, year) if by_city is None else by_city
    overdue = _review_overdue(by_city, today)
    not_submitted = ~Q(report__state__in=SUBMITTED_STATES) | Q(report__isnull=True)
    rows = (_with_report(scope.townships, year).filter(not_submitted | overdue)
            .annotate(report_state=F("report__state"), report_returned_by=F("report__returned_by"),
                      overdue=Case(When(overdue, then=Value(True)), default=Value(False), output_field=BooleanField()))
            .select_related("county").order_by("county__code", "code"))
    out = Laggards(not_submitted=[], review_overdue=[])
    for township in rows:
        laggard = Laggard(township=township, state=township.report_state or "",
                          returned_by=township.report_returned_by or "")
        (out.review_overdue if township.overdue else out.not_submitted).append(laggard)
    return out


def shared_ranks(rows):
    """The ranks more than one of the ranked `rows` hold (printed 「并列」)."""
    return {row.rank for row, following in zip(rows, rows[1:]) if row.rank == following.rank}


def rank_label(rank, shared):
    """「第3」, or 「并列第3」 where another county holds the same rank."""
    return (_("并列第%(rank)s") if rank in shared else _("第%(rank)s")) % {"rank": rank}


def chart_data(view, url_for_county):
    """The plain data the dashboard's charts draw (embedded with json_script), each dimension in its colour."""
    counties = view.counties
    shared = shared_ranks(counties)
    return {
        "counties": [
            {"code": row.county.code, "name": row.county.name, "url": url_for_county(row.county),
             "share": row.share.percent, "passing": row.share.passing, "assessed": row.share.assessed,
             "rank": row.rank, "rank_label": rank_label(row.rank, shared)}
            for row in counties
        ],
        "dimensions": [
            {"key": d.value, "label": str(d.label),
             "shares": [row.totals.dimensions[d.value].percent for row in counties]}
            for d in DASHBOARD_DIMENSIONS
            if any(row.totals.dimensions[d.value].assessed for row in counties)
        ],
        "trend": trend_data(view.trend),
        "colours": CHART_COLOURS,
        "labels": {"share": _("达标率"), "rank": _("排名"), "trend_failed": _("历年数据加载失败，请刷新重试。")},
    }


def trend_data(points):
    """The trend line's plain data: overall and per-dimension shares for each year, each line in its colour."""
    return {
        "years": [point.year for point in points],
        "series": [{"key": "overall", "label": _("总体"), "values": [p.totals.overall.percent for p in points]}]
        + [
            {"key": d.value, "label": str(d.label), "values": [p.totals.dimensions[d.value].percent for p in points]}
            for d in DASHBOARD_DIMENSIONS
            if any(p.totals.dimensions[d.value].assessed for p in points)
        ],
        "colours": CHART_COLOURS,
    }
