"""The reporting lists as offices.tables lists: a county's townships and their reports, the city's reports awaiting
acceptance and its counties' reporting figures. Red: a report 已退回, a submission 逾期, a review 逾期."""
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from offices.models import ReportState
from offices.tables import INTEGER, PERCENT, Column
from reporting.selectors import TIMELINESS_LABELS, timeliness

# The states in the order a report goes through them (已退回 after 已报送: it was submitted, then sent back).
STATE_ORDER = [ReportState.DRAFT, ReportState.SUBMITTED, ReportState.RETURNED, ReportState.APPROVED,
               ReportState.ACCEPTED]
# Timeliness from best to worst: sorting descending puts 逾期未报送 and 未报送 first.
TIMELINESS_ORDER = ["on_time", "late", "missing", "overdue"]
LATE = frozenset({"late", "overdue"})


def _report_url(township, year):
    return reverse("reporting:report", args=[township.code, year])


def county_report_columns(year):
    """The rows of reporting.selectors.county_rows: each township's report of `year`."""
    return [
        Column("township", _("乡镇"), value="township.name", order=lambda row: row.township.code,
               link=lambda row: _report_url(row.township, year)),
        Column("state", _("状态"), value=lambda row: row.report.get_state_display(),
               order=lambda row: STATE_ORDER.index(row.report.state),
               fail=lambda row: row.report.state == ReportState.RETURNED),
        Column("timeliness", _("报送情况"), value=lambda row: row.timeliness_label,
               order=lambda row: TIMELINESS_ORDER.index(row.timeliness), fail=lambda row: row.timeliness in LATE),
        Column("submitted_at", _("首次报送时间"), value="report.first_submitted_at"),
        Column("review_overdue", _("审核逾期"), fail=lambda row: row.review_overdue),
    ]


def awaiting_columns(year, calendar):
    """The reports the city's counties approved (reporting.selectors.city_lines' `awaiting`)."""
    def late(report):
        return timeliness(report, calendar)

    return [
        Column("township", _("乡镇"), value="township.name", order=lambda report: report.township.code,
               link=lambda report: _report_url(report.township, year)),
        Column("county", _("县（市、区）"), value="township.county.name",
               order=lambda report: report.township.county.code),
        Column("submitted_at", _("首次报送时间"), value="first_submitted_at"),
        Column("timeliness", _("报送情况"), value=lambda report: TIMELINESS_LABELS[late(report)],
               order=lambda report: TIMELINESS_ORDER.index(late(report)),
               fail=lambda report: late(report) in LATE),
        Column("approved_at", _("县级审核时间")),
    ]


def county_line_columns(lines, year):
    """Per county (reporting.selectors.CountyLine): reports expected, submitted, on time, late, approved, accepted.

    The 合计 of 报送率 is the city's rate (all submitted over all expected), not a sum of rates: each county's
    part of it is its submitted reports over the city's expected ones."""
    expected = sum(line.expected for line in lines)
    return [
        Column("county", _("县（市、区）"), value="county.name", order=lambda line: line.county.code,
               link=lambda line: reverse("reporting:county", args=[line.county.code, year])),
        Column("expected", _("应报（份）"), kind=INTEGER, total=True),
        Column("submitted", _("已报送（份）"), kind=INTEGER, total=True),
        Column("on_time", _("按时（份）"), kind=INTEGER, total=True),
        Column("late", _("逾期（份）"), kind=INTEGER, total=True, fail=lambda line: line.late > 0),
        Column("rate", _("报送率"), kind=PERCENT,
               value=lambda line: Decimal(line.submitted) / line.expected if line.expected else None,
               order=lambda line: Decimal(line.submitted) / line.expected if line.expected else None,
               total=lambda line: Decimal(line.submitted) / expected if expected else 0),
        Column("approved", _("县级审核通过（份）"), kind=INTEGER, total=True),
        Column("accepted", _("市级验收通过（份）"), kind=INTEGER, total=True),
        Column("review_overdue", _("审核逾期（份）"), kind=INTEGER, total=True,
               fail=lambda line: line.review_overdue > 0),
    ]
