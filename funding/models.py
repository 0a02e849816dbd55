"""Money of the township office: budget lines per year and village assistants' quarterly subsidies.

Money is stored exactly as Decimal yuan with 2 places, never as float.
"""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from funding.rules import QUARTER_LABELS as QUARTER_NAMES
from funding.rules import ZERO
from offices.history import register, tracked_history
from offices.history import year_field as history_year
from offices.models import Township
from offices.querysets import township_scoped
from offices.text import NoControlCharactersModel
from staffing.models import VillageAssistant

QUARTERS = (1, 2, 3, 4)


def money_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=12, decimal_places=2, validators=[MinValueValidator(ZERO)], **kwargs
    )


def year_field():
    return models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(1949), MaxValueValidator(2100)]
    )


class BudgetLine(NoControlCharactersModel, models.Model):
    """One line of a township office's budget for a year: what was budgeted and what actually arrived."""

    class Kind(models.TextChoices):
        WORKING_FUNDS = "working_funds", _("工作经费")
        PERSONNEL = "personnel", _("人员报酬")
        SPECIAL = "special", _("专项经费")
        VEHICLE = "vehicle", _("服务车辆运行费")
        OTHER = "other", _("其他")

    township = models.ForeignKey(
        Township, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("乡镇")
    )
    year = year_field()
    kind = models.CharField(_("经费类别"), max_length=16, choices=Kind.choices)
    budgeted = money_field(_("列入财政预算（元）"), default=ZERO)
    allocated = money_field(_("实际到位（元）"), default=ZERO)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = township_scoped("township").as_manager()
    history = tracked_history()

    class Meta:
        verbose_name = _("经费预算")
        verbose_name_plural = _("经费预算")
        ordering = ["township", "-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["township", "year", "kind"], name="budget_line_one_per_kind_year"),
            models.CheckConstraint(condition=Q(budgeted__gte=0), name="budget_line_budgeted_non_negative"),
            models.CheckConstraint(condition=Q(allocated__gte=0), name="budget_line_allocated_non_negative"),
            models.CheckConstraint(condition=Q(year__gte=1949, year__lte=2100), name="budget_line_year_range"),
        ]

    def __str__(self):
        return f"{self.township} {self.year} {self.get_kind_display()}"


class AssistantSubsidyPayment(models.Model):
    """The subsidy a village civil-affairs assistant received for one quarter."""

    assistant = models.ForeignKey(
        VillageAssistant, on_delete=models.CASCADE, related_name="subsidy_payments", verbose_name=_("民政助理员")
    )
    year = year_field()
    quarter = models.PositiveSmallIntegerField(
        _("季度"), choices=[(q, QUARTER_NAMES[q]) for q in QUARTERS],
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    amount = money_field(_("发放金额（元）"))
    paid_date = models.DateField(_("发放日期"), null=True, blank=True)

    objects = township_scoped("assistant__village__township").as_manager()
    history = tracked_history()

    class Meta:
        verbose_name = _("民政助理员补助发放")
        verbose_name_plural = _("民政助理员补助发放")
        ordering = ["assistant", "-year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["assistant", "year", "quarter"], name="subsidy_one_per_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="subsidy_quarter_1_to_4"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="subsidy_amount_non_negative"),
            models.CheckConstraint(condition=Q(year__gte=1949, year__lte=2100), name="subsidy_year_range"),
        ]

    def __str__(self):
        return f"{self.assistant} {self.year} {self.get_quarter_display()}"


register(BudgetLine, label=_("经费预算"), years=history_year())
register(AssistantSubsidyPayment, label=_("民政助理员补助发放"), township="assistant__village__township_id",
         years=history_year())
