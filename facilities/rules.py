"""有场所办事 and 有手段成事: pure rules over plain values and a standard's parameters.

No ORM here: `facilities.compliance` gathers the values and passes the
thresholds of the applicable `Standard`; every function is tested at its
boundaries with plain numbers. The engine decides a rule only where the
standard sets it (each declaration's `applies`).
"""
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from facilities.models import VillageStation
from offices.compliance import Dimension, RuleSpec, Status, Unit, listed, per_ten_thousand
from offices.models import TownshipOffice
from offices.vocabulary import EquipmentKind, RoomKind

AREA = RuleSpec(
    code="facilities.area", dimension=Dimension.FACILITIES, title=gettext_lazy("办公服务用房面积"),
    unit=Unit.SQUARE_METRES, fix_url="facilities:rooms",
    applies=lambda standard: standard.area_per_10k_population is not None or standard.area_minimum is not None,
)
ROOMS = RuleSpec(
    code="facilities.rooms", dimension=Dimension.FACILITIES, title=gettext_lazy("必设功能室"),
    unit=Unit.ITEMS, fix_url="facilities:rooms",
    applies=lambda standard: bool(standard.required_rooms),
)
VILLAGE_STATIONS = RuleSpec(
    code="facilities.village_stations", dimension=Dimension.FACILITIES, title=gettext_lazy("村（社区）工作站办公场所"),
    unit=Unit.PLACES, fix_url="facilities:stations",
    applies=lambda standard: standard.village_station_space_required,
)
NAMING = RuleSpec(
    code="facilities.naming", dimension=Dimension.FACILITIES, title=gettext_lazy("机构名称规范"),
    unit=Unit.PLACES, fix_url="facilities:stations",
    applies=lambda standard: standard.naming_required,
)
EQUIPMENT = RuleSpec(
    code="facilities.equipment", dimension=Dimension.EQUIPMENT, title=gettext_lazy("必备设备"),
    unit=Unit.ITEMS, fix_url="facilities:equipment",
    applies=lambda standard: bool(standard.required_equipment),
)
RULES = [AREA, ROOMS, VILLAGE_STATIONS, NAMING, EQUIPMENT]


# --- 有场所办事 ------------------------------------------------------------------------------------------------


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
        candidates.append(per_ten_thousand(per_10k, population))
    return max(candidates)


def area_rule(*, total_area, population, per_10k, minimum, population_label=None, year=None):
    """Office and service floor area ≥ the standard's requirement (it sets a per-10k figure, a minimum or both)."""
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
        return AREA.result(
            Status.FAIL, actual=total_area, fix_url="offices:population_edit", basis=basis,
            explanation=_("未录入%(year)s年度%(label)s，无法计算应有面积；请先录入人口。")
            % {"year": year or "", "label": population_label},
        )
    gap = max(required - total_area, Decimal(0))
    if gap:
        explanation = _("办公服务用房应不少于%(required)s㎡，实有%(actual)s㎡，缺%(gap)s㎡。")
    else:
        explanation = _("办公服务用房应不少于%(required)s㎡，实有%(actual)s㎡。")
    return AREA.result(
        Status.FAIL if gap else Status.PASS,
        required=required, actual=total_area, gap=gap, basis=basis,
        explanation=explanation % {
            "required": format_area(required), "actual": format_area(total_area), "gap": format_area(gap),
        },
    )


def room_group_label(group):
    """「群众接待室或服务窗口」 for an any-of group of room kinds."""
    return _("或").join(str(RoomKind(kind).label) for kind in group)


def rooms_rule(*, room_kinds, required_groups):
    """Every any-of group of required rooms has at least one room in use."""
    present = set(room_kinds)
    required = [room_group_label(group) for group in required_groups]
    missing = [label for label, group in zip(required, required_groups) if not present.intersection(group)]
    actual = [str(RoomKind(kind).label) for kind in RoomKind.values if kind in present]
    if missing:
        explanation = _("缺：%(missing)s。") % {"missing": "、".join(missing)}
    else:
        explanation = _("必设功能室齐全：%(rooms)s。") % {"rooms": "、".join(required)}
    return ROOMS.result(
        Status.FAIL if missing else Status.PASS,
        required=required, actual=actual, gap=missing, items=tuple(missing),
        explanation=explanation,
        basis={_("应设"): "、".join(required), _("已有"): "、".join(actual) or _("无")},
    )


