"""Writes of the training app: each validates fully, then saves in one transaction."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from offices.compliance.store import recompute_township, stored_years
from offices.models import Township
from offices.reporting import ensure_open, year_of
from offices.services import recompute_in_background
from staffing.models import StaffMember
from training.models import Attendance, Level, TrainingSession
from training.selectors import fits_audience, organiser_of, person_label


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
    if session.level == Level.TOWNSHIP:
        ensure_open(session.township, year_of(date.year))
    session.full_clean()
    session.save()
    if staff_members or assistants:
        attendance_set(session=session, staff_members=staff_members, assistants=assistants)
    return session


def _check_people(session, people):
    """Refuse anyone outside the organiser's jurisdiction or the session's audience, naming each and why.

    Every person who does not fit is listed (「民政助理员张三（东村）不属于本次培训的对象（对象：
    乡镇民政办工作人员）」), so the organiser corrects the whole list at once.
    """
    errors = []
    for person in people:
        township = person.township if isinstance(person, StaffMember) else person.village.township
        if not session.covers_township(township):
            errors.append(ValidationError(
                _("%(person)s不在组织单位（%(unit)s）辖区内。")
                % {"person": person_label(person), "unit": session.organiser.name},
                code="out_of_scope",
            ))
        elif not fits_audience(session.audience, person):
            errors.append(ValidationError(
                _("%(person)s不属于本次培训的对象（对象：%(audience)s）。")
                % {"person": person_label(person), "audience": session.get_audience_display()},
                code="not_in_audience",
            ))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def attendance_set(*, session, staff_members, assistants):
    """Make the session's attendance exactly these people: add the new, remove the unticked.

    Everyone is validated before anything is written, so a bad list changes nothing;
    nor does a list that adds or removes people of a township whose year is locked.
    Each attendance is created or deleted on its own, so each has its history row.
    """
    staff_members, assistants = list(staff_members), list(assistants)
    _check_people(session, staff_members + assistants)
    existing = list(Attendance.objects.filter(session=session))
    have_staff = {a.staff_member_id for a in existing if a.staff_member_id}
    have_assistants = {a.assistant_id for a in existing if a.assistant_id}
    want_staff = {p.pk for p in staff_members}
    want_assistants = {p.pk for p in assistants}
    _ensure_townships_open(session, have_staff ^ want_staff, have_assistants ^ want_assistants)
    for attendance in existing:
        if (attendance.staff_member_id in have_staff - want_staff
                or attendance.assistant_id in have_assistants - want_assistants):
            attendance.delete()
    new = [Attendance(session=session, staff_member_id=pk) for pk in sorted(want_staff - have_staff)]
    new += [Attendance(session=session, assistant_id=pk) for pk in sorted(want_assistants - have_assistants)]
    for attendance in new:
        attendance.full_clean(exclude=["session", "staff_member", "assistant"], validate_unique=False)
    for attendance in new:
        attendance.save()
    _recompute_attendees(session, (have_staff ^ want_staff), (have_assistants ^ want_assistants))
    return len(want_staff) + len(want_assistants)


def _touched_townships(staff_ids, assistant_ids):
    return Township.objects.filter(
        Q(staff__pk__in=staff_ids) | Q(villages__assistants__pk__in=assistant_ids)).distinct()


def _ensure_townships_open(session, staff_ids, assistant_ids):
    """Refuse a change of attendance touching a locked year of any township whose people it adds or removes.

    A township's own session gets the lock's own message; a county's or the
    city's names every township refused, so the organiser knows whom to ask.
    """
    if not staff_ids and not assistant_ids:
        return
    townships = list(_touched_townships(staff_ids, assistant_ids).order_by("pk"))  # one order: no deadlock
    if session.level == Level.TOWNSHIP:
        for township in townships:
            ensure_open(township, year_of(session.date.year))
        return
    refused = []
    for township in townships:
        try:
            ensure_open(township, year_of(session.date.year))
        except ValidationError as error:
            if error.code != "locked":
                raise
            refused.append(township.name)
    if refused:
        raise ValidationError(
            _("以下乡镇%(year)s年度数据已锁定（已报送或已通过验收），不能增减其人员的参训记录：%(townships)s。"
              "参训人员未保存；如需修改，请先由县级退回或申请临时解锁。")
            % {"year": session.date.year, "townships": "、".join(refused)},
            code="locked",
        )


def _recompute_attendees(session, staff_ids, assistant_ids):
    """Recompute the townships of the people added or removed: at once for a township's own session,
    in the background for a county's or the city's (it can span hundreds of townships)."""
    townships = _touched_townships(staff_ids, assistant_ids)
    if session.level == Level.TOWNSHIP:
        for township in townships:
            recompute_township(township)
        return
    ids = list(townships.values_list("pk", flat=True))
    recompute_in_background(ids, stored_years(ids), title=_("培训班“%(topic)s”参训人员已更新：重新计算达标结果")
                            % {"topic": session.topic or session.date})
