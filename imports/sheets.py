"""The template's sheets: what each column is, how a row is read (by the app's own form) and written (by its service).

A row is validated by the same form the page uses, so 「5万」, 「２０２４年３月」
and every message are the same as on the page; it is written by the same
service, so scope, locks, history and recomputing are the same too. Choice
cells hold the label the page shows (「男」, 「本科」); 「是」/「否」 for yes/no.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from facilities import services as facilities_services
from facilities.forms import EquipmentForm, RoomForm
from facilities.models import Equipment, Room
from funding import services as funding_services
from funding.models import QUARTER_NAMES, QUARTERS, AssistantSubsidyPayment, BudgetLine
from funding.selectors import assistants_in_post
from offices import services as offices_services
from offices.fields import money_field, year_field
from offices.forms import PopulationForm
from offices.models import Population
from staffing import services as staffing_services
from staffing.forms import AuthorizedPostsForm, StaffMemberForm, VillageAssistantForm
from staffing.models import AuthorizedPosts, StaffMember, VillageAssistant

YES, NO = "是", "否"
TRUE_TEXTS = {YES, "true", "1", "yes", "y", "√"}
FALSE_TEXTS = {NO, "false", "0", "no", "n", "×"}
CODE, NAME, ID, YEAR = "乡镇代码", "乡镇名称", "编号", "年度"
VILLAGE_CODE, VILLAGE_NAME = "村（社区）代码", "村（社区）名称"


@dataclass
class Column:
    header: str
    field: str = ""  # the form field it feeds; "" for a column that only identifies or describes the row
    width: int = 12
    kind: str = "text"  # text, number, date, choice, bool


@dataclass
class Change:
    column: str
    before: str
    after: str


@dataclass
class Item:
    """One row's effect: new, changed (with its changes) or unchanged; `write()` calls the service."""

    sheet: str
    row: int
    unit: str
    record: str
    kind: str  # new / changed / unchanged
    changes: list = field(default_factory=list)
    write: object = None
    columns: dict = field(default_factory=dict)  # form field → column header, to place a service's error


class RowError(Exception):
    def __init__(self, column, message):
        super().__init__(message)
        self.column = column
        self.message = message


def shown(value, form_field=None):
    """A value as the preview shows it (and as the template writes it)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if form_field is not None and getattr(form_field, "choices", None) and not isinstance(value, (date, Decimal, int)):
        return str(dict(form_field.choices).get(value, value))
    if hasattr(value, "short_name"):
        return value.short_name
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f").rstrip("0")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def form_data(context, form_class, columns, cells, form_kwargs):
    """The POST-like data a row gives its form: choice labels turned into values, 是/否 into checkboxes."""
    probe = context.probe(form_class, form_kwargs)
    data = {}
    for column in columns:
        if not column.field:
            continue
        text = cells.get(column.header, "")
        form_field = probe.fields.get(column.field)
        if isinstance(form_field, forms.BooleanField):
            if text.lower() not in TRUE_TEXTS | FALSE_TEXTS | {""}:
                raise RowError(column.header, _("请填写“是”或“否”。"))
            if text.lower() in TRUE_TEXTS:
                data[column.field] = "on"
            continue
        if isinstance(form_field, forms.ModelChoiceField):
            data[column.field] = text
            continue
        if getattr(form_field, "choices", None) and text:
            by_label = {str(label): value for value, label in form_field.choices}
            data[column.field] = by_label.get(text, text)
            continue
        data[column.field] = text
    return data


def validated(form, columns):
    """The form's cleaned data, or RowError on the first field that failed, named by its column."""
    if form.is_valid():
        return form.cleaned_data
    header_of = {c.field: c.header for c in columns if c.field}
    for name, errors in form.errors.items():
        raise RowError(header_of.get(name, ""), " ".join(str(e) for e in errors))
    raise RowError("", _("数据不完整。"))


def diff(columns, before, after, form):
    changes = []
    for column in columns:
        if not column.field or column.field not in after:
            continue
        old, new = before.get(column.field), after[column.field]
        if old == "":
            old = None
        if new == "":
            new = None
        if old != new:
            form_field = form.fields.get(column.field)
            changes.append(Change(column.header, shown(old, form_field), shown(new, form_field)))
    return changes


