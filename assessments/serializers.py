"""Plain-data form of a compliance result: for the API and `manage.py compliance --json`."""
from decimal import Decimal


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


def result_payload(result):
    return {
        "code": result.code,
        "dimension": result.dimension,
        "title": str(result.title),
        "status": result.status,
        "required": plain(result.required),
        "actual": plain(result.actual),
        "gap": plain(result.gap),
        "surplus": plain(result.surplus),
        "unit": str(result.unit),
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
