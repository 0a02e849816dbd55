"""Reads of the compliance computation (re-exported for views, exports and commands)."""
from assessments.compliance import compliance_for, township_compliance  # noqa: F401
