"""Writes of supervision: each validates fully, then saves in one transaction."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from offices.compliance.store import recompute_township
from offices.reporting import ensure_open, year_of
from supervision.models import (
    AssistantAssessment,
    Inspection,
    InspectionFinding,
    SatisfactionSurvey,
    ServiceContract,
)


def _save(instance, *, years=None):
    instance.full_clean()
    instance.save()
    recompute_township(instance.township, years=years)
    return instance


@transaction.atomic
def grades_set(*, township, year, grades, assessor, assessed_on):
    """Set the year's grades of a township's assistants in one go; a blank grade removes the grade.

    `grades` maps VillageAssistant → grade value or "". Every assistant must be
    of `township`; everything is validated before the first write. Each grade
    is saved or deleted on its own, so each change has its history row.
    """
    ensure_open(township, year_of(year))
    rows = []
    for assistant, grade in grades.items():
        if assistant.village.township_id != township.pk:
            raise ValidationError(_("民政助理员%(name)s不属于本乡镇。") % {"name": assistant.name}, code="out_of_scope")
        rows.append((assistant, grade))
    existing = {a.assistant_id: a for a in AssistantAssessment.objects.filter(
        year=year, assistant__in=[a for a, _g in rows])}
    to_save, to_delete, graded = [], [], 0
    for assistant, grade in rows:
        current = existing.get(assistant.pk)
        if not grade:
            if current:
                to_delete.append(current)
            continue
        graded += 1
        if current and (current.grade, current.assessor, current.assessed_on) == (grade, assessor, assessed_on):
            continue  # unchanged: no save, no history row
        record = current or AssistantAssessment(assistant=assistant, year=year)
        record.grade, record.assessor, record.assessed_on = grade, assessor, assessed_on
        record.full_clean(validate_unique=False)
        to_save.append(record)
    for record in to_delete:
        record.delete()
    for record in to_save:
        record.save()
    # A grade counts in its year, and a 不称职 grade until the assistant has left, which may be a later year.
    recompute_township(township)
    return graded


@transaction.atomic
def survey_set(*, township, year, sample_size, score):
    """Create or replace a township's satisfaction result for a year."""
    ensure_open(township, year_of(year))
    survey = SatisfactionSurvey.objects.filter(township=township, year=year).first() or SatisfactionSurvey(
        township=township, year=year
    )
    survey.sample_size, survey.score = sample_size, score
    return _save(survey, years={year})


@transaction.atomic
def contract_create(*, township, provider, area, amount, start_date, end_date):
    ensure_open(township, ((start_date.year, end_date.year),))
    return _save(ServiceContract(township=township, provider=provider, area=area, amount=amount,
                                 start_date=start_date, end_date=end_date))


def _finding_errors(error, number, count):
    """A finding's field errors under the inspection's names: its text is 「发现问题」 (`findings`)."""
    named = {"text": "findings", "deadline": "deadline", "rectified_on": "rectified_on"}
    errors = {}
    for field, messages in error.message_dict.items():
        prefix = _("第%(n)s项问题：") % {"n": number} if count > 1 else ""
        errors.setdefault(named.get(field, field), []).extend(f"{prefix}{m}" for m in messages)
    return ValidationError(errors)


@transaction.atomic
def inspection_create(*, township, level, date, inspectors, findings=(), deadline=None):
    """Record an inspection with its findings, [(text, deadline)]; none: a clean inspection (未发现问题).

    `findings` may also be one text with its `deadline` (one finding), as callers wrote before an
    inspection had several. Everything is validated before the first write; each row is saved on its
    own, so each has its history row.
    """
    ensure_open(township, year_of(date.year))
    if isinstance(findings, str):
        findings = [(findings, deadline)]
    inspection = Inspection(township=township, level=level, date=date, inspectors=inspectors)
    inspection.full_clean()
    rows = [InspectionFinding(inspection=inspection, text=text, deadline=day) for text, day in findings]
    for number, finding in enumerate(rows, start=1):
        try:
            finding.full_clean(exclude=["inspection"])
        except ValidationError as error:
            raise _finding_errors(error, number, len(rows)) from None
    inspection.save()
    for finding in rows:
        finding.inspection = inspection  # sets the id saved just now
        finding.save()
    recompute_township(township)
    return inspection


@transaction.atomic
def finding_rectify(*, finding, rectified_on):
    """Record that a finding was rectified on `rectified_on` (confirmed by the inspecting level).

    It changes the year of the inspection and the year of the rectification.
    """
    inspection = finding.inspection
    ensure_open(inspection.township, year_of(inspection.date.year) + year_of(rectified_on.year))
    finding.status = InspectionFinding.State.RECTIFIED
    finding.rectified_on = rectified_on
    finding.full_clean()
    finding.save()
    recompute_township(inspection.township)
    return finding