# --- the sheets ---------------------------------------------------------------------------------------------------


class Sheet:
    title = ""
    columns = []
    note = ""

    def template_rows(self, townships, year):
        return []

    def plan(self, number, cells, context):
        """The change one row asks for (each sheet reads its own columns through its page's form)."""
        raise NotImplementedError  # every sheet defines it

    def field_columns(self):
        return {c.field: c.header for c in self.columns if c.field}


class PopulationSheet(Sheet):
    title = "人口"
    columns = [Column(CODE, width=16), Column(NAME, width=16), Column(YEAR, "year", 8, "number"),
               Column("常住人口（人）", "resident", 14, "number"), Column("户籍人口（人）", "registered", 14, "number")]

    def template_rows(self, townships, year):
        rows = {p.township_id: p for p in Population.objects.filter(township__in=townships, year=year)}
        for township in townships:
            current = rows.get(township.pk)
            yield [township.code, township.name, year, getattr(current, "resident", None),
                   getattr(current, "registered", None)]

    def plan(self, number, cells, context):
        township = context.township(cells)
        form_kwargs = {"township": township}
        data = form_data(context, PopulationForm, self.columns, cells, form_kwargs)
        form = PopulationForm(data, **form_kwargs)
        values = validated(form, self.columns)
        year = values["year"]
        current = context.keyed("population", lambda townships: {
            (p.township_id, p.year): p for p in Population.objects.filter(township__in=townships)}).get(
            (township.pk, year))
        before = {"year": year, "resident": getattr(current, "resident", None),
                  "registered": getattr(current, "registered", None)}
        changes = diff(self.columns, before, values, form)
        kind = "new" if current is None else ("changed" if changes else "unchanged")

        def write(confirmed):
            offices_services.population_set(township=township, year=year, resident=values["resident"],
                                             registered=values["registered"], confirmed=confirmed)
        return Item(self.title, number, township.name, _("%(year)s年度人口") % {"year": year}, kind, changes, write,
                    self.field_columns())


class PostsSheet(Sheet):
    title = "编制"
    columns = [Column(CODE, width=16), Column(NAME, width=16), Column(YEAR, "year", 8, "number"),
               Column("编制数（名）", "posts", 12, "number")]

    def template_rows(self, townships, year):
        rows = {p.township_id: p for p in AuthorizedPosts.objects.filter(township__in=townships, year=year)}
        for township in townships:
            yield [township.code, township.name, year, getattr(rows.get(township.pk), "posts", None)]

    def plan(self, number, cells, context):
        township = context.township(cells)
        form = AuthorizedPostsForm(form_data(context, AuthorizedPostsForm, self.columns, cells, {}))
        values = validated(form, self.columns)
        current = context.keyed("posts", lambda townships: {
            (p.township_id, p.year): p for p in AuthorizedPosts.objects.filter(township__in=townships)}).get(
            (township.pk, values["year"]))
        changes = diff(self.columns, {"year": values["year"], "posts": getattr(current, "posts", None)}, values, form)
        kind = "new" if current is None else ("changed" if changes else "unchanged")

        def write(confirmed):
            staffing_services.authorized_posts_set(township=township, year=values["year"], posts=values["posts"])
        return Item(self.title, number, township.name, _("%(year)s年度编制") % {"year": values["year"]}, kind, changes,
                    write, self.field_columns())


