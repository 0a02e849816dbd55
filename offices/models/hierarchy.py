"""The administrative hierarchy: city → county → township → village.

Every unit carries its 12-digit statistical division code (统计用区划代码). A
unit's code starts with its parent's significant prefix: county = first 6
digits, township = first 9, so the code alone places a unit in the tree.
"""
import functools

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from offices.history import register, tracked_history, year_field
from offices.querysets import (
    CityQuerySet,
    CountyQuerySet,
    TownshipQuerySet,
    VillageQuerySet,
)
from offices.text import NoControlCharactersModel

CODE_REGEX = r"^[0-9]{12}$"
validate_division_code = RegexValidator(
    CODE_REGEX,
    message=_("区划代码必须是12位数字。"),
    code="invalid_code",
)

# How many leading digits are significant at each level; the rest are zeros.
SIGNIFICANT_DIGITS = {"city": 4, "county": 6, "township": 9, "village": 12}


class DivisionUnit(NoControlCharactersModel, models.Model):
    """Fields and checks shared by every level of the hierarchy."""

    level = ""  # set by subclasses; key into SIGNIFICANT_DIGITS
    parent_field = ""

    code = models.CharField(
        _("区划代码"), max_length=12, unique=True, validators=[validate_division_code]
    )
    name = models.CharField(_("名称"), max_length=64)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def short_code(self):
        """Return the significant prefix of the code (e.g. 9 digits for a township)."""
        return self.code[: SIGNIFICANT_DIGITS[self.level]]

    def clean(self):
        super().clean()
        errors = {}
        if self.code and len(self.code) == 12 and self.code.isdigit():
            significant = SIGNIFICANT_DIGITS[self.level]
            if self.code[significant:].strip("0"):
                errors["code"] = ValidationError(
                    _("%(level)s的区划代码第%(start)s位起应全为0。"),
                    code="code_padding",
                    params={"level": self._meta.verbose_name, "start": significant + 1},
                )
            elif not self.code[:significant].strip("0"):
                errors["code"] = ValidationError(_("区划代码不能全为0。"), code="code_zero")
            parent = getattr(self, self.parent_field, None) if self.parent_field else None
            if parent is not None and not errors:
                if not self.code.startswith(parent.short_code):
                    errors["code"] = ValidationError(
                        _("区划代码应以上级单位“%(parent)s”的代码%(prefix)s开头。"),
                        code="code_parent_prefix",
                        params={"parent": parent.name, "prefix": parent.short_code},
                    )
        if errors:
            raise ValidationError(errors)

    @classmethod
    def code_constraints(cls, name):
        return [
            models.CheckConstraint(
                condition=Q(code__regex=CODE_REGEX), name=f"{name}_code_12_digits"
            ),
        ]


class City(DivisionUnit):
    level = "city"

    objects = CityQuerySet.as_manager()

    class Meta(DivisionUnit.Meta):
        verbose_name = _("地级市")
        verbose_name_plural = _("地级市")
        constraints = DivisionUnit.code_constraints("city")


class County(DivisionUnit):
    level = "county"
    parent_field = "city"

    class Kind(models.TextChoices):
        DISTRICT = "district", _("市辖区")
        COUNTY = "county", _("县")
        COUNTY_CITY = "county_city", _("县级市")
        ZONE = "zone", _("功能区")

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="counties", verbose_name=_("所属市"))
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)

    objects = CountyQuerySet.as_manager()

    class Meta(DivisionUnit.Meta):
        verbose_name = _("县（市、区）")
        verbose_name_plural = _("县（市、区）")
        constraints = DivisionUnit.code_constraints("county")


class Township(DivisionUnit):
    level = "township"
    parent_field = "county"

    class Kind(models.TextChoices):
        SUBDISTRICT = "subdistrict", _("街道")
        TOWN = "town", _("镇")
        TOWNSHIP = "township", _("乡")
        OTHER = "other", _("其他乡级单位")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="townships", verbose_name=_("所属县区"))
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)

    objects = TownshipQuerySet.as_manager()

    class Meta(DivisionUnit.Meta):
        verbose_name = _("乡镇（街道）")
        verbose_name_plural = _("乡镇（街道）")
        constraints = DivisionUnit.code_constraints("township")

    @staticmethod
    def kind_for_code(code):
        """Tell the kind from the NBS code range of digits 7–9."""
        number = int(code[6:9])
        if number < 100:
            return Township.Kind.SUBDISTRICT
        if number < 200:
            return Township.Kind.TOWN
        if number < 400:
            return Township.Kind.TOWNSHIP
        return Township.Kind.OTHER


class Village(DivisionUnit):
    level = "village"
    parent_field = "township"

    class Kind(models.TextChoices):
        COMMUNITY = "community", _("社区（居委会）")
        VILLAGE = "village", _("村（村委会）")

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="villages", verbose_name=_("所属乡镇"))
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)

    objects = VillageQuerySet.as_manager()

    class Meta(DivisionUnit.Meta):
        verbose_name = _("村（社区）")
        verbose_name_plural = _("村（社区）")
        constraints = DivisionUnit.code_constraints("village")

    @staticmethod
    def kind_for_code(code):
        """Tell the kind from the NBS code range of digits 10–12."""
        return Village.Kind.COMMUNITY if int(code[9:12]) < 200 else Village.Kind.VILLAGE

    @property
    def short_name(self):
        return village_short_name(self.name)


# NBS spells village committees several ways, some truncated; longest first.
COMMITTEE_SUFFIXES = [
    ("社区居民委员会", "社区"),
    ("社区居民委员", "社区"),
    ("社区居委会", "社区"),
    ("居民委员会", "社区"),
    ("社区居会", "社区"),
    ("居委会", "社区"),
    ("村民委员会", "村"),
    ("村民委员", "村"),
    ("村委会", "村"),
]


@functools.lru_cache(maxsize=16_384)
def village_short_name(name):
    """Return the name without the committee suffix NBS appends (村民委员会, 社区居委会…).

    Compliance gathers call it for every person and village of a city, from
    plain query values; the cache holds one entry per village name.
    """
    for suffix, replacement in COMMITTEE_SUFFIXES:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            return stem if stem.endswith(replacement) else stem + replacement
    return name


class Population(models.Model):
    """A township's population in one year: resident (常住) and registered (户籍)."""

    township = models.ForeignKey(Township, on_delete=models.CASCADE, related_name="populations", verbose_name=_("乡镇"))
    year = models.PositiveSmallIntegerField(_("年度"))
    resident = models.PositiveIntegerField(_("常住人口"))
    registered = models.PositiveIntegerField(_("户籍人口"))

    history = tracked_history()

    class Meta:
        verbose_name = _("人口")
        verbose_name_plural = _("人口")
        ordering = ["township__code", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["township", "year"], name="population_one_per_township_year"),
            models.CheckConstraint(condition=Q(resident__gt=0), name="population_resident_positive"),
            models.CheckConstraint(condition=Q(registered__gt=0), name="population_registered_positive"),
            models.CheckConstraint(condition=Q(year__gte=1949, year__lte=2100), name="population_year_range"),
        ]

    def __str__(self):
        return f"{self.township} {self.year}"


register(Population, label=_("人口"), years=year_field())
