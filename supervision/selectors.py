"""Reads of supervision: what the grades, records and inspections pages list, and which rows they mark.

A page marks rows from the results of the one computation (`result.items`),
never by deciding a rule again: where a result is not assessed, nothing is
marked.
"""
from django.db.models import OuterRef, Subquery

from staffing.models import VillageAssistant
from staffing.querysets import in_post_at_year_end
from supervision import rules
from supervision.models import AssistantAssessment, Inspection, SatisfactionSurvey, ServiceContract


def marked(result):
    """The labels of the things behind a finding: a page marks its rows by them."""
    return frozenset(result.items) if result is not None and result.assessed else frozenset()


def assistants_to_grade(township, year):
    """The township's assistants in post at the end of `year`, with the year's grade, in one query."""
    grades = AssistantAssessment.objects.filter(assistant=OuterRef("pk"), year=year)
    return (
        VillageAssistant.objects.filter(village__township=township).filter(in_post_at_year_end(year))
        .select_related("village")
        .annotate(
            year_grade=Subquery(grades.values("grade")[:1]),
            year_assessor=Subquery(grades.values("assessor")[:1]),
            year_assessed_on=Subquery(grades.values("assessed_on")[:1]),
        )
        .order_by("village__code", "name", "pk")
    )


def grades_initial(assistants, field_name):
    """The grades form's initial data: each assistant's grade, and the assessor and date last entered."""
    initial = {}
    for assistant in assistants:
        if assistant.year_grade:
            initial[field_name(assistant)] = assistant.year_grade
            initial.setdefault("assessor", assistant.year_assessor)
            initial.setdefault("assessed_on", assistant.year_assessed_on)
    return initial


def grade_rows(form, results):
    """[(field, finding)] for the grades table; finding is "ungraded", "incompetent" or "" (from the results)."""
    ungraded = marked(results.get(rules.ASSISTANTS_GRADED.code))
    staying = marked(results.get(rules.INCOMPETENT_REPLACED.code))
    rows = []
    for _assistant, field in form.rows():
        finding = "ungraded" if field.label in ungraded else "incompetent" if field.label in staying else ""
        rows.append((field, finding))
    return rows


def township_surveys(township):
    return SatisfactionSurvey.objects.filter(township=township).order_by("-year")


def township_contracts(township):
    return ServiceContract.objects.filter(township=township).order_by("-start_date", "pk")


def inspections_for(user, township=None):
    """The inspections the user may see (of one township if given), newest first, township and county loaded."""
    inspections = Inspection.objects.for_user(user)
    if township is not None:
        inspections = inspections.filter(township=township)
    return inspections.select_related("township__county").order_by("-date", "pk")


def inspection_rows(inspections, result=None):
    """[(inspection, overdue)] for the inspections table; overdue as the rectification result found it."""
    late = marked(result)
    return [
        (i, bool(late) and rules.inspection_label(i.get_level_display(), i.date, i.deadline) in late)
        for i in inspections
    ]
