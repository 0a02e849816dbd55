"""The year's report of a township (年度填报): its state, every step taken, frozen results, deadlines, unlocks.

自查自评 → 县级审核 → 市级验收: a township submits its self-assessment, its
county approves or returns it, the city accepts or returns what the county
approved. From submission on the township's data of that year is read-only for
its clerks; after acceptance for everybody, unless a county or the city grants
a time-limited `LockException` (DHIS2's lock exception). Each step is a
`ReportEvent`, never edited; the stored results at submission, approval and
acceptance are copied into a `ReportSnapshot` with its rows.
"""
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offices.models.compliance import GapItemColumns, ResultColumns, SummaryColumns
from offices.querysets import ScopedQuerySet, township_scoped
from offices.text import NoControlCharactersModel


class ReportState(models.TextChoices):
    DRAFT = "draft", _("填报中")
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("县级审核通过")
    ACCEPTED = "accepted", _("市级验收通过")


# The states in which a township's clerks may no longer change the year's data, and those in which nobody may.
LOCKED_FOR_TOWNSHIP = frozenset({ReportState.SUBMITTED, ReportState.APPROVED, ReportState.ACCEPTED})
LOCKED_FOR_EVERYONE = frozenset({ReportState.ACCEPTED})


class Level(models.TextChoices):
    TOWNSHIP = "township", _("乡镇")
    COUNTY = "county", _("县级")
    CITY = "city", _("市级")


class AnnualReport(NoControlCharactersModel, models.Model):
    township = models.ForeignKey("offices.Township", on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("年度"))
    state = models.CharField(_("状态"), max_length=16, choices=ReportState.choices, default=ReportState.DRAFT)
    statement = models.TextField(_("自评说明"), blank=True)
    # The latest return: by which level, why, and why per rule ({rule code: reason}).
    returned_by = models.CharField(_("退回单位"), max_length=16, choices=Level.choices, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    rule_reasons = models.JSONField(_("分项退回理由"), default=dict, blank=True)
    # Timeliness is judged by the first submission: a return and a resubmission do not make a report late.
    first_submitted_at = models.DateTimeField(_("首次报送时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("县级审核时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("市级验收时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = township_scoped("township").as_manager()

    class Meta:
        verbose_name = _("年度填报")
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["township", "year"], name="annual_report_unique")]
        indexes = [models.Index(fields=["year", "state"], name="annual_report_year_state")]

    def __str__(self):
        return f"{self.township_id} {self.year} {self.get_state_display()}"


class ReportAction(models.TextChoices):
    SUBMIT = "submit", _("报送")
    COUNTY_RETURN = "county_return", _("县级退回")
    APPROVE = "approve", _("县级审核通过")
    CITY_RETURN = "city_return", _("市级退回")
    ACCEPT = "accept", _("市级验收通过")
    UNLOCK = "unlock", _("临时解锁")


class AppendOnly(models.Model):
    """A record of something that happened: written once, never changed or deleted by the application."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied(_("该记录只能新增，不能修改。"))
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(_("该记录不能删除。"))


class ReportEvent(NoControlCharactersModel, AppendOnly):
    """One step of a report: who took it, when, from where, and why."""

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("操作"), max_length=16, choices=ReportAction.choices)
    from_state = models.CharField(_("原状态"), max_length=16, choices=ReportState.choices)
    to_state = models.CharField(_("新状态"), max_length=16, choices=ReportState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    # Kept as text too: the timeline still names the person after their account is gone.
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    actor_unit = models.CharField(_("操作单位"), max_length=100, blank=True)
    address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    reason = models.TextField(_("说明"), blank=True)
    rule_reasons = models.JSONField(_("分项说明"), default=dict, blank=True)

    objects = township_scoped("report__township").as_manager()

    class Meta:
        verbose_name = _("填报流转记录")
        verbose_name_plural = verbose_name
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.report_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class SnapshotStage(models.TextChoices):
    SUBMITTED = "submitted", _("报送时")
    APPROVED = "approved", _("县级审核时")
    ACCEPTED = "accepted", _("市级验收时")


class SnapshotQuerySet(ScopedQuerySet):
    scope_lookups = {"city": "city_id", "county": "county_id", "township": "township_id"}

    def current(self, stage):
        """The latest snapshot of each report at `stage` (an earlier one is kept, but superseded)."""
        return self.filter(stage=stage, current=True)


class ReportSnapshot(NoControlCharactersModel, SummaryColumns):
    """The stored results of a township-year as they stood at a step of its report: the summary row."""

    township = models.ForeignKey("offices.Township", on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="snapshots")
    event = models.OneToOneField(ReportEvent, on_delete=models.PROTECT, related_name="snapshot")
    stage = models.CharField(_("阶段"), max_length=16, choices=SnapshotStage.choices)
    taken_at = models.DateTimeField(_("留存时间"), default=timezone.now)
    current = models.BooleanField(_("当前有效"), default=True)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("结果留存")
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["report", "stage"], condition=Q(current=True),
                                    name="report_snapshot_one_current"),
        ]
        indexes = [models.Index(fields=["city", "year", "stage", "current", "county"], name="report_snapshot_city")]

    def __str__(self):
        return f"{self.township_id} {self.year} {self.stage}"


class SnapshotResultQuerySet(ScopedQuerySet):
    scope_lookups = {"city": "city_id", "county": "county_id", "township": "township_id"}

    def current(self, stage):
        return self.filter(snapshot__stage=stage, snapshot__current=True)


class SnapshotResult(NoControlCharactersModel, ResultColumns):
    township = models.ForeignKey("offices.Township", on_delete=models.CASCADE, related_name="+")
    snapshot = models.ForeignKey(ReportSnapshot, on_delete=models.CASCADE, related_name="results")

    objects = SnapshotResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("留存结果（规则）")
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["snapshot", "code"], name="snapshot_result_unique")]


class SnapshotGapItem(NoControlCharactersModel, GapItemColumns):
    township = models.ForeignKey("offices.Township", on_delete=models.CASCADE, related_name="+")
    snapshot = models.ForeignKey(ReportSnapshot, on_delete=models.CASCADE, related_name="gap_items")

    objects = SnapshotResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("留存缺项")
        verbose_name_plural = verbose_name


class LockException(NoControlCharactersModel, AppendOnly):
    """A county's or the city's leave for one township-year's data to be changed until `until`."""

    township = models.ForeignKey("offices.Township", on_delete=models.CASCADE, related_name="lock_exceptions")
    year = models.PositiveSmallIntegerField(_("年度"))
    until = models.DateTimeField(_("解锁截止"))
    reason = models.TextField(_("解锁理由"))
    event = models.OneToOneField(ReportEvent, on_delete=models.PROTECT, related_name="lock_exception")

    objects = township_scoped("township").as_manager()

    class Meta:
        verbose_name = _("临时解锁")
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["township", "year", "until"], name="lock_exception_active")]

    def __str__(self):
        return f"{self.township_id} {self.year} → {self.until:%Y-%m-%d %H:%M}"


