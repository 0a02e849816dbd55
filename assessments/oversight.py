"""City and county oversight: pure aggregation of the one compliance computation.

Everything here takes the list of `TownshipCompliance` that `compliance_for`
returns and adds it up — no ORM, so the dashboard, the county page, the
spreadsheets and the circulars show the numbers the township scorecard shows.
The only function that reads the database is `trend`, which calls
`compliance_for` once per year.
"""
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from assessments.compliance import compliance_for
from offices.compliance import FIVE_HAVES, Dimension, Status, present

# The dimensions a dashboard shows: the five "haves", then training and supervision.
DASHBOARD_DIMENSIONS = [*FIVE_HAVES, Dimension.TRAINING, Dimension.SUPERVISION]

# The rules whose gaps add up into a county's totals.
POSTS_RULE = "staffing.posts_authorized"
FUNDS_RULE = "funding.working_funds"
AREA_RULE = "facilities.area"
EQUIPMENT_RULE = "facilities.equipment"

TREND_YEARS = 5  # at most this many years on the trend line (a fixed number of computations)


@dataclass
class Share:
    """How many townships pass, out of those assessed (a rule left out by the standard is not counted)."""

    passing: int = 0
    failing: int = 0
    not_assessed: int = 0

    def add(self, status):
        if status == Status.PASS:
            self.passing += 1
        elif status == Status.FAIL:
            self.failing += 1
        else:
            self.not_assessed += 1

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


