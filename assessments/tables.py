"""The dashboard's township list as a table: a whitelisted ?sort=, pages of 50, 序号 counted across pages.

Plain Django rather than django-tables2: the rows are already built from SQL aggregates by
oversight.failing_townships (a list, in a fixed number of queries), and a sort-key table with Django's
Paginator is all this list needs, without another pinned requirement. Its page links and 共N条 are the lists' own
(offices.tables.Pages, includes/list_pager.html).
"""
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _

from offices.compliance import Status
from offices.tables import Pages, query_string

TOWNSHIPS_PER_PAGE = 50


def _status_rank(row):
    return {Status.FAIL: 0, Status.PASS: 2}.get(row.status, 1)  # 未达标 first, then 不评估, then 达标


# ?sort= key → the value a row is ordered by; ties keep the administrative order (county, then township code).
# "-key" reverses. Anything else is ignored: the list falls back to the administrative order.
TOWNSHIP_SORTS = {
    "county": lambda row: row.township.county.code,
    "township": lambda row: row.township.code,
    "status": _status_rank,
    "findings": lambda row: len(row.findings),
}
DEFAULT_SORT = "county"
TOWNSHIP_COLUMNS = [("county", _("县（市、区）")), ("township", _("乡镇（街道）")), ("status", _("状态")),
                    ("findings", _("未达标项及差距"))]


def _administrative_order(row):
    return (row.township.county.code, row.township.code)


@dataclass
class SortLink:
    """One sortable column header: the ?sort= its link asks for, and how the list is sorted by it now."""

    next: str
    state: str  # "ascending", "descending" or "none" (the values of aria-sort)


@dataclass
class Table(Pages):
    page: object  # django.core.paginator.Page of the rows
    sort: str
    count: int  # 共N条: every row of every page
    sorts: dict  # column key → SortLink
    parameters: object = None  # the request's QueryDict: the page links keep every filter
    name = "failing"  # the anchor the page links return to
    page_parameter = "page"
    export_href = ""  # the list's file is the dashboard's own export (assessments:export_townships), by the filters

    def query(self, **changes):
        return query_string(self.parameters, **changes)

    @property
    def headers(self):
        """[(key, label, SortLink)] of the sortable columns, in display order."""
        return [(key, label, self.sorts[key]) for key, label in TOWNSHIP_COLUMNS]

    @property
    def rows(self):
        """[(序号, row)] of the page; the numbering goes on across pages (page 2 starts at 51)."""
        return [(self.page.start_index() + index, row) for index, row in enumerate(self.page.object_list)]


def sorted_rows(rows, sort):
    """(rows ordered by the whitelisted `sort`, the sort actually used)."""
    key = (sort or "").removeprefix("-")
    if key not in TOWNSHIP_SORTS:
        sort, key = DEFAULT_SORT, DEFAULT_SORT
    ordered = sorted(rows, key=_administrative_order)
    # A stable sort, also when reversed: equal rows stay in the administrative order.
    ordered.sort(key=TOWNSHIP_SORTS[key], reverse=sort.startswith("-"))
    return ordered, sort


def township_table(rows, *, sort=None, page=None, per_page=TOWNSHIPS_PER_PAGE, parameters=None):
    """The dashboard's township list, sorted and cut into pages (no query: `rows` is already a list).

    `parameters`: the request's query string, kept by the page links (includes/list_pager.html)."""
    ordered, sort = sorted_rows(rows, sort)
    sorts = {}
    for key in TOWNSHIP_SORTS:
        state = "ascending" if sort == key else "descending" if sort == f"-{key}" else "none"
        sorts[key] = SortLink(next=f"-{key}" if state == "ascending" else key, state=state)
    return Table(page=Paginator(ordered, per_page).get_page(page), sort=sort, count=len(ordered), sorts=sorts,
                 parameters=parameters)
