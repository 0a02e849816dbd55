"""The 变更记录 page of a township and year: every change to a rule's input, newest first, and its spreadsheet.

The rows come from the historical tables of every model in `offices.history.TRACKED`
(one table per model), so a page is a merge: each table gives its newest keys
(date, id) up to the end of the page, the keys are merged, and only the page's
rows are then loaded whole, with the row before each (for before → after) in
one more query per table. The query count depends on the number of tracked
models, never on the number of rows.
"""
import itertools
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from io import BytesIO

from django import forms
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import CharField, OuterRef, Subquery, Value
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from offices.history import TRACKED
from offices.pages import page_year, visible_township
from offices.scoping import ALL_ROLES, scoped
from offices.versions import _value as shown_value
from offices.workbooks import Column, OfficialSheet

PER_PAGE = 50
EXPORT_BATCH = 500
SYSTEM = "system"  # the person filter's value for changes nobody signed in made (the demo loader, a command)
ACTIONS = {"+": gettext_lazy("新增"), "~": gettext_lazy("修改"), "-": gettext_lazy("删除")}


# --- the filters --------------------------------------------------------------------------------------------


# A plain Form, not a django-filter FilterSet: a FilterSet filters one model's queryset, and the rows here come
# from one historical table per tracked model; the form's cleaned values are applied to each table alike.
class HistoryFilterForm(forms.Form):
    person = forms.ChoiceField(label=gettext_lazy("操作人"), required=False)
    date_from = forms.DateField(label=gettext_lazy("起始日期"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=gettext_lazy("截止日期"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    type = forms.ChoiceField(label=gettext_lazy("记录类型"), required=False)
    record = forms.CharField(required=False, widget=forms.HiddenInput)

    error_messages = {
        "date_order": gettext_lazy("截止日期不能早于起始日期。"),
        "record": gettext_lazy("记录参数应为“类型:编号”，例如 offices.population:12。"),
    }

    def __init__(self, data=None, *, people=()):
        super().__init__(data)
        self.fields["person"].choices = [("", _("全部"))] + [(str(pk), name) for pk, name in people]
        self.fields["type"].choices = [("", _("全部"))] + [(key, str(t.label)) for key, t in TRACKED.items()]

    def clean_record(self):
        value = (self.cleaned_data.get("record") or "").strip()
        if not value:
            return None
        label, _sep, pk = value.rpartition(":")
        if label not in TRACKED or not pk.isdigit():
            raise forms.ValidationError(self.error_messages["record"], code="record")
        return label, int(pk)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", forms.ValidationError(self.error_messages["date_order"], code="date_order"))
        return data


# --- the rows -----------------------------------------------------------------------------------------------


@dataclass
class Entry:
    """One change as the page and the spreadsheet show it."""

    at: object
    who: str
    address: str
    label: str
    record: str
    action: str
    changes: list = field(default_factory=list)  # [(field name, before, after)]
    record_key: str = ""


def _who(user):
    return user.display_name if user is not None else _("系统")


def _changes(row, previous):
    """[(field, before, after)] of a history row: every changed field; on creation or deletion, every field set."""
    model = row.instance_type
    if row.history_type == "~" and previous is not None:
        pairs = [(c.field, c.old, c.new) for c in row.diff_against(previous).changes]
    else:
        fields = [f for f in row.tracked_fields if f.editable and not f.primary_key and not f.is_relation]
        values = [(f.name, getattr(row, f.attname)) for f in fields]
        if row.history_type == "-":
            pairs = [(name, value, None) for name, value in values if value not in (None, "")]
        else:
            pairs = [(name, None, value) for name, value in values if value not in (None, "")]
    shown = []
    for name, before, after in pairs:
        model_field = model._meta.get_field(name)
        shown.append((str(model_field.verbose_name), shown_value(model_field, before) if before is not None else "",
                      shown_value(model_field, after) if after is not None else ""))
    return shown


def _record_name(row):
    """The record as its own __str__ names it, with the related rows loaded alongside the history row."""
    instance = row.instance
    instance._state.fields_cache.update(
        {name: value for name, value in row._state.fields_cache.items() if name != "history_user"})
    return str(instance)


def _entry(key, tracked, row, previous):
    return Entry(
        at=row.history_date, who=_who(row.history_user), address=row.history_address or "",
        label=str(tracked.label), record=_record_name(row), action=str(ACTIONS.get(row.history_type, "")),
        changes=_changes(row, previous), record_key=f"{key}:{row.id}",
    )


class History:
    """The filtered history of a township (and year): countable and sliceable, so Django's Paginator pages it.

    The keys (date, id, model) of every tracked table are read in one UNION, ordered and cut in the database;
    only the rows shown are then loaded whole.
    """

    def __init__(self, township, year, filters=None):
        filters = filters or {}
        record = filters.get("record")
        self.tables = {}
        for key, tracked in TRACKED.items():
            if (filters.get("type") and filters["type"] != key) or (record and record[0] != key):
                continue
            # A record's own history is all of it; otherwise the page's year chooses the records.
            rows = tracked.rows(township.pk, None if record else year)
            if record:
                rows = rows.filter(id=record[1])
            person = filters.get("person")
            if person == SYSTEM:
                rows = rows.filter(history_user__isnull=True)
            elif person:
                rows = rows.filter(history_user_id=int(person))
            if filters.get("date_from"):
                rows = rows.filter(history_date__gte=_day_start(filters["date_from"]))
            if filters.get("date_to"):
                rows = rows.filter(history_date__lt=_day_start(filters["date_to"] + timedelta(days=1)))
            self.tables[key] = (tracked, rows.order_by())

    def _keys(self):
        """(date, history id, model key) of every row, newest first, as one query."""
        parts = [rows.annotate(wuyou_table=Value(key, output_field=CharField()))
                 .values_list("history_date", "history_id", "wuyou_table")
                 for key, (_tracked, rows) in self.tables.items()]
        if not parts:
            return None
        return parts[0].union(*parts[1:], all=True).order_by("-history_date", "-history_id")

    def count(self):
        keys = self._keys()
        return keys.count() if keys is not None else 0

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("History is sliced by pages")
        keys = self._keys()
        return self._entries(list(keys[index])) if keys is not None else []

    def __iter__(self):
        """Every row, newest first, loaded a batch at a time (the spreadsheet)."""
        keys = self._keys()
        if keys is None:
            return
        stream = keys.iterator(chunk_size=2000)
        while batch := list(itertools.islice(stream, EXPORT_BATCH)):
            yield from self._entries(batch)

    def _entries(self, keys):
        """The entries of `keys` [(date, history id, model key)], in that order: two queries per table shown."""
        loaded = {}
        for key, (tracked, _rows) in self.tables.items():
            ids = [pk for _date, pk, kind in keys if kind == key]
            if not ids:
                continue
            model = tracked.history_model
            before = model.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id")).order_by(
                "-history_id").values("history_id")[:1]
            related = [f.name for f in model._meta.concrete_fields if f.is_relation and f.name != "history_user"]
            rows = list(model.objects.filter(history_id__in=ids).select_related("history_user", *related)
                        .annotate(previous_id=Subquery(before)))
            previous = model.objects.in_bulk([r.previous_id for r in rows if r.previous_id], field_name="history_id")
            for row in rows:
                loaded[key, row.history_id] = _entry(key, tracked, row, previous.get(row.previous_id))
        return [loaded[kind, pk] for _date, pk, kind in keys]


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def people(township, year):
    """The people who appear in the township-year's history: [(user id or SYSTEM, name)], by name (one query)."""
    parts = [tracked.rows(township.pk, year).order_by().values_list("history_user_id")
             for tracked in TRACKED.values()]
    if not parts:
        return []
    ids = {pk for (pk,) in parts[0].union(*parts[1:])}
    users = get_user_model().objects.filter(pk__in=ids - {None}) if ids - {None} else []
    listed = sorted(((user.pk, _who(user)) for user in users), key=lambda pair: pair[1])
    return listed + ([(SYSTEM, _("系统"))] if None in ids else [])


def _history_for(request, code):
    township = visible_township(request, code)
    year, years = page_year(request)
    form = HistoryFilterForm(request.GET, people=people(township, year))
    filters = form.cleaned_data if form.is_valid() else {}
    return township, year, years, form, History(township, year, filters)


# --- the views ----------------------------------------------------------------------------------------------


@scoped(roles=ALL_ROLES)
def history(request, code):
    township, year, years, form, rows = _history_for(request, code)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "offices/history.html", {
        "township": township, "year": year, "years": years, "form": form, "page": page,
        "query": query.urlencode(), "record": form.cleaned_data.get("record") if form.is_valid() else None,
    })


EXPORT_COLUMNS = [
    Column(gettext_lazy("序号"), "integer", 6), Column(gettext_lazy("时间"), width=18),
    Column(gettext_lazy("操作人"), width=16), Column(gettext_lazy("来源地址"), width=16),
    Column(gettext_lazy("记录类型"), width=12), Column(gettext_lazy("记录"), width=24),
    Column(gettext_lazy("操作"), width=6), Column(gettext_lazy("变更内容（修改前 → 修改后）"), width=60),
]


def _change_text(entry):
    return "\n".join(_("%(field)s：%(old)s → %(new)s") % {"field": name, "old": before or "—", "new": after or "—"}
                     for name, before, after in entry.changes)


@scoped(roles=ALL_ROLES)
def history_export(request, code):
    """The page's rows (all pages, the same filters) as an official spreadsheet."""
    township, year, _years, form, rows = _history_for(request, code)
    if request.GET and not form.is_valid():
        raise Http404(_("筛选条件有误，请返回变更记录页修改后再导出。"))
    workbook = Workbook(write_only=True)
    title = _("%(township)s%(year)s年度变更记录") % {"township": township.name, "year": year}
    columns = [Column(str(c.header), c.kind, c.width) for c in EXPORT_COLUMNS]
    sheet = OfficialSheet(workbook, _("变更记录"), columns, title=title, frozen_columns=1, info=[
        _("乡镇：%(name)s（%(code)s）") % {"name": township.name, "code": township.code},
        _("导出时间：%(at)s") % {"at": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
    ])
    for number, entry in enumerate(rows, start=1):
        sheet.append([number, timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"), entry.who, entry.address,
                      entry.label, entry.record, entry.action, _change_text(entry)])
    sheet.finish()
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, f"{township.code}-{year}-变更记录.xlsx")
    return response
