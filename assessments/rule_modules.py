"""The apps whose rules make up the compliance computation, in display order."""
from importlib import import_module

RULE_MODULE_PATHS = [
    "staffing.compliance",
    "funding.compliance",
    "facilities.compliance",
    "offices.regulations_compliance",
    "training.compliance",
    "assessments.records_compliance",
]


def rule_modules():
    return [import_module(path) for path in RULE_MODULE_PATHS]
