"""Graded training (分级培训): sessions organised by a city, county or township, and who attended.

The city trains township office directors, the county the other township
staff, the township its village civil-affairs assistants (RULES.md 组织领导).
A session records the unit that organised it; attendance records each person
trained, a township staff member or a village assistant.
"""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from offices.history import register, tracked_history
from offices.models import City, County, Township
from offices.text import NoControlCharactersModel
from staffing.models import StaffMember, VillageAssistant
from training.querysets import AttendanceQuerySet, TrainingSessionQuerySet


class Level(models.TextChoices):
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡镇级")


class Audience(models.TextChoices):
    DIRECTORS = "directors", _("民政办公室主任")
    STAFF = "staff", _("乡镇民政办工作人员")
    ASSISTANTS = "assistants", _("村（社区）民政助理员")
    ALL = "all", _("全体基层民政工作人员")


LEVEL_UNIT_FIELDS = {Level.CITY: "city", Level.COUNTY: "county", Level.TOWNSHIP: "township"}


class TrainingSession(NoControlCharactersModel, models.Model):
    """One training organised by a city, county or township civil-affairs body."""

    level = models.CharField(_("组织层级"), max_length=16, choices=Level.choices)
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, null=True, blank=True, related_name="training_sessions", verbose_name=_("市")
    )
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="training_sessions",
        verbose_name=_("县区"),
    )
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, null=True, blank=True, related_name="training_sessions",
        verbose_name=_("乡镇"),
    )
    date = models.DateField(_("培训日期"))
    topic = models.CharField(_("培训主题"), max_length=120)
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    audience = models.CharField(_("培训对象"), max_length=16, choices=Audience.choices)
    place = models.CharField(_("地点"), max_length=120, blank=True)

    objects = TrainingSessionQuerySet.as_manager()
    history = tracked_history()

    class Meta:
        verbose_name = _("培训班")
        verbose_name_plural = _("培训班")
        ordering = ["-date", "level", "pk"]
        constraints = [
            # Exactly the unit of the organising level is set.
            models.CheckConstraint(
                condition=Q(level="city", city__isnull=False, county__isnull=True, township__isnull=True)
                | Q(level="county", city__isnull=True, county__isnull=False, township__isnull=True)
                | Q(level="township", city__isnull=True, county__isnull=True, township__isnull=False),
                name="training_session_unit_matches_level",
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_session_hours_positive"),
        ]
        indexes = [models.Index(fields=["date"], name="training_session_date")]

    def __str__(self):
        return f"{self.date} {self.topic}"

    @property
    def organiser(self):
        return getattr(self, LEVEL_UNIT_FIELDS[self.level], None) if self.level in LEVEL_UNIT_FIELDS else None

    def clean(self):
        super().clean()
        if self.hours is not None and self.hours <= Decimal("0"):
            raise ValidationError({"hours": _("学时必须大于0。")}, code="hours_positive")
        expected = LEVEL_UNIT_FIELDS.get(self.level)
        for field in LEVEL_UNIT_FIELDS.values():
            value = getattr(self, f"{field}_id")
            if field == expected and value is None:
                raise ValidationError(_("请指定组织培训的单位。"), code="organiser_required")
            if field != expected and value is not None:
                raise ValidationError(_("组织单位与组织层级不一致。"), code="organiser_mismatch")

    def covers_township(self, township):
        """Tell whether a person of `township` falls within the organiser's jurisdiction."""
        if self.level == Level.CITY:
            return township.county.city_id == self.city_id
        if self.level == Level.COUNTY:
            return township.county_id == self.county_id
        return township.pk == self.township_id


class Attendance(models.Model):
    """One person's attendance at a session: a township staff member or a village assistant."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("培训班")
    )
    staff_member = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, null=True, blank=True, related_name="attendances",
        verbose_name=_("民政办工作人员"),
    )
    assistant = models.ForeignKey(
        VillageAssistant, on_delete=models.CASCADE, null=True, blank=True, related_name="attendances",
        verbose_name=_("民政助理员"),
    )

    objects = AttendanceQuerySet.as_manager()
    history = tracked_history()

    class Meta:
        verbose_name = _("参训记录")
        verbose_name_plural = _("参训记录")
        constraints = [
            models.CheckConstraint(
                condition=Q(staff_member__isnull=False, assistant__isnull=True)
                | Q(staff_member__isnull=True, assistant__isnull=False),
                name="attendance_exactly_one_person",
            ),
            models.UniqueConstraint(
                fields=["session", "staff_member"], condition=Q(staff_member__isnull=False),
                name="attendance_staff_once_per_session",
            ),
            models.UniqueConstraint(
                fields=["session", "assistant"], condition=Q(assistant__isnull=False),
                name="attendance_assistant_once_per_session",
            ),
        ]

    def __str__(self):
        return f"{self.session} · {self.person}"

    @property
    def person(self):
        return self.staff_member or self.assistant

    def clean(self):
        super().clean()
        if (self.staff_member_id is None) == (self.assistant_id is None):
            raise ValidationError(_("每条参训记录须且只能对应一名人员。"), code="exactly_one_person")


def _attendance_of(township_id):
    return Q(staff_member__township_id=township_id) | Q(assistant__village__township_id=township_id)


def _sessions_of(township_id):
    attended = Attendance.history.filter(_attendance_of(township_id)).values("session_id")
    return Q(township_id=township_id) | Q(id__in=attended)


# An attendance belongs to the township of its person; a county's or the city's session belongs to no township and
# is listed for the townships whose people attended it.
register(Attendance, label=_("参训记录"), township=_attendance_of, years=lambda year: Q(session__date__year=year))
register(TrainingSession, label=_("培训班"), township=_sessions_of, years=lambda year: Q(date__year=year))
