"""Supervision (考评与检查, 三、组织领导): assistants' annual grades, inspections, satisfaction, bought services.

The tables were created by the `assessments` app, where these models lived
first; each model keeps its table (`db_table`) so that moving the models here
(supervision 0001, assessments 0003) copied no data.
"""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from offices.history import date_span, register, tracked_history
from offices.history import year_field as history_year
from offices.models import Township
from offices.querysets import township_scoped
from offices.text import NoControlCharactersModel
from offices.vocabulary import AssistantGrade
from staffing.models import VillageAssistant


def year_field():
    return models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(1949), MaxValueValidator(2100)])


class AssistantAssessment(NoControlCharactersModel, models.Model):
    """A village assistant's annual assessment grade (年度考评), organised by the township."""

    assistant = models.ForeignKey(
        VillageAssistant, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("民政助理员")
    )
    year = year_field()
    grade = models.CharField(_("考评等次"), max_length=16, choices=AssistantGrade.choices)
    assessor = models.CharField(_("考评单位或考评人"), max_length=64)
    assessed_on = models.DateField(_("考评日期"))

    objects = township_scoped("assistant__village__township").as_manager()
    history = tracked_history()

    class Meta:
        db_table = "assessments_assistantassessment"
        verbose_name = _("民政助理员年度考评")
        verbose_name_plural = _("民政助理员年度考评")
        ordering = ["assistant", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["assistant", "year"], name="assistant_assessment_one_per_year"),
            models.CheckConstraint(condition=Q(year__gte=1949, year__lte=2100), name="assistant_assessment_year_range"),
            models.CheckConstraint(
                condition=Q(grade__in=AssistantGrade.values), name="assistant_assessment_grade_valid"
            ),
        ]

    def __str__(self):
        return f"{self.assistant} {self.year} {self.get_grade_display()}"

    def clean(self):
        super().clean()
        if self.assessed_on and self.year and self.assessed_on.year < self.year:
            raise ValidationError({"assessed_on": _("考评日期不能早于考评年度。")}, code="assessed_before_year")


class Inspection(NoControlCharactersModel, models.Model):
    """An on-site inspection (实地检查) of a township by the city or county: who went, when, and what it found.

    Each problem found is an `InspectionFinding` with its own rectification deadline. An inspection with
    no findings is a clean one (未发现问题); it is rectified when every finding is.
    """

    class Level(models.TextChoices):
        CITY = "city", _("市级")
        COUNTY = "county", _("县级")

    township = models.ForeignKey(Township, on_delete=models.CASCADE, related_name="inspections", verbose_name=_("乡镇"))
    level = models.CharField(_("检查层级"), max_length=16, choices=Level.choices)
    date = models.DateField(_("检查日期"))
    inspectors = models.CharField(_("检查人员"), max_length=200)

    objects = township_scoped("township").as_manager()
    history = tracked_history()

    class Meta:
        db_table = "assessments_inspection"
        verbose_name = _("实地检查")
        verbose_name_plural = _("实地检查")
        ordering = ["-date", "pk"]

    def __str__(self):
        return f"{self.township} {self.date}"

    @property
    def rectified(self):
        """Every finding is rectified (a clean inspection has nothing to rectify); reads prefetched findings."""
        return all(finding.rectified_on for finding in self.findings.all())

    @classmethod
    def level_of(cls, user):
        """The level of the inspections `user` records and confirms: the city's, the county's, or None."""
        if user.is_city:
            return cls.Level.CITY
        if user.is_county:
            return cls.Level.COUNTY
        return None


