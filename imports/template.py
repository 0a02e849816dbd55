"""The import template: one sheet per kind of record, pre-filled with the uploader's townships and current values."""
import tempfile
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from imports.sheets import SHEETS
from offices.text import strip_control_characters

HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
BOLD = Font(bold=True)


def filename(unit_name, year):
    return f"{unit_name}_{year}_批量导入模板.xlsx"


def _cell(sheet, value, *, header=False):
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, str):
        value = strip_control_characters(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # a name such as "=1+1" stays text
    if isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    if header:
        cell.fill, cell.font = HEADER_FILL, BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    return cell


NOTES = [
    "填写说明",
    "1. 每张表的第一行是列名，请勿修改列名、表名；不需要的表可以删除。",
    "2. “编号”是系统中已有记录的编号：修改已有记录时保留编号；新增记录请在表末新增一行，编号留空。",
    "3. 选择项请填写与网页相同的文字（如“男”“本科”“民政办公室主任”）；是否项填“是”或“否”。",
    "4. 数字可写“5万”“76,550”；日期可写“2024-03-01”“2024年3月1日”。不接受公式，请“粘贴为数值”。",
    "5. 上传后系统先预览：列出每一处新增、修改和错误（表、行、列），确认后才一次性全部写入；有任何错误则不写入。",
    "6. 已报送或已验收年度的数据已锁定，导入同样不能修改。删除记录请在网页上操作。",
]


def write_template(townships, year, target):
    """Write the template for `townships` (their current values for `year`) to `target`."""
    workbook = Workbook(write_only=True)
    notes = workbook.create_sheet(_("说明"))
    notes.column_dimensions["A"].width = 100
    for line in NOTES:
        notes.append([_cell(notes, _(line))])
    townships = list(townships)
    for spec in SHEETS:
        sheet = workbook.create_sheet(spec.title)
        for index, column in enumerate(spec.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = "A2"
        sheet.append([_cell(sheet, column.header, header=True) for column in spec.columns])
        for row in spec.template_rows(townships, year):
            sheet.append([_cell(sheet, value) for value in row])
    workbook.save(target)
    return target


def template_file(townships, year):
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    write_template(townships, year, handle)
    handle.seek(0)
    return handle
