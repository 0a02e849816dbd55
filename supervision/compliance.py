"""The supervision side of the compliance contract (offices.compliance).

`gather` returns an entry for EVERY township in five queries whatever their
number (six when given a queryset, whose ids it reads first). A township with
no rows gets an empty `SupervisionInputs`; the deciders also accept None.
The day a year is judged on is the context's `today`, set by the engine, so
the inputs do not depend on the day they were gathered.
"""
import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from funding.models import AssistantSubsidyPayment
from offices.compliance import township_ids, year_end
from offices.compliance.engine import evaluator
from offices.models import village_short_name
from staffing.models import VillageAssistant
from supervision import rules
from supervision.models import (
    AssistantAssessment,
    Inspection,
    InspectionFinding,
    SatisfactionSurvey,
    ServiceContract,
)

RULES = rules.RULES


@dataclass
class SupervisionInputs:
    assistants: list = field(default_factory=list)  # rules.AssistantRecord, in post at some time of the year
    inspections: list = field(default_factory=list)  # rules.InspectionRecord relevant to the year
    survey: tuple | None = None  # (sample size, score)
    contracts: list = field(default_factory=list)  # (provider, area label, amount)


def _assistants(ids, year):
    first, last = datetime.date(year, 1, 1), year_end(year)
    grades = AssistantAssessment.objects.filter(assistant=OuterRef("pk"), year=year)
    rows = (
        VillageAssistant.objects.filter(village__township_id__in=ids, start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .annotate(grade=Subquery(grades.values("grade")[:1]), assessed_on=Subquery(grades.values("assessed_on")[:1]))
        .values_list("pk", "village__township_id", "name", "village__name", "start_date", "end_date", "grade",
                     "assessed_on")
        .order_by("village__code", "start_date", "pk")
    )
    payments = {}
    paid = AssistantSubsidyPayment.objects.filter(assistant__village__township_id__in=ids, year=year)
    for assistant_id, quarter, amount in paid.values_list("assistant_id", "quarter", "amount"):
        payments.setdefault(assistant_id, {})[quarter] = amount
    for pk, township_id, name, village, start, end, grade, assessed_on in rows:
        yield township_id, rules.AssistantRecord(
            pk, name, village_short_name(village), start, end, grade, assessed_on, payments.get(pk, {})
        )


def _inspections(ids, first, last):
    """(township id, InspectionRecord) of the year's inspections, and of earlier ones open on 1 January.

    One query: the inspections joined to their findings (LEFT JOIN, so a clean inspection is one row
    with no finding). Of an earlier inspection only the findings still open on 1 January count; those
    dated after the day the year is judged on (a year still running) are left out by the rule.
    """
    open_on_first = InspectionFinding.objects.filter(inspection=OuterRef("pk")).filter(
        Q(rectified_on__isnull=True) | Q(rectified_on__gte=first))
    rows = (
        Inspection.objects.filter(township_id__in=ids, date__lte=last)
        .filter(Q(date__gte=first) | Exists(open_on_first))
        .values_list("pk", "township_id", "date", "level", "findings__deadline", "findings__rectified_on",
                     "findings__text")
        .order_by("date", "pk", "findings__pk")
    )
    levels = dict(Inspection.Level.choices)
    current, findings = None, []
    for pk, township_id, date, level, deadline, rectified_on, text in rows:
        if current is None or current[0] != pk:
            if current is not None:
                yield current[1], rules.InspectionRecord(current[2], current[3], tuple(findings))
            current, findings, number = (pk, township_id, date, str(levels.get(level, level))), [], 0
        if deadline is None:
            continue  # a clean inspection
        number += 1  # the finding's place among all the inspection's findings, as the pages count it
        if date >= first or rectified_on is None or rectified_on >= first:
            findings.append(rules.FindingRecord(number, deadline, rectified_on, text))
    if current is not None:
        yield current[1], rules.InspectionRecord(current[2], current[3], tuple(findings))


def gather(townships, year):
    """Collect every township's assistants with grades and payments, inspections, survey and contracts."""
    ids = township_ids(townships)
    inputs = {pk: SupervisionInputs() for pk in ids}
    if not ids:
        return inputs
    for township_id, record in _assistants(ids, year):
        inputs[township_id].assistants.append(record)

    first, last = datetime.date(year, 1, 1), year_end(year)
    for township_id, record in _inspections(ids, first, last):
        inputs[township_id].inspections.append(record)

    surveys = SatisfactionSurvey.objects.filter(township_id__in=ids, year=year)
    for township_id, sample_size, score in surveys.values_list("township_id", "sample_size", "score"):
        inputs[township_id].survey = (sample_size, score)

    areas = dict(ServiceContract.Area.choices)
    contracts = ServiceContract.objects.filter(
        township_id__in=ids, start_date__lte=last, end_date__gte=first
    ).order_by("start_date", "pk")
    for township_id, provider, area, amount in contracts.values_list("township_id", "provider", "area", "amount"):
        inputs[township_id].contracts.append((provider, str(areas.get(area, area)), amount))
    return inputs


def _inputs(inputs):
    return inputs or SupervisionInputs()


def _today(context):
    """The day the year is judged on: the engine's `today`; a context built by hand may leave it out."""
    return context.today or timezone.localdate()


DECIDERS = {
    rules.ASSISTANTS_GRADED.code: lambda inputs, context: rules.assistants_graded(
        _inputs(inputs).assistants, year=context.year, today=_today(context)),
    rules.INCOMPETENT_REPLACED.code: lambda inputs, context: rules.incompetent_replaced(
        _inputs(inputs).assistants, year=context.year, today=_today(context)),
    rules.SUBSIDY_BY_GRADE.code: lambda inputs, context: rules.subsidy_by_grade(
        _inputs(inputs).assistants, year=context.year, today=_today(context),
        monthly_subsidy=context.standard.assistant_monthly_subsidy, factors=context.standard.grade_subsidy_factors),
    rules.RECTIFICATION.code: lambda inputs, context: rules.rectification(
        _inputs(inputs).inspections, year=context.year, as_of=rules.assessment_date(context.year, _today(context))),
    rules.SATISFACTION.code: lambda inputs, context: rules.satisfaction(_inputs(inputs).survey, year=context.year),
    rules.SERVICE_CONTRACTS.code: lambda inputs, context: rules.service_contracts(
        _inputs(inputs).contracts, year=context.year),
}

evaluate = evaluator(RULES, DECIDERS)
