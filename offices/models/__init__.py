from offices.models.compliance import ComplianceGapItem, ComplianceResult, ComplianceSummary  # noqa: F401
from offices.models.hierarchy import (  # noqa: F401
    City,
    County,
    DivisionUnit,
    Population,
    Township,
    Village,
    validate_division_code,
    village_short_name,
)
from offices.models.jobs import Job  # noqa: F401
from offices.models.offices import TownshipOffice  # noqa: F401
from offices.models.reporting import (  # noqa: F401
    LOCKED_FOR_EVERYONE,
    LOCKED_FOR_TOWNSHIP,
    AnnualReport,
    Level,
    LockException,
    ReportAction,
    ReportEvent,
    ReportingCalendar,
    ReportSnapshot,
    ReportState,
    SnapshotGapItem,
    SnapshotResult,
    SnapshotStage,
)
from offices.models.standards import Standard  # noqa: F401
from offices.models.submissions import FormSubmission  # noqa: F401
from offices.models.users import Role, User  # noqa: F401
