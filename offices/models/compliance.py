"""The stored output of the one compliance computation.

The engine (`offices.compliance.store`) is the only writer of these rows:
a `ComplianceSummary` per township and year, a `ComplianceResult` per
township, year and rule, and a `ComplianceGapItem` per missing thing of a
list rule (a kind of equipment, a room, a regulation) so that the database
can count them. Every page, spreadsheet and API reads them; aggregates over
townships are SQL over these tables.

The county and city are copied onto each row so that the oversight queries
group and filter without joining the hierarchy. The words a rule says
(title, explanation, the lists it names) are stored once per interface
language in `texts`; everything the database adds up is language-free.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from offices.compliance.contract import Dimension, Status
from offices.querysets import StoredResultQuerySet
from offices.text import NoControlCharactersModel

STATUS_LENGTH = 16


def status_field(verbose_name):
    return models.CharField(verbose_name, max_length=STATUS_LENGTH, choices=Status.choices)


class SummaryColumns(models.Model):
    """A township-year's result: stored (ComplianceSummary) or frozen in a report's snapshot."""

    county = models.ForeignKey("offices.County", on_delete=models.CASCADE, related_name="+")
    city = models.ForeignKey("offices.City", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    standard = models.ForeignKey("offices.Standard", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # A digest of the standard's parameters: which version of the standard the results were decided by.
    standard_version = models.CharField(_("标准版本"), max_length=16, blank=True)
    population = models.PositiveIntegerField(_("计算人口"), null=True, blank=True)
    status = status_field(_("总体"))
    staffing_status = status_field(Dimension.STAFFING.label)
    funding_status = status_field(Dimension.FUNDING.label)
    facilities_status = status_field(Dimension.FACILITIES.label)
    equipment_status = status_field(Dimension.EQUIPMENT.label)
    regulations_status = status_field(Dimension.REGULATIONS.label)
    training_status = status_field(Dimension.TRAINING.label)
    supervision_status = status_field(Dimension.SUPERVISION.label)
    rule_count = models.PositiveSmallIntegerField(_("规则数"), default=0)
    failing_count = models.PositiveSmallIntegerField(_("未达标项数"), default=0)
    # The day dated rules were judged on (quarters ended, deadlines passed): refresh_compliance moves it on.
    as_of = models.DateField(_("评判日"))
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        abstract = True

    @staticmethod
    def dimension_field(dimension):
        return f"{Dimension(dimension).value}_status"


class ResultColumns(models.Model):
    """One rule's verdict for a township-year: stored (ComplianceResult) or frozen in a snapshot."""

    county = models.ForeignKey("offices.County", on_delete=models.CASCADE, related_name="+")
    city = models.ForeignKey("offices.City", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    position = models.PositiveSmallIntegerField(_("顺序"))  # the rule's place in the computation's order
    code = models.CharField(_("规则"), max_length=64)
    dimension = models.CharField(_("维度"), max_length=16, choices=Dimension.choices)
    status = status_field(_("结果"))
    unit = models.CharField(_("单位"), max_length=16, blank=True)
    # The numbers of numeric rules, for the database to add up (None for list rules and where not assessed).
    # Kept exact (a required area is 20 m² per 10,000 people: three places), so sums are rounded once, at the end.
    required = models.DecimalField(_("应达"), max_digits=24, decimal_places=6, null=True, blank=True)
    actual = models.DecimalField(_("实有"), max_digits=24, decimal_places=6, null=True, blank=True)
    gap = models.DecimalField(_("差距"), max_digits=24, decimal_places=6, null=True, blank=True)
    surplus = models.DecimalField(_("富余"), max_digits=24, decimal_places=6, null=True, blank=True)
    fix_url = models.CharField(max_length=64, blank=True)
    fixed_by = models.CharField(max_length=16, blank=True)
    # {language: the encoded RuleResult as that language says it}: title, explanation, lists, basis, items.
    texts = models.JSONField(default=dict)
    standard = models.ForeignKey("offices.Standard", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    standard_version = models.CharField(_("标准版本"), max_length=16, blank=True)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        abstract = True


class GapItemColumns(models.Model):
    """One thing a failing list rule misses: stored or frozen."""

    county = models.ForeignKey("offices.County", on_delete=models.CASCADE, related_name="+")
    city = models.ForeignKey("offices.City", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    code = models.CharField(_("规则"), max_length=64)
    label = models.CharField(_("缺项"), max_length=200)  # in the source language (zh-hans): a message id

    class Meta:
        abstract = True


class ComplianceSummary(NoControlCharactersModel, SummaryColumns):
    """One township's result for one year: overall, per dimension, and how many rules fail."""

    township = models.ForeignKey("offices.Township", on_delete=models.CASCADE, related_name="compliance_summaries")

    objects = StoredResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("达标结果（乡镇年度）")
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["township", "year"], name="compliance_summary_unique")]
        indexes = [
            models.Index(fields=["city", "year", "county"], name="compliance_summary_city"),
            models.Index(fields=["county", "year"], name="compliance_summary_county"),
            models.Index(fields=["year", "as_of"], name="compliance_summary_as_of"),
        ]

    def __str__(self):
        return f"{self.township_id} {self.year} {self.status}"


class ComplianceResult(NoControlCharactersModel, ResultColumns):
    """One rule's verdict for one township and year."""

    township = models.ForeignKey("offices.Township", on_delete=models.CASCADE, related_name="compliance_results")

    objects = StoredResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("达标结果（规则）")
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["township", "year", "code"], name="compliance_result_unique")]
        indexes = [
            models.Index(fields=["city", "year", "code", "status"], name="compliance_result_city"),
            models.Index(fields=["county", "year", "code"], name="compliance_result_county"),
        ]

    def __str__(self):
        return f"{self.township_id} {self.year} {self.code} {self.status}"


class ComplianceGapItem(NoControlCharactersModel, GapItemColumns):
    """One thing a failing list rule misses (a kind of equipment, a room, a regulation), to be counted in SQL.

    It belongs to the result of the same township, year and rule code; the store replaces both together.
    """

    township = models.ForeignKey("offices.Township", on_delete=models.CASCADE, related_name="+")

    objects = StoredResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("缺项")
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["city", "year", "code", "county"], name="compliance_gap_city")]

    def __str__(self):
        return self.label