class InspectionFinding(NoControlCharactersModel, models.Model):
    """One problem an inspection found, with its rectification deadline and whether it was rectified."""

    class State(models.TextChoices):
        OPEN = "open", _("待整改")
        RECTIFIED = "rectified", _("已整改")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings",
                                   verbose_name=_("实地检查"))
    text = models.TextField(_("发现问题"))
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(_("整改状态"), max_length=16, choices=State.choices, default=State.OPEN)
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)

    objects = township_scoped("inspection__township").as_manager()
    history = tracked_history()

    class Meta:
        verbose_name = _("检查发现问题")
        verbose_name_plural = _("检查发现问题")
        ordering = ["inspection", "pk"]
        constraints = [
            # The bounds against the inspection's date live in clean(): a CHECK cannot read another table.
            models.CheckConstraint(
                condition=Q(status="open", rectified_on__isnull=True)
                | Q(status="rectified", rectified_on__isnull=False),
                name="inspection_finding_rectified_iff_date",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="inspection_finding_text_not_blank"),
        ]

    def __str__(self):
        return self.text

    def overdue(self, as_of):
        """The deadline has passed before `as_of` and the finding was not rectified by then (the rule's test)."""
        return self.deadline < as_of and (self.rectified_on is None or self.rectified_on > as_of)

    def clean(self):
        super().clean()
        try:
            date = self.inspection.date  # also an inspection not saved yet, validated with its findings
        except Inspection.DoesNotExist:
            date = None
        if date and self.deadline and self.deadline < date:
            raise ValidationError({"deadline": _("整改期限不能早于检查日期。")}, code="deadline_before_date")
        if self.status == self.State.RECTIFIED and not self.rectified_on:
            raise ValidationError({"rectified_on": _("请填写整改完成日期。")}, code="rectified_on_required")
        if self.status == self.State.OPEN and self.rectified_on:
            raise ValidationError({"rectified_on": _("尚未整改的问题不填写整改完成日期。")}, code="rectified_on_forbidden")
        if self.rectified_on and date and self.rectified_on < date:
            raise ValidationError({"rectified_on": _("整改完成日期不能早于检查日期。")}, code="rectified_before_date")


class SatisfactionSurvey(models.Model):
    """A township's public satisfaction survey result for a year (满意度测评)."""

    township = models.ForeignKey(
        Township, on_delete=models.CASCADE, related_name="satisfaction_surveys", verbose_name=_("乡镇")
    )
    year = year_field()
    sample_size = models.PositiveIntegerField(_("样本量（份）"))
    score = models.DecimalField(
        _("满意度得分"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    objects = township_scoped("township").as_manager()
    history = tracked_history()

    class Meta:
        db_table = "assessments_satisfactionsurvey"
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")
        ordering = ["township", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["township", "year"], name="satisfaction_one_per_year"),
            models.CheckConstraint(condition=Q(sample_size__gt=0), name="satisfaction_sample_positive"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="satisfaction_score_0_100"),
            models.CheckConstraint(condition=Q(year__gte=1949, year__lte=2100), name="satisfaction_year_range"),
        ]

    def __str__(self):
        return f"{self.township} {self.year}: {self.score}"


class ServiceContract(NoControlCharactersModel, models.Model):
    """A service bought from a social organisation (政府购买服务) for a township."""

    class Area(models.TextChoices):
        SOCIAL_ASSISTANCE = "social_assistance", _("社会救助")
        WELFARE = "welfare", _("社会福利")
        ELDERLY_CARE = "elderly_care", _("养老服务")
        SPECIAL_CARE = "special_care", _("优抚安置")
        OTHER = "other", _("其他")

    township = models.ForeignKey(
        Township, on_delete=models.CASCADE, related_name="service_contracts", verbose_name=_("乡镇")
    )
    provider = models.CharField(_("承接机构"), max_length=120)
    area = models.CharField(_("服务领域"), max_length=32, choices=Area.choices)
    amount = models.DecimalField(_("合同金额（元）"), max_digits=12, decimal_places=2)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))

    objects = township_scoped("township").as_manager()
    history = tracked_history()

    class Meta:
        db_table = "assessments_servicecontract"
        verbose_name = _("购买服务合同")
        verbose_name_plural = _("购买服务合同")
        ordering = ["township", "-start_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="service_contract_amount_positive"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="service_contract_end_after_start"),
        ]

    def __str__(self):
        return f"{self.provider}（{self.get_area_display()}）"

    def clean(self):
        super().clean()
        if self.amount is not None and self.amount <= 0:
            raise ValidationError({"amount": _("合同金额必须大于0。")}, code="amount_positive")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("结束日期不能早于开始日期。")}, code="end_before_start")


register(AssistantAssessment, label=_("民政助理员年度考评"), township="assistant__village__township_id",
         years=history_year())
# An inspection counts in the year of its date and, once rectified, in the year it was rectified.
register(Inspection, label=_("实地检查"), years=history_year("date__year"))
# A finding counts in the year of its inspection and, once rectified, in the year it was rectified.
register(InspectionFinding, label=_("检查发现问题"), township="inspection__township_id",
         years=date_span("inspection__date", "rectified_on"))
register(SatisfactionSurvey, label=_("满意度测评"), years=history_year())
register(ServiceContract, label=_("购买服务合同"), years=date_span("start_date", "end_date"))
