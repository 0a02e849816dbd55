"""Every list as a government user expects it, checked in Chromium on every page each role opens.

The walk is the phone test's (one page per URL pattern per role, tests/browser/test_phone_layout.py) at a
desktop's size. On each page every table with rows is either a list (offices.tables: `data-testid=list-table`)
or one of the tables named in NOT_LISTS with the reason it is not one. A list must show:

- 序号 in its first column, counting on from the page's first row (page 2 starts at 51);
- 共N条 under it, with page links when there is more than one page, and an 导出 button;
- a header that stays in view (position: sticky) over a box that scrolls;
- red for every cell it marks as a shortfall (`data-failed`).

The first list of each URL pattern is then exported (its file holds the N rows and, if the list has one, the 合计
row) and sorted by a column (the header's aria-sort follows; a numeric column's figures come out in order).
"""
import io
import re
import time

import pytest
from openpyxl import load_workbook

from offices import demo as offices_demo
from offices.workbooks import read_table
from tests.browser import test_csp, test_phone_layout
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

demo = test_csp.demo

# Tables with rows that are not lists, each with the reason. Keys are the table's data-testid, else its first
# header's text.
NOT_LISTS = {
    "failing-list": "the dashboard's township list: its own ?sort=/?page= (assessments.tables), checked in "
                    "tests/assessments/test_tables.py",
    "county-table": "the county's townships × rules grid: 序号, sticky header and columns, 合计, sorted in the page",
    "county-ranking": "the ranking: its order is the ranking itself, with 合计 (tests/assessments/test_tables.py)",
    "history-table": "the change log: newest first by its nature, with 序号, 共N条, pages and its own export "
                     "(a merge of one historical table per model, tests/offices/test_history_page.py)",
    "scorecard-rules": "a dimension of the scorecard: the standard's rules in the standard's order, 未达标 in red",
    "workforce-summary": "two summary lines (民政办人员, 村民政助理员) of the county's workforce, not a list",
    "changes-since-return": "a comparison (before → after) of the results the county saw, not a list",
    "year-moves": "a comparison of this year's figures with last year's, not a list",
    "posts-by-year": "the years beside the 编制数 form, for reference while typing (the list is on the staff page)",
    "import-problems": "an upload's preview: its errors in the sheet's own row order, to be corrected in the file",
    "import-changes": "an upload's preview: per sheet, what the import will change, before it is confirmed",
}

TABLES = """() => [...document.querySelectorAll("main table, .container table, .container-fluid table")]
  .filter((table) => table.tBodies.length && table.tBodies[0].rows.length > 1 && !table.closest("form")
          && !table.closest(".modal"))
  .map((table) => {
    const head = table.tHead ? table.tHead.rows[0] : null;
    const first = head ? head.cells[0].textContent.trim() : "";
    const box = table.closest(".table-sticky");
    const pager = table.dataset.table ? document.querySelector(`[data-testid=list-pager][data-table="${table.dataset.table}"]`) : null;
    const failed = [...table.querySelectorAll("td[data-failed]")].map((cell) => getComputedStyle(cell).color);
    return {
      key: table.dataset.testid === "list-table" ? "list" : (table.dataset.testid || first),
      name: table.dataset.table || "", first,
      numbers: [...table.tBodies[0].querySelectorAll("[data-row-number]")].map((cell) => cell.textContent.trim()),
      rows: table.tBodies[0].rows.length,
      sticky: head ? getComputedStyle(table.tHead).position : "",
      scrolls: box ? getComputedStyle(box).overflowY : "",
      count: pager ? (pager.querySelector("[data-testid=row-count]") || {}).textContent || "" : "",
      exportHref: pager && pager.querySelector("[data-testid=export]") ? pager.querySelector("[data-testid=export]").getAttribute("href") : "",
      current: pager && pager.querySelector("[aria-current=page]") ? pager.querySelector("[aria-current=page]").textContent.trim() : "1",
      hasTotal: !!table.querySelector("[data-testid=total-row]"),
      failed,
    };
  })"""


def is_red(colour):
    red, green, blue = (int(part) for part in re.findall(r"\d+", colour)[:3])
    return red > 150 and green < 100 and blue < 100