def number(value):
    """A rule's gap or surplus as a number to add up (0 for None, lists and the like)."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, (int, Decimal)):
        return value
    return 0


@dataclass
class Totals:
    """What a set of townships lacks, added up (a county's totals row)."""

    townships: int = 0
    overall: Share = field(default_factory=Share)
    dimensions: dict = field(default_factory=lambda: {d.value: Share() for d in DASHBOARD_DIMENSIONS})
    posts_short: int = 0
    posts_surplus: int = 0
    funds_shortfall: Decimal = Decimal("0.00")
    area_shortfall: Decimal = Decimal("0.00")
    missing_equipment: Counter = field(default_factory=Counter)

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

    def add(self, card):
        self.townships += 1
        self.overall.add(card.status)
        for dimension, share in self.dimensions.items():
            share.add(card.dimension_status(dimension))
        posts = card.result(POSTS_RULE)
        if posts is not None and posts.status != Status.NOT_ASSESSED:
            self.posts_short += number(posts.gap)
            self.posts_surplus += number(posts.surplus)
        funds = card.result(FUNDS_RULE)
        if funds is not None and funds.failed:
            self.funds_shortfall += Decimal(number(funds.gap))
        area = card.result(AREA_RULE)
        if area is not None and area.failed:
            self.area_shortfall += Decimal(number(area.gap))
        equipment = card.result(EQUIPMENT_RULE)
        if equipment is not None and equipment.failed and isinstance(equipment.gap, (list, tuple, set)):
            self.missing_equipment.update(str(item) for item in equipment.gap)
        return self


def totals(cards):
    result = Totals()
    for card in cards:
        result.add(card)
    return result


@dataclass
class CountyRow:
    county: object  # offices.models.County
    totals: Totals
    rank: int = 0

    @property
    def share(self):
        return self.totals.overall


def counties_ranked(cards):
    """Counties ranked by share of townships compliant (best first; unassessed last)."""
    rows = {}
    for card in cards:
        county = card.township.county
        if county.pk not in rows:
            rows[county.pk] = CountyRow(county=county, totals=Totals())
        rows[county.pk].totals.add(card)
    ranked = sorted(
        rows.values(),
        key=lambda row: (row.share.ratio is None, -(row.share.ratio or 0), -row.share.passing, row.county.code),
    )
    for index, row in enumerate(ranked, start=1):
        row.rank = index
    return ranked


def gap_text(result):
    """A finding's gap in words: the missing items, or the number with its unit."""
    if result.gap is None or (isinstance(result.gap, (list, tuple, set)) and not result.gap):
        return ""
    return present(result.gap, result.unit)


@dataclass
class FailingTownship:
    card: object  # TownshipCompliance
    status: str
    findings: list  # the RuleResults behind the status (all findings, or those of one dimension)

    @property
    def township(self):
        return self.card.township


def failing_townships(cards, *, county=None, dimension=None, status=Status.FAIL):
    """Townships whose status (overall, or in `dimension`) is `status`, with the findings behind it."""
    rows = []
    for card in cards:
        if county and card.township.county.code != county:
            continue
        current = card.dimension_status(dimension) if dimension else card.status
        if status and current != status:
            continue
        results = card.results_for(dimension) if dimension else card.results
        rows.append(FailingTownship(card=card, status=current, findings=[r for r in results if r.failed]))
    return rows


def rule_columns(cards, dimension=None):
    """[(Dimension, [(code, title, unit)])]: every rule seen, grouped by dimension in display order."""
    seen = {}
    for card in cards:
        for result in card.results:
            if dimension and result.dimension != dimension:
                continue
            seen.setdefault(result.dimension, {}).setdefault(result.code, (result.code, result.title, result.unit))
    return [(Dimension(value), list(seen[value].values())) for value in Dimension.values if value in seen]


@dataclass
class TableRow:
    card: object  # TownshipCompliance
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
        by_code = {r.code: r for r in card.results}
        rows.append(TableRow(card=card, status=current, cells=[by_code.get(code) for code in codes]))
    return rows


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


def column_totals(cards, columns):
    """Per rule column: how many townships fail it and, for numeric rules, the summed gap."""
    out = []
    for _dimension, rules in columns:
        for code, _title, unit in rules:
            total = ColumnTotal(unit=unit)
            for card in cards:
                result = card.result(code)
                if result is None or not result.failed:
                    continue
                total.failing += 1
                if isinstance(result.gap, (int, Decimal)) and not isinstance(result.gap, bool):
                    total.gap = (total.gap or 0) + result.gap
            out.append(total)
    return out


@dataclass
class YearPoint:
    year: int
    totals: Totals


def trend(townships, years, *, current=None):
    """Shares over `years` (oldest first): one `compliance_for` per year; `current` = (year, cards) reused."""
    points = []
    for year in sorted(years)[-TREND_YEARS:]:
        cards = current[1] if current and current[0] == year else compliance_for(townships, year)
        points.append(YearPoint(year=year, totals=totals(cards)))
    return points


@dataclass
class Overview:
    """Everything the city dashboard shows for one year."""

    year: int
    cards: list
    totals: Totals
    counties: list  # [CountyRow], ranked
    trend: list = field(default_factory=list)  # [YearPoint]


def overview(townships, year, *, years=()):
    cards = compliance_for(townships, year)
    return Overview(
        year=year,
        cards=cards,
        totals=totals(cards),
        counties=counties_ranked(cards),
        trend=trend(townships, years, current=(year, cards)) if years else [],
    )


def chart_data(view, url_for_county):
    """The plain data the dashboard's charts draw (embedded with json_script)."""
    counties = view.counties
    return {
        "counties": [
            {"code": row.county.code, "name": row.county.name, "url": url_for_county(row.county),
             "share": row.share.percent, "passing": row.share.passing, "assessed": row.share.assessed}
            for row in counties
        ],
        "dimensions": [
            {"key": d.value, "label": str(d.label),
             "shares": [row.totals.dimensions[d.value].percent for row in counties]}
            for d in DASHBOARD_DIMENSIONS
            if any(row.totals.dimensions[d.value].assessed for row in counties)
        ],
        "trend": trend_data(view.trend),
        "labels": {"share": _("达标率"), "trend_failed": _("历年数据加载失败，请刷新重试。")},
    }


def trend_data(points):
    """The trend line's plain data: overall and per-dimension shares for each year."""
    return {
        "years": [point.year for point in points],
        "series": [{"key": "overall", "label": _("总体"), "values": [p.totals.overall.percent for p in points]}]
        + [
            {"key": d.value, "label": str(d.label), "values": [p.totals.dimensions[d.value].percent for p in points]}
            for d in DASHBOARD_DIMENSIONS
            if any(p.totals.dimensions[d.value].assessed for p in points)
        ],
    }
