"""The one compliance computation: every page, spreadsheet, API and command reads it.

For a set of townships and a year it gathers the inputs of every app's rules
in a fixed number of queries (each app's `gather`), then decides each rule
with pure functions (each app's `evaluate`).
"""
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext_lazy as _

from offices.compliance import Dimension, RuleResult, Status, TownshipContext
from offices.vocabulary import PopulationBasis
from offices.selectors import standards_for_townships, townships_with_population

from assessments.rule_modules import rule_modules

DIMENSION_ORDER = list(Dimension.values)


@dataclass
class TownshipCompliance:
    township: object  # offices.models.Township, with county and city loaded
    year: int
    standard: object  # offices.models.Standard or None
    population: int | None
    results: list[RuleResult] = field(default_factory=list)

    @cached_property
    def status(self):
        return combined_status(self.results, has_standard=self.standard is not None)

    @property
    def passed(self):
        return self.status == Status.PASS

    @cached_property
    def findings(self):
        return [r for r in self.results if r.failed]

    def results_for(self, dimension):
        return [r for r in self.results if r.dimension == dimension]

    def dimension_status(self, dimension):
        return combined_status(self.results_for(dimension), has_standard=self.standard is not None)

    @cached_property
    def dimensions(self):
        """[(Dimension, status, results)] in display order, dimensions with rules only."""
        rows = []
        for value in DIMENSION_ORDER:
            results = self.results_for(value)
            if results:
                rows.append((Dimension(value), self.dimension_status(value), results))
        return rows

    def result(self, code):
        return next((r for r in self.results if r.code == code), None)


def combined_status(results, *, has_standard=True):
    """Fail if any rule fails; pass if at least one assessed rule passes and none fail."""
    if not has_standard:
        return Status.NOT_ASSESSED
    statuses = {r.status for r in results}
    if Status.FAIL in statuses:
        return Status.FAIL
    if Status.PASS in statuses:
        return Status.PASS
    return Status.NOT_ASSESSED


def compliance_for(townships, year):
    """Return a TownshipCompliance for every township of the queryset, in code order."""
    rows = list(townships_with_population(townships.select_related("county__city"), year).order_by("code"))
    standards = standards_for_townships(rows, year)
    # Every app gathers for the townships already loaded, not by re-running the queryset.
    gathered = [(module, module.gather(rows, year)) for module in rule_modules()] if rows else []
    out = []
    for township in rows:
        standard = standards[township.pk]
        population = _population(township, standard)
        context = TownshipContext(
            township_id=township.pk,
            code=township.code,
            name=township.name,
            year=year,
            standard=standard,
            population=population,
            village_count=township.village_count,
        )
        results = []
        for module, inputs in gathered:
            results.extend(module.evaluate(inputs.get(township.pk), context))
        out.append(TownshipCompliance(township=township, year=year, standard=standard, population=population,
                                      results=results))
    return out


def township_compliance(township, year):
    return compliance_for(type(township).objects.filter(pk=township.pk), year)[0]


def _population(township, standard):
    if standard is not None and standard.population_basis == PopulationBasis.REGISTERED:
        return township.registered_population
    return township.resident_population


STATUS_LABELS = {Status.PASS: _("达标"), Status.FAIL: _("未达标"), Status.NOT_ASSESSED: _("不评估")}
