"""The vocabulary every compliance rule speaks: statuses, dimensions, units, declarations, results.

A rule is declared once, as a `RuleSpec` in its app's `rules.py`: its code,
dimension, title, unit, the form that fixes a finding, who can act on it and
which parameter of the `Standard` switches it on. The engine
(`offices.compliance.engine`) reads the declarations: it alone says "no
standard applies" and "the standard leaves this rule out", in one wording
each; the rule functions only decide rules that are in force.
"""
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PASS = "pass", _("达标")
    FAIL = "fail", _("未达标")
    NOT_ASSESSED = "not_assessed", _("不评估")


class Dimension(models.TextChoices):
    STAFFING = "staffing", _("有人管事")
    FUNDING = "funding", _("有钱干事")
    FACILITIES = "facilities", _("有场所办事")
    EQUIPMENT = "equipment", _("有手段成事")
    REGULATIONS = "regulations", _("有章理事")
    TRAINING = "training", _("分级培训")
    SUPERVISION = "supervision", _("考评与检查")


FIVE_HAVES = [Dimension.STAFFING, Dimension.FUNDING, Dimension.FACILITIES, Dimension.EQUIPMENT, Dimension.REGULATIONS]


class Unit(models.TextChoices):
    """What a rule's numbers count. Compared by value, never by the translated label."""

    PEOPLE = "people", _("人")
    YUAN = "yuan", _("元")
    SQUARE_METRES = "m2", _("㎡")
    ITEMS = "items", _("项")
    PLACES = "places", _("个")
    POINTS = "points", _("分")
    CONTRACTS = "contracts", _("份")

    @classmethod
    def of(cls, value):
        """The Unit of a value, or of the Chinese label stored before units were codes ("人", "元", …)."""
        if value in cls.values:
            return cls(value)
        return LEGACY_UNIT_LABELS.get(value)


# Circular snapshots published before units were codes hold the Chinese label.
LEGACY_UNIT_LABELS = {
    "人": Unit.PEOPLE, "元": Unit.YUAN, "㎡": Unit.SQUARE_METRES, "项": Unit.ITEMS, "个": Unit.PLACES,
    "分": Unit.POINTS, "份": Unit.CONTRACTS,
}


class Actor(models.TextChoices):
    """Who can act on a finding: the role whose pages hold the form that fixes it."""

    TOWNSHIP = "township", _("乡镇民政办")
    COUNTY = "county", _("县级民政部门")
    CITY = "city", _("市级民政部门")


MONEY_UNITS = {Unit.YUAN}

NO_STANDARD = _("该年度没有适用的建设标准，不予评估。")
LEFT_OUT = _("该标准未对此项作要求，不予评估。")


def always(standard):
    return True


@dataclass(frozen=True)
class RuleSpec:
    """One rule, declared once.

    `applies(standard)` tells whether the standard sets the rule; where it
    does not, the engine reports LEFT_OUT and never calls the rule.
    """

    code: str
    dimension: str
    title: Any  # lazy Chinese title, e.g. 「编制数」
    unit: str
    fix_url: str  # URL name of the form that fixes a finding (takes the township code)
    fixed_by: str = Actor.TOWNSHIP
    applies: Callable = always

    def result(self, status, **values):
        """A RuleResult of this rule; `values` are the RuleResult fields it computed."""
        values.setdefault("fix_url", self.fix_url)
        values.setdefault("fixed_by", self.fixed_by)
        values.setdefault("unit", self.unit)
        return RuleResult(code=self.code, dimension=self.dimension, title=str(self.title), status=status, **values)

    def not_assessed(self, explanation, **values):
        return self.result(Status.NOT_ASSESSED, explanation=str(explanation), **values)


@dataclass(frozen=True)
class TownshipContext:
    """What every rule may know about the township besides its app's own inputs.

    Built in one place (`offices.selectors.township_contexts`) for the engine
    and for every page.
    """

    township_id: int
    code: str
    name: str
    year: int
    standard: Any  # offices.models.Standard or None
    population: int | None  # per the standard's population basis; None when not entered
    today: datetime.date | None = None  # the day dated rules are judged on (ended quarters, deadlines)


@dataclass(frozen=True)
class RuleResult:
    """One rule's verdict for one township and year.

    `required`, `actual` and `gap` are numbers (int or Decimal) for numeric
    rules, lists of labels for list rules (what is required, what exists, what
    is missing), or None where not assessed. `gap` is the shortfall: 0 (or an
    empty list) when the rule passes, never negative. `surplus` carries a
    positive excess for rules where it matters (posts above the requirement).
    `items` names every thing behind a finding (villages, people, rooms), in
    full, so that a data-entry page can mark its rows without deciding again:
    labels, or small frozen records that print as their label (the equipment
    rule gives one line per required kind, with its count and whether it is
    missing).
    """

    code: str  # stable identifier, e.g. "staffing.posts_authorized"
    dimension: str  # a Dimension value
    title: str  # short Chinese name of the rule, e.g. "编制数"
    status: str  # a Status value
    required: Any = None
    actual: Any = None
    gap: Any = None
    unit: str = ""  # a Unit value
    explanation: str = ""  # one line of plain Chinese, e.g. 「编制应配5人，实有3人，缺2人」
    fix_url: str = ""  # URL name of the form that fixes the finding (takes the township code)
    basis: dict = field(default_factory=dict)  # the data it was computed from, label → value
    surplus: Any = None
    fixed_by: str = Actor.TOWNSHIP  # an Actor value
    items: tuple = ()

    @property
    def passed(self):
        return self.status == Status.PASS

    @property
    def failed(self):
        return self.status == Status.FAIL

    @property
    def assessed(self):
        return self.status != Status.NOT_ASSESSED

    @property
    def status_label(self):
        return Status(self.status).label

    @property
    def unit_label(self):
        unit = Unit.of(self.unit)
        return unit.label if unit else self.unit
