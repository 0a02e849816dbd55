"""The training app's side of the compliance contract (offices.compliance): RULES, gather, DECIDERS.

`gather` returns an entry for EVERY township of the queryset (four queries
whatever their number): a township with nobody in post gets an empty
`TrainingInputs`, which the rules report as "enter the people first".
The deciders also accept None for a township `gather` did not see.
"""
from dataclasses import dataclass, field

from offices.compliance import township_ids, year_end
from offices.compliance.engine import evaluator
from offices.models import village_short_name
from staffing.models import StaffMember, VillageAssistant
from staffing.querysets import in_post_at_year_end
from training import rules
from training.models import Attendance


@dataclass
class TrainingInputs:
    """The workers of one township in post at year end, each with their trainings up to the year end."""

    workers: list = field(default_factory=list)  # of rules.Worker


RULES = rules.RULES


def _trainings(ids, year):
    """Map ("staff", id) / ("assistant", id) → [Training] dated up to the year end, oldest first.

    One query, a UNION of the staff's and the assistants' attendance: an OR
    across the two joins made the database scan every session of the
    province, so the time grew with the province instead of the townships.
    """
    attended = Attendance.objects.filter(session__date__lte=year_end(year))
    columns = ("staff_member_id", "assistant_id", "session_id", "session__date", "session__level", "session__topic")
    rows = attended.filter(staff_member__township_id__in=ids).values_list(*columns).union(
        attended.filter(assistant__village__township_id__in=ids).values_list(*columns), all=True
    )
    out = {}
    sessions = {}  # session id → Training: a session has many attendees, and a Training is immutable
    for staff_id, assistant_id, session_id, date, level, topic in sorted(rows, key=lambda row: (row[3], row[2])):
        training = sessions.get(session_id)
        if training is None:
            training = sessions[session_id] = rules.Training(date, level, topic)
        key = ("staff", staff_id) if staff_id else ("assistant", assistant_id)
        out.setdefault(key, []).append(training)
    return out


def _unique(label, used):
    """`label`, numbered if the township already has a worker of that name.

    Results name the people lacking by label (`items`) and the pages mark
    rows by it, so two namesakes in one township must not share a label.
    """
    candidate, number = label, 1
    while candidate in used:
        number += 1
        candidate = f"{label}（{number}）"
    used.add(candidate)
    return candidate


def gather(townships, year):
    """Collect every township's workers in post at the end of `year` and their trainings."""
    ids = township_ids(townships)
    inputs = {pk: TrainingInputs() for pk in ids}
    labels = {pk: set() for pk in ids}
    if not ids:
        return inputs
    trainings = _trainings(ids, year)
    staff = (
        StaffMember.objects.filter(township_id__in=ids)
        .filter(in_post_at_year_end(year))
        .values_list("pk", "township_id", "name", "post", "start_date")
        .order_by("township_id", "post", "start_date", "pk")
    )
    for pk, township_id, name, post, start_date in staff:
        role = rules.DIRECTOR if post == StaffMember.Post.DIRECTOR else rules.STAFF
        label = _unique(name, labels[township_id])
        worker = rules.Worker(label, role, start_date, tuple(trainings.get(("staff", pk), ())))
        inputs[township_id].workers.append(worker)
    assistants = (
        VillageAssistant.objects.filter(village__township_id__in=ids)
        .filter(in_post_at_year_end(year))
        .values_list("pk", "village__township_id", "name", "village__name", "start_date")
        .order_by("village__township_id", "village__code", "start_date", "pk")
    )
    for pk, township_id, name, village_name, start_date in assistants:
        label = _unique(f"{name}（{village_short_name(village_name)}）", labels[township_id])
        worker = rules.Worker(label, rules.ASSISTANT, start_date, tuple(trainings.get(("assistant", pk), ())))
        inputs[township_id].workers.append(worker)
    return inputs


def _workers(inputs):
    return (inputs or TrainingInputs()).workers


DECIDERS = {
    rules.GRADED.code: lambda inputs, context: rules.graded_training(
        _workers(inputs), year=context.year, cycle_years=context.standard.training_cycle_years),
    rules.ROTATION.code: lambda inputs, context: rules.rotation(
        _workers(inputs), year=context.year, cycle_years=context.standard.training_cycle_years),
    rules.BEFORE_POST.code: lambda inputs, context: rules.before_post(_workers(inputs), year=context.year),
}

evaluate = evaluator(RULES, DECIDERS)
