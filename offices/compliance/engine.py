"""The one compliance computation.

For a set of townships and a year it builds each township's context once
(`offices.selectors.township_contexts`), gathers the inputs of every rules
module in a fixed number of queries (each module's `gather`), and decides
each declared rule (each module's `DECIDERS`). Which modules take part is
configuration (`WUYOU_RULE_MODULES`), so the base app never imports upward.

Every page reads this computation: the scorecard and the oversight pages all
modules, a data-entry page only its own app's module, through the same code.
"""
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import import_module

from django.conf import settings
from django.utils import timezone

from offices.compliance.contract import LEFT_OUT, NO_STANDARD, Dimension, RuleResult, Status

DIMENSION_ORDER = list(Dimension.values)


@cache
def rule_modules():
    """The rules modules of the computation, in display order (settings.WUYOU_RULE_MODULES)."""
    return tuple(import_module(path) for path in settings.WUYOU_RULE_MODULES)


def rule_specs():
    """{code: RuleSpec} of every rule of the computation, in display order."""
    return {spec.code: spec for module in rule_modules() for spec in module.RULES}


def evaluator(rules, deciders):
    """Build a module's `evaluate(inputs, context)` from its declarations and deciders.

    The engine, not the rule, says when a rule is not assessed because no
    standard applies or the standard leaves it out.
    """
    missing = {spec.code for spec in rules} ^ set(deciders)
    if missing:
        raise ValueError(f"rules declared without a decider, or deciders without a rule: {sorted(missing)}")

    def evaluate(inputs, context):
        return [decide(spec, deciders[spec.code], inputs, context) for spec in rules]

    return evaluate


def decide(spec, decider, inputs, context):
    """One rule for one township: not assessed without a standard or where the standard leaves it out."""
    if context.standard is None:
        return spec.not_assessed(NO_STANDARD)
    if not spec.applies(context.standard):
        return spec.not_assessed(LEFT_OUT)
    return decider(inputs, context)


def decide_rule(module, spec, inputs, context):
    """One declared rule of `module`, decided exactly as `module.evaluate` decides it."""
    return decide(spec, module.DECIDERS[spec.code], inputs, context)


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

    @cached_property
    def by_code(self):
        return {r.code: r for r in self.results}

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
        return self.by_code.get(code)


def compliance_for(townships, year, *, modules=None, today=None):
    """Return a TownshipCompliance for every township of `townships`, in code order.

    `modules` limits the computation to some rules modules (a data-entry page
    shows its own app's rules); by default every module takes part.
    """
    from offices.selectors import township_contexts  # the selector reads models; the contract does not

    modules = modules or rule_modules()
    contexts = township_contexts(townships, year, today=today or timezone.localdate())
    loaded = [township for township, _context in contexts]
    # Every module gathers for the townships already loaded, not by re-running the queryset.
    gathered = [(module, module.gather(loaded, year)) for module in modules] if loaded else []
    out = []
    for township, context in contexts:
        results = []
        for module, inputs in gathered:
            results.extend(module.evaluate(inputs.get(township.pk), context))
        out.append(TownshipCompliance(township=township, year=year, standard=context.standard,
                                      population=context.population, results=results))
    return out


def township_compliance(township, year, *, modules=None, today=None):
    """The computation for one township (a model instance)."""
    return compliance_for(type(township).objects.filter(pk=township.pk), year, modules=modules, today=today)[0]
