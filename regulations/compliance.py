"""The regulations app's side of the compliance contract (offices.compliance): RULES, gather, DECIDERS.

`gather` returns, for every township it is given, the set of regulation
kinds in force on 31 December of the year (adopted by then and not retired
by then: `regulations.models.in_force`) — one query for the
documents whatever the number of townships (and one for the ids when given a
queryset). A missing entry means "nothing adopted".
"""
from offices.compliance import township_ids
from offices.compliance.engine import evaluator
from regulations import rules
from regulations.models import RegulationDocument, in_force

RULES = rules.RULES


def gather(townships, year):
    inputs = {pk: set() for pk in township_ids(townships)}
    if not inputs:
        return inputs
    rows = (
        RegulationDocument.objects.filter(in_force(year), township_id__in=list(inputs))
        .values_list("township_id", "kind")
        .distinct()
        .order_by()
    )
    for township_id, kind in rows:
        inputs[township_id].add(kind)
    return inputs


DECIDERS = {
    rules.REQUIRED_REGULATIONS.code: lambda inputs, context: rules.required_regulations(
        adopted_kinds=inputs or set(), required_kinds=context.standard.required_regulations, year=context.year,
    ),
}
evaluate = evaluator(RULES, DECIDERS)
