"""The rule of 有章理事 (written regulations). Pure: plain values in, RuleResult out."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from offices.compliance import Actor, Dimension, RuleSpec, Status, Unit
from offices.vocabulary import RegulationKind

REQUIRED_REGULATIONS = RuleSpec(
    code="regulations.required", dimension=Dimension.REGULATIONS, title=gettext_lazy("必备工作制度"),
    unit=Unit.ITEMS, fix_url="regulations:list", fixed_by=Actor.TOWNSHIP,
    applies=lambda standard: bool(standard.required_regulations),
)
RULES = [REQUIRED_REGULATIONS]


def required_regulations(*, adopted_kinds, required_kinds, year):
    """Every required kind of regulation is in force on 31 December of `year`.

    `adopted_kinds` are the kinds in force then: adopted on or before that day
    and not retired on or before it (the caller filters by date:
    `regulations.models.in_force`, `RegulationDocument.counts_in`);
    `required_kinds` are the standard's, in its order. Called only when the
    standard requires some (the engine checks `applies`). `items` are the
    missing kinds' names, which the regulations page marks.
    """
    adopted = set(adopted_kinds)
    labels = {kind: str(RegulationKind(kind).label) for kind in required_kinds}
    missing = [labels[kind] for kind in required_kinds if kind not in adopted]
    present = [labels[kind] for kind in required_kinds if kind in adopted]
    adopted_label, missing_label = _("已印发"), _("缺")
    if missing:
        explanation = _("截至%(year)s年底缺：%(missing)s。") % {"year": year, "missing": "、".join(missing)}
    else:
        explanation = _("%(count)s项必备制度均已印发。") % {"count": len(required_kinds)}
    return REQUIRED_REGULATIONS.result(
        Status.FAIL if missing else Status.PASS,
        required=list(labels.values()), actual=present, gap=missing, explanation=explanation,
        basis={labels[kind]: adopted_label if kind in adopted else missing_label for kind in required_kinds},
        items=tuple(missing),
    )