def village_stations_rule(*, villages):
    """Every village's workstation has its own room or a service-hall window.

    `villages` is a list of (village name, has space) pairs; `items` names
    every village without a space.
    """
    lacking = [name for name, has_space in villages if not has_space]
    total = len(villages)
    if not total:
        explanation = _("本乡镇未登记村（社区）。")
    elif lacking:
        explanation = _("%(total)s个村（社区）中有%(count)s个没有工作站办公场所：%(names)s。") % {
            "total": total, "count": len(lacking), "names": listed(lacking, Unit.PLACES),
        }
    else:
        explanation = _("%(total)s个村（社区）工作站均有办公场所。") % {"total": total}
    return VILLAGE_STATIONS.result(
        Status.FAIL if lacking else Status.PASS,
        required=total, actual=total - len(lacking), gap=len(lacking), items=tuple(lacking),
        explanation=explanation,
        basis={_("村（社区）数"): total, _("无办公场所"): listed(lacking, Unit.PLACES) or _("无")},
    )


def naming_rule(*, township_name, office_name, stations, office_setup=""):
    """The office is 「<乡镇>民政办公室」 and each station 「<村>民政工作站」.

    `office_name` is None when no office is recorded; `stations` is a list of
    (village short name, station name or None). An office kept inside the
    social-affairs office (机构改革后) carries the same name, so `office_setup`
    (its label) is only recorded in the basis. `items` holds every problem.
    """
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
            "count": len(problems), "problems": listed(problems, Unit.PLACES),
        }
    else:
        explanation = _("民政办公室与%(count)s个民政工作站名称规范。") % {"count": len(stations)}
    return NAMING.result(
        Status.FAIL if problems else Status.PASS,
        required=total, actual=total - len(problems), gap=len(problems), items=tuple(problems),
        # The office's name is fixed on the office form, the stations' on the stations page.
        fix_url="offices:office_edit" if office_wrong else NAMING.fix_url,
        explanation=explanation,
        basis={
            _("民政办公室"): office_name or _("未登记"),
            _("设置方式"): office_setup or "—",
            _("不规范"): "；".join(problems) or _("无"),
        },
    )


# --- 有手段成事 ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EquipmentLine:
    """One kind the standard requires: how many count under it and whether it is missing."""

    kind: str  # the standard's code (an EquipmentKind value)
    label: str
    count: int
    missing: bool
    not_counted: int = 0  # in use but not counted under this requirement (computers that cannot go online)

    def __str__(self):
        return self.label


def equipment_counts(rows):
    """Sum (kind, networked, count) rows into the number that counts under each code a standard may name.

    A computer counts under ANY_COMPUTER 「电脑」 always, and under COMPUTER
    「电脑（可联网）」 only when it can go online.
    """
    counts = {}

    def add(kind, count):
        counts[kind] = counts.get(kind, 0) + count

    for kind, networked, count in rows:
        if kind == EquipmentKind.COMPUTER:
            add(EquipmentKind.ANY_COMPUTER, count)
            if not networked:
                continue
        add(kind, count)
    return counts


def equipment_lines(*, counts, required_kinds):
    """One EquipmentLine per kind the standard requires, in the standard's order."""
    all_computers = counts.get(EquipmentKind.ANY_COMPUTER, 0)
    lines = []
    for kind in required_kinds:
        count = counts.get(kind, 0)
        not_counted = all_computers - count if kind == EquipmentKind.COMPUTER else 0
        lines.append(EquipmentLine(kind=kind, label=str(EquipmentKind(kind).label), count=count, missing=count < 1,
                                   not_counted=not_counted))
    return lines


def equipment_rule(*, counts, required_kinds):
    """Each required kind of equipment is present (`counts` as from `equipment_counts`).

    `items` holds one EquipmentLine per required kind, so that the equipment
    page marks its checklist from this result.
    """
    lines = equipment_lines(counts=counts, required_kinds=required_kinds)
    missing = [line.label for line in lines if line.missing]
    if missing:
        explanation = _("缺：%(missing)s。") % {"missing": "、".join(missing)}
    else:
        explanation = _("必备设备齐全（%(count)s项）。") % {"count": len(lines)}
    return EQUIPMENT.result(
        Status.FAIL if missing else Status.PASS,
        required=[line.label for line in lines], actual=[line.label for line in lines if not line.missing],
        gap=missing, items=tuple(lines), explanation=explanation,
        basis={line.label: line.count for line in lines},
    )
