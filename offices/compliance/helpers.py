"""Helpers every rules module shares: dates, listing names, shares, numbers and units.

Kept once here so that a finding is worded and a number presented the same
way in every dimension.
"""
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from offices.compliance.contract import MONEY_UNITS, Unit

# How many names a finding spells out before it says 「等N个」.
NAMES_LISTED = 10

TEN_THOUSAND = Decimal(10_000)
CENT = Decimal("0.01")


def year_end(year):
    """31 December of `year`: the day "in post", "adopted" and "trained" are judged on."""
    return datetime.date(year, 12, 31)


def township_ids(townships):
    """Return the ids of `townships`: a queryset (one query), or an iterable of townships or ids."""
    if isinstance(townships, QuerySet):
        return list(townships.order_by().values_list("pk", flat=True))
    return [getattr(t, "pk", t) for t in townships]


def listed(labels, unit=Unit.PLACES):
    """Join up to NAMES_LISTED labels with 、 and say how many there are in all (「等12个」)."""
    labels = [str(label) for label in labels]
    shown = "、".join(labels[:NAMES_LISTED])
    if len(labels) > NAMES_LISTED:
        shown += _("等%(count)s%(unit)s") % {"count": len(labels), "unit": Unit(unit).label}
    return shown


def share(part, whole):
    """Return part/whole as a percentage with one decimal, or None for an empty set."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def per_ten_thousand(rate, population):
    """`rate` per 10,000 people × `population` (funds and floor area are set per 10,000)."""
    return Decimal(rate) * Decimal(population) / TEN_THOUSAND


def shortfall(required, actual):
    """Return the non-negative gap between what is required and what exists."""
    return max(required - actual, 0 if not isinstance(required, Decimal) else Decimal("0"))


def format_number(value):
    """Format a number for an explanation: thousands separators, no trailing zeros on Decimals."""
    if isinstance(value, Decimal):
        normalized = value.quantize(CENT)
        text = f"{normalized:,.2f}"
        return text[:-3] if text.endswith(".00") else text
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def money(value):
    """A sum of money as a two-place Decimal (SQLite sums come back as floats with noise)."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def money_text(value):
    """A sum of money as the two-place string the API and the command print ("24691.39")."""
    return None if value is None else f"{money(value):.2f}"


def present(value, unit, *, empty="—", none_listed=None):
    """One value with its unit, as every page, sheet and command shows it.

    None → 「—」; a list → its items joined with 、 (「无」 when empty); numbers
    with thousands separators and at most two decimals (「12,345.5元」, 「2,000元」).
    """
    if value is None:
        return empty
    if isinstance(value, (list, tuple, set)):
        return "、".join(str(v) for v in value) or (none_listed or _("无"))
    unit = Unit.of(unit)
    label = unit.label if unit else ""
    if isinstance(value, bool):
        return str(value)
    if unit in MONEY_UNITS:
        value = money(value)
    return f"{format_number(value)}{label}"
