"""Writes of the training app: each validates fully, then saves in one transaction."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from offices.compliance.store import recompute_township, stored_years
from offices.models import Township
from offices.services import recompute_in_background
from training.models import Attendance, Level, TrainingSession
from training.selectors import organiser_of


def session_draft(*, user, date, topic="", hours=None, audience, place=""):
    """Return an unsaved session organised by the user's own unit (city, county or township)."""
    level, unit = organiser_of(user)
    if level is None:
        raise PermissionDenied(_("只有市、县区、乡镇民政部门的工作人员可以登记培训班。"))
    session = TrainingSession(level=level, date=date, topic=topic, hours=hours, audience=audience, place=place)
    setattr(session, {Level.CITY: "city", Level.COUNTY: "county", Level.TOWNSHIP: "township"}[level], unit)
    return session


@transaction.atomic
def session_create(*, user, date, topic, hours, audience, place="", staff_members=(), assistants=()):
    """Record a session organised by the user's own unit, with its attendees, all or nothing."""
    session = session_draft(user=user, date=date, topic=topic, hours=hours, audience=audience, place=place)
    session.full_clean()
    session.save()
    if staff_members or assistants:
        attendance_set(session=session, staff_members=staff_members, assistants=assistants)
    return session


def _check_people(session, people, label):
    for person in people:
        township = person.township if hasattr(person, "township_id") else person.village.township
        if not session.covers_township(township):
            raise ValidationError(
                _("%(label)s%(name)s不在本次培训组织单位的管辖范围内。") % {"label": label, "name": person.name},
                code="out_of_scope",
            )


@transaction.atomic
def attendance_set(*, session, staff_members, assistants):
    """Make the session's attendance exactly these people: add the new, remove the unticked.

    Everyone is validated before anything is written, so a bad list changes nothing.
    """
    staff_members, assistants = list(staff_members), list(assistants)
    _check_people(session, staff_members, _("民政办工作人员"))
    _check_people(session, assistants, _("民政助理员"))
    existing = list(Attendance.objects.filter(session=session))
    have_staff = {a.staff_member_id for a in existing if a.staff_member_id}
    have_assistants = {a.assistant_id for a in existing if a.assistant_id}
    want_staff = {p.pk for p in staff_members}
    want_assistants = {p.pk for p in assistants}
    Attendance.objects.filter(session=session, staff_member_id__in=have_staff - want_staff).delete()
    Attendance.objects.filter(session=session, assistant_id__in=have_assistants - want_assistants).delete()
    new = [Attendance(session=session, staff_member_id=pk) for pk in sorted(want_staff - have_staff)]
    new += [Attendance(session=session, assistant_id=pk) for pk in sorted(want_assistants - have_assistants)]
    for attendance in new:
        attendance.full_clean(exclude=["session", "staff_member", "assistant"], validate_unique=False)
    Attendance.objects.bulk_create(new)
    _recompute_attendees(session, (have_staff ^ want_staff), (have_assistants ^ want_assistants))
    return len(want_staff) + len(want_assistants)


def _recompute_attendees(session, staff_ids, assistant_ids):
    """Recompute the townships of the people added or removed: at once for a township's own session,
    in the background for a county's or the city's (it can span hundreds of townships)."""
    townships = Township.objects.filter(
        Q(staff__pk__in=staff_ids) | Q(villages__assistants__pk__in=assistant_ids)).distinct()
    if session.level == Level.TOWNSHIP:
        for township in townships:
            recompute_township(township)
        return
    ids = list(townships.values_list("pk", flat=True))
    recompute_in_background(ids, stored_years(ids), title=_("培训班“%(topic)s”参训人员已更新：重新计算达标结果")
                            % {"topic": session.topic or session.date})
