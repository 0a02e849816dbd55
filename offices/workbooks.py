"""Official spreadsheets (正式报表): a titled table that prints whole on A4 landscape, written row by row.

A county civil-affairs office files a table the way a circular prints one: a
title (「兰山区2025年度乡镇民政办规范化建设达标情况表」), a line saying who
issued it, the date of its figures and which figures they are (填报单位, 数据
日期, 口径), grouped headers with merged cells, 序号, numbers as numbers with the
unit in the header, a 合计 row, every header and every wrapped text shown whole,
and a print setup that fits the width of the page and repeats the headers.

`OfficialSheet` writes such a sheet into an openpyxl write-only workbook, so a
province's worth of rows goes straight to a temporary file and memory stays flat.
Write-only mode decides what it can keep:

- the sheet's head (sheet properties with fitToPage, the frozen pane, the column
  widths) is written with the first row, so all of it is set in `__init__`. (The
  old writer set fitToPage after the rows: openpyxl had written an empty
  `<pageSetUpPr/>` already, and LibreOffice printed the county's workbook on 17
  pages, the city's on 93.)
- merged cells (`merged_cells`, a MultiCellRange), auto-filter, margins, page
  setup, header/footer and print titles are written with the sheet's tail, at
  save: they may be set at any time, and only the merged ranges (the headers', a
  few per total row) are held until then.
- a row's height must be in `row_dimensions` when the row is appended (the
  writer reads it as it streams the row out); it is dropped right after, so the
  heights of a province's rows are never held together.

Sizes are estimated, not measured (no font is at hand on a server): a CJK
character is about two width units (the width of "0" in the workbook's default
11-point font), Latin text about one, scaled by the font size; text wraps
greedily by character, keeping an opening bracket with what follows and closing
punctuation with what precedes, as Excel and LibreOffice do. The estimate is
Excel's and WPS's with 宋体 (7 px to the unit at 96 dpi); LibreOffice without
Calibri measures the unit wider, so there the rows come out a little higher
than their text, never lower: a header or a wrapped text is never clipped.
"""
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from offices.text import strip_control_characters

TEXT, INTEGER, DECIMAL, PERCENT = "text", "integer", "decimal", "percent"
NUMBER_FORMATS = {INTEGER: "#,##0", DECIMAL: "#,##0.00", PERCENT: "0.0%"}
NUMERIC = frozenset(NUMBER_FORMATS)

# Fonts: 宋体 for the table, 黑体 for the title, as Chinese official tables are set (other systems substitute).
BODY_FONT = "宋体"
TITLE_FONT = "黑体"
BODY_SIZE = 10
TITLE_SIZE = 16
FOOTER_SIZE = 9

TITLE_ROW = 1
INFO_ROW = 2
FIRST_HEADER_ROW = 3

HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
TOTAL_FILL = PatternFill("solid", fgColor="FFF4CE")
FAIL_FILL = PatternFill("solid", fgColor="FBE9EB")  # a shortfall (未达标), the county workbook's tint
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

# Width units: the width of "0" in the default font (Calibri 11, 7 px), plus 5 px of padding per column.
UNIT_PT = 5.25
CELL_PADDING = 1.2  # units kept free inside a cell, left and right together (errs on the wide side)
LINE_HEIGHT = 1.35  # line height / font size for CJK fonts (宋体 ≈ 1.15, 微软雅黑/文泉驿 ≈ 1.32), with room
ROW_PADDING_PT = 4
SHORT_HEADER = 8  # units: a header up to four CJK characters stays on one line (「总体结果」)
HEADER_LINE = 12  # units: a longer one breaks before its unit, each line up to six CJK characters unwrapped

# Printing a page per block (a fixed scale): A4 landscape less the side margins (0.4 in each), and a width unit
# on paper at 100 %, as LibreOffice measures it without Calibri (about 7.1 pt: its default font is wider), with room.
A4_LANDSCAPE_PRINTABLE_PT = 841.89 - 2 * 0.4 * 72
PRINT_UNIT_PT = 7.5

OPENING = "（「《〔【([{“‘"
CLOSING = "）」》〕】)]}”’、，。；：！？%,.;:!?"
_LATIN_RUN = re.compile(r"[0-9A-Za-z.,%:/+\-_#@&']+")


def char_units(char, size=BODY_SIZE):
    """Width of one character in width units at `size` points: CJK (wide) one em, Latin half (as in 宋体)."""
    em = size / UNIT_PT
    return em if unicodedata.east_asian_width(char) in "WF" else em * 0.5


def text_units(text, size=BODY_SIZE):
    return sum(char_units(char, size) for char in text)


