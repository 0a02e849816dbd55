"""Rules of the base app: 有章理事 (written regulations). Pure: plain values in, RuleResult out."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from offices.compliance import Dimension, RuleResult, Status, not_assessed
from offices.vocabulary import RegulationKind

REGULATIONS = "regulations.required"
REGULATIONS_TITLE = gettext_lazy("必备工作制度")


def regulations_rule(*, adopted_kinds, required_kinds, year):
    """Every required kind of regulation was adopted on or before 31 December of `year`.

    `adopted_kinds` are the kinds adopted by then (the caller filters by date).
    """
    title = str(REGULATIONS_TITLE)
    if not required_kinds:
        return not_assessed(REGULATIONS, Dimension.REGULATIONS, title)
    adopted = set(adopted_kinds)
    labels = {kind: str(RegulationKind(kind).label) for kind in required_kinds}
    missing = [labels[kind] for kind in required_kinds if kind not in adopted]
    present = [labels[kind] for kind in required_kinds if kind in adopted]
    adopted_label, missing_label = _("已印发"), _("缺")
    if missing:
        explanation = _("截至%(year)s年底缺：%(missing)s。") % {"year": year, "missing": "、".join(missing)}
    else:
        explanation = _("%(count)s项必备制度均已印发。") % {"count": len(required_kinds)}
    return RuleResult(
        code=REGULATIONS, dimension=Dimension.REGULATIONS, title=title,
        status=Status.FAIL if missing else Status.PASS,
        required=list(labels.values()), actual=present, gap=missing, unit=_("项"),
        fix_url="offices:regulations", explanation=explanation,
        basis={labels[kind]: adopted_label if kind in adopted else missing_label for kind in required_kinds},
    )
