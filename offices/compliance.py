"""The vocabulary every compliance rule speaks, shared by all apps.

Each app above `offices` owns its rules and exposes them through a module
`<app>/compliance.py` with two functions:

    gather(townships, year) -> dict[township_id, <inputs>]
        `townships` is a queryset or a list of townships (the engine passes
        the list it has loaded; read ids with `township_ids`). Collect the
        inputs of the app's rules for every township in a FIXED number of queries (annotate/aggregate/Subquery,
        or one query per model grouped in Python) — never one per township.

    evaluate(inputs, context) -> list[RuleResult]
        Pure: no ORM. Call the pure functions of `<app>/rules.py` with plain
        values and the applicable `Standard` from `context`.

`assessments` calls every app's pair and combines the results; every page,
spreadsheet and API reads that one computation.
"""
import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PASS = "pass", _("达标")
    FAIL = "fail", _("未达标")
    NOT_ASSESSED = "not_assessed", _("该标准未作要求")


class Dimension(models.TextChoices):
    STAFFING = "staffing", _("有人管事")
    FUNDING = "funding", _("有钱干事")
    FACILITIES = "facilities", _("有场所办事")
    EQUIPMENT = "equipment", _("有手段成事")
    REGULATIONS = "regulations", _("有章理事")
    TRAINING = "training", _("分级培训")
    OVERSIGHT = "oversight", _("考评与检查")


FIVE_HAVES = [Dimension.STAFFING, Dimension.FUNDING, Dimension.FACILITIES, Dimension.EQUIPMENT, Dimension.REGULATIONS]


@dataclass(frozen=True)
class TownshipContext:
    """What every rule may know about the township besides its app's own inputs."""

    township_id: int
    code: str
    name: str
    year: int
    standard: Any  # offices.models.Standard or None
    population: int | None  # per the standard's population basis; None when not entered
    village_count: int = 0


@dataclass(frozen=True)
class RuleResult:
    """One rule's verdict for one township and year.

    `required`, `actual` and `gap` are numbers (int or Decimal) for numeric
    rules, lists of labels for list rules (what is required, what exists, what
    is missing), or None where not assessed. `gap` is the shortfall: 0 (or an
    empty list) when the rule passes, never negative. `surplus` carries a
    positive excess for rules where it matters (posts above the requirement).
    """

    code: str  # stable identifier, e.g. "staffing.posts_authorized"
    dimension: str  # a Dimension value
    title: str  # short Chinese name of the rule, e.g. "编制数"
    status: str  # a Status value
    required: Any = None
    actual: Any = None
    gap: Any = None
    unit: str = ""  # 人 / 元 / ㎡ / 项 / 个
    explanation: str = ""  # one line of plain Chinese, e.g. 「编制应配5人，实有3人，缺2人」
    fix_url: str = ""  # URL name of the form that fixes the finding (takes the township code)
    basis: dict = field(default_factory=dict)  # the data it was computed from, label → value
    surplus: Any = None

    @property
    def passed(self):
        return self.status == Status.PASS

    @property
    def failed(self):
        return self.status == Status.FAIL


def not_assessed(code, dimension, title, reason=None):
    """The result for a rule the applicable standard does not set."""
    return RuleResult(
        code=code,
        dimension=dimension,
        title=title,
        status=Status.NOT_ASSESSED,
        explanation=str(reason or _("该标准未对此项作要求，不予评估。")),
    )


def township_ids(townships):
    """Return the ids of `townships`: a queryset (one query), or an iterable of townships or ids."""
    if isinstance(townships, QuerySet):
        return list(townships.order_by().values_list("pk", flat=True))
    return [getattr(t, "pk", t) for t in townships]


def year_end(year):
    """31 December of `year`: the day "in post", "adopted" and "trained" are judged on."""
    return datetime.date(year, 12, 31)


def shortfall(required, actual):
    """Return the non-negative gap between what is required and what exists."""
    return max(required - actual, 0 if not isinstance(required, Decimal) else Decimal("0"))


def format_number(value):
    """Format a number for an explanation: thousands separators, no trailing zeros on Decimals."""
    if isinstance(value, Decimal):
        normalized = value.quantize(Decimal("0.01"))
        text = f"{normalized:,.2f}"
        return text[:-3] if text.endswith(".00") else text
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
