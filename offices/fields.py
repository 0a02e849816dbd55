"""Form fields for numbers and dates typed the way a township clerk types them.

A clerk writes 「5万」, 「76,550」, 「７６５５０」 (full-width digits from a Chinese input
method) and 「2025年3月1日」. A number input drops 万 (「5万」 arrives as 5) and a date
input refuses the Chinese form, so both are text inputs, parsed here. `static/js/wuyou.js`
mirrors `parse_number` and `parse_date` to show the parsed value beside the field while it
is typed (「= 50,000人」); this module is the truth, the script only a preview.

Every message names its field and says what to type, with an example, so a bad cell in a
long sheet says which box and what it should hold; the form re-renders what was typed.
"""
import datetime
import re
import unicodedata
from decimal import Decimal, localcontext

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import BaseValidator
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

MULTIPLIERS = {"万": 10**4, "亿": 10**8}
# Longer than any amount a form stores: refuse it before the arithmetic.
MAX_NUMBER_LENGTH = 40
# Digit groups of three only: 「76,55」 might be a European decimal comma, so it is refused, not guessed.
_NUMBER = re.compile(r"(?P<sign>[-+]?)(?P<whole>\d{1,3}(?:,\d{3})+|\d*)(?:\.(?P<fraction>\d*))?", re.ASCII)
_WHITESPACE = re.compile(r"\s+")
# NFKC leaves the minus sign (U+2212) alone; a clerk pasting from a document may bring one.
_MINUS = str.maketrans({"\u2212": "-"})
_DATE_FORMS = [
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?", re.ASCII),
    re.compile(r"(?P<y>\d{4})(?P<sep>[-./])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})", re.ASCII),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})", re.ASCII),
]
DATE_DISPLAY_FORMAT = "%Y-%m-%d"


def normalize(text):
    """Full-width to half-width (NFKC: 「７６，５５０」 → 「76,550」), without any whitespace."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", str(text)).translate(_MINUS))


def parse_number(text, *, units=(), wan=True):
    """The Decimal a clerk meant by `text`, or ValueError.

    Accepts thousands separators in groups of three, full-width characters,
    spaces, one trailing unit of `units` (「5万人」, 「1.2万元」) and, with
    `wan`, a trailing 万 (×10,000) or 亿 (×100,000,000). The result is exact:
    an integral value has no decimal places (「1.234万」 is 12340, not 12340.000).
    """
    text = normalize(text)
    for unit in sorted((normalize(unit) for unit in units), key=len, reverse=True):
        if unit and text.endswith(unit):
            text = text[: -len(unit)]
            break
    multiplier = 1
    if wan and text[-1:] in MULTIPLIERS:
        multiplier, text = MULTIPLIERS[text[-1]], text[:-1]
    match = _NUMBER.fullmatch(text) if len(text) <= MAX_NUMBER_LENGTH else None
    if match is None or not (match["whole"] or match["fraction"]):
        raise ValueError(f"not a number: {text!r}")
    digits = f"{match['whole'].replace(',', '') or '0'}.{match['fraction'] or '0'}"
    with localcontext(prec=MAX_NUMBER_LENGTH + 20):
        value = Decimal(digits) * multiplier
        if match["sign"] == "-":
            value = -value
        if value == value.to_integral_value():
            return value.quantize(Decimal(1)) + 0  # + 0 turns -0 into 0
        return value.normalize()


def parse_date(text):
    """The date written as 2025年3月1日, 2025.3.1, 2025/3/1, 2025-03-01 or 20250301, or ValueError."""
    text = normalize(text)
    for pattern in _DATE_FORMS:
        match = pattern.fullmatch(text)
        if match:
            return datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
    raise ValueError(f"not a date: {text!r}")


def _interpolate(template, params):
    return str(template) % {key: str(value) for key, value in params.items()}


# The message is built when it is shown, in the language of that request.
interpolate_lazy = lazy(_interpolate, str)


def message(template, **params):
    return interpolate_lazy(template, params)


def _figure(value):
    """A bound as a clerk reads it: 2100, 0.5, 2,147,483,647."""
    return f"{value:,}" if abs(value) >= 10_000 else f"{value}"


def examples_text(examples):
    """「76550 或 7.6万」: the examples of a field, joined."""
    text = examples[0]
    for example in examples[1:]:
        text = message(_("%(first)s 或 %(second)s"), first=text, second=example)
    return text


class GreaterThanValidator(BaseValidator):
    """Refuse a value not above the limit (a floor area of 0 is no room); code "min_value" like Django's."""

    code = "min_value"

    def compare(self, value, limit):
        return value <= limit