class RecordSheet(Sheet):
    """A sheet of records with an 编号 (blank for a new one): staff, assistants, rooms, equipment."""

    model = None
    form_class = None
    unit_column = CODE

    def form_kwargs(self, township):
        return {}

    def unit_of(self, cells, context):
        return context.township(cells), None

    def record_township(self, record):
        return record.township

    def records_of(self, townships):
        """The sheet's existing records in `townships`, read once per import (an 编号 is looked up here)."""
        return self.model.objects.filter(township__in=townships).select_related("township")

    def plan(self, number, cells, context):
        township, village = self.unit_of(cells, context)
        record = None
        identifier = cells.get(ID, "")
        if identifier:
            if not identifier.isdigit():
                raise RowError(ID, _("编号应为数字；新增的记录请留空。"))
            record = context.records(self).get(int(identifier))
            if record is None or self.record_township(record).pk != township.pk:
                raise RowError(ID, _("编号%(id)s不是本乡镇的记录；新增的记录请留空编号。") % {"id": identifier})
        kwargs = self.form_kwargs(township)
        data = form_data(context, self.form_class, self.columns, cells, kwargs)
        if village is not None:
            data["village"] = str(village.pk)
        before = {c.field: getattr(record, c.field, None) for c in self.columns if c.field} if record else {}
        if record is not None and "village" in before:
            before["village"] = record.village
        form = self.form_class(data, instance=self.model(**self.instance_kwargs(township, village)), **kwargs)
        values = validated(form, self.columns)
        if village is not None:
            values["village"] = village
        changes = diff(self.columns, before, values, form) if record else diff(self.columns, {}, values, form)
        kind = "new" if record is None else ("changed" if changes else "unchanged")
        changed = {c.field for c in self.columns if c.field} if record is None else {
            f for f in values if f in {c.field for c in self.columns} and before.get(f) != values[f]
            and not (before.get(f) in (None, "") and values[f] in (None, ""))}
        fields = {name: values[name] for name in changed if name in values}

        def write(confirmed):
            self.save(township, village, record, fields, confirmed)
        label = str(record) if record else values.get("name") or values.get("kind") or ""
        return Item(self.title, number, township.name, shown(label, form.fields.get("kind")), kind, changes, write,
                    self.field_columns())

    def instance_kwargs(self, township, village):
        return {"township": township}


PERSON_COLUMNS = [Column("姓名", "name", 10), Column("性别", "sex", 6, "choice"), Column("出生日期", "birth_date", 12, "date"),
                  Column("学历", "education", 12, "choice")]


class StaffSheet(RecordSheet):
    title = "人员"
    model, form_class = StaffMember, StaffMemberForm
    columns = [Column(CODE, width=16), Column(NAME, width=14), Column(ID, width=8), *PERSON_COLUMNS,
               Column("岗位", "post", 16, "choice"), Column("专职", "full_time", 6, "bool"),
               Column("社会工作职业资格", "qualification", 16, "choice"), Column("到岗日期", "start_date", 12, "date"),
               Column("离岗日期", "end_date", 12, "date")]

    def template_rows(self, townships, year):
        for staff in StaffMember.objects.filter(township__in=townships).select_related("township").order_by(
                "township__code", "start_date", "pk"):
            yield [staff.township.code, staff.township.name, staff.pk, staff.name, staff.get_sex_display(),
                   staff.birth_date, staff.get_education_display(), staff.get_post_display(),
                   YES if staff.full_time else NO, staff.get_qualification_display(), staff.start_date, staff.end_date]

    def save(self, township, village, record, fields, confirmed):
        if record is None:
            staffing_services.staff_create(township=township, **fields)
        elif fields:
            staffing_services.staff_update(staff=record, **fields)


class AssistantSheet(RecordSheet):
    title = "民政助理员"
    model, form_class = VillageAssistant, VillageAssistantForm
    unit_column = VILLAGE_CODE
    columns = [Column(VILLAGE_CODE, width=16), Column(VILLAGE_NAME, width=16), Column(ID, width=8), *PERSON_COLUMNS,
               Column("任职方式", "role", 12, "choice"), Column("选聘日期", "start_date", 12, "date"),
               Column("离任日期", "end_date", 12, "date"), Column("备案日期", "filed_date", 12, "date")]

    def unit_of(self, cells, context):
        village = context.village(cells)
        return village.township, village

    def record_township(self, record):
        return record.village.township

    def records_of(self, townships):
        return self.model.objects.filter(village__township__in=townships).select_related("village__township")

    def form_kwargs(self, township):
        return {"township": township}

    def instance_kwargs(self, township, village):
        return {"village": village}

    def template_rows(self, townships, year):
        for person in VillageAssistant.objects.filter(village__township__in=townships).select_related(
                "village").order_by("village__code", "start_date", "pk"):
            yield [person.village.code, person.village.name, person.pk, person.name, person.get_sex_display(),
                   person.birth_date, person.get_education_display(), person.get_role_display(), person.start_date,
                   person.end_date, person.filed_date]

    def save(self, township, village, record, fields, confirmed):
        if record is None:
            staffing_services.assistant_create(**fields)
        elif fields:
            staffing_services.assistant_update(assistant=record, **fields)