class CalendarQuerySet(ScopedQuerySet):
    # Everybody in the city reads its deadlines.
    scope_lookups = {"city": "city_id", "county": "city__counties", "township": "city__counties__townships"}


class ReportingCalendar(NoControlCharactersModel, models.Model):
    """The city's deadlines for a year's reports, and how far a figure may move from the year before unasked."""

    city = models.ForeignKey("offices.City", on_delete=models.CASCADE, related_name="reporting_calendars")
    year = models.PositiveSmallIntegerField(_("年度"))
    submit_by = models.DateField(_("乡镇报送截止日"))
    review_by = models.DateField(_("县级审核截止日"))
    change_threshold = models.PositiveSmallIntegerField(
        _("变动核实阈值（%）"), default=30, validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("人口、经费、面积与上年相比变动超过此比例时，填报人须确认，县级审核时标出。"))

    objects = CalendarQuerySet.as_manager()

    class Meta:
        verbose_name = _("填报日程")
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["city", "year"], name="reporting_calendar_unique"),
            models.CheckConstraint(condition=Q(review_by__gte=models.F("submit_by")), name="review_after_submit"),
        ]

    def __str__(self):
        return f"{self.city_id} {self.year}"

    def clean(self):
        super().clean()
        if self.submit_by and self.review_by and self.review_by < self.submit_by:
            raise ValidationError({"review_by": _("县级审核截止日不能早于乡镇报送截止日。")}, code="review_before_submit")
