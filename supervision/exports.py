"""What the inspections file (督导检查情况表) says about itself: its title and issuer line, and each finding's state.

The rows and columns are the inspections list's own (`supervision.tables`): the file is that list's
offices.tables export, every page, with the list's filters and sort.
"""
from django.utils import timezone
from django.utils.translation import gettext as _


def finding_status(row):
    """A FindingRow's state of rectification as the list and the file say it."""
    if row.finding is None:
        return _("无问题")
    if row.finding.rectified_on:
        return _("已整改")
    return _("逾期") if row.overdue else _("待整改")


def inspections_heading(user, year):
    """(title, info) of the list of every inspection in the user's scope: 「<unit><year>年度乡镇民政办督导检查情况表」,
    the issuing unit (a county's or city's 民政局; a township clerk's own township) and the data date."""
    unit = user.unit
    unit_name = unit.name if unit is not None else ""
    if unit is None:
        issuer = _("民政部门")
    elif user.is_township:
        issuer = unit.name
    else:
        issuer = _("%(unit)s民政局") % {"unit": unit.name}
    today = timezone.localdate()
    title = _("%(unit)s%(year)s年度乡镇民政办督导检查情况表") % {"unit": unit_name, "year": year}
    return title, [
        _("填报单位：%(unit)s") % {"unit": issuer},
        _("数据日期：%(year)s年%(month)s月%(day)s日") % {"year": today.year, "month": today.month, "day": today.day},
    ]


def township_inspections_title(township):
    """The title of one township's inspections (every year: the township's page lists them all)."""
    return _("%(township)s督导检查情况表") % {"township": township.name}
