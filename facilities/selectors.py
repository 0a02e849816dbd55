"""Reads of the facilities app: the pages show the same rule results the assessment computes."""
from dataclasses import dataclass

from django.db.models import Sum

from facilities import compliance
from facilities.models import Equipment, Room
from offices.compliance import TownshipContext
from offices.models import Population, Township
from offices.selectors import standard_for
from offices.vocabulary import EquipmentKind, PopulationBasis


def township_context(township, year):
    """The TownshipContext of one township in `year` (standard and population per its basis)."""
    standard = standard_for(township, year)
    registered = standard is not None and standard.population_basis == PopulationBasis.REGISTERED
    field = "registered" if registered else "resident"
    population = Population.objects.filter(township=township, year=year).values_list(field, flat=True).first()
    return TownshipContext(
        township_id=township.pk, code=township.code, name=township.name, year=year, standard=standard,
        population=population, village_count=township.villages.count(),
    )


def facilities_results(township, year):
    """Return (context, {rule code: RuleResult}) for one township in `year`."""
    context = township_context(township, year)
    inputs = compliance.gather(Township.objects.filter(pk=township.pk), year).get(township.pk)
    return context, {result.code: result for result in compliance.evaluate(inputs, context)}


def rooms_for(township):
    return Room.objects.filter(township=township).order_by("-until_year", "kind", "name")


def equipment_for(township):
    return Equipment.objects.filter(township=township).order_by("kind", "since_year")


@dataclass
class ChecklistRow:
    kind: str
    label: str
    required: bool
    count: int  # in use in the year; computers: networked only
    unnetworked: int = 0  # computers in use that cannot go online


def equipment_checklist(township, year, standard):
    """One row per kind: the standard's required kinds first, then any other kind the office has."""
    required = list(standard.required_equipment) if standard is not None else []
    counts, unnetworked = {}, 0
    for row in (
        Equipment.objects.filter(township=township).in_use(year)
        .values("kind", "networked").annotate(total=Sum("count")).order_by()
    ):
        if row["kind"] == EquipmentKind.COMPUTER and not row["networked"]:
            unnetworked += row["total"]
            continue
        counts[row["kind"]] = counts.get(row["kind"], 0) + row["total"]
    kinds = required + [k for k in EquipmentKind.values if k not in required and (counts.get(k) or (
        k == EquipmentKind.COMPUTER and unnetworked))]
    return [
        ChecklistRow(
            kind=kind, label=EquipmentKind(kind).label, required=kind in required, count=counts.get(kind, 0),
            unnetworked=unnetworked if kind == EquipmentKind.COMPUTER else 0,
        )
        for kind in kinds
    ]


def villages_for_stations(township):
    return township.villages.select_related("station", "station_space").order_by("code")
