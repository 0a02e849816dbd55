"""Circulars (通报): create a draft, publish it with its figures frozen.

A circular's figures are `circular_figures(city, year)` — a plain JSON dict
built from the stored results. A draft shows them live; publishing stores
them in `Circular.snapshot` with the moment taken, and from then on the
circular renders from the snapshot only, so later data edits never change it.
"""
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import oversight
from assessments.models import Circular
from offices.compliance import Dimension

# 2: every county carries "tied" (its rank is shared: 并列). Version 1 snapshots lack it, and those published
# before ranks were shared numbered tied counties one after another by code; `ranked` reads both.
SNAPSHOT_VERSION = 2


def default_title():
    return _("关于全市乡镇民政办规范化建设情况的通报")


def _share(share):
    return {"passing": share.passing, "assessed": share.assessed, "percent": share.percent}


def _county(row):
    totals = row.totals
    return {
        "rank": row.rank,
        "tied": False,  # set by `ranked`, which sees the other counties
        "code": row.county.code,
        "name": row.county.name,
        "townships": totals.townships,
        **_share(totals.overall),
        "posts_short": totals.posts_short,
        "posts_surplus": totals.posts_surplus,
        "posts_net": totals.posts_net,
        "funds_shortfall": str(totals.funds_shortfall),
        "area_shortfall": str(totals.area_shortfall),
        "missing_equipment": [[label, count] for label, count in totals.missing_equipment_items],
        "failing": [],
    }


def circular_figures(city, year, *, taken_at=None):
    """The figures a circular cites for `city` in `year`, as plain JSON data (from the stored results)."""
    scope = oversight.scope_for(None, city=city)
    view = oversight.overview(scope, year)
    summary, counties = view.totals, view.counties
    by_code = {row.county.code: _county(row) for row in counties}
    for row in oversight.failing_townships(scope, year):
        by_code[row.township.county.code]["failing"].append({
            "code": row.township.code,
            "name": row.township.name,
            "findings": [
                {"dimension": str(Dimension(r.dimension).label) if r.dimension in Dimension.values else r.dimension,
                 "title": str(r.title), "explanation": str(r.explanation), "missing": oversight.gap_text(r)}
                for r in row.findings
            ],
        })
    return {
        "version": SNAPSHOT_VERSION,
        "city": {"code": city.code, "name": city.name},
        "year": year,
        "taken_at": (taken_at or timezone.now()).isoformat(),
        "overall": {"townships": summary.townships, **_share(summary.overall),
                    "posts_short": summary.posts_short, "posts_surplus": summary.posts_surplus,
                    "funds_shortfall": str(summary.funds_shortfall), "area_shortfall": str(summary.area_shortfall)},
        "dimensions": [{"key": d.value, "label": str(d.label), **_share(summary.dimensions[d.value])}
                       for d in oversight.DASHBOARD_DIMENSIONS if summary.dimensions[d.value].assessed],
        "counties": ranked([by_code[row.county.code] for row in counties]),
    }


def ranked(counties):
    """The counties of a circular's figures ranked as the dashboard ranks them; tied counties share a rank.

    Ranks by the counties' own passing and assessed counts, through `oversight.rank`, so a frozen
    snapshot is ranked by its frozen figures: one published before ties shared a rank (it numbered
    tied counties one after another by code) reads with the shared rank too, and every county is
    marked "tied" where another has its rank (printed 「并列第2」). Returns new dicts, in rank order.
    """
    rows = [oversight.CountyRow(county=SimpleNamespace(code=county["code"], figures=county), totals=oversight.Totals(
                overall=oversight.Share(passing=county["passing"], failing=county["assessed"] - county["passing"])))
            for county in counties]
    rows = oversight.rank(rows)
    shared = {row.rank for row, following in zip(rows, rows[1:]) if row.rank == following.rank}
    return [{**row.county.figures, "rank": row.rank, "tied": row.rank in shared} for row in rows]


# Renamed since circulars were first published: snapshots are frozen, so they are read through this map.
# The annual grades, inspections, satisfaction and bought services were the "oversight" dimension with
# rule codes "oversight.*"; they are the supervision app's now ("supervision", "supervision.*").
LEGACY_DIMENSIONS = {"oversight": Dimension.SUPERVISION.value}
LEGACY_CODE_PREFIXES = {"oversight.": "supervision."}
IDENTIFIER_FIELDS = {"key", "dimension", "code", "codes", "rule", "rules"}


def current_identifier(value):
    """A dimension key or rule code as it is named today (other values unchanged)."""
    if not isinstance(value, str):
        return value
    if value in LEGACY_DIMENSIONS:
        return LEGACY_DIMENSIONS[value]
    for old, new in LEGACY_CODE_PREFIXES.items():
        if value.startswith(old):
            return new + value[len(old):]
    return value


def legacy_snapshot(data, identifier=False):
    """A frozen snapshot in today's vocabulary: old dimension keys and rule codes renamed, figures untouched.

    Renames dict keys, and the values of identifier fields ("key",
    "dimension", "code", …); free text (titles, explanations, names) is left
    as frozen.
    """
    if isinstance(data, dict):
        return {current_identifier(key): legacy_snapshot(value, key in IDENTIFIER_FIELDS) for key, value in data.items()}
    if isinstance(data, list):
        return [legacy_snapshot(item, identifier) for item in data]
    return current_identifier(data) if identifier else data


def circular_figures_for(circular):
    """The figures to render: the frozen snapshot once published, live figures for a draft."""
    if circular.state == Circular.State.PUBLISHED:
        figures = legacy_snapshot(circular.snapshot)
        return {**figures, "counties": ranked(figures.get("counties", []))}
    return circular_figures(circular.city, circular.year)


@transaction.atomic
def circular_create(*, city, year, title, reference="", preface=""):
    circular = Circular(city=city, year=year, title=title, reference=reference, preface=preface)
    circular.full_clean()
    circular.save()
    return circular


@transaction.atomic
def circular_update(*, circular, **fields):
    if circular.state == Circular.State.PUBLISHED:
        raise ValidationError(_("已发布的通报不能修改。"), code="published")
    for name, value in fields.items():
        setattr(circular, name, value)
    circular.full_clean()
    circular.save()
    return circular


def circular_publish(*, circular, user):
    """Freeze the figures and publish; publishing twice is refused."""
    with transaction.atomic():
        circular = Circular.objects.select_for_update().select_related("city").get(pk=circular.pk)
        if circular.state == Circular.State.PUBLISHED:
            raise ValidationError(_("该通报已于%(when)s发布，不能重复发布。"), code="already_published",
                                  params={"when": timezone.localtime(circular.published_at).strftime("%Y-%m-%d %H:%M")})
        now = timezone.now()
        circular.snapshot = circular_figures(circular.city, circular.year, taken_at=now)
        circular.snapshot_taken_at = now
        circular.published_at = now
        circular.published_by = user
        circular.state = Circular.State.PUBLISHED
        circular.full_clean()
        circular.save()
    return circular
