"""The floor of the province export: the same cells with the same styles, written by bare openpyxl.

`read_cells` reads a workbook the app wrote (values and the style of every
cell); `dump` writes them again in write-only mode, each distinct style built
once, with nothing else to do: no query, no rule, no formatting of values.
"""
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell


def read_cells(path):
    """{sheet title: [(values, styles)]} of a workbook; a style is (font, fill, border, alignment, number format)."""
    book = load_workbook(path, read_only=True)
    styles = {}
    sheets = {}
    for sheet in book.worksheets:
        rows = []
        for row in sheet.iter_rows():
            values, keys = [], []
            for cell in row:
                values.append(getattr(cell, "value", None))
                style = getattr(cell, "_style", None)
                key = tuple(style) if style is not None else None
                if key is not None and key not in styles:
                    styles[key] = (cell.font.copy(), cell.fill.copy(), cell.border.copy(), cell.alignment.copy(),
                                   cell.number_format)
                keys.append(styles.get(key))
            rows.append((values, keys))
        sheets[sheet.title] = rows
    book.close()
    return sheets


def dump(sheets, target):
    """Write `sheets` (as read_cells returns them) to `target` in write-only mode."""
    book = Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for values, styles in rows:
            cells = []
            for value, style in zip(values, styles):
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
                if style is not None:
                    cell.font, cell.fill, cell.border, cell.alignment, cell.number_format = style
                cells.append(cell)
            sheet.append(cells)
    book.save(target)
    return target
