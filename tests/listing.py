"""Reading an offices.tables list back out of a page (its rows, classes, cells, red cells) and out of its file."""
import re
from io import BytesIO

from openpyxl import load_workbook

from offices.workbooks import read_table

ROW = re.compile(r"<tr(?: class=\"(?P<css>[^\"]*)\")?(?: data-[\w-]+=\"[^\"]*\")*>(?P<cells>.*?)</tr>", re.S)
NUMBER = re.compile(r"data-row-number>(\d+)<")
CELL = re.compile(r"<td(?P<attributes>[^>]*)data-column=\"(?P<key>[^\"]+)\"(?P<flag> data-failed)?>(?P<text>.*?)</td>",
                  re.S)
TAG = re.compile(r"<[^>]+>")


def table_rows(html, name):
    """The rows of the list `name` on the page, each {"css", "number", column key: text, "failed": {keys}}."""
    start = html.index(f'data-testid="list-table" data-table="{name}"')
    body = html[html.index("<tbody>", start):html.index("</tbody>", start)]
    rows = []
    for match in ROW.finditer(body):
        number = NUMBER.search(match["cells"])
        if number is None:  # the 「无。」 line of an empty list
            continue
        row = {"css": match["css"] or "", "number": int(number.group(1)), "failed": set()}
        for cell in CELL.finditer(match["cells"]):
            row[cell["key"]] = TAG.sub("", cell["text"]).strip()
            if cell["flag"]:
                assert "text-danger" in cell["attributes"], "a cell marked data-failed is shown red"
                row["failed"].add(cell["key"])
        rows.append(row)
    return rows


def column(html, name, key):
    return [row[key] for row in table_rows(html, name)]


def row_count(html, name):
    """共N条 of the list `name`."""
    start = html.index(f'data-testid="list-pager" data-table="{name}"')
    return int(re.search(r"共(\d+)条", html[start:]).group(1))


def table_html(html, name):
    """The <table> of the list `name` (a page may hold several)."""
    start = html.index(f'data-table="{name}"')
    return html[start:html.index("</table>", start)]


def cells(html, column):
    """The texts of a column's cells, the 合计 row's last (tags stripped: a linked cell holds an <a>)."""
    return [re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(rf'data-column="{column}"[^>]*>(.*?)</td>', html, re.S)]


def exported(response):
    """(sheet, column keys, rows) of a list's file, after checking it is one."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    keys, rows = read_table(sheet)
    return sheet, list(keys), rows
