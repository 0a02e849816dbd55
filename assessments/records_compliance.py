"""The oversight records' side of the compliance contract (offices.compliance).

`gather` returns an entry for EVERY township of the queryset in six queries
whatever their number; it also fixes the day the year is judged on (today),
so `evaluate` stays pure. A township with no rows gets an empty
`OversightInputs`; `evaluate` also accepts None.
"""
import datetime
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from assessments import rules
from assessments.models import AssistantAssessment, Inspection, SatisfactionSurvey, ServiceContract
from funding.models import AssistantSubsidyPayment
from offices.compliance import Dimension, not_assessed, township_ids
from offices.models import village_short_name
from staffing.models import VillageAssistant


@dataclass
class OversightInputs:
    today: datetime.date = field(default_factory=timezone.localdate)
    assistants: list = field(default_factory=list)  # rules.AssistantRecord, in post at some time of the year
    inspections: list = field(default_factory=list)  # rules.InspectionRecord relevant to the year
    survey: tuple | None = None  # (sample size, score)
    contracts: list = field(default_factory=list)  # (provider, area label, amount)



def _assistants(ids, year):
    first, last = datetime.date(year, 1, 1), rules.year_end(year)
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


def gather(townships, year):
    """Collect every township's assistants with grades and payments, inspections, survey and contracts."""
    today = timezone.localdate()
    ids = township_ids(townships)
    inputs = {pk: OversightInputs(today=today) for pk in ids}
    if not ids:
        return inputs
    for township_id, record in _assistants(ids, year):
        inputs[township_id].assistants.append(record)

    as_of = rules.assessment_date(year, today)
    first = datetime.date(year, 1, 1)
    # Inspections of the year, and earlier ones still open on 1 January.
    inspections = (
        Inspection.objects.filter(township_id__in=ids, date__lte=as_of)
        .filter(Q(date__gte=first) | Q(rectified_on__isnull=True) | Q(rectified_on__gte=first))
        .order_by("date", "pk")
    )
    levels = dict(Inspection.Level.choices)
    for i in inspections.values_list("township_id", "date", "level", "deadline", "rectified_on", "findings"):
        township_id, date, level, deadline, rectified_on, findings = i
        inputs[township_id].inspections.append(
            rules.InspectionRecord(date, str(levels.get(level, level)), deadline, rectified_on, findings)
        )

    surveys = SatisfactionSurvey.objects.filter(township_id__in=ids, year=year)
    for township_id, sample_size, score in surveys.values_list("township_id", "sample_size", "score"):
        inputs[township_id].survey = (sample_size, score)

    areas = dict(ServiceContract.Area.choices)
    contracts = ServiceContract.objects.filter(
        township_id__in=ids, start_date__lte=rules.year_end(year), end_date__gte=first
    ).order_by("start_date", "pk")
    for township_id, provider, area, amount in contracts.values_list("township_id", "provider", "area", "amount"):
        inputs[township_id].contracts.append((provider, str(areas.get(area, area)), amount))
    return inputs


def evaluate(inputs, context):
    """Decide the oversight rules for one township (pure)."""
    inputs = inputs or OversightInputs()
    year, standard = context.year, context.standard
    if standard is None:
        return [not_assessed(code, Dimension.OVERSIGHT, rules.title(code)) for code in rules.CODES]
    graded_management = bool(standard.grade_subsidy_factors)
    as_of = rules.assessment_date(year, inputs.today)
    return [
        rules.assistants_graded(inputs.assistants, year=year, today=inputs.today, graded_management=graded_management),
        rules.incompetent_replaced(
            inputs.assistants, year=year, today=inputs.today, graded_management=graded_management
        ),
        rules.subsidy_by_grade(
            inputs.assistants, year=year, today=inputs.today, monthly_subsidy=standard.assistant_monthly_subsidy,
            factors=standard.grade_subsidy_factors,
        ),
        rules.rectification(inputs.inspections, year=year, as_of=as_of),
        rules.satisfaction(inputs.survey, year=year),
        rules.service_contracts(inputs.contracts, year=year),
    ]