IN_USE = [Column("启用年度", "since_year", 10, "number"), Column("停用年度", "until_year", 10, "number")]


class RoomSheet(RecordSheet):
    title = "功能室与面积"
    model, form_class = Room, RoomForm
    columns = [Column(CODE, width=16), Column(NAME, width=14), Column(ID, width=8), Column("功能", "kind", 16, "choice"),
               Column("房间名称", "name", 16), Column("使用面积（㎡）", "area", 12, "number"), *IN_USE]

    def template_rows(self, townships, year):
        for room in Room.objects.filter(township__in=townships).select_related("township").order_by(
                "township__code", "since_year", "pk"):
            yield [room.township.code, room.township.name, room.pk, room.get_kind_display(), room.name, room.area,
                   room.since_year, room.until_year]

    def save(self, township, village, record, fields, confirmed):
        if record is None:
            facilities_services.room_create(township=township, confirmed=confirmed, **fields)
        elif fields:
            facilities_services.room_update(room=record, confirmed=confirmed, **fields)


class EquipmentSheet(RecordSheet):
    title = "设备"
    model, form_class = Equipment, EquipmentForm
    columns = [Column(CODE, width=16), Column(NAME, width=14), Column(ID, width=8), Column("设备", "kind", 16, "choice"),
               Column("数量", "count", 8, "number"), Column("可联网", "networked", 8, "bool"),
               Column("型号或说明", "note", 20), *IN_USE]

    def template_rows(self, townships, year):
        for item in Equipment.objects.filter(township__in=townships).select_related("township").order_by(
                "township__code", "since_year", "pk"):
            yield [item.township.code, item.township.name, item.pk, item.get_kind_display(), item.count,
                   YES if item.networked else NO, item.note, item.since_year, item.until_year]

    def save(self, township, village, record, fields, confirmed):
        if record is None:
            facilities_services.equipment_create(township=township, **fields)
        elif fields:
            facilities_services.equipment_update(equipment=record, **fields)


