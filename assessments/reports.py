"""The compliance report of a set of townships for a year: built once, shown as a page or written as a sheet.

django-oscar's report-generator shape: `ComplianceReport` holds the figures
(rows per township, rule columns, totals per column, county ranking,
findings); the county page and the xlsx writer (`assessments.exports`) are two
formatters of the same object, so the table and the file cannot disagree.
"""
from dataclasses import dataclass, field
from functools import cached_property

from assessments import oversight
from assessments.compliance import compliance_for


@dataclass
class ComplianceReport:
    year: int
    cards: list  # TownshipCompliance, code order
    dimension: str | None = None  # show only this dimension's rules and status
    status: str | None = None  # show only townships with this status
    meta: dict = field(default_factory=dict)

    @cached_property
    def columns(self):
        """[(Dimension, [(code, title, unit)])] in display order."""
        return oversight.rule_columns(self.cards, self.dimension)

    @cached_property
    def rules(self):
        """The rule columns, flat: [(code, title, unit)]."""
        return [rule for _dimension, rules in self.columns for rule in rules]

    @cached_property
    def rows(self):
        return oversight.township_table(self.cards, self.columns, dimension=self.dimension, status=self.status)

    @cached_property
    def totals(self):
        return oversight.totals(self.cards)

    @cached_property
    def column_totals(self):
        return oversight.column_totals(self.cards, self.columns)

    @cached_property
    def counties(self):
        return oversight.counties_ranked(self.cards)

    def findings(self):
        """(card, RuleResult) of every finding, township by township."""
        for card in self.cards:
            for result in card.findings:
                yield card, result


def compliance_report(townships, year, *, dimension=None, status=None):
    """The report of `townships` (already scoped to the user) for `year`."""
    return ComplianceReport(year=year, cards=compliance_for(townships, year), dimension=dimension or None,
                            status=status or None)
