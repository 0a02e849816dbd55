"""Reading an offices.tables list back out of a page: its rows, their classes, cells and red cells."""
import re

ROW = re.compile(r"<tr(?: class=\"(?P<css>[^\"]*)\")?>(?P<cells>.*?)</tr>", re.S)
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
