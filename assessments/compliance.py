"""The compliance results as the oversight pages read them: stored (offices.compliance.store).

The live computation (`offices.compliance.engine.compliance_for`) is what the
store is written from and what `verify_compliance` compares it with; pages
read the store.
"""
from offices.compliance.engine import TownshipCompliance, combined_status  # noqa: F401
from offices.compliance.store import stored_compliance, stored_township  # noqa: F401


def compliance_for(townships, year):
    """Every township's stored results in `year` (code order)."""
    return stored_compliance(townships, year)


def township_compliance(township, year):
    return stored_township(township, year)
