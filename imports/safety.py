"""Refuse a hostile workbook before openpyxl parses it, and read its cells without ever evaluating anything.

An .xlsx is a zip archive: it is first inspected from its central directory
(regulations.archives: entry count, declared unpacked size, compression ratio,
macro parts), so a zip bomb or a macro-enabled workbook is refused with memory
flat. Then each sheet's declared dimension is checked and its XML is scanned
(streamed) for merged cells. Rows are read with openpyxl's read-only mode
(rows stream from the file); a formula cell is an error of that cell, never
evaluated (openpyxl does not evaluate, and we do not read cached results: a
cached value could say anything).
"""
import zipfile
from datetime import date, datetime, time
from xml.etree.ElementTree import iterparse

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from regulations.archives import ArchiveRefused, inspect_package

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ENTRIES = 200
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 200
MAX_ROWS = 20_000  # per sheet; a county has a few thousand assistants at most
MAX_COLUMNS = 40
XLSX_MAGIC = b"PK\x03\x04"

REFUSALS = {
    "archive_corrupt": _("文件不是完整有效的 Excel 工作簿（.xlsx），请在 Excel 或 WPS 中重新保存后上传。"),
    "archive_multi_volume": _("文件是分卷压缩包，不是 Excel 工作簿。"),
    "archive_encrypted": _("工作簿有密码保护，无法检查，请去掉密码后重新上传。"),
    "archive_method": _("文件使用了 Excel 不会使用的压缩方式，不能导入。"),
    "archive_entries": _("文件内含%(count)s个部件，超过%(limit)s个的上限，不像正常的工作簿，不能导入。"),
    "archive_too_large": _("文件解压后超过%(limit)s MB（可能是“压缩炸弹”），不能导入。"),
    "archive_ratio": _("文件中有部件的压缩比达到%(ratio)s:1，超过%(limit)s:1的上限（可能是“压缩炸弹”），不能导入。"),
    "archive_macros": _("工作簿含有宏（VBA）或嵌入的程序对象，可能携带病毒，不能导入。请另存为“Excel 工作簿（*.xlsx）”后重新上传。"),
}


class WorkbookRefused(Exception):
    """The whole file is refused; the message says why, in Chinese."""


def check_file(upload):
    """Refuse what is not a safe, plain .xlsx; return nothing. `upload` is a seekable binary file."""
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(0)
    if size > MAX_UPLOAD_BYTES:
        raise WorkbookRefused(_("文件大小%(size)s MB，超过%(limit)s MB的上限。")
                              % {"size": f"{size / 1048576:.1f}", "limit": MAX_UPLOAD_BYTES // 1048576})
    if upload.read(4) != XLSX_MAGIC:
        upload.seek(0)
        raise WorkbookRefused(_("文件不是 Excel 工作簿（.xlsx）。请使用下载的模板填写；.xls、.csv 请先另存为 .xlsx。"))
    upload.seek(0)
    try:
        names = inspect_package(upload, max_entries=MAX_ENTRIES, max_total_size=MAX_UNPACKED_BYTES,
                                max_ratio=MAX_RATIO)
    except ArchiveRefused as refusal:
        params = {**refusal.params}
        if refusal.code == "archive_too_large":
            params["limit"] = MAX_UNPACKED_BYTES // 1048576
        raise WorkbookRefused(REFUSALS[refusal.code] % params) from None
    finally:
        upload.seek(0)
    if "xl/workbook.xml" not in names:
        raise WorkbookRefused(_("文件不是 Excel 工作簿（.xlsx）。"))


def open_workbook(upload):
    """The workbook, read-only (rows stream), formulas kept as formulas (never evaluated)."""
    try:
        return load_workbook(upload, read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise WorkbookRefused(_("无法读取工作簿：文件已损坏或不是 .xlsx 格式。")) from error


def check_sheet(sheet):
    """Refuse a sheet that declares too many rows or columns, or that has merged cells."""
    try:
        rows, columns = sheet.max_row or 0, sheet.max_column or 0
    except Exception:  # a damaged <dimension>
        rows = columns = 0
    if rows > MAX_ROWS + 1 or columns > MAX_COLUMNS:
        raise WorkbookRefused(_("“%(sheet)s”表声明了%(rows)s行、%(columns)s列，超过%(max_rows)s行、%(max_columns)s列的上限。")
                              % {"sheet": sheet.title, "rows": rows, "columns": columns, "max_rows": MAX_ROWS,
                                 "max_columns": MAX_COLUMNS})
    archive = getattr(sheet.parent, "_archive", None)
    path = getattr(sheet, "_worksheet_path", None)
    if archive is None or path is None:
        return
    try:
        with archive.open(path) as stream:
            for _event, element in iterparse(stream, events=("end",)):
                tag = element.tag.rsplit("}", 1)[-1]
                if tag == "mergeCell":
                    raise WorkbookRefused(_("“%(sheet)s”表有合并单元格（%(ref)s），请取消合并、每行填写完整后再导入。")
                                          % {"sheet": sheet.title, "ref": element.get("ref", "")})
                if tag == "row":
                    element.clear()  # keep memory flat on a long sheet
    except (KeyError, zipfile.BadZipFile, SyntaxError) as error:
        raise WorkbookRefused(_("“%(sheet)s”表已损坏，无法读取。") % {"sheet": sheet.title}) from error


class Cell:
    """A cell's value as text for the forms, or the reason it cannot be used (a formula)."""

    __slots__ = ("column", "text", "formula")

    def __init__(self, column, value, data_type):
        self.column = column
        self.formula = data_type == "f" or (isinstance(value, str) and value.startswith("="))
        if self.formula or value is None:
            self.text = ""
        elif isinstance(value, datetime):
            self.text = value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
        elif isinstance(value, date):
            self.text = value.isoformat()
        elif isinstance(value, float) and value.is_integer():
            self.text = str(int(value))
        else:
            self.text = str(value).strip()


def read_rows(sheet, header_row=1):
    """Yield (row number, [Cell]) for every non-empty row after the header; refuse a sheet that is too long."""
    for number, row in enumerate(sheet.iter_rows(min_row=header_row + 1), start=header_row + 1):
        if number > MAX_ROWS + header_row:
            raise WorkbookRefused(_("“%(sheet)s”表超过%(limit)s行，请分批导入。") % {"sheet": sheet.title, "limit": MAX_ROWS})
        cells = [Cell(index, getattr(cell, "value", None), getattr(cell, "data_type", None))
                 for index, cell in enumerate(row[:MAX_COLUMNS], start=1)]
        if any(c.text or c.formula for c in cells):
            yield number, cells


def header(sheet, header_row=1):
    for row in sheet.iter_rows(min_row=header_row, max_row=header_row, values_only=True):
        return [str(v).strip() if v is not None else "" for v in row[:MAX_COLUMNS]]
    return []


def column_letter(index):
    return get_column_letter(index)
