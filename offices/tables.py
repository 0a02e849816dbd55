"""Lists as government users expect them: 序号, 共N条 and pages, sortable columns, a 合计 row, one number format per
unit, red for 未达标, and the same rows as an official spreadsheet.

One `ListTable` feeds both the page and the file (django-oscar's report generators: one generator, two
formatters), so what the export holds is what the list shows, filters and sort included, every page at once.

Why not django-tables2: the rows here are of three kinds (model QuerySets, lists built from the stored results
by SQL aggregates, and merged historical tables), the file must be an `OfficialSheet` (title, issuer line, 合计,
print setup), and the cells of a township's list hold its own buttons (delete forms with their version tokens).
A column list, Django's Paginator, a whitelisted ?sort= and one include cover it without another requirement.

A page may hold several lists: each has its own `name`, so its parameters are `<name>-sort`, `<name>-page` and
`export=<name>`, and sorting or paging one keeps the others (and the page's filters) as they are.
"""
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO

from django.core.paginator import Paginator
from django.db.models import F, QuerySet, Sum
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook

from offices import workbooks
from offices.workbooks import DECIMAL, INTEGER, PERCENT, TEXT, OfficialSheet, text_units

PER_PAGE = 50
EXPORT_PARAMETER = "export"
MAX_EXPORT_WIDTH = 40  # width units: a longer text wraps in its cell
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\s]+')

__all__ = ["DECIMAL", "INTEGER", "PERCENT", "TEXT", "Column", "ListTable", "grouped"]


def grouped(value, places):
    """A number with thousands separators and exactly `places` decimals (「1,578」「13,947.20」); 「—」 for none."""
    if value is None or value == "":
        return "—"
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{number:,.{places}f}"


def unit_info(label, unit, year=None):
    """The file's second line for a unit's list: 「乡镇：兰山街道（371302001000）」 (`label` a translated text with
    %(name)s and %(code)s), the year, when it was exported."""
    parts = [label % {"name": unit.name, "code": unit.code}]
    if year is not None:
        parts.append(_("年度：%(year)s") % {"year": year})
    parts.append(_("导出时间：%(at)s") % {"at": timezone.localtime().strftime("%Y-%m-%d %H:%M")})
    return parts


def township_info(township, year=None):
    """The file's second line for a township's list."""
    return unit_info(_("乡镇：%(name)s（%(code)s）"), township, year)


def _resolve(row, path):
    """`row`'s value at a dotted (or ORM-style double-underscore) path; None where a step is missing."""
    value = row
    for name in path.replace("__", ".").split("."):
        value = getattr(value, name, None)
        if value is None:
            return None
    return value() if callable(value) else value


def _sortable(value):
    """A key that sorts None last and never compares a number with a text."""
    if value is None or value == "":
        return (1, 0, "")
    if isinstance(value, bool):
        return (0, 0, int(value))
    if isinstance(value, (int, float, Decimal)):
        return (0, 0, value)
    if isinstance(value, (date, datetime)):
        return (0, 1, value.isoformat())
    return (0, 2, str(value))


