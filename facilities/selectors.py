"""Reads of the facilities app.

What a page says about a rule comes from the one computation
(`offices.compliance.engine.township_results`); these selectors only list
the rows the pages show next to it.
"""
from dataclasses import dataclass

from django.db.models import Max, Sum

from facilities.models import RECORDED_EQUIPMENT, Equipment, Room, VillageStation, VillageStationSpace
from offices.vocabulary import EquipmentKind


def rooms_for(township):
    return Room.objects.filter(township=township).order_by("-until_year", "kind", "name")


def equipment_for(township):
    return Equipment.objects.filter(township=township).order_by("kind", "since_year")


@dataclass
class ChecklistRow:
    kind: str  # the recorded kind the "登记" link adds
    label: str
    required: bool
    count: int  # what counts under the standard (required rows) or what is in use (other rows)
    missing: bool = False
    not_counted: int = 0  # in use but not counted under the requirement (computers that cannot go online)


def recorded_kind(code):
    """The kind an office records for a code a standard names (any computer is recorded as a computer)."""
    return EquipmentKind.COMPUTER.value if code == EquipmentKind.ANY_COMPUTER else code


def equipment_checklist(township, year, result):
    """The equipment page's checklist: the equipment rule's lines, then any other kind the office has.

    `result` is the equipment RuleResult of the one computation: its lines
    say what the standard requires, what counts and what is missing. Where
    it is not assessed there are no lines and nothing is marked.
    """
    rows = [
        ChecklistRow(kind=recorded_kind(line.kind), label=line.label, required=True, count=line.count,
                     missing=line.missing, not_counted=line.not_counted)
        for line in result.items
    ]
    covered = {row.kind for row in rows}
    in_use = dict(
        Equipment.objects.filter(township=township).in_use(year)
        .values("kind").annotate(total=Sum("count")).order_by().values_list("kind", "total")
    )
    rows.extend(
        ChecklistRow(kind=kind, label=label, required=False, count=in_use[kind])
        for kind, label in RECORDED_EQUIPMENT
        if kind not in covered and in_use.get(kind)
    )
    return rows


def villages_for_stations(township):
    return township.villages.select_related("station", "station_space").order_by("code")


# --- versions (offices.versions) of what a page edits -----------------------------------------------------------


def versions_of(model, ids):
    """{id: the newest history row's id} for rows `ids` of `model`, in one query (0 for a row with no history)."""
    newest = (model.history.filter(id__in=list(ids)).order_by().values("id")
              .annotate(newest=Max("history_id")).values_list("id", "newest"))
    return dict(newest)


def station_sheet_history(township):
    """The stations sheet edits two models: its version is read over both histories (offices.versions)."""
    return (VillageStationSpace.history.filter(village__township=township),
            VillageStation.history.filter(village__township=township))