class ListVisit(test_phone_layout.SampledVisit):
    """Opens pages like the phone walk, at a desktop's size, and checks each page's tables."""

    def __init__(self, browser, base_url, role, *, limit):
        super().__init__(browser, base_url, role, limit=limit)
        self.findings, self.lists, self.exported = [], 0, []

    def check(self):
        where = f"[{self.role}] {self.visited[-1]}"
        first_list = None
        for table in self.page.evaluate(TABLES):
            if table["key"] != "list":
                if table["key"] not in NOT_LISTS:
                    self.findings.append(f"{where}: a table headed 「{table['first']}」 ({table['rows']} rows) is "
                                         "not a list (no 序号, 共N条, export): make it one or say why in NOT_LISTS")
                continue
            self.lists += 1
            first_list = first_list or table
            self.findings += [f"{where} [{table['name']}]: {problem}" for problem in list_problems(table)]
        if first_list is not None and first_list["exportHref"]:
            self.findings += [f"{where} [{first_list['name']}]: {problem}" for problem in self.check_export(first_list)]
            self.findings += [f"{where} [{first_list['name']}]: {problem}" for problem in self.check_sort(first_list)]

    def check_export(self, table):
        answer = self.context.request.get(self.page.url.split("?")[0] + table["exportHref"])
        if answer.status != 200 or "spreadsheetml" not in answer.headers.get("content-type", ""):
            return [f"export answered {answer.status} {answer.headers.get('content-type')}"]
        self.exported.append(self.visited[-1])
        sheet = load_workbook(io.BytesIO(answer.body())).active
        keys, rows = read_table(sheet)
        expected = int(re.search(r"共(\d+)条", table["count"]).group(1))
        data = [row for row in rows if isinstance(row[0], int)]
        problems = []
        if next(iter(keys), None) != "序号":
            problems.append(f"the file's first column is {next(iter(keys), None)!r}, not 序号")
        if [row[0] for row in data] != list(range(1, expected + 1)):
            problems.append(f"the file has {len(data)} numbered rows, the list says 共{expected}条")
        if table["hasTotal"] and len(rows) != len(data) + 1:
            problems.append("the list has a 合计 row and the file does not")
        return problems

    def check_sort(self, table):
        """Sort by a numeric column if the list has one (its figures then in order), else by the first sortable."""
        selector = f'[data-testid=list-table][data-table="{table["name"]}"] thead th[data-sort]'
        headers = self.page.locator(selector)
        if headers.count() == 0:
            return []
        numeric = self.page.locator(selector + ".text-end")
        header = numeric.first if numeric.count() else headers.first
        key = header.get_attribute("data-sort")
        # A click sorts ascending, or reverses the list's current ascending sort (its default, say).
        expected = "descending" if header.get_attribute("aria-sort") == "ascending" else "ascending"
        with self.page.expect_navigation():
            header.locator("a").click()
        sorted_header = self.page.locator(f'{selector}[data-sort="{key}"]')
        problems = []
        if sorted_header.get_attribute("aria-sort") != expected:
            problems.append(f"after a click on 「{key}」 its aria-sort is {sorted_header.get_attribute('aria-sort')}")
        cells = self.page.eval_on_selector_all(
            f'[data-testid=list-table][data-table="{table["name"]}"] tbody td[data-column="{key}"]',
            "cells => cells.map(cell => cell.textContent.trim())")
        if numeric.count():
            figures = [float(text.replace(",", "").rstrip("%")) for text in cells if text not in ("", "—")]
            if figures != sorted(figures, reverse=expected == "descending"):
                problems.append(f"sorted by 「{key}」 the figures are not in order: {figures[:10]}")
        numbers = self.page.eval_on_selector_all(
            f'[data-testid=list-table][data-table="{table["name"]}"] tbody [data-row-number]',
            "cells => cells.map(cell => cell.textContent.trim())")
        if numbers and numbers[0] != "1":
            problems.append(f"sorted, 序号 starts at {numbers[0]}")
        return problems


def list_problems(table):
    problems = []
    if table["first"] != "序号":
        problems.append(f"its first column is 「{table['first']}」, not 序号")
    if table["numbers"]:
        start = int(table["numbers"][0])
        if table["numbers"] != [str(n) for n in range(start, start + len(table["numbers"]))]:
            problems.append(f"序号 does not count on: {table['numbers'][:8]}")
        if start != (int(table["current"]) - 1) * 50 + 1:
            problems.append(f"序号 starts at {start} on page {table['current']}")
    if not re.search(r"共\d+条", table["count"]):
        problems.append("no 共N条 under it")
    if not table["exportHref"]:
        problems.append("no 导出 button")
    if table["sticky"] != "sticky" or table["scrolls"] not in ("auto", "scroll"):
        problems.append(f"its header is not kept in view (thead {table['sticky']}, box overflow {table['scrolls']})")
    if not all(is_red(colour) for colour in table["failed"]):
        problems.append(f"a shortfall is not red: {table['failed'][:3]}")
    return problems


def test_every_list_has_numbers_a_count_pages_sorting_red_and_an_export(demo, live_server, browser):
    findings, lists, exported = [], {}, {}
    for role, user in test_csp.users_by_role():
        if user.is_staff:
            continue  # the administrators' pages are Django's admin
        started = time.monotonic()
        visit = ListVisit(browser, live_server.url, f"{role} {user.username}",
                          limit=test_phone_layout.PAGES_PER_USER)
        try:
            log_in(visit.page, live_server.url, user.username, offices_demo.DEMO_PASSWORD)
            visit.signed_in = True
            test_phone_layout.sample_app_pages(visit, user)
        finally:
            visit.close()
        findings += visit.findings
        lists[user.username], exported[user.username] = visit.lists, visit.exported
        print(f"{role} {user.username}: {visit.lists} lists on {len(visit.visited)} pages, "
              f"{len(visit.exported)} exported, in {time.monotonic() - started:.1f} s")
    assert not findings, f"{len(findings)} finding(s):\n" + "\n".join(findings)
    # Each role met lists and exported some (a walk that found none would prove nothing).
    assert all(count >= 3 for count in lists.values()), lists
    assert all(len(paths) >= 3 for paths in exported.values()), exported
