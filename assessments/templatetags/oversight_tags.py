"""Template filters of the oversight pages (sort keys, gap wording, dates in Chinese)."""
import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django import template
from django.contrib.staticfiles import finders
from django.utils import timezone
from django.utils.safestring import mark_safe

from assessments.oversight import gap_text as _gap_text
from offices.compliance import Status, Unit

register = template.Library()


@register.filter
def sort_value(result):
    """A number to sort a rule cell by: the gap (items missing for list rules); -1 when not assessed."""
    if result is None or result.status == Status.NOT_ASSESSED:
        return -1
    if not result.failed:
        return 0
    gap = result.gap
    if isinstance(gap, (list, tuple, set)):
        return len(gap)
    if isinstance(gap, (int, Decimal)) and not isinstance(gap, bool):
        return gap
    return 1


def _grouped(value, places):
    """A number with thousands separators and exactly `places` decimals; 「—」 for none."""
    if value is None or value == "":
        return "—"
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{number:,.{places}f}"


# One number format per unit in the oversight tables: people as whole numbers, 元 and ㎡ to the cent.
@register.filter
def people(value):
    """A head count: 「1,578」."""
    return _grouped(value, 0)


@register.filter
def yuan(value):
    """A sum of money in 元, without the unit (the column header names it): 「13,947.20」, 「0.00」."""
    return _grouped(value, 2)


@register.filter
def sqm(value):
    """An area in ㎡, without the unit: 「1,578.00」."""
    return _grouped(value, 2)


INTEGER_UNITS = {Unit.PEOPLE, Unit.ITEMS, Unit.PLACES, Unit.CONTRACTS}


@register.filter
def figure(value, unit=""):
    """A number in a column of `unit`, without the unit (the header names it): counts whole, the rest to the cent."""
    return _grouped(value, 0 if Unit.of(unit) in INTEGER_UNITS else 2)


@register.filter
def column_sum(rows, path):
    """The 合计 of a column: the sum of `path` ("card.population") over `rows`, the blanks left out."""
    total = 0
    for row in rows:
        value = row
        for name in path.split("."):
            value = getattr(value, name, None)
        total += value or 0
    return total


@register.filter
def gap_text(result):
    return _gap_text(result) if result is not None else ""


@register.filter
def status_rank(status):
    return {Status.FAIL: 0, Status.PASS: 2}.get(status, 1)


@register.filter
def chinese_date(value):
    """'2025-03-01T09:30:00+08:00' (or a datetime) → '2025年3月1日', in local time."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def chinese_datetime(value):
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{chinese_date(value)} {value:%H:%M}"


@register.simple_tag
def static_text(path):
    """The text of one of the project's static files, for a document that must stand alone.

    The downloaded circular opens offline, so it carries its stylesheet inline; the site's own
    circular page links the same file instead (the Content-Security-Policy refuses inline styles).
    """
    found = finders.find(path)
    if not found:
        raise template.TemplateSyntaxError(f"static_text: no static file {path!r}")
    return mark_safe(Path(found).read_text(encoding="utf-8"))  # the project's own file, never user input
