"""Filters of the inspections list (and its export): township in scope, year, and state of rectification."""
import django_filters
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offices.models import Township
from supervision.models import Inspection, InspectionFinding


class InspectionState:
    """The states an inspection is listed by, from its findings (an inspection holds no state of its own)."""

    OPEN = "open"
    RECTIFIED = "rectified"
    OVERDUE = "overdue"
    CLEAN = "clean"
    CHOICES = [(OPEN, _("待整改")), (RECTIFIED, _("已整改")), (OVERDUE, _("逾期")), (CLEAN, _("无问题"))]


def _townships(request):
    return Township.objects.for_user(request.user).order_by("code") if request else Township.objects.none()


class InspectionFilter(django_filters.FilterSet):
    township = django_filters.ModelChoiceFilter(
        label=_("乡镇"), queryset=_townships, empty_label=_("全部乡镇"),
        error_messages={"invalid_choice": _("所选乡镇不在您的管辖范围内。")},
    )
    year = django_filters.NumberFilter(
        label=_("年度"), field_name="date", lookup_expr="year", min_value=1949, max_value=2100,
        error_messages=dict.fromkeys(("invalid", "min_value", "max_value"),
                                     _("年度：请输入1949至2100之间的年份，例如 2025。")),
    )
    status = django_filters.ChoiceFilter(label=_("整改状态"), choices=InspectionState.CHOICES, method="filter_status",
                                         empty_label=_("全部"))

    class Meta:
        model = Inspection
        fields = ["township", "year", "status"]

    def __init__(self, data=None, queryset=None, *, request=None, township=None):
        super().__init__(data, queryset, request=request)
        if township is not None:  # a township's page: the township is the page's, not a choice
            del self.filters["township"], self.filters["year"]  # the year picks the results there
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm" if hasattr(field, "choices") else \
                "form-control form-control-sm"

    def filter_status(self, queryset, name, value):
        findings = InspectionFinding.objects.filter(inspection=OuterRef("pk"))
        open_findings = findings.filter(status=InspectionFinding.State.OPEN)
        if value == InspectionState.OPEN:
            return queryset.filter(Exists(open_findings))
        if value == InspectionState.OVERDUE:
            return queryset.filter(Exists(open_findings.filter(deadline__lt=timezone.localdate())))
        if value == InspectionState.RECTIFIED:
            return queryset.filter(Exists(findings), ~Exists(open_findings))
        if value == InspectionState.CLEAN:
            return queryset.filter(~Exists(findings))
        return queryset