class BudgetRowForm(forms.Form):
    """One budget line of the 经费 sheet (the page's budget form is a whole year's set)."""

    year = year_field(gettext_lazy("年度"))
    kind = forms.ChoiceField(label=gettext_lazy("经费类别"), choices=BudgetLine.Kind.choices)
    budgeted = money_field(gettext_lazy("列入财政预算"))
    allocated = money_field(gettext_lazy("实际到位"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].error_messages["invalid_choice"] = _("经费类别应为：%(kinds)s。") % {
            "kinds": "、".join(str(label) for _value, label in BudgetLine.Kind.choices)}


class QuarterRowForm(forms.Form):
    """One assistant's year of the 助理员补助 sheet: the four quarters' amounts."""

    year = year_field(gettext_lazy("年度"))
    q1, q2, q3, q4 = (money_field(QUARTER_NAMES[q]) for q in QUARTERS)


def _payments_of(townships):
    """{(assistant id, year, quarter): amount} of every subsidy paid in `townships`."""
    return {(p.assistant_id, p.year, p.quarter): p.amount
            for p in AssistantSubsidyPayment.objects.filter(assistant__village__township__in=townships)}


class BudgetSheet(Sheet):
    """One row per township, year and kind of budget line; written per township-year by budget_set."""

    title = "经费"
    columns = [Column(CODE, width=16), Column(NAME, width=14), Column(YEAR, "year", 8, "number"),
               Column("经费类别", "kind", 16, "choice"), Column("列入财政预算（元）", "budgeted", 16, "number"),
               Column("实际到位（元）", "allocated", 16, "number")]

    def template_rows(self, townships, year):
        lines = {(b.township_id, b.kind): b for b in BudgetLine.objects.filter(township__in=townships, year=year)}
        for township in townships:
            for kind, label in BudgetLine.Kind.choices:
                line = lines.get((township.pk, kind))
                yield [township.code, township.name, year, str(label), getattr(line, "budgeted", None),
                       getattr(line, "allocated", None)]

    def plan(self, number, cells, context):
        township = context.township(cells)
        form = BudgetRowForm(form_data(context, BudgetRowForm, self.columns, cells, {}))
        values = validated(form, self.columns)
        year, kind = values["year"], values["kind"]
        current = context.keyed("budget", lambda townships: {
            (b.township_id, b.year, b.kind): b for b in BudgetLine.objects.filter(township__in=townships)}).get(
            (township.pk, year, kind))
        before = {"year": year, "kind": kind, "budgeted": getattr(current, "budgeted", None),
                  "allocated": getattr(current, "allocated", None)}
        if current is None and values["budgeted"] is None and values["allocated"] is None:
            return Item(self.title, number, township.name, "", "unchanged")
        changes = diff(self.columns, before, values, form)
        kind_name = "new" if current is None else ("changed" if changes else "unchanged")
        amounts = None if values["budgeted"] is None and values["allocated"] is None else (
            values["budgeted"], values["allocated"])
        group = context.group(("budget", township.pk, year), lambda confirmed, lines: funding_services.budget_set(
            township=township, year=year, lines=lines, confirmed=confirmed), {})
        if kind_name != "unchanged":
            group.payload[kind] = amounts
        return Item(self.title, number, township.name, f"{year} {BudgetLine.Kind(kind).label}", kind_name, changes,
                    group.write, self.field_columns())


class SubsidySheet(Sheet):
    """One row per assistant and year: the four quarters' amounts; written per township-year by subsidies_record."""

    title = "助理员补助"
    columns = [Column(VILLAGE_CODE, width=16), Column(VILLAGE_NAME, width=14), Column(ID, width=8),
               Column("姓名", width=10), Column(YEAR, "year", 8, "number"),
               *[Column(f"{QUARTER_NAMES[q]}（元）", f"q{q}", 12, "number") for q in QUARTERS]]

    def template_rows(self, townships, year):
        paid = {(p.assistant_id, p.quarter): p.amount for p in AssistantSubsidyPayment.objects.filter(
            assistant__village__township__in=townships, year=year)}
        for township in townships:
            for person in assistants_in_post(township, year):
                yield [person.village.code, person.village.name, person.pk, person.name, year,
                       *[paid.get((person.pk, q)) for q in QUARTERS]]

    def plan(self, number, cells, context):
        village = context.village(cells)
        township = village.township
        identifier = cells.get(ID, "")
        person = context.records(ASSISTANT_SHEET).get(int(identifier)) if identifier.isdigit() else None
        if person is None or person.village_id != village.pk:
            raise RowError(ID, _("编号%(id)s不是该村（社区）的民政助理员。") % {"id": identifier or _("（空）")})
        form = QuarterRowForm(form_data(context, QuarterRowForm, self.columns, cells, {}))
        values = validated(form, self.columns)
        year = values["year"]
        paid = context.keyed("subsidies", _payments_of)
        current = {quarter: paid[(person.pk, year, quarter)] for quarter in QUARTERS
                   if (person.pk, year, quarter) in paid}
        before = {"year": year, **{f"q{q}": current.get(q) for q in QUARTERS}}
        changes = diff(self.columns, before, values, form)
        kind = "new" if not current and changes else ("changed" if changes else "unchanged")
        group = context.group(("subsidy", township.pk, year), lambda confirmed, amounts: funding_services.subsidies_record(
            township=township, year=year, amounts=amounts), {})
        for q in QUARTERS:
            if before[f"q{q}"] != values[f"q{q}"]:
                group.payload[(person.pk, q)] = values[f"q{q}"]
        return Item(self.title, number, township.name, f"{person.name} {year}", kind, changes, group.write,
                    self.field_columns())


ASSISTANT_SHEET = AssistantSheet()
SHEETS = [PopulationSheet(), PostsSheet(), StaffSheet(), ASSISTANT_SHEET, BudgetSheet(), SubsidySheet(),
          RoomSheet(), EquipmentSheet()]


def as_validation_rows(error):
    """A service's ValidationError as (form field or "", message) pairs."""
    if hasattr(error, "error_dict"):
        return [(name if name != "__all__" else "", message) for name, errors in error.error_dict.items()
                for message in ValidationError(errors).messages]
    return [("", message) for message in error.messages]
