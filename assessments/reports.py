"""The compliance report of a scope for a year: built once, shown as a page or written as a sheet.

django-oscar's report-generator shape: `ComplianceReport` holds the figures
(rows per township, rule columns, totals per column, county ranking,
findings); the county page and the xlsx writer (`assessments.exports`) are two
formatters of the same object, so the table and the file cannot disagree.
Every figure comes from the scope's figures (the stored results, or the
snapshots at city acceptance): the totals and the ranking are SQL
(`assessments.oversight`), the township rows stream from two cursors.
"""
from dataclasses import dataclass, field
from functools import cached_property

from assessments import oversight
from offices.compliance import Status
from offices.compliance.store import result_from_row, stored_compliance, stream


@dataclass
class ComplianceReport:
    scope: oversight.Scope
    year: int
    dimension: str | None = None  # show only this dimension's rules and status
    status: str | None = None  # show only townships with this status
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        self.scope.ensure(self.year)

    @cached_property
    def columns(self):
        """[(Dimension, [(code, title, unit)])] in display order."""
        return oversight.rule_columns(self.scope, self.year, self.dimension)

    @cached_property
    def rules(self):
        """The rule columns, flat: [(code, title, unit)]."""
        return [rule for _dimension, rules in self.columns for rule in rules]

    @cached_property
    def cards(self):
        """Every township's stored results (a county's page; a file streams them with `iter_cards`).

        Accepted figures: the townships' snapshots at city acceptance (two queries either way).
        """
        if self.scope.accepted:
            return list(self.iter_cards())
        return stored_compliance(self.scope.townships, self.year, ensure=False)  # the scope ensured the year

    def iter_cards(self):
        """The townships' stored results one by one, in code order (memory flat for a province)."""
        return stream(self.scope.summaries.filter(year=self.year), self.scope.results.filter(year=self.year))

    @cached_property
    def township_count(self):
        return self.totals.townships

    @cached_property
    def rows(self):
        return oversight.township_table(self.cards, self.columns, dimension=self.dimension, status=self.status)

    @cached_property
    def by_county(self):
        return oversight.totals_by(self.scope, self.year, "county_id")

    @cached_property
    def totals(self):
        result = oversight.Totals()
        for county_totals in self.by_county.values():
            result += county_totals
        return result

    @cached_property
    def column_totals(self):
        return oversight.column_totals(self.scope, self.year, self.columns)

    @cached_property
    def counties(self):
        return oversight.counties_ranked(self.scope, self.year, by_county=self.by_county)

    @cached_property
    def computed_at(self):
        """When the oldest figure was computed: read off the townships' rows the page loads anyway."""
        return min((card.computed_at for card in self.cards), default=None)

    def findings(self):
        """(township, RuleResult) of every finding, township by township, streamed from one query."""
        rows = (self.scope.results.filter(year=self.year, status=Status.FAIL)
                .select_related("township__county").order_by("township__code", "position"))
        for row in rows.iterator(chunk_size=2000):
            yield row.township, result_from_row(row)


def compliance_report(scope, year, *, dimension=None, status=None):
    """The report of `scope` (already narrowed to what the user sees) for `year`."""
    return ComplianceReport(scope=scope, year=year, dimension=dimension or None, status=status or None)
