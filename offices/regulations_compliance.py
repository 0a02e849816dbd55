"""Compliance contract for 有章理事 (see offices.compliance).

`gather` returns, for every township of the queryset, the set of regulation
kinds adopted on or before 31 December of the year — two queries whatever the
number of townships. `evaluate` treats a missing entry as "nothing adopted".
"""
import datetime

from django.utils.translation import gettext as _

from offices.compliance import Dimension, TownshipContext, not_assessed, township_ids
from offices.models import RegulationDocument, Township
from offices.rules import REGULATIONS, REGULATIONS_TITLE, regulations_rule


def gather(townships, year):
    inputs = {pk: set() for pk in township_ids(townships)}
    if not inputs:
        return inputs
    rows = (
        RegulationDocument.objects.filter(township_id__in=list(inputs), adopted_on__lte=datetime.date(year, 12, 31))
        .values_list("township_id", "kind")
        .distinct()
        .order_by()
    )
    for township_id, kind in rows:
        inputs[township_id].add(kind)
    return inputs


def evaluate(inputs, context):
    standard = context.standard
    if standard is None:
        return [
            not_assessed(REGULATIONS, Dimension.REGULATIONS, str(REGULATIONS_TITLE),
                         _("该年度没有适用的建设标准，不予评估。"))
        ]
    return [
        regulations_rule(
            adopted_kinds=inputs or set(), required_kinds=standard.required_regulations, year=context.year
        )
    ]


def township_result(township, year, standard):
    """The rule result of one township (for its regulations page): the same gather/evaluate."""
    context = TownshipContext(
        township_id=township.pk, code=township.code, name=township.name, year=year, standard=standard, population=None
    )
    inputs = gather(Township.objects.filter(pk=township.pk), year).get(township.pk)
    return evaluate(inputs, context)[0]
