"""The inspections as an official spreadsheet (督导检查情况表): one row per finding, the list's filters applied."""
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from offices.workbooks import INTEGER, Column, OfficialSheet

COLUMNS = [
    Column(gettext_lazy("序号"), INTEGER, 6), Column(gettext_lazy("乡镇"), width=14),
    Column(gettext_lazy("检查日期"), width=11), Column(gettext_lazy("检查层级"), width=8),
    Column(gettext_lazy("检查人员"), width=16), Column(gettext_lazy("发现问题"), width=40),
    Column(gettext_lazy("整改期限"), width=11), Column(gettext_lazy("整改状态"), width=10),
    Column(gettext_lazy("整改完成日期"), width=11),
]


def _day(day):
    return day.isoformat() if day else None


def finding_status(finding, today):
    if finding is None:
        return _("无问题")
    if finding.rectified_on:
        return _("已整改")
    return _("逾期") if finding.overdue(today) else _("待整改")


def inspection_rows(rows, today):
    """The sheet's values of selectors.finding_rows, numbered."""
    for number, row in enumerate(rows, start=1):
        inspection, finding = row.inspection, row.finding
        yield [number, inspection.township.name, _day(inspection.date), inspection.get_level_display(),
               inspection.inspectors, finding.text if finding else _("未发现问题"),
               _day(finding.deadline) if finding else None, finding_status(finding, today),
               _day(finding.rectified_on) if finding else None]


def inspections_workbook(rows, *, unit_name, year, issuer):
    """The xlsx bytes: title 「<unit><year>年度乡镇民政办督导检查情况表」, issuer and data date, the rows."""
    today = timezone.localdate()
    workbook = Workbook(write_only=True)
    title = _("%(unit)s%(year)s年度乡镇民政办督导检查情况表") % {"unit": unit_name, "year": year}
    sheet = OfficialSheet(workbook, _("督导检查"), [Column(str(c.header), c.kind, c.width) for c in COLUMNS],
                          title=title, frozen_columns=2, info=[
                              _("填报单位：%(unit)s") % {"unit": issuer},
                              _("数据日期：%(year)s年%(month)s月%(day)s日") % {
                                  "year": today.year, "month": today.month, "day": today.day},
                          ])
    for values in inspection_rows(rows, today):
        sheet.append(values)
    sheet.finish()
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
