"""Standards as data: every threshold a rule uses is a field here.

A field left empty (null, or an empty list) means the standard does not set
that rule; the rule is then "not assessed under this standard", never a pass.
"""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from offices.querysets import StandardQuerySet
from offices.text import NoControlCharactersModel
from offices.vocabulary import (
    AssistantGrade,
    EquipmentKind,
    PopulationBasis,
    RegulationKind,
    RoomKind,
    Rounding,
)


class Standard(NoControlCharactersModel, models.Model):
    name = models.CharField(_("标准名称"), max_length=120)
    jurisdiction_code = models.CharField(
        _("适用区划代码前缀"), max_length=12, blank=True,
        help_text=_("例如 37（山东省）、3713（临沂市）、320481（溧阳市）；留空表示缺省标准，适用于所有地区。"),
    )
    jurisdiction_name = models.CharField(_("适用地区"), max_length=80)
    valid_from_year = models.PositiveSmallIntegerField(_("起始年度"))
    valid_to_year = models.PositiveSmallIntegerField(_("截止年度"), null=True, blank=True, help_text=_("留空表示至今有效。"))
    source = models.TextField(_("依据文件"), blank=True)
    population_basis = models.CharField(
        _("人口口径"), max_length=16, choices=PopulationBasis.choices, default=PopulationBasis.RESIDENT
    )

    # 有人管事
    posts_tiers = models.JSONField(
        _("编制档次"), null=True, blank=True,
        help_text=_('按人口上限递增的档次，例如 [{"max_population": 50000, "posts": 3}, {"max_population": 100000, "posts": 5}]。'),
    )
    posts_step_population = models.PositiveIntegerField(_("超出最高档后每增加人口数"), null=True, blank=True)
    posts_step_posts = models.PositiveSmallIntegerField(_("每档增加编制数"), default=1)
    posts_step_rounding = models.CharField(_("取整方式"), max_length=8, choices=Rounding.choices, default=Rounding.FLOOR)
    assistants_per_village = models.PositiveSmallIntegerField(_("每村（社区）民政助理员最少人数"), null=True, blank=True)

    # 有钱干事
    funds_per_10k_population = models.DecimalField(
        _("每万人年工作经费（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    assistant_monthly_subsidy = models.DecimalField(
        _("民政助理员每月补助下限（元）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    grade_subsidy_factors = models.JSONField(
        _("考评等次与补助系数"), null=True, blank=True,
        help_text=_('例如 {"excellent": "1.00", "competent": "1.00", "basic": "0.80", "incompetent": "0"}。'),
    )
    vehicle_costs_required = models.BooleanField(_("要求服务车辆运行费列入乡镇预算"), default=False)

    # 有场所办事
    area_per_10k_population = models.DecimalField(
        _("每万人办公服务面积（㎡）"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    area_minimum = models.DecimalField(_("最低办公服务面积（㎡）"), max_digits=8, decimal_places=2, null=True, blank=True)
    required_rooms = models.JSONField(
        _("必设功能室"), default=list, blank=True,
        help_text=_('每组中有其一即可，例如 [["office"], ["reception", "service_window"], ["archive"], ["storage"]]。'),
    )
    village_station_space_required = models.BooleanField(_("要求村级工作站有办公场所"), default=False)
    naming_required = models.BooleanField(_("要求机构名称规范"), default=False)

    # 有手段成事
    required_equipment = models.JSONField(_("必备设备"), default=list, blank=True)

    # 有章理事
    required_regulations = models.JSONField(_("必备制度"), default=list, blank=True)

    # 组织领导
    training_cycle_years = models.PositiveSmallIntegerField(_("轮训周期（年）"), null=True, blank=True)
    training_before_post = models.BooleanField(_("先培训再上岗"), default=False)
    graded_training = models.BooleanField(_("分级培训"), default=False)
    director_opinion_required = models.BooleanField(_("选聘主任须征求县级民政部门意见"), default=False)
    assistant_filing_required = models.BooleanField(_("民政助理员选聘报县级民政部门备案"), default=False)

    objects = StandardQuerySet.as_manager()

    class Meta:
        verbose_name = _("建设标准")
        verbose_name_plural = _("建设标准")
        ordering = ["jurisdiction_code", "-valid_from_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to_year__isnull=True) | Q(valid_to_year__gte=models.F("valid_from_year")),
                name="standard_valid_years_ordered",
            ),
            models.CheckConstraint(condition=Q(jurisdiction_code__regex=r"^[0-9]{0,12}$"), name="standard_jurisdiction_digits"),
            models.CheckConstraint(
                condition=Q(funds_per_10k_population__isnull=True) | Q(funds_per_10k_population__gt=0),
                name="standard_funds_positive",
            ),
            models.CheckConstraint(
                condition=Q(area_minimum__isnull=True) | Q(area_minimum__gt=0), name="standard_area_minimum_positive"
            ),
            models.CheckConstraint(
                condition=Q(posts_step_population__isnull=True) | Q(posts_step_population__gt=0),
                name="standard_step_positive",
            ),
        ]

    def __str__(self):
        years = f"{self.valid_from_year}–{self.valid_to_year or ''}"
        return f"{self.name}（{self.jurisdiction_name}，{years}）"

    def in_force(self, year):
        return self.valid_from_year <= year and (self.valid_to_year is None or year <= self.valid_to_year)

    def counted_population(self, *, resident, registered):
        """The population figure this standard counts (its population basis), or None when not entered."""
        return registered if self.population_basis == PopulationBasis.REGISTERED else resident

    def clean(self):
        super().clean()
        errors = {}
        _check_codes(errors, "required_equipment", self.required_equipment, EquipmentKind)
        _check_codes(errors, "required_regulations", self.required_regulations, RegulationKind)
        if not isinstance(self.required_rooms, list) or not all(
            isinstance(group, list) and group and all(code in RoomKind.values for code in group)
            for group in self.required_rooms
        ):
            errors["required_rooms"] = ValidationError(
                _("必设功能室应为功能室代码分组的列表，可用代码：%(codes)s。"),
                params={"codes": "、".join(RoomKind.values)},
                code="invalid_rooms",
            )
        if self.posts_tiers is not None:
            try:
                tiers = [(int(t["max_population"]), int(t["posts"])) for t in self.posts_tiers]
            except (TypeError, KeyError, ValueError):
                tiers = None
            if not tiers or [t[0] for t in tiers] != sorted({t[0] for t in tiers}) or any(
                p <= 0 or posts < 0 for p, posts in tiers
            ):
                errors["posts_tiers"] = ValidationError(
                    _("编制档次应为按人口上限严格递增的列表，每项含 max_population 与 posts。"), code="invalid_tiers"
                )
        if self.grade_subsidy_factors is not None:
            factors = self.grade_subsidy_factors
            try:
                valid = isinstance(factors, dict) and set(factors) <= set(AssistantGrade.values) and all(
                    Decimal(str(v)) >= 0 for v in factors.values()
                )
            except ArithmeticError:
                valid = False
            if not valid:
                errors["grade_subsidy_factors"] = ValidationError(
                    _("考评等次系数应为 {等次代码: 非负系数}，等次代码：%(codes)s。"),
                    params={"codes": "、".join(AssistantGrade.values)},
                    code="invalid_factors",
                )
        if errors:
            raise ValidationError(errors)


def _check_codes(errors, field, value, choices):
    if not isinstance(value, list) or any(code not in choices.values for code in value):
        errors[field] = ValidationError(
            _("应为代码列表，可用代码：%(codes)s。"), params={"codes": "、".join(choices.values)}, code="invalid_codes"
        )