@dataclass(frozen=True)
class Column:
    """A column of a list: its header, what it shows, how it sorts, sums and exports.

    `value` is a dotted attribute path (the key by default) or a callable of the row. `kind` is one of the
    workbook kinds: numbers are right-aligned, shown in one format per kind (INTEGER 「1,578」, DECIMAL
    「13,947.20」, PERCENT 「58.3%」) and written to the file as numbers. `order`: True sorts by the value; an ORM
    path (a QuerySet is sorted in SQL) or a callable of the row sorts by that; None (the default for a
    callable value) leaves the column unsorted. `total` adds the column to the 合计 row (a QuerySet is summed in
    SQL, over the ORM path in `order`, or the key); a callable `total` gives each row's part of it (a room no
    longer in use adds 0 to the year's area). `fail` says of a row whether this cell is a shortfall (red).
    `export` False leaves a column out of the file; `width` is the file's column width in units (estimated from
    the values when 0). `link` (a callable of the row) makes the page's cell a link.
    """

    key: str
    label: object
    value: object = None
    kind: str = TEXT
    order: object = True
    total: object = False
    fail: object = None
    export: bool = True
    width: float = 0
    link: object = None

    def raw(self, row):
        if callable(self.value):
            return self.value(row)
        return _resolve(row, self.value or self.key)

    def text(self, value):
        """The value as the page shows it."""
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return _("是") if value else _("否")
        if self.kind == INTEGER:
            return grouped(value, 0)
        if self.kind == DECIMAL:
            return grouped(value, 2)
        if self.kind == PERCENT:
            return f"{grouped(Decimal(str(value)) * 100, 1)}%"
        if isinstance(value, datetime):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) \
                else value.strftime("%Y-%m-%d %H:%M")
        if isinstance(value, date):
            return value.strftime("%Y-%m-%d")
        return str(value)

    def cell_value(self, value):
        """The value as the file holds it: numbers as numbers, the rest as the page's text."""
        if self.kind in workbooks.NUMERIC and value not in (None, ""):
            return value if isinstance(value, (int, Decimal)) else Decimal(str(value))
        if value is None or value == "":
            return None
        return self.text(value)

    @property
    def numeric(self):
        return self.kind in workbooks.NUMERIC

    @property
    def orm_path(self):
        """The field path a QuerySet is sorted (and summed) by in SQL; "" when only a callable can say."""
        if isinstance(self.order, str):
            return self.order
        if self.order is True and not callable(self.value):
            return (self.value or self.key).replace(".", "__")
        return ""

    def sort_key(self, row):
        if callable(self.order):
            return _sortable(self.order(row))
        if isinstance(self.order, str):
            return _sortable(_resolve(row, self.order))
        return _sortable(self.raw(row))


@dataclass
class Cell:
    column: Column
    value: object
    text: str
    failed: bool
    url: str = ""

    @property
    def css(self):
        classes = ["text-end text-nowrap"] if self.column.numeric else []
        if self.failed:
            classes.append("text-danger")
        return " ".join(classes)


@dataclass
class Row:
    number: int  # 序号, counted across pages
    object: object
    cells: list
    css: str = ""
    attributes: dict = field(default_factory=dict)


@dataclass
class Header:
    column: Column
    state: str = "none"  # "ascending", "descending" or "none" (the values of aria-sort)
    href: str = ""  # the link that sorts by it (or reverses it); "" when the column is not sortable


def query_string(parameters, **changes):
    """`parameters` (a QueryDict, or None) as a query string with `changes` made (None removes one); never an export."""
    params = parameters.copy() if parameters is not None else QueryDict(mutable=True)
    params.pop(EXPORT_PARAMETER, None)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return f"?{params.urlencode()}" if params else "?"


class Pages:
    """The page links of a table that has a `page` (a Paginator page), a `page_parameter` and a `query(**changes)`;
    what includes/list_pager.html shows under it."""

    @property
    def page_links(self):
        """[(page number or 「…」, link)]: the first and last pages, the pages around this one, 「…」 between."""
        ellipsis = self.page.paginator.ELLIPSIS
        return [(number, "" if number == ellipsis else self.query(**{self.page_parameter: number}))
                for number in self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2,
                                                                        on_ends=1)]

    def previous_href(self):
        return self.query(**{self.page_parameter: self.page.previous_page_number()})

    def next_href(self):
        return self.query(**{self.page_parameter: self.page.next_page_number()})