def _tokens(paragraph):
    """Pieces a line may not be broken inside: Latin runs, single CJK characters, brackets kept with their text."""
    pieces, index = [], 0
    while index < len(paragraph):
        match = _LATIN_RUN.match(paragraph, index)
        end = match.end() if match else index + 1
        pieces.append(paragraph[index:end])
        index = end
    tokens = []
    for piece in pieces:
        if tokens and (piece[0] in CLOSING or tokens[-1][-1] in OPENING):
            tokens[-1] += piece
        else:
            tokens.append(piece)
    return tokens


def wrapped_lines(text, width, size=BODY_SIZE):
    """How many lines `text` takes in a cell `width` units wide (wrapping on, line breaks kept)."""
    room = max(width - CELL_PADDING, char_units("中", size))
    lines = 0
    for paragraph in str(text).splitlines() or [""]:
        lines += 1
        used = 0.0
        for token in _tokens(paragraph):
            needed = text_units(token, size)
            if used and used + needed > room:
                lines += 1
                used = 0.0
            while needed > room:  # a token wider than the cell breaks by character
                lines += 1
                needed -= room
            used += needed
    return lines


def header_text(text, width, size=BODY_SIZE):
    """A header that must wrap breaks where a reader would, not where a renderer happens to.

    Before its unit (「乡镇数\n（个）」), or a short phrase in the middle (「有场所\n办事」).
    """
    if "\n" in text or wrapped_lines(text, width, size) == 1:
        return text
    cut = text.rfind("（")
    if cut > 0 and text.endswith("）"):
        return f"{text[:cut]}\n{text[cut:]}"
    if len(text) <= 6 and wrapped_lines(text[:(len(text) + 1) // 2], width, size) == 1:
        middle = (len(text) + 1) // 2
        return f"{text[:middle]}\n{text[middle:]}"
    return text


def line_height(size=BODY_SIZE):
    return size * LINE_HEIGHT


def row_height(lines, size=BODY_SIZE):
    return round(lines * line_height(size) + ROW_PADDING_PT, 1)


def number_units(value, kind):
    """Width of a number as its format shows it (thousands separators, two places, percent)."""
    if value is None:
        return 0
    if kind == PERCENT:
        shown = f"{float(value) * 100:.1f}%"
    elif kind == DECIMAL:
        shown = f"{float(value):,.2f}"
    else:
        shown = f"{round(float(value)):,}"
    return text_units(shown)


@dataclass(frozen=True)
class Column:
    """A column: its header from the outermost group down to its own name, what it holds, how wide its data is.

    `header` is a string, or a tuple such as ("有人管事", "编制数（人）", "应达"): neighbouring columns whose
    headers share a prefix are grouped under one merged cell. `width` is the widest data expected: a sample
    text, or width units (a CJK character ≈ 2); text wider than the column wraps, a number never must (size
    it to the total).
    """

    header: object
    kind: str = TEXT
    width: float = 0

    @property
    def path(self):
        return self.header if isinstance(self.header, tuple) else (self.header,)

    @property
    def number_format(self):
        return NUMBER_FORMATS.get(self.kind, "")

    @property
    def sheet_width(self):
        """The width written to the sheet: the data's, and at least the column's own header word by word."""
        leaf = self.path[-1]
        data = text_units(self.width) if isinstance(self.width, str) else self.width
        # A short header (「应达」「序号」) stays on one line; a longer one breaks before its unit, each of
        # its lines kept whole up to HEADER_LINE; any other may wrap, but never inside a word.
        cut = leaf.rfind("（")
        if text_units(leaf) <= SHORT_HEADER:
            lines = [leaf]
        elif cut > 0 and leaf.endswith("）"):
            lines = [leaf[:cut], leaf[cut:]]
        else:
            lines = []
        header = max([text_units(line) if text_units(line) <= HEADER_LINE else 0 for line in lines]
                     + [text_units(token) for token in _tokens(leaf)])
        return round(max(data, header) + CELL_PADDING + 0.3, 1)


def _alignment(kind, *, header=False, horizontal=None):
    if header:
        return Alignment(horizontal="center", vertical="center", wrap_text=True)
    if horizontal is None:
        horizontal = "right" if kind in NUMERIC else "left"
    return Alignment(horizontal=horizontal, vertical="center", wrap_text=kind not in NUMERIC)


class OfficialSheet:
    """A titled table in a write-only workbook: title, issuer line, grouped headers, rows, print setup.

    `info` is the second line's parts, e.g. ["填报单位：临沂市民政局", "数据日期：2025年12月1日", "口径：最新数据"].
    `frozen_columns` columns (序号 and the names) stay in view when scrolling right, with the headers above.
    """

    def __init__(self, workbook, name, columns, *, title, info=(), frozen_columns=0, page_per_group=False):
        self.sheet = workbook.create_sheet(name)
        self.columns = list(columns)
        self.frozen_columns = frozen_columns
        self.blocks = self._blocks() if page_per_group else [(0, len(self.columns) - 1)]
        self.title = title
        self.widths = [column.sheet_width for column in self.columns]
        self.depth = max(len(column.path) for column in self.columns)
        self.first_data_row = FIRST_HEADER_ROW + self.depth
        self.row = 0  # the last row written
        self.data_rows = 0
        self.body_font = Font(name=BODY_FONT, size=BODY_SIZE)
        self.bold_font = Font(name=BODY_FONT, size=BODY_SIZE, bold=True)
        self._set_up_head(frozen_columns)
        self._write_title()
        self._write_info(list(info))
        self._write_headers()

    # --- The head: everything written before the first row. ---------------------------------------------------------

    def _set_up_head(self, frozen_columns):
        sheet = self.sheet
        for index, width in enumerate(self.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = f"{get_column_letter(frozen_columns + 1)}{self.first_data_row}"
        setup = sheet.page_setup
        setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
        setup.paperSize = Worksheet.PAPERSIZE_A4
        if len(self.blocks) == 1:
            # In the sheet's properties, hence in its head: without it the fitToWidth below is ignored.
            sheet.sheet_properties.pageSetUpPr.fitToPage = True
            setup.fitToWidth = 1
            setup.fitToHeight = 0  # as many pages down as the rows need
        else:
            # A page per block: LibreOffice ignores manual breaks when it fits to pages, so a fixed scale at
            # which the widest block (with the repeated columns) fits the page's width.
            setup.scale = self.print_scale()
        sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.7, bottom=0.6, header=0.3, footer=0.3)
        sheet.print_options.horizontalCentered = True
        # Every page starts with the title, the issuer line and the headers (打印标题行), so a page read on
        # its own still says what it is; a page header would repeat the title on page 1.
        sheet.print_title_rows = f"{TITLE_ROW}:{self.first_data_row - 1}"
        if len(self.blocks) > 1:
            # The names on every page (打印标题列), a page break before each block.
            sheet.print_title_cols = f"A:{get_column_letter(frozen_columns)}"
            for first, _last in self.blocks[1:]:
                sheet.col_breaks.append(Break(id=first, max=1048575))  # after column `first` (1-based)
        sheet.oddFooter.center.text = "第 &P 页 共 &N 页"
        sheet.oddFooter.center.size = FOOTER_SIZE

    def _blocks(self):
        """[(first, last)] column indexes printed together: one block per first-level header group.

        The columns before the first group (after the frozen ones) go with it.
        """
        columns, frozen = self.columns, self.frozen_columns
        starts = [index for index in range(frozen, len(columns)) if len(columns[index].path) > 1
                  and (index == frozen or columns[index].path[0] != columns[index - 1].path[0])]
        edges = [frozen, *starts[1:], len(columns)]
        return [(first, last - 1) for first, last in zip(edges, edges[1:]) if last > first]

    def print_scale(self):
        """The print scale (%) at which the repeated columns and the widest block fit an A4 landscape width."""
        repeated = self.widths[:self.frozen_columns]
        widest = max((repeated + self.widths[first:last + 1] for first, last in self.blocks), key=sum)
        points = sum(widest) * PRINT_UNIT_PT
        return max(10, min(100, int(A4_LANDSCAPE_PRINTABLE_PT / points * 100)))

    def _title_spans(self):
        """Where the title and the issuer line go: across the table, or across each block (a page per block,
        so every page says what it is; the repeated name columns then hold only the issuer)."""
        if len(self.blocks) == 1:
            return [(0, len(self.columns) - 1)]
        return self.blocks

    def _write_title(self):
        font = Font(name=TITLE_FONT, size=TITLE_SIZE, bold=True)
        cells, merges, lines = [None] * len(self.columns), [], 1
        for first, last in self._title_spans():
            cells[first] = self.cell(self.title, font=font, border=False, alignment=Alignment(
                horizontal="center", vertical="center", wrap_text=True))
            merges.append((first, last))
            lines = max(lines, wrapped_lines(self.title, sum(self.widths[first:last + 1]), TITLE_SIZE))
        self._append(cells, height=row_height(lines, TITLE_SIZE) + 6, merges=merges)

    def _write_info(self, parts):
        if not parts:
            self._append([], height=row_height(1))
            return
        cells, merges, lines = [None] * len(self.columns), [], 1
        placed = []  # (part, first, last, horizontal)
        if len(self.blocks) == 1:
            placed = self._place_info(parts, 0, len(self.columns) - 1)
        else:  # the issuer over the repeated columns, the rest over each block
            placed = [(parts[0], 0, self.frozen_columns - 1, "left")]
            for first, last in self.blocks:
                placed += self._place_info(parts[1:], first, last, left="center")
        for part, first, last, horizontal in placed:
            cells[first] = self.cell(part, border=False, alignment=Alignment(
                horizontal=horizontal, vertical="center", wrap_text=True))
            merges.append((first, last))
            lines = max(lines, wrapped_lines(part, sum(self.widths[first:last + 1])))
        self._append(cells, height=row_height(lines), merges=merges)

    def _place_info(self, parts, first, last, *, left="left"):
        """[(part, first, last, alignment)] of `parts` spread over the columns first..last."""
        if not parts:
            return []
        spans = self._spans(parts, first, last)
        if spans is None:  # too few columns: one cell says it all
            parts, spans = ["　　".join(parts)], [(first, last)]
        return [(part, start, end, left if index == 0 else "right" if index == len(parts) - 1 else "center") for index, (part, (start, end)) in enumerate(zip(parts, spans, strict=True))]

    def _spans(self, parts, start, end):
        """Neighbouring runs of the columns start..end, one per part: as few wrapped lines as can be, then as even
        as can be. A small dynamic programme over where each run ends (tens of columns and a few parts).
        """
        count, columns = len(parts), end - start + 1
        if count > columns:
            return None
        cumulative = [0.0]
        for width in self.widths[start:end + 1]:
            cumulative.append(cumulative[-1] + width)
        even = cumulative[-1] / count

        def cost(part, first, last):  # (extra lines, distance from an even split) of part over first..last
            width = cumulative[last + 1] - cumulative[first]
            return wrapped_lines(parts[part], width) - 1, abs(width - even)

        best = {0: ((0, 0.0), [])}  # columns covered → (cost, spans)
        for part in range(count):
            after = {}
            for covered, (total, spans) in best.items():
                lasts = range(covered, columns - (count - part - 1)) if part < count - 1 else [columns - 1]
                for last in lasts:
                    lines, distance = cost(part, covered, last)
                    candidate = ((total[0] + lines, total[1] + distance), [*spans, (covered, last)])
                    if last + 1 not in after or candidate[0] < after[last + 1][0]:
                        after[last + 1] = candidate
            best = after
        return [(first + start, last + start) for first, last in best[columns][1]]

    def _header_runs(self, level):
        """[(first, last, text, down)] of one header level: a group over the columns sharing its path so far,
        a column's own header (merged `down` levels to the last header row), or None under such a header."""
        columns, runs, index = self.columns, [], 0
        while index < len(columns):
            path, last = columns[index].path, index
            if level < len(path) - 1:  # a group: as far as the next columns share the prefix
                while (last + 1 < len(columns) and level < len(columns[last + 1].path) - 1
                       and columns[last + 1].path[:level + 1] == path[:level + 1]):
                    last += 1
                runs.append((index, last, path[level], 0))
            elif level == len(path) - 1:
                runs.append((index, index, path[-1], self.depth - 1 - level))
            else:  # covered by the column's header merged down from above
                runs.append((index, index, None, 0))
            index = last + 1
        return runs

    def _write_headers(self):
        """One row per header level, each header as high as its wrapped text needs."""
        heights = [row_height(1)] * self.depth
        levels, tall = [], []
        for level in range(self.depth):
            runs = []
            for first, last, text, down in self._header_runs(level):
                if text is not None:
                    width = sum(self.widths[first:last + 1])
                    text = header_text(text, width)
                    needed = row_height(wrapped_lines(text, width))
                    if down:
                        tall.append((needed, level))
                    else:
                        heights[level] = max(heights[level], needed)
                runs.append((first, last, text, down))
            levels.append(runs)
        for needed, level in tall:  # a header merged down: the rows it spans must hold it together
            heights[-1] += max(needed - sum(heights[level:]), 0)
        for level, runs in enumerate(levels):
            row = self.row + 1
            cells = []
            for first, last, text, down in runs:
                if last > first or down:
                    self.sheet.merged_cells.add(
                        f"{get_column_letter(first + 1)}{row}:{get_column_letter(last + 1)}{row + down}")
                cells.append(self.header_cell(text))
                cells.extend(self.header_cell(None) for _ in range(first, last))  # borders of the merged cells
            self._append(cells, height=heights[level])

    # --- Cells and rows. ------------------------------------------------------------------------------------------

    def cell(self, value, *, font=None, fill=None, number_format="", alignment=None, border=True):
        """A cell holding `value`; text is always stored as text (never a formula), without control characters."""
        if isinstance(value, Decimal):
            value = float(value)  # stored as a number; the column's format shows its places
        if isinstance(value, str):
            # Text stored before the forms refused control characters (a vertical tab pasted from Word) would
            # make openpyxl refuse the whole workbook (IllegalCharacterError): the cell shows it without them.
            value = strip_control_characters(value)
        cell = WriteOnlyCell(self.sheet, value=value)
        if isinstance(value, str):
            # A clerk's text such as "=HYPERLINK(...)" must never become a formula.
            cell.data_type = "s"
        cell.font = font or self.body_font
        if fill is not None:
            cell.fill = fill
        if number_format:
            cell.number_format = number_format
        if border:
            cell.border = BORDER
        if alignment is not None:
            cell.alignment = alignment
        return cell

    def header_cell(self, text):
        return self.cell(text, font=self.bold_font, fill=HEADER_FILL, alignment=_alignment(TEXT, header=True))

    def append(self, values, *, fills=None, total=False, merges=(), centered=(), formats=None):
        """Append a data row (`total`: a 合计 row, bold on a tint). `merges`: (first, last) column indexes to merge.

        `formats` overrides the columns' number formats ({index: format}, e.g. a count under a money rule).
        Its height fits its longest wrapped text (a merged text wraps across its merged width).
        """
        font = self.bold_font if total else self.body_font
        spans = {first: last for first, last in merges}
        covered = {index for first, last in merges for index in range(first + 1, last + 1)}
        cells, lines = [], 1
        for index, column in enumerate(self.columns):
            value = values[index] if index < len(values) and index not in covered else None
            fill = fills[index] if fills and index < len(fills) and fills[index] is not None else None
            if fill is None and total:
                fill = TOTAL_FILL
            horizontal = "center" if index in centered else None
            number_format = (formats or {}).get(index, column.number_format)
            cells.append(self.cell(value, font=font, fill=fill, number_format=number_format,
                                   alignment=_alignment(column.kind, horizontal=horizontal)))
            if isinstance(value, str):
                width = sum(self.widths[index:spans.get(index, index) + 1])
                lines = max(lines, wrapped_lines(value, width))
        self._append(cells, height=row_height(lines), merges=[(first, last) for first, last in merges])
        self.data_rows += 1

    def _append(self, cells, *, height, merges=()):
        self.row += 1
        for first, last in merges:
            if last > first:
                self.sheet.merged_cells.add(f"{get_column_letter(first + 1)}{self.row}:"
                                            f"{get_column_letter(last + 1)}{self.row}")
        dimensions = self.sheet.row_dimensions
        dimensions[self.row].height = height
        self.sheet.append(cells)
        del dimensions[self.row]  # written with the row: not held for a province's rows

    def finish(self, *, filter_rows=None):
        """Close the table: an auto-filter on the last header row over the first `filter_rows` data rows."""
        rows = self.data_rows if filter_rows is None else filter_rows
        last = get_column_letter(len(self.columns))
        self.sheet.auto_filter.ref = f"A{self.first_data_row - 1}:{last}{self.first_data_row - 1 + rows}"


def read_table(sheet):
    """({column key: index}, data rows) of a sheet written by OfficialSheet, loaded back with openpyxl.

    The header rows end where the print titles do; a column's key is its header path joined with 「·」 (e.g.
    「有人管事·编制数（人）·应达」), a merged cell read as the value of its first cell.
    """
    first, last = FIRST_HEADER_ROW, int(sheet.print_title_rows.replace("$", "").split(":")[-1])
    merged = {}
    for cell_range in sheet.merged_cells.ranges:
        value = sheet.cell(row=cell_range.min_row, column=cell_range.min_col).value
        for row in range(cell_range.min_row, cell_range.max_row + 1):
            for column in range(cell_range.min_col, cell_range.max_col + 1):
                merged[row, column] = value
    keys = {}
    for column in range(1, sheet.max_column + 1):
        parts = []
        for row in range(first, last + 1):
            value = merged.get((row, column), sheet.cell(row=row, column=column).value)
            value = value.replace("\n", "") if isinstance(value, str) else value
            if value is not None and (not parts or parts[-1] != value):
                parts.append(value)
        keys["·".join(parts)] = column - 1
    rows = [list(row) for row in sheet.iter_rows(min_row=last + 1, values_only=True)]
    return keys, rows

