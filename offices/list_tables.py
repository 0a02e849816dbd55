"""The base app's lists as offices.tables lists: a city's counties, a county's townships, a township's population
and villages, the user's background jobs. (The mechanism itself is offices/tables.py.)"""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from offices.models import Job
from offices.tables import INTEGER, Column


def _with_year(url, year):
    return f"{url}?year={year}" if year else url


def county_columns(year):
    """The counties of a city (offices.selectors.counties_overview), each linking to its page in `year`."""
    return [
        Column("name", _("县（市、区）"), order="code",
               link=lambda county: _with_year(reverse("offices:county", args=[county.code]), year)),
        Column("code", _("区划代码")),
        Column("kind", _("类型"), value=lambda county: county.get_kind_display(), order="kind"),
        Column("township_count", _("乡镇（街道）数"), kind=INTEGER, total=True),
        Column("village_count", _("村（社区）数"), kind=INTEGER, total=True),
    ]


def township_columns(year):
    """The townships of a county (offices.selectors.townships_overview) with their population in `year`."""
    return [
        Column("name", _("乡镇（街道）"), order="code",
               link=lambda township: _with_year(reverse("offices:township", args=[township.code]), year)),
        Column("code", _("区划代码")),
        Column("kind", _("类型"), value=lambda township: township.get_kind_display(), order="kind"),
        Column("resident_population", _("常住人口（人）"), kind=INTEGER, total=True),
        Column("registered_population", _("户籍人口（人）"), kind=INTEGER, total=True),
        Column("village_count", _("村（社区）数"), kind=INTEGER, total=True),
    ]


# A township's population by year: the years do not add up, so no 合计.
POPULATION_COLUMNS = [
    Column("year", _("年度")),
    Column("resident", _("常住人口（人）"), kind=INTEGER),
    Column("registered", _("户籍人口（人）"), kind=INTEGER),
]

VILLAGE_COLUMNS = [
    Column("name", _("村（社区）"), order="code"),
    Column("code", _("区划代码")),
    Column("kind", _("类型"), value=lambda village: village.get_kind_display(), order="kind"),
    Column("station", _("民政工作站"), value="station.name", order="station__name"),
]

# A job's state in the order a job goes through them (a failed one last).
_JOB_STATES = [Job.State.QUEUED, Job.State.RUNNING, Job.State.DONE, Job.State.FAILED]


def _job_state(job):
    label = job.get_state_display()
    return label if job.finished else f"{label}（{job.percent}%）"


JOB_COLUMNS = [
    Column("title", _("任务"), link=lambda job: reverse("offices:job", args=[job.pk])),
    Column("state", _("状态"), value=_job_state, order=lambda job: _JOB_STATES.index(job.state),
           fail=lambda job: job.state == Job.State.FAILED),
    Column("created_at", _("提交时间")),
    Column("finished_at", _("完成时间")),
]
