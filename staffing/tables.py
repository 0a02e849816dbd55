"""The staffing lists (staff, posts by year, village assistants) as offices.tables lists: the page's table and its file."""
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from offices.compliance import year_end
from offices.tables import INTEGER, Column
from staffing.models import Education, SocialWorkQualification, StaffMember

# Ranks for sorting by a choice: lowest first when ascending (学历 from 初中及以下 up, 资格 from 无 up).
_EDUCATION_RANK = {value: rank for rank, value in enumerate(reversed(Education.values))}
_QUALIFICATION_RANK = {value: rank for rank, value in enumerate(SocialWorkQualification.values)}
_POST_RANK = {value: rank for rank, value in enumerate(StaffMember.Post.values)}


def _education(person):
    return _EDUCATION_RANK.get(person.education)


# --- township staff -----------------------------------------------------------------------------------------------


def staff_columns():
    return [
        Column("name", gettext_lazy("姓名")),
        Column("post", gettext_lazy("岗位"), value=lambda p: p.get_post_display(), order=lambda p: _POST_RANK.get(p.post)),
        Column("sex", gettext_lazy("性别"), value=lambda p: p.get_sex_display(), order=lambda p: p.sex),
        Column("birth_date", gettext_lazy("出生日期")),
        Column("education", gettext_lazy("学历"), value=lambda p: p.get_education_display(), order=_education),
        Column("full_time", gettext_lazy("专职")),
        Column("qualification", gettext_lazy("社会工作职业资格"), value=lambda p: p.get_qualification_display(),
               order=lambda p: _QUALIFICATION_RANK.get(p.qualification)),
        Column("start_date", gettext_lazy("到岗日期")),
        Column("end_date", gettext_lazy("离岗日期")),
    ]


# --- authorized posts by year -------------------------------------------------------------------------------------


def _gap_text(row):
    """差额 as the page has always said it: 缺N人, 超出N人, 持平; 未录入 where the posts are missing."""
    if row.required is None:
        return None
    if row.authorized is None:
        return _("未录入")
    if row.shortfall:
        return _("缺%(n)s人") % {"n": row.shortfall}
    if row.gap:
        return _("超出%(n)s人") % {"n": row.gap}
    return _("持平")


def _short(row):
    """The year's posts fall short of the requirement (or were not entered), as the posts rule finds."""
    return row.required is not None and (row.authorized is None or row.shortfall > 0)


def posts_columns():
    # No 合计: the years do not add up.
    return [
        Column("year", gettext_lazy("年度")),
        Column("population", gettext_lazy("人口（人）"), kind=INTEGER),
        Column("required", gettext_lazy("应配编制（人）"), kind=INTEGER),
        Column("authorized", gettext_lazy("实有编制（人）"), kind=INTEGER),
        Column("gap", gettext_lazy("差额"), value=_gap_text,
               order=lambda row: -1_000_000 if row.required is not None and row.authorized is None else row.gap,
               fail=_short),
    ]


def chosen_year(year):
    """The row class of the page's year (highlighted)."""
    return lambda row: "table-active" if row.year == year else ""


# --- village assistants -------------------------------------------------------------------------------------------


@dataclass
class AssistantRow:
    """One line of the assistants list: an assistant, or a village with no assistant in post at year end."""

    village: object
    assistant: object = None  # None: the village has nobody in post at the end of the year
    in_post: bool = False
    lacking: bool = False  # the village is short of assistants, as the rule found
    unfiled: bool = False  # the assistant is in post and was not filed by year end, as the rule found
    status: str = ""

    @property
    def pk(self):
        return self.assistant.pk if self.assistant else None


def assistant_rows(villages, year, *, lacking, unfiled):
    """The rows of the assistants list from `selectors.assistants_by_village`, village by village: those in post
    (or the village's own line when nobody is), then those who left or had not yet started.

    `lacking` holds the short names of the villages the rule found short of assistants, `unfiled` the labels
    (「姓名（村）」) of the assistants it found unfiled.
    """
    day = year_end(year)
    rows = []
    for village_row in villages:
        village = village_row.village
        short = village.short_name in lacking
        for assistant in village_row.in_post:
            rows.append(AssistantRow(village, assistant, in_post=True, lacking=short,
                                     unfiled=assistant.label in unfiled, status=_("年末在岗")))
        if not village_row.in_post:
            rows.append(AssistantRow(village, lacking=short, status=_("年末无在岗民政助理员")))
        for assistant in village_row.others:
            status = _("年末尚未到任") if assistant.start_date > day else _("已离任")
            rows.append(AssistantRow(village, assistant, status=status))
    return rows


def _of_assistant(path):
    def value(row):
        if row.assistant is None:
            return None
        found = getattr(row.assistant, path)
        return found() if callable(found) else found
    return value


def _filed(row):
    """报县备案: the date, or 未备案 where the rule found the assistant unfiled by year end."""
    if row.assistant is None:
        return None
    if row.unfiled:
        if row.assistant.filed_date:
            return _("%(date)s（年末未备案）") % {"date": row.assistant.filed_date.strftime("%Y-%m-%d")}
        return _("未备案")
    return row.assistant.filed_date


def _staffed(row):
    return _("未配足") if row.lacking and (row.in_post or row.assistant is None) else None


def assistant_columns():
    return [
        Column("village", gettext_lazy("村（社区）"), value=lambda row: row.village.short_name,
               order=lambda row: row.village.code),
        Column("name", gettext_lazy("姓名"), value=_of_assistant("name")),
        Column("role", gettext_lazy("任职方式"), value=_of_assistant("get_role_display"), order=_of_assistant("role")),
        Column("education", gettext_lazy("学历"), value=_of_assistant("get_education_display"),
               order=lambda row: _education(row.assistant) if row.assistant else None),
        Column("birth_date", gettext_lazy("出生日期"), value=_of_assistant("birth_date")),
        Column("start_date", gettext_lazy("选聘日期"), value=_of_assistant("start_date")),
        Column("end_date", gettext_lazy("离任日期"), value=_of_assistant("end_date")),
        Column("filed", gettext_lazy("报县备案"), value=_filed, order=_of_assistant("filed_date"),
               fail=lambda row: row.unfiled),
        Column("status", gettext_lazy("年末状态"), value=lambda row: row.status,
               fail=lambda row: row.assistant is None and row.lacking),
        Column("staffed", gettext_lazy("配备情况"), value=_staffed, fail=_staffed),
    ]


def assistant_row_class(row):
    """Past assistants muted; the lines of a village short of assistants marked."""
    if row.assistant is not None and not row.in_post:
        return "text-muted"
    return "table-warning" if row.lacking else ""
