"""Compliance contract of the facilities app (see offices.compliance).

`gather` returns an entry for every township it is given (an empty
`FacilitiesInputs` where nothing is recorded) in five queries whatever the
number of townships; the deciders also accept None and treat it as empty.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet, Sum

from facilities import rules
from facilities.models import Equipment, Room, StationSpaceKind
from offices.compliance.engine import evaluator
from offices.models import TownshipOffice, Village, village_short_name

RULES = rules.RULES

CENT = Decimal("0.01")


@dataclass
class FacilitiesInputs:
    township_name: str = ""
    total_area: Decimal = Decimal("0")
    room_kinds: set = field(default_factory=set)
    equipment: dict = field(default_factory=dict)  # code a standard may name → number that counts under it
    office_name: str | None = None
    office_setup: str = ""
    # (village short name, has station space, station name or None), in code order
    villages: list = field(default_factory=list)


def gather(townships, year):
    """Collect rooms, equipment, office and village data of every township in `year`."""
    if isinstance(townships, QuerySet):
        pairs = townships.order_by().values_list("pk", "name")
    else:
        pairs = [(t.pk, t.name) for t in townships]
    inputs = {pk: FacilitiesInputs(township_name=name) for pk, name in pairs}
    ids = list(inputs)
    if not ids:
        return inputs
    for row in (
        Room.objects.filter(township_id__in=ids).in_use(year)
        .values("township_id", "kind").annotate(area=Sum("area")).order_by()
    ):
        entry = inputs[row["township_id"]]
        # SQLite returns the sum with float noise; areas are exact to the cent.
        entry.total_area += Decimal(row["area"]).quantize(CENT)
        entry.room_kinds.add(row["kind"])
    equipment_rows = {}
    for row in (
        Equipment.objects.filter(township_id__in=ids).in_use(year)
        .values("township_id", "kind", "networked").annotate(total=Sum("count")).order_by()
    ):
        equipment_rows.setdefault(row["township_id"], []).append((row["kind"], row["networked"], row["total"]))
    for pk, rows in equipment_rows.items():
        inputs[pk].equipment = rules.equipment_counts(rows)
    offices = TownshipOffice.objects.filter(township_id__in=ids).values_list("township_id", "name", "setup")
    for pk, name, setup in offices:
        inputs[pk].office_name = name
        inputs[pk].office_setup = setup
    # Both names and the space kind are NOT NULL: None means no station / no space recorded.
    villages = (
        Village.objects.filter(township_id__in=ids)
        .values_list("township_id", "name", "station__name", "station_space__kind")
        .order_by("code")
    )
    for township_id, name, station_name, space_kind in villages:
        has_space = space_kind is not None and space_kind != StationSpaceKind.NONE
        inputs[township_id].villages.append((village_short_name(name), has_space, station_name))
    return inputs


def _area(inputs, context):
    standard = context.standard
    return rules.area_rule(
        total_area=inputs.total_area, population=context.population, per_10k=standard.area_per_10k_population,
        minimum=standard.area_minimum, population_label=standard.get_population_basis_display(), year=context.year,
    )


def _naming(inputs, context):
    return rules.naming_rule(
        township_name=inputs.township_name or context.name,
        office_name=inputs.office_name,
        stations=[(name, station) for name, _space, station in inputs.villages],
        office_setup=str(TownshipOffice.Setup(inputs.office_setup).label) if inputs.office_setup else "",
    )


def _given(decide):
    """Let a decider take the inputs None (nothing gathered) as empty."""
    return lambda inputs, context: decide(inputs or FacilitiesInputs(township_name=context.name), context)


DECIDERS = {
    rules.AREA.code: _given(_area),
    rules.ROOMS.code: _given(lambda inputs, context: rules.rooms_rule(
        room_kinds=inputs.room_kinds, required_groups=context.standard.required_rooms)),
    rules.VILLAGE_STATIONS.code: _given(lambda inputs, context: rules.village_stations_rule(
        villages=[(name, has_space) for name, has_space, _station in inputs.villages])),
    rules.NAMING.code: _given(_naming),
    rules.EQUIPMENT.code: _given(lambda inputs, context: rules.equipment_rule(
        counts=inputs.equipment, required_kinds=context.standard.required_equipment)),
}

evaluate = evaluator(RULES, DECIDERS)
