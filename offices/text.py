"""Control characters in text: refused where text is entered, stripped where it is written to a spreadsheet.

Word puts a vertical tab (U+000B) where the user pressed Shift+Enter and a
form feed at a page break; copied into a name they are invisible on the page
but make openpyxl refuse the whole workbook (IllegalCharacterError), and a NUL
makes PostgreSQL refuse the query. So every text field of every form and every
model refuses them (`NoControlCharactersForm`, `NoControlCharactersModel`),
and `strip_control_characters` cleans what was stored before this check
existed.

Refused everywhere: C0 controls, DEL, C1 controls, and U+FFFE/U+FFFF (not
characters; XML refuses them). Tab, line feed and carriage return are refused
in a single-line field but allowed in a multi-line one (a model TextField, a
form Textarea). U+2028/U+2029 (line and paragraph separators) are line breaks:
treated like a line feed, refused on a single line and allowed in multi-line
text, where the page and the spreadsheet show them as line breaks.
"""
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

LINE_BREAKS = "\t\n\r\u2028\u2029"
_ALWAYS_REFUSED = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff"
REFUSED_IN_SINGLE_LINE = re.compile(f"[{_ALWAYS_REFUSED}{LINE_BREAKS}]")
REFUSED_IN_MULTI_LINE = re.compile(f"[{_ALWAYS_REFUSED}]")
# What a spreadsheet cell cannot hold: what the forms refuse, plus lone surrogates (not encodable in the XML).
_NOT_IN_A_CELL = re.compile(f"[{_ALWAYS_REFUSED}\ud800-\udfff]")

MESSAGE = _("「%(field)s」不能包含控制字符（如从Word粘贴带来的换行符），请删除后重试。")
CODE = "control_characters"


def has_control_characters(value, *, multiline=False):
    """Whether the text holds a character the field refuses (line breaks and tabs only in multi-line text)."""
    pattern = REFUSED_IN_MULTI_LINE if multiline else REFUSED_IN_SINGLE_LINE
    return isinstance(value, str) and pattern.search(value) is not None


def strip_control_characters(value):
    """The text without the characters a spreadsheet cannot hold (line breaks and tabs are kept)."""
    return _NOT_IN_A_CELL.sub("", value)


@deconstructible
class ControlCharacterValidator:
    """Refuse control characters, with a message naming the field."""

    def __init__(self, label, *, multiline=False):
        self.label = label
        self.multiline = multiline

    def __call__(self, value):
        if has_control_characters(value, multiline=self.multiline):
            raise ValidationError(MESSAGE, code=CODE, params={"field": self.label})

    def __eq__(self, other):
        return (isinstance(other, ControlCharacterValidator) and (self.label, self.multiline)
                == (other.label, other.multiline))


class NoControlCharactersForm:
    """Form mixin: every text field refuses control characters (a Textarea allows tabs and line breaks).

    The check is attached in `full_clean`, so fields a form adds in its own
    `__init__` (one per village, say) are covered as well.
    """

    def full_clean(self):
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and not any(
                isinstance(validator, ControlCharacterValidator) for validator in field.validators
            ):
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators.append(ControlCharacterValidator(field.label or name, multiline=multiline))
        super().full_clean()


class NoControlCharactersModel:
    """Model mixin: `full_clean` refuses control characters in every CharField and TextField.

    Services call `full_clean()` before saving, so this guards every write,
    whichever form or command it came from. A TextField is multi-line text.
    Being a plain mixin (not a model), it changes no table and needs no migration.
    """

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if field.name in errors or (exclude and field.name in exclude):
                continue
            if not isinstance(field, (models.CharField, models.TextField)):
                continue
            multiline = isinstance(field, models.TextField)
            try:
                ControlCharacterValidator(field.verbose_name, multiline=multiline)(getattr(self, field.attname))
            except ValidationError as error:
                errors[field.name] = error.error_list
        if errors:
            raise ValidationError(errors)
