"""The supervision lists as offices.tables lists: inspections (a row per finding), the assistants' grades, the
satisfaction surveys and the bought services — the page's table and its spreadsheet."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from offices.tables import DECIMAL, INTEGER, Column
from offices.vocabulary import AssistantGrade
from supervision.exports import finding_status

# --- inspections: a row per finding (selectors.FindingRow) ---------------------------------------------------------

# The states in the order a sort by them lists them: what needs doing first.
_STATES = ["overdue", "open", "rectified", "clean"]


def _state(row):
    if row.finding is None:
        return "clean"
    if row.finding.rectified_on:
        return "rectified"
    return "overdue" if row.overdue else "open"


def _finding(attribute):
    return lambda row: getattr(row.finding, attribute) if row.finding is not None else None


def _first(count):
    """An inspection's count, given on its first row only: the column adds up to the 合计, in the file too.
    The column sorts by the inspection's count, so that an inspection's rows stay together."""
    return lambda row: getattr(row, count) if row.first else None


def inspection_columns(*, township=True):
    """The inspections list's columns; `township` False on a township's own page (every row is its own)."""
    columns = [
        Column("township", _("乡镇"), value="inspection.township.name", order=lambda row: row.inspection.township.code,
               link=lambda row: reverse("supervision:township_inspections", args=[row.inspection.township.code])),
        Column("date", _("检查日期"), value="inspection.date"),
        Column("level", _("检查层级"), value=lambda row: row.inspection.get_level_display(),
               order=lambda row: row.inspection.level),
        Column("inspectors", _("检查人员"), value="inspection.inspectors", order=False),
        Column("finding", _("发现问题"), value=lambda row: row.finding.text if row.finding else _("未发现问题"),
               order=False),
        Column("deadline", _("整改期限"), value=_finding("deadline"), order=lambda row: row.finding and row.finding.deadline,
               fail=lambda row: row.overdue or row.marked),
        Column("status", _("整改状态"), value=finding_status, order=lambda row: _STATES.index(_state(row)),
               fail=lambda row: row.unrectified),
        Column("rectified_on", _("整改完成日期"), value=_finding("rectified_on"),
               order=lambda row: row.finding and row.finding.rectified_on),
        Column("findings", _("问题数（项）"), kind=INTEGER, value=_first("findings_count"),
               order=lambda row: row.findings_count, total=True),
        Column("open", _("未整改（项）"), kind=INTEGER, value=_first("open_count"),
               order=lambda row: row.open_count, total=True, fail=lambda row: row.first and row.open_count > 0),
    ]
    return columns if township else columns[1:]


def overdue_row(row):
    """A finding overdue today, or found overdue by the rectification result: its whole row is red."""
    return "table-danger" if row.overdue or row.marked else ""


def finding_data(row):
    """The row's marks: its inspection, its finding (or that the inspection found nothing), and whether the
    rectification result found the finding overdue."""
    data = {"inspection": row.inspection.pk}
    if row.finding is None:
        data["clean"] = "1"
    else:
        data["finding-id"] = row.finding.pk
        if row.marked:
            data["finding"] = "overdue"
    return data


# --- grades: an assistant in post at the end of the year (selectors.GradeRow) -----------------------------------

_GRADES = list(AssistantGrade.values)
_FINDINGS = {"ungraded": _("未考评"), "incompetent": _("不称职仍在岗")}


def grade_data(row):
    """The row's marks: the assistant as the results name it, and what they found (ungraded, incompetent)."""
    return {"assistant": row.field.label, **({"finding": row.finding} if row.finding else {})}


def _grade(row):
    grade = row.assistant.year_grade
    return AssistantGrade(grade).label if grade else None


GRADE_COLUMNS = [
    Column("name", _("民政助理员"), value="assistant.name"),
    Column("village", _("村（社区）"), value="assistant.village.name", order=lambda row: row.assistant.village.code),
    # Ungraded is blank (sorted last either way); 「未考评」 is said, in red, where the results find it a shortfall.
    Column("grade", _("考评等次"), value=_grade,
           order=lambda row: _GRADES.index(row.assistant.year_grade) if row.assistant.year_grade else None,
           fail=lambda row: row.assistant.year_grade == AssistantGrade.INCOMPETENT),
    Column("finding", _("存在问题"), value=lambda row: _FINDINGS.get(row.finding), fail=lambda row: bool(row.finding)),
    Column("assessor", _("考评单位或考评人"), value="assistant.year_assessor"),
    Column("assessed_on", _("考评日期"), value="assistant.year_assessed_on"),
]


# --- records ---------------------------------------------------------------------------------------------------

# Scores and sample sizes of different years do not add up: no 合计.
SURVEY_COLUMNS = [
    Column("year", _("年度")),
    Column("score", _("满意度得分（分）"), kind=DECIMAL),
    Column("sample_size", _("样本量（份）"), kind=INTEGER),
]

CONTRACT_COLUMNS = [
    Column("provider", _("承接机构")),
    Column("area", _("服务领域"), value=lambda contract: contract.get_area_display(), order="area"),
    Column("amount", _("金额（元）"), kind=DECIMAL, total=True),
    Column("start_date", _("开始日期")),
    Column("end_date", _("结束日期")),
]
