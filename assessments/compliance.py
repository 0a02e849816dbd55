"""The one compliance computation, as the oversight pages read it (offices.compliance.engine)."""
from offices.compliance.engine import (  # noqa: F401
    TownshipCompliance,
    combined_status,
    compliance_for,
    township_compliance,
)
