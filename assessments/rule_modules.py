"""The apps whose rules make up the compliance computation, in display order."""
from importlib import import_module
from importlib.util import find_spec

RULE_MODULE_PATHS = [
    "staffing.compliance",
    "funding.compliance",
    "facilities.compliance",
    "offices.regulations_compliance",
    "training.compliance",
    "assessments.records_compliance",
]


def rule_modules():
    # An app whose compliance module is not written yet contributes no rules;
    # an existing module that fails to import still raises.
    return [import_module(path) for path in RULE_MODULE_PATHS if find_spec(path) is not None]
