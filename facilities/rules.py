"""有场所办事 and 有手段成事: pure rules over plain values and a standard's parameters.

No ORM here: `facilities.compliance` gathers the values and passes the
thresholds of the applicable `Standard`; every function is tested at its
boundaries with plain numbers.
"""
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from offices.compliance import Dimension, RuleResult, Status, not_assessed
from offices.models import TownshipOffice, VillageStation
from offices.vocabulary import EquipmentKind, RoomKind

AREA = "facilities.area"
ROOMS = "facilities.rooms"
VILLAGE_STATIONS = "facilities.village_stations"
NAMING = "facilities.naming"
EQUIPMENT = "facilities.equipment"

TITLES = {
    AREA: gettext_lazy("办公服务用房面积"),
    ROOMS: gettext_lazy("必设功能室"),
    VILLAGE_STATIONS: gettext_lazy("村（社区）工作站办公场所"),
    NAMING: gettext_lazy("机构名称规范"),
    EQUIPMENT: gettext_lazy("必备设备"),
}
DIMENSIONS = {
    AREA: Dimension.FACILITIES,
    ROOMS: Dimension.FACILITIES,
    VILLAGE_STATIONS: Dimension.FACILITIES,
    NAMING: Dimension.FACILITIES,
    EQUIPMENT: Dimension.EQUIPMENT,
}

# How many names a finding spells out before it says "等".
NAMES_SHOWN = 10

TEN_THOUSAND = Decimal(10_000)


def all_not_assessed(reason=None):
    """One not-assessed result per rule (no standard applies)."""
    return [not_assessed(code, DIMENSIONS[code], str(TITLES[code]), reason) for code in TITLES]


def format_area(value):
    """Format square metres without trailing zeros, keeping every significant decimal (80.002)."""
    return f"{Decimal(value).normalize():,f}"


def required_area(population, per_10k, minimum):
    """Return max(minimum, per_10k × P / 10,000) in m², or None where the standard sets neither.

    A parameter left empty drops out (Liyang 2005 sets only the minimum). With a
    per-10k figure and no population the requirement cannot be computed: None.
    """
    if per_10k is None and minimum is None:
        return None
    candidates = []
    if minimum is not None:
        candidates.append(Decimal(minimum))
    if per_10k is not None:
        if population is None:
            return None
        candidates.append(Decimal(per_10k) * Decimal(population) / TEN_THOUSAND)
    return max(candidates)


def area_rule(*, total_area, population, per_10k, minimum, population_label=None, year=None):
    """Office and service floor area ≥ the standard's requirement."""
    title = str(TITLES[AREA])
    if per_10k is None and minimum is None:
        return not_assessed(AREA, Dimension.FACILITIES, title)
    total_area = Decimal(total_area or 0)
    population_label = population_label or _("常住人口")
    basis = {
        _("办公服务用房总面积（㎡）"): format_area(total_area),
        _("每万人面积（㎡）"): format_area(per_10k) if per_10k is not None else "—",
        _("最低面积（㎡）"): format_area(minimum) if minimum is not None else "—",
        population_label: population if population is not None else _("未录入"),
    }
    required = required_area(population, per_10k, minimum)
    if required is None:
        return RuleResult(
            code=AREA, dimension=Dimension.FACILITIES, title=title, status=Status.FAIL,
            actual=total_area, unit="㎡", fix_url="offices:population_edit", basis=basis,
            explanation=_("未录入%(year)s年度%(label)s，无法计算应有面积；请先录入人口。")
            % {"year": year or "", "label": population_label},
        )
    gap = max(required - total_area, Decimal(0))
    passed = gap == 0
    if passed:
        explanation = _("办公服务用房应不少于%(required)s㎡，实有%(actual)s㎡。")
    else:
        explanation = _("办公服务用房应不少于%(required)s㎡，实有%(actual)s㎡，缺%(gap)s㎡。")
    return RuleResult(
        code=AREA, dimension=Dimension.FACILITIES, title=title,
        status=Status.PASS if passed else Status.FAIL,
        required=required, actual=total_area, gap=gap, unit="㎡", fix_url="facilities:rooms", basis=basis,
        explanation=explanation % {
            "required": format_area(required), "actual": format_area(total_area), "gap": format_area(gap),
        },
    )


def room_group_label(group):
    """「群众接待室或服务窗口」 for an any-of group of room kinds."""
    return _("或").join(str(RoomKind(kind).label) for kind in group)


def rooms_rule(*, room_kinds, required_groups):
    """Every any-of group of required rooms has at least one room in use."""
    title = str(TITLES[ROOMS])
    if not required_groups:
        return not_assessed(ROOMS, Dimension.FACILITIES, title)
    present = set(room_kinds)
    required = [room_group_label(group) for group in required_groups]
    missing = [label for label, group in zip(required, required_groups) if not present.intersection(group)]
    actual = [str(RoomKind(kind).label) for kind in RoomKind.values if kind in present]
    if missing:
        explanation = _("缺：%(missing)s。") % {"missing": "、".join(missing)}
    else:
        explanation = _("必设功能室齐全：%(rooms)s。") % {"rooms": "、".join(required)}
    return RuleResult(
        code=ROOMS, dimension=Dimension.FACILITIES, title=title,
        status=Status.FAIL if missing else Status.PASS,
        required=required, actual=actual, gap=missing, unit=_("项"), fix_url="facilities:rooms",
        explanation=explanation,
        basis={_("应设"): "、".join(required), _("已有"): "、".join(actual) or _("无")},
    )


