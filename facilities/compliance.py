"""Compliance contract of the facilities app (see offices.compliance).

`gather` returns an entry for every township of the queryset (an empty
`FacilitiesInputs` where nothing is recorded) in five queries whatever the
number of townships; `evaluate` also accepts None and treats it as empty.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from facilities import rules
from facilities.models import Equipment, Room, StationSpaceKind
from offices.models import TownshipOffice, Village, village_short_name


CENT = Decimal("0.01")


@dataclass
class FacilitiesInputs:
    township_name: str = ""
    total_area: Decimal = Decimal("0")
    room_kinds: set = field(default_factory=set)
    equipment: dict = field(default_factory=dict)  # kind → number in use (networked computers only)
    office_name: str | None = None
    office_setup: str = ""
    # (village short name, has station space, station name or None), in code order
    villages: list = field(default_factory=list)


def gather(townships, year):
    """Collect rooms, equipment, office and village data of every township in `year`."""
    pairs = townships.values_list("pk", "name") if isinstance(townships, QuerySet) else [(t.pk, t.name) for t in townships]
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


def evaluate(inputs, context):
    """Decide the facilities and equipment rules for one township."""
    standard = context.standard
    if standard is None:
        return rules.all_not_assessed(_("该年度没有适用的建设标准，不予评估。"))
    inputs = inputs or FacilitiesInputs(township_name=context.name)
    return [
        rules.area_rule(
            total_area=inputs.total_area,
            population=context.population,
            per_10k=standard.area_per_10k_population,
            minimum=standard.area_minimum,
            population_label=standard.get_population_basis_display(),
            year=context.year,
        ),
        rules.rooms_rule(room_kinds=inputs.room_kinds, required_groups=standard.required_rooms),
        rules.village_stations_rule(
            villages=[(name, has_space) for name, has_space, _station in inputs.villages],
            required=standard.village_station_space_required,
        ),
        rules.naming_rule(
            township_name=inputs.township_name or context.name,
            office_name=inputs.office_name,
            stations=[(name, station) for name, _space, station in inputs.villages],
            required=standard.naming_required,
            office_setup=str(TownshipOffice.Setup(inputs.office_setup).label) if inputs.office_setup else "",
        ),
        rules.equipment_rule(counts=inputs.equipment, required_kinds=standard.required_equipment),
    ]