class EntryInput(forms.TextInput):
    """A text input for a number: a number input would drop 万 and refuse 「76,550」."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


class DateEntryInput(forms.DateInput):
    """A text input for a date: `wuyou.js` adds the calendar button beside it."""

    input_type = "text"

    def __init__(self, attrs=None, format=DATE_DISPLAY_FORMAT):
        super().__init__({"autocomplete": "off", **(attrs or {})}, format=format)


class EntryNumberMixin:
    """What an entry number field shares: the parsing, the bounds, and messages naming the field.

    `unit` is shown after the parsed value (「= 50,000人」); `units` are the
    suffixes a clerk may type and that are ignored (「5万人」); `examples` appear
    in every message; `kind` names what to type (整数, 金额（元）, 年份);
    `greater_than` is an exclusive lower bound (a floor area above 0);
    `show_max` puts the upper bound into the hint (「1949至2100之间」) — leave
    it off where the bound is only the database's; `grouping` off shows the
    value without thousands separators (a year is 2026, not 2,026).
    """

    widget = EntryInput
    integer = False

    def __init__(self, *, label, examples, unit="", units=None, wan=True, kind=None, greater_than=None,
                 show_max=True, grouping=True, **kwargs):
        self.unit, self.wan, self.examples, self.grouping = unit, wan, tuple(examples), grouping
        self.units = tuple(units) if units is not None else ((unit,) if unit else ())
        self.kind = kind or (_("整数") if self.integer else _("数字"))
        self.greater_than, self.show_max = greater_than, show_max
        self.label_text = label
        super().__init__(label=label, **kwargs)
        if greater_than is not None:
            self.validators.append(GreaterThanValidator(greater_than))
        self.error_messages = {**self.error_messages, **self.entry_messages(), **(kwargs.get("error_messages") or {})}

    def hint(self):
        """「常住人口：请输入大于0的整数，例如 76550 或 7.6万。」 — what to type, naming the field."""
        params = {"field": self.label_text, "kind": self.kind, "example": examples_text(self.examples)}
        if self.min_value is not None and self.max_value is not None and self.show_max:
            return message(_("%(field)s：请输入%(min)s至%(max)s之间的%(kind)s，例如 %(example)s。"),
                           min=_figure(self.min_value), max=_figure(self.max_value), **params)
        if self.greater_than is not None:
            return message(_("%(field)s：请输入大于%(min)s的%(kind)s，例如 %(example)s。"),
                           min=_figure(self.greater_than), **params)
        if self.min_value is not None:
            return message(_("%(field)s：请输入不小于%(min)s的%(kind)s，例如 %(example)s。"),
                           min=_figure(self.min_value), **params)
        return message(_("%(field)s：请输入%(kind)s，例如 %(example)s。"), **params)

    def largest(self):
        return self.max_value

    def entry_messages(self):
        hint = self.hint()
        too_large = hint
        if self.largest() is not None and not (self.show_max and self.max_value is not None):
            too_large = message(_("%(field)s：不能大于%(max)s，请核对后重新输入。"),
                                field=self.label_text, max=_figure(self.largest()))
        return {
            "required": message(_("请填写%(field)s，例如 %(example)s。"),
                                field=self.label_text, example=examples_text(self.examples)),
            "invalid": hint,
            "min_value": hint,
            "max_value": too_large,
            "max_digits": too_large,
            "max_whole_digits": too_large,
        }

    def parse(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return Decimal(value)
        try:
            return parse_number(value, units=self.units, wan=self.wan)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def run_validators(self, value):
        # Django's validators carry their own wording (「确保该值大于或等于0。」); ours name the field.
        try:
            super().run_validators(value)
        except ValidationError as error:
            raise ValidationError([
                ValidationError(self.error_messages[each.code], code=each.code)
                if each.code in self.error_messages else each
                for each in error.error_list
            ]) from None

    def widget_attrs(self, widget):
        # The messages the preview shows for what the server would refuse, as the server words them.
        messages = self.entry_messages()
        attrs = {"data-entry": "number", "data-invalid": messages["invalid"]}
        if messages["max_value"] is not messages["invalid"]:
            attrs["data-invalid-max"] = messages["max_value"]
        if "max_decimal_places" in messages:
            attrs["data-invalid-places"] = messages["max_decimal_places"]
        if self.unit:
            attrs["data-unit"] = self.unit
        if self.units:
            attrs["data-units"] = "|".join(str(unit) for unit in self.units)
        if self.wan:
            attrs["data-wan"] = "1"
        if not self.grouping:
            attrs["data-grouping"] = "0"
        if self.integer:
            attrs["data-integer"] = "1"
            attrs["inputmode"] = "decimal" if self.wan else "numeric"
        if self.greater_than is not None:
            attrs["data-gt"] = str(self.greater_than)
        if self.min_value is not None:
            attrs["data-min"] = str(self.min_value)
        if self.largest() is not None:
            attrs["data-max"] = str(self.largest())
        return attrs


class EntryIntegerField(EntryNumberMixin, forms.IntegerField):
    """A whole number: 「5万」 is 50000, 「7.655万」 76550; 「1.5」 is refused, naming the field."""

    integer = True

    def to_python(self, value):
        number = self.parse(value)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(number)


class EntryDecimalField(EntryNumberMixin, forms.DecimalField):
    """A decimal (an amount, an area): 「1.2万」 in a yuan field is 12000.00."""

    def entry_messages(self):
        messages = super().entry_messages()
        if self.decimal_places is not None:
            messages["max_decimal_places"] = message(
                _("%(field)s：最多保留%(places)s位小数。"), field=self.label_text, places=self.decimal_places,
            )
        return messages

    def largest(self):
        if self.max_value is not None or self.max_digits is None:
            return self.max_value
        places = self.decimal_places or 0
        return Decimal(10) ** (self.max_digits - places) - Decimal(1).scaleb(-places)

    def to_python(self, value):
        return self.parse(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if self.decimal_places is not None:
            attrs["data-places"] = str(self.decimal_places)
        return attrs


def money_field(label, *, required=False, greater_than=None, **kwargs):
    """An amount in yuan, to the fen (分): 「1.2万」 is 12000.00 元."""
    kwargs.setdefault("min_value", None if greater_than is not None else Decimal("0"))
    kwargs.setdefault("kind", _("金额（元）"))
    return EntryDecimalField(
        label=label, required=required, greater_than=greater_than, max_digits=12, decimal_places=2,
        unit=_("元"), examples=("12000", "1.2万"), **kwargs,
    )


def year_field(label, *, required=True, **kwargs):
    """A year between 1949 and 2100 (「2025年」 is 2025; no 万)."""
    return EntryIntegerField(
        label=label, required=required, min_value=1949, max_value=2100, wan=False, units=("年",),
        kind=_("年份"), examples=("2025",), grouping=False, **kwargs,
    )


class DateEntryField(forms.DateField):
    """A date as Chinese users write it (2025年3月1日, 2025.3.1, 2025/3/1, 20250301) or ISO."""

    widget = DateEntryInput

    def __init__(self, *, label, **kwargs):
        self.label_text = label
        super().__init__(label=label, **kwargs)
        self.error_messages = {**self.error_messages, **self.entry_messages(),
                               **(kwargs.get("error_messages") or {})}

    def hint(self):
        return message(_("%(field)s：请输入日期，例如 2025年3月1日 或 2025-03-01。"), field=self.label_text)

    def entry_messages(self):
        return {
            "required": message(_("请填写%(field)s，例如 2025年3月1日。"), field=self.label_text),
            "invalid": self.hint(),
        }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_date(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def widget_attrs(self, widget):
        return {
            **super().widget_attrs(widget),
            "data-entry": "date",
            "data-invalid": self.hint(),
            "data-picker-label": message(_("选择%(field)s"), field=self.label_text),
            "placeholder": _("例如 2025年3月1日"),
        }


def entry_formfield(db_field, **kwargs):
    """A ModelForm's `formfield_callback`: a model's DateField becomes a DateEntryField."""
    if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("form_class", DateEntryField)
    return db_field.formfield(**kwargs)
