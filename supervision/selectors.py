"""Reads of supervision: what the grades, records and inspections pages list, and which rows they mark.

A page marks rows from the results of the one computation (`result.items`),
never by deciding a rule again: where a result is not assessed, nothing is
marked.
"""
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone

from staffing.models import VillageAssistant
from staffing.querysets import in_post_at_year_end
from supervision import rules
from supervision.models import (
    AssistantAssessment,
    Inspection,
    InspectionFinding,
    SatisfactionSurvey,
    ServiceContract,
)


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


@dataclass(frozen=True)
class GradeRow:
    """A row of the grades table: an assistant (with the year's grade annotated), its select, and its finding."""

    assistant: VillageAssistant
    field: object  # the form's bound field of the assistant's grade
    finding: str  # "ungraded", "incompetent" (still in post) or "", from the results


def grade_rows(form, results):
    """[GradeRow] for the grades table; the finding comes from the results (nothing where not assessed)."""
    ungraded = marked(results.get(rules.ASSISTANTS_GRADED.code))
    staying = marked(results.get(rules.INCOMPETENT_REPLACED.code))
    rows = []
    for assistant, field in form.rows():
        finding = "ungraded" if field.label in ungraded else "incompetent" if field.label in staying else ""
        rows.append(GradeRow(assistant, field, finding))
    return rows


def township_surveys(township):
    return SatisfactionSurvey.objects.filter(township=township).order_by("-year")


def township_contracts(township):
    return ServiceContract.objects.filter(township=township).order_by("-start_date", "pk")


def inspections_for(user, township=None):
    """The inspections the user may see (of one township if given), newest first, township, county and findings
    loaded (two queries)."""
    inspections = Inspection.objects.for_user(user)
    if township is not None:
        inspections = inspections.filter(township=township)
    return (inspections.select_related("township__county")
            .prefetch_related(Prefetch("findings", queryset=InspectionFinding.objects.order_by("pk")))
            .order_by("-date", "pk"))


@dataclass(frozen=True)
class FindingRow:
    """A row of the inspections table: an inspection and one of its findings (None: a clean inspection)."""

    inspection: Inspection
    finding: InspectionFinding | None
    number: int  # the finding's place in its inspection, 0 for a clean inspection
    first: bool  # the inspection's first row (its counts are given there, so that they add up once)
    marked: bool  # overdue as the rectification result found it (township pages)
    overdue: bool  # deadline passed today and not rectified (red on every list)
    findings_count: int = 0  # the inspection's findings
    open_count: int = 0  # of which not rectified (yet)

    @property
    def unrectified(self):
        return self.finding is not None and self.finding.rectified_on is None


def finding_rows(inspections, result=None, *, today=None):
    """[FindingRow] for the inspections table: one per finding, one for each clean inspection."""
    late = marked(result)
    today = today or timezone.localdate()
    rows = []
    for inspection in inspections:
        findings = list(inspection.findings.all())
        counts = {"findings_count": len(findings),
                  "open_count": sum(1 for finding in findings if finding.rectified_on is None)}
        if not findings:
            rows.append(FindingRow(inspection, None, 0, True, False, False, **counts))
        level = inspection.get_level_display()
        for number, finding in enumerate(findings, start=1):
            label = rules.finding_label(level, inspection.date, number, finding.deadline)
            rows.append(FindingRow(inspection, finding, number, number == 1, label in late, finding.overdue(today),
                                   **counts))
    return rows

