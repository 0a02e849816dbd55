"""Optimistic versions: a form carries the version of what it was read at; a newer version is a conflict.

A version is the id of the newest history row (django-simple-history) among the
rows that make up what the form edits: one record's history, or every record of
a township-year (its budget lines, its grades), deleted ones included. Saving
over a newer version shows what the other person changed, from those rows, and
writes nothing.
"""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

MAX_LISTED = 8


def _parts(history_rows):
    """What a form edits may span several models: a tuple of their history QuerySets."""
    return list(history_rows) if isinstance(history_rows, (list, tuple)) else [history_rows]


def version_of(history_rows):
    """The version of what `history_rows` describes: the newest history row's id, or 0.

    Several models (a tuple of QuerySets) give one id per model, joined by dots ("12.40").
    """
    if history_rows is None:
        return 0
    ids = [part.aggregate(newest=Max("history_id"))["newest"] or 0 for part in _parts(history_rows)]
    return ids[0] if len(ids) == 1 else ".".join(str(i) for i in ids)


def _seen(version, count):
    """The newest id the reader had seen, per part, from a version as version_of wrote it."""
    ids = [int(part) for part in str(version or 0).split(".") if part.isdigit()]
    return (ids + [0] * count)[:count]


def _value(field, value):
    if value is None or value == "":
        return _("（空）")
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, (int, Decimal)):
        return format(value, ",")
    return str(value)


def describe(row):
    """One history row in words: 「张三 11月24日 10:02 修改了 常住人口：76,550 → 5」."""
    who = row.history_user.display_name if row.history_user else _("系统")
    when = date_format(timezone.localtime(row.history_date), "SHORT_DATETIME_FORMAT")
    record = row.instance_type._meta.verbose_name
    if row.history_type == "+":
        return _("%(who)s（%(when)s）新增了%(record)s“%(name)s”") % {
            "who": who, "when": when, "record": record, "name": row.instance}
    if row.history_type == "-":
        return _("%(who)s（%(when)s）删除了%(record)s“%(name)s”") % {
            "who": who, "when": when, "record": record, "name": row.instance}
    previous = row.prev_record
    changes = []
    if previous is not None:
        model = row.instance_type
        for change in row.diff_against(previous).changes:
            field = model._meta.get_field(change.field)
            changes.append(_("%(field)s：%(old)s → %(new)s") % {
                "field": field.verbose_name, "old": _value(field, change.old), "new": _value(field, change.new)})
    return _("%(who)s（%(when)s）修改了%(record)s“%(name)s”：%(changes)s") % {
        "who": who, "when": when, "record": record, "name": row.instance, "changes": "；".join(changes) or "—"}


def changes_since(history_rows, version):
    """The changes made after `version`, oldest first, in words."""
    parts = _parts(history_rows)
    rows = []
    for part, seen in zip(parts, _seen(version, len(parts))):
        rows += part.filter(history_id__gt=seen).select_related("history_user").order_by("history_id")[:MAX_LISTED]
    rows.sort(key=lambda row: row.history_date)
    return [describe(row) for row in rows[:MAX_LISTED]]


def check_version(history_rows, version):
    """Refuse (ValidationError, code "conflict") when what `history_rows` describes changed after `version`."""
    if version in (None, "") or history_rows is None:
        return
    if str(version_of(history_rows)) == str(version):
        return
    changes = changes_since(history_rows, version)
    raise ValidationError(
        _("保存失败：您打开此页后，他人已修改了这些数据：%(changes)s。您的修改未保存；请查看最新数据后重新填写。")
        % {"changes": "；".join(changes) or _("（记录已变化）")},
        code="conflict",
    )