@dataclass
class ListTable(Pages):
    """A list of `rows` (a QuerySet or a list) under `columns`, sorted by the request's whitelisted ?<name>-sort=
    (falling back to `default_sort`, else the rows' own order) and cut into pages of `per_page`."""

    request: object
    rows: object
    columns: list
    name: str = "list"
    default_sort: str = ""
    per_page: int = PER_PAGE
    title: str = ""  # the file's title (and its file name)
    info: list = field(default_factory=list)  # the file's second line: 填报单位, 数据日期, 口径 …
    empty: str = ""
    total_label: str = ""  # the 合计 row's label (「合计」 by default)
    frozen: int = 1  # columns after 序号 that stay in view (the names)
    row_class: object = None  # a callable of the row: its <tr>'s classes (e.g. "text-muted" for a past record)
    row_data: object = None  # a callable of the row: {name: value} written on its <tr> as data-<name>="value"
    actions: str = ""  # a template for each row's last cell (its buttons), rendered with `row`, the row's object

    def __post_init__(self):
        self.columns = list(self.columns)
        requested = self.request.GET.get(self.sort_parameter, "") if self.request is not None else ""
        self.sort = self._whitelisted(requested) or self._whitelisted(self.default_sort)
        self.ordered = self._ordered()
        self._page = None

    # --- parameters --------------------------------------------------------------------------------------------

    @property
    def sort_parameter(self):
        return f"{self.name}-sort"

    @property
    def page_parameter(self):
        return f"{self.name}-page"

    def _whitelisted(self, sort):
        key = (sort or "").removeprefix("-")
        column = self.column(key)
        return sort if column is not None and column.order else ""

    def column(self, key):
        return next((column for column in self.columns if column.key == key), None)

    @property
    def exporting(self):
        """True when the request asks for this list's file (?export=<name>)."""
        return self.request is not None and self.request.GET.get(EXPORT_PARAMETER) == self.name

    # --- rows --------------------------------------------------------------------------------------------------

    def _ordered(self):
        rows = self.rows
        if not self.sort:
            return rows
        column = self.column(self.sort.removeprefix("-"))
        descending = self.sort.startswith("-")
        path = column.orm_path
        if isinstance(rows, QuerySet) and path:
            # Ties keep the QuerySet's own order after the chosen column (and the primary key last).
            existing = list(rows.query.order_by) or list(rows.model._meta.ordering or [])
            expression = F(path).desc(nulls_last=True) if descending else F(path).asc(nulls_last=True)
            return rows.order_by(expression, *[key for key in existing if str(key).lstrip("-") != path], "pk")
        # A stable sort, also when reversed: equal rows keep the list's own order; blanks go last either way.
        listed = list(rows)
        keyed = [(column.sort_key(row), index, row) for index, row in enumerate(listed)]
        present = [item for item in keyed if item[0][0] == 0]
        blank = [item for item in keyed if item[0][0] != 0]
        present.sort(key=lambda item: item[0], reverse=descending)  # reverse keeps ties in their order
        return [row for _key, _index, row in present + blank]

    @property
    def page(self):
        if self._page is None:
            self._page = Paginator(self.ordered, self.per_page).get_page(
                self.request.GET.get(self.page_parameter) if self.request is not None else None)
        return self._page

    @property
    def count(self):
        """共N条: every row of every page."""
        return self.page.paginator.count

    def _row(self, number, row):
        cells = []
        for column in self.columns:
            value = column.raw(row)
            failed = bool(column.fail(row)) if column.fail else False
            url = column.link(row) if column.link else ""
            cells.append(Cell(column, value, column.text(value), failed, url or ""))
        return Row(number=number, object=row, cells=cells, css=self.row_class(row) if self.row_class else "",
                   attributes=self.row_data(row) if self.row_data else {})

    @property
    def rows_shown(self):
        """The page's rows, each with its 序号 (page 2 starts at 51) and its cells."""
        start = self.page.start_index()
        return [self._row(start + index, row) for index, row in enumerate(self.page.object_list)]

    @property
    def headers(self):
        headers = []
        for column in self.columns:
            if not column.order:
                headers.append(Header(column))
                continue
            state = ("ascending" if self.sort == column.key else
                     "descending" if self.sort == f"-{column.key}" else "none")
            following = f"-{column.key}" if state == "ascending" else column.key
            headers.append(Header(column, state, self.query(**{self.sort_parameter: following,
                                                               self.page_parameter: None})))
        return headers

    def query(self, **changes):
        """The request's query string with `changes` made (None removes a parameter), every other parameter kept."""
        return query_string(self.request.GET if self.request is not None else None, **changes)

    @property
    def export_href(self):
        """This list's file: the same filters and sort, every page."""
        return f"{self.query(**{self.page_parameter: None})}&{EXPORT_PARAMETER}={self.name}".replace("?&", "?")

    # --- 合计 -------------------------------------------------------------------------------------------------

    @property
    def has_totals(self):
        return any(column.total for column in self.columns)

    @property
    def totals(self):
        """{column key: the sum over every row of every page} of the summed columns (SQL for a QuerySet)."""
        if not hasattr(self, "_totals"):
            summed = [column for column in self.columns if column.total]
            rows = self.ordered
            if isinstance(rows, QuerySet) and all(c.total is True and c.orm_path for c in summed):
                paths = {c.key: c.orm_path for c in summed}
                found = rows.order_by().aggregate(**{f"total_{k}": Sum(p) for k, p in paths.items()})
                self._totals = {k: found[f"total_{k}"] or 0 for k in paths}
            else:
                self._totals = {c.key: sum(((c.total(row) if callable(c.total) else c.raw(row)) or 0 for row in rows), 0)
                                for c in summed}
        return self._totals

    @property
    def total_cells(self):
        """The 合计 row's cells after its label, in column order: the sums under their columns, the others blank.

        The label spans 序号 and the first column (a name, never summed), so a long label (「2025年在用合计」)
        has room; a list whose first column is summed gets the label over 序号 alone.
        """
        totals = self.totals
        cells = [Cell(column, totals[column.key], column.text(totals[column.key]), False) if column.key in totals
                 else Cell(column, None, "", False) for column in self.columns]
        return cells[1:] if self.total_label_span == 2 else cells

    @property
    def total_label_span(self):
        return 2 if self.columns and self.columns[0].key not in self.totals else 1

    # --- the file ------------------------------------------------------------------------------------------------

    def export_response(self):
        """Every row (all pages, this sort) as an official spreadsheet: title, issuer line, 序号, 合计, print setup."""
        columns = [column for column in self.columns if column.export]
        rows = self.ordered
        listed = list(rows.iterator(chunk_size=500)) if isinstance(rows, QuerySet) else list(rows)
        values = [[column.raw(row) for column in columns] for row in listed]
        # A shortfall is red on the page and tinted in the file (the county workbook's 未达标 tint).
        failed = [[bool(column.fail and column.fail(row)) for column in columns] for row in listed]
        sheet_columns = [workbooks.Column(_("序号"), INTEGER, text_units(str(len(listed))) + 1)]
        for index, column in enumerate(columns):
            width = column.width or min(MAX_EXPORT_WIDTH, max(
                [text_units(column.text(row[index])) for row in values] + [4]))
            sheet_columns.append(workbooks.Column(str(column.label), column.kind, width))
        workbook = Workbook(write_only=True)
        title = self.title or _("列表")
        info = list(self.info) or [_("导出时间：%(at)s") % {"at": timezone.localtime().strftime("%Y-%m-%d %H:%M")}]
        sheet = OfficialSheet(workbook, title[:31], sheet_columns, title=title, info=info,
                              frozen_columns=min(1 + self.frozen, len(sheet_columns)))
        for number, (row, fails) in enumerate(zip(values, failed, strict=True), start=1):
            sheet.append([number, *[column.cell_value(value) for column, value in zip(columns, row, strict=True)]],
                         fills=[None, *[workbooks.FAIL_FILL if fail else None for fail in fails]] if any(fails) else None)
        if self.has_totals and values:  # an empty list has no 合计 (a row of zeros would read as figures)
            totals = self.totals
            sheet.append([self.total_label or _("合计"), *[column.cell_value(totals[column.key]) if column.key in totals else None
                                      for column in columns]], total=True)
        sheet.finish(filter_rows=len(values))
        buffer = BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        filename = f"{_UNSAFE_FILENAME.sub('-', title)}-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
