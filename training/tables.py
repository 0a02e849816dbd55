"""The training lists as offices.tables lists: the sessions, a session's attendees, the plan's lists and a
township's record, each the page's table and its spreadsheet."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from offices.tables import DECIMAL, INTEGER, PERCENT, Column
from training import rules


def _date(value):
    return value.strftime("%Y-%m-%d") if value else ""


# --- sessions -----------------------------------------------------------------------------------------------------


def session_columns():
    """The sessions list: sortable by topic, date, level, organiser and attendance; 合计 of 人次."""
    return [
        Column("topic", _("培训主题"), link=lambda session: reverse("training:session_detail", args=[session.pk])),
        Column("date", _("培训日期")),
        Column("level", _("组织层级"), value=lambda session: session.get_level_display(), order="level"),
        Column("organiser", _("组织单位"), value=lambda session: session.organiser.name, order="organiser_name"),
        Column("audience", _("培训对象"), value=lambda session: session.get_audience_display(), order="audience"),
        Column("hours", _("学时"), kind=DECIMAL),
        Column("attendee_count", _("参训人数（人次）"), kind=INTEGER, total=True),
    ]


def _person_role(attendance):
    if attendance.staff_member:
        return attendance.staff_member.get_post_display()
    return f"{rules.ROLE_LABELS[rules.ASSISTANT]}（{attendance.assistant.village.short_name}）"


def _person_township(attendance):
    person = attendance.staff_member or attendance.assistant.village
    return person.township


def attendance_columns():
    """A session's attendees: name, role, township and start date, each sortable."""
    return [
        Column("name", _("姓名"), value=lambda attendance: attendance.person.name),
        Column("role", _("身份"), value=_person_role),
        Column("township", _("所在乡镇"), value=lambda attendance: _person_township(attendance).name,
               order=lambda attendance: _person_township(attendance).code),
        Column("start_date", _("到岗日期"), value=lambda attendance: attendance.person.start_date),
    ]


# --- the county plan ----------------------------------------------------------------------------------------------


def _this_year(entry):
    if entry.pending:
        return _("待培训")
    return _("已培训（%(date)s）") % {"date": _date(entry.due.trained_this_year)}


def plan_columns(year):
    """One level's list of the plan: who must be trained this year, red while still 待培训."""
    return [
        Column("township", _("乡镇（街道）"), value=lambda entry: entry.township.name,
               order=lambda entry: entry.township.code,
               link=lambda entry: f"{reverse('training:township', args=[entry.township.code])}?year={year}"),
        Column("name", _("姓名"), value=lambda entry: entry.due.worker.label),
        Column("role", _("身份"), value=lambda entry: entry.due.worker.role_label,
               order=lambda entry: list(rules.ROLE_LABELS).index(entry.due.worker.role)),
        Column("start_date", _("到岗日期"), value=lambda entry: entry.due.worker.start_date),
        Column("last", _("上次培训"), value=lambda entry: entry.due.last_before_year or _("从未参加培训"),
               order=lambda entry: entry.due.last_before_year, fail=lambda entry: not entry.due.last_before_year),
        Column("this_year", _("本年培训"), value=_this_year,
               order=lambda entry: (not entry.pending, entry.due.trained_this_year), fail=lambda entry: entry.pending),
    ]


def plan_row(entry):
    """The data-* of a plan row (the pages' tests and tr[data-pending=yes] find rows by them)."""
    return {"person": entry.due.worker.label, "pending": "yes" if entry.pending else "no"}


def _coverage(township_plan):
    coverage = township_plan.coverage
    return None if coverage is None else coverage / 100


def _pending(township_plan):
    return None if township_plan.covered is None else len(township_plan.pending)


def coverage_columns(year):
    """Each township's rotation coverage; a township not fully in rotation is red, and so are its 待培训."""
    short = lambda t: t.covered is not None and t.covered < t.total  # noqa: E731
    return [
        Column("township", _("乡镇（街道）"), value=lambda t: t.township.name, order=lambda t: t.township.code,
               link=lambda t: f"{reverse('training:township', args=[t.township.code])}?year={year}"),
        Column("total", _("年末在岗（人）"), kind=INTEGER, total=True),
        Column("covered", _("周期内参训（人）"), kind=INTEGER, total=True, fail=short),
        Column("coverage", _("覆盖率"), kind=PERCENT, value=_coverage, fail=short),
        Column("pending", _("本年待培训（人）"), kind=INTEGER, value=_pending, total=True,
               fail=lambda t: bool(_pending(t))),
    ]


def coverage_row(township_plan):
    return {"township": township_plan.township.code}


# --- a township's record ------------------------------------------------------------------------------------------

MET = {True: _("达标"), False: _("未达标"), None: _("不评估")}


def _mark(attribute):
    """A rule's column: 达标 / 未达标 (red) / 不评估, sorted with 未达标 first."""
    return {
        "value": lambda row: MET[getattr(row, attribute)],
        "order": lambda row: {False: 0, True: 1}.get(getattr(row, attribute)),
        "fail": lambda row: getattr(row, attribute) is False,
    }


def _trainings(row):
    return "；".join(f"{_date(t.date)} {t.level_label} {t.topic}".strip() for t in row.worker.trainings) or _("无")


def record_columns():
    """A township's people in post at the year end and each training rule's verdict on them.

    The rules' columns are keyed by the rule's code (data-column="training.rotation").
    """
    return [
        Column("name", _("姓名"), value=lambda row: row.worker.label),
        Column("role", _("身份"), value=lambda row: row.worker.role_label,
               order=lambda row: list(rules.ROLE_LABELS).index(row.worker.role)),
        Column("start_date", _("到岗日期"), value=lambda row: row.worker.start_date),
        Column("trainings", _("培训记录"), value=_trainings, order=lambda row: row.worker.last_training(),
               fail=lambda row: not row.worker.trainings, width=40),
        Column(rules.ROTATION.code, _("轮训"), **_mark("in_rotation")),
        Column(rules.GRADED.code, _("对应层级"), **_mark("right_level")),
        Column(rules.BEFORE_POST.code, _("岗前培训"), **_mark("before_post")),
    ]


def record_row(row):
    return {"person": row.worker.label}