def equipment_rule(*, counts, required_kinds):
    """Each required kind of equipment is present (`counts` maps kind → number in use)."""
    title = str(TITLES[EQUIPMENT])
    if not required_kinds:
        return not_assessed(EQUIPMENT, Dimension.EQUIPMENT, title)
    labels = {kind: str(EquipmentKind(kind).label) for kind in required_kinds}
    missing = [labels[kind] for kind in required_kinds if counts.get(kind, 0) < 1]
    actual = [labels[kind] for kind in required_kinds if counts.get(kind, 0) >= 1]
    if missing:
        explanation = _("缺：%(missing)s。") % {"missing": "、".join(missing)}
    else:
        explanation = _("必备设备齐全（%(count)s项）。") % {"count": len(required_kinds)}
    return RuleResult(
        code=EQUIPMENT, dimension=Dimension.EQUIPMENT, title=title,
        status=Status.FAIL if missing else Status.PASS,
        required=[labels[kind] for kind in required_kinds], actual=actual, gap=missing, unit=_("项"),
        fix_url="facilities:equipment", explanation=explanation,
        basis={labels[kind]: counts.get(kind, 0) for kind in required_kinds},
    )


def equipment_counts(rows):
    """Sum (kind, networked, count) rows into kind → count; only networked computers count."""
    counts = {}
    for kind, networked, count in rows:
        if kind == EquipmentKind.COMPUTER and not networked:
            continue
        counts[kind] = counts.get(kind, 0) + count
    return counts


def _names(names, sep="、"):
    shown = sep.join(names[:NAMES_SHOWN])
    return shown + (_("等") if len(names) > NAMES_SHOWN else "")


def village_stations_rule(*, villages, required):
    """Every village's workstation has its own room or a service-hall window.

    `villages` is a list of (village name, has space) pairs.
    """
    title = str(TITLES[VILLAGE_STATIONS])
    if not required:
        return not_assessed(VILLAGE_STATIONS, Dimension.FACILITIES, title)
    lacking = [name for name, has_space in villages if not has_space]
    total = len(villages)
    if not total:
        explanation = _("本乡镇未登记村（社区）。")
    elif lacking:
        explanation = _("%(total)s个村（社区）中有%(count)s个没有工作站办公场所：%(names)s。") % {
            "total": total, "count": len(lacking), "names": _names(lacking),
        }
    else:
        explanation = _("%(total)s个村（社区）工作站均有办公场所。") % {"total": total}
    return RuleResult(
        code=VILLAGE_STATIONS, dimension=Dimension.FACILITIES, title=title,
        status=Status.FAIL if lacking else Status.PASS,
        required=total, actual=total - len(lacking), gap=len(lacking), unit=_("个"),
        fix_url="facilities:stations", explanation=explanation,
        basis={_("村（社区）数"): total, _("无办公场所"): _names(lacking) or _("无")},
    )


def naming_rule(*, township_name, office_name, stations, required, office_setup=""):
    """The office is 「<乡镇>民政办公室」 and each station 「<村>民政工作站」.

    `office_name` is None when no office is recorded; `stations` is a list of
    (village short name, station name or None). An office kept inside the
    social-affairs office (机构改革后) carries the same name, so `office_setup`
    (its label) is only recorded in the basis.
    """
    title = str(TITLES[NAMING])
    if not required:
        return not_assessed(NAMING, Dimension.FACILITIES, title)
    problems = []
    office_wrong = False
    expected_office = TownshipOffice.expected_name(township_name)
    if office_name is None:
        office_wrong = True
        problems.append(_("未登记民政办公室（应为“%(expected)s”）") % {"expected": expected_office})
    elif office_name != expected_office:
        office_wrong = True
        problems.append(_("“%(name)s”应为“%(expected)s”") % {"name": office_name, "expected": expected_office})
    for short_name, station_name in stations:
        expected = VillageStation.expected_name(short_name)
        if station_name is None:
            problems.append(_("%(village)s未设民政工作站（应为“%(expected)s”）") % {
                "village": short_name, "expected": expected,
            })
        elif station_name != expected:
            problems.append(_("“%(name)s”应为“%(expected)s”") % {"name": station_name, "expected": expected})
    total = 1 + len(stations)
    if problems:
        explanation = _("%(count)s处名称不规范：%(problems)s。") % {
            "count": len(problems), "problems": _names(problems, sep="；"),
        }
    else:
        explanation = _("民政办公室与%(count)s个民政工作站名称规范。") % {"count": len(stations)}
    return RuleResult(
        code=NAMING, dimension=Dimension.FACILITIES, title=title,
        status=Status.FAIL if problems else Status.PASS,
        required=total, actual=total - len(problems), gap=len(problems), unit=_("个"),
        fix_url="offices:office_edit" if office_wrong else "facilities:stations",
        explanation=explanation,
        basis={
            _("民政办公室"): office_name or _("未登记"),
            _("设置方式"): office_setup or "—",
            _("不规范"): "；".join(problems) or _("无"),
        },
    )
