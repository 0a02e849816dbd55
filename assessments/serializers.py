"""Plain-data form of a compliance result: for the API and `manage.py compliance --json`."""
from decimal import Decimal

from offices.compliance import MONEY_UNITS, Unit, money_text


def plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    return str(value)


def figure(value, unit):
    """A rule's figure: money always as a two-place string ("24691.39") on every database."""
    if Unit.of(unit) in MONEY_UNITS and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return money_text(value)
    return plain(value)


def result_payload(result):
    unit = Unit.of(result.unit)
    return {
        "code": result.code,
        "dimension": result.dimension,
        "title": str(result.title),
        "status": result.status,
        "required": figure(result.required, unit),
        "actual": figure(result.actual, unit),
        "gap": figure(result.gap, unit),
        "surplus": figure(result.surplus, unit),
        "unit": str(unit.label) if unit else "",
        "unit_code": unit.value if unit else "",
        "explanation": str(result.explanation),
        "basis": plain(result.basis),
    }


def compliance_payload(card):
    township = card.township
    standard = card.standard
    return {
        "township": {"code": township.code, "name": township.name, "county": township.county.name},
        "year": card.year,
        "standard": None if standard is None else {"id": standard.pk, "name": standard.name,
                                                   "jurisdiction": standard.jurisdiction_name},
        "population": card.population,
        "status": card.status,
        "dimensions": {dimension.value: status for dimension, status, _results in card.dimensions},
        "results": [result_payload(r) for r in card.results],
    }
