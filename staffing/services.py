"""Writes of the staffing app: each asks the lock, validates fully, then saves in one transaction.

Each write saves one instance, so each change leaves its history row (offices.history).
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from offices.compliance.store import recompute_township
from offices.reporting import changed_years, ensure_open, year_of
from staffing.models import AuthorizedPosts, DirectorOpinion, StaffMember, VillageAssistant

STAFF_FIELDS = (
    "name", "sex", "birth_date", "education", "full_time", "post", "qualification", "start_date", "end_date",
)
ASSISTANT_FIELDS = ("village", "name", "sex", "birth_date", "education", "role", "start_date", "end_date", "filed_date")
DATE_FIELDS = ("start_date", "end_date")

# A person taking up a post is of working age; anything else is a typing error.
MIN_AGE_AT_START = 16
MAX_AGE_AT_START = 70


def _check_working_age(person, start_label):
    if not (person.birth_date and person.start_date) or person.start_date <= person.birth_date:
        return  # the model's own clean() reports a start before birth
    age = person.start_date.year - person.birth_date.year - (
        (person.start_date.month, person.start_date.day) < (person.birth_date.month, person.birth_date.day)
    )
    if not MIN_AGE_AT_START <= age <= MAX_AGE_AT_START:
        raise ValidationError(
            {
                "birth_date": _("出生日期与%(start)s不符：%(start)s时年龄为%(age)s岁，应在%(min)s至%(max)s岁之间。")
                % {"start": start_label, "age": age, "min": MIN_AGE_AT_START, "max": MAX_AGE_AT_START}
            },
            code="working_age",
        )


def _span(person):
    """(first year, last year or None) a person is in post."""
    start, end = person.start_date, person.end_date
    return (start.year if start else None, end.year if end else None)


def _person_spans(model, person, fields):
    """The years saving `person` alters, compared with the row as stored: a later end date alone opens no past year."""
    before = model.objects.filter(pk=person.pk).first() if person.pk else None
    if before is None:
        return changed_years(None, _span(person))
    content_changed = any(getattr(before, name) != getattr(person, name) for name in fields if name not in DATE_FIELDS)
    return changed_years(_span(before), _span(person), content_changed=content_changed)


def _save(instance):
    instance.full_clean()
    instance.save()
    return instance


# --- township staff -------------------------------------------------------------------------------------------


def _save_staff(staff):
    ensure_open(staff.township, _person_spans(StaffMember, staff, STAFF_FIELDS))
    _check_working_age(staff, _("到岗日期"))
    _save(staff)
    recompute_township(staff.township)
    return staff


@transaction.atomic
def staff_create(
    *, township, name, sex, birth_date, education, start_date, full_time=True, post=StaffMember.Post.STAFF,
    qualification="", end_date=None,
):
    """Record a person who works in the township office."""
    return _save_staff(
        StaffMember(
            township=township, name=name, sex=sex, birth_date=birth_date, education=education, full_time=full_time,
            post=post, qualification=qualification, start_date=start_date, end_date=end_date,
        )
    )


@transaction.atomic
def staff_update(*, staff, **fields):
    """Correct a staff member's record; only the fields given change."""
    for name, value in fields.items():
        if name not in STAFF_FIELDS:
            raise TypeError(f"staff_update() got an unexpected field {name!r}")
        setattr(staff, name, value)
    return _save_staff(staff)


@transaction.atomic
def staff_end(*, staff, end_date):
    """Record that a staff member left the office on `end_date`."""
    staff.end_date = end_date
    return _save_staff(staff)


@transaction.atomic
def authorized_posts_set(*, township, year, posts):
    """Create or replace the township office's authorized posts for a year."""
    ensure_open(township, year_of(year))
    row = AuthorizedPosts.objects.filter(township=township, year=year).first() or AuthorizedPosts(
        township=township, year=year
    )
    row.posts = posts
    _save(row)
    recompute_township(township, years={year})
    return row


@transaction.atomic
def director_opinion_set(*, director, opinion_date, reference, note=""):
    """Record (or correct) the county bureau's opinion on appointing `director`: it counts in the director's years."""
    ensure_open(director.township, (_span(director),))
    if director.post != StaffMember.Post.DIRECTOR:
        raise ValidationError(
            {"director": _("只有民政办公室主任需要征求县级民政部门意见，%(name)s不是主任。") % {"name": director.name}},
            code="not_director",
        )
    opinion = DirectorOpinion.objects.filter(director=director).first() or DirectorOpinion(director=director)
    opinion.opinion_date = opinion_date
    opinion.reference = reference
    opinion.note = note
    _save(opinion)
    recompute_township(director.township)
    return opinion


# --- village assistants ---------------------------------------------------------------------------------------


def _save_assistant(assistant):
    ensure_open(assistant.village.township, _person_spans(VillageAssistant, assistant, ASSISTANT_FIELDS))
    _check_working_age(assistant, _("选聘日期"))
    if assistant.filed_date and assistant.start_date and assistant.filed_date < assistant.start_date:
        # Filing reports an appointment already made (选聘后报县级民政部门备案).
        raise ValidationError({"filed_date": _("备案日期不能早于选聘日期。")}, code="filed_before_start")
    _save(assistant)
    recompute_township(assistant.village.township)
    return assistant


@transaction.atomic
def assistant_create(*, village, name, sex, birth_date, education, role, start_date, end_date=None, filed_date=None):
    """Record a village's civil-affairs assistant."""
    return _save_assistant(
        VillageAssistant(
            village=village, name=name, sex=sex, birth_date=birth_date, education=education, role=role,
            start_date=start_date, end_date=end_date, filed_date=filed_date,
        )
    )


@transaction.atomic
def assistant_update(*, assistant, **fields):
    """Correct an assistant's record; the village may change only within the same township."""
    township_id = assistant.village.township_id
    for name, value in fields.items():
        if name not in ASSISTANT_FIELDS:
            raise TypeError(f"assistant_update() got an unexpected field {name!r}")
        setattr(assistant, name, value)
    if assistant.village.township_id != township_id:
        raise ValidationError({"village": _("只能调整到本乡镇的村（社区）。")}, code="other_township")
    return _save_assistant(assistant)


@transaction.atomic
def assistant_end(*, assistant, end_date):
    """Record that an assistant left the post on `end_date`."""
    assistant.end_date = end_date
    return _save_assistant(assistant)


@transaction.atomic
def assistant_file(*, assistant, filed_date):
    """Record the date the appointment was filed with the county bureau."""
    assistant.filed_date = filed_date
    return _save_assistant(assistant)
