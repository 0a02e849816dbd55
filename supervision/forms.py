"""Forms of supervision: grades grid, satisfaction, contracts, inspections, rectification."""
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from offices.text import NoControlCharactersForm
from offices.vocabulary import AssistantGrade
from supervision.models import Inspection, SatisfactionSurvey, ServiceContract
from supervision.rules import assistant_label

DATE = forms.DateInput(attrs={"type": "date"})


def _year(value):
    if not 1949 <= value <= 2100:
        raise forms.ValidationError(_("年度应在1949至2100之间。"), code="year_range")
    return value


class GradesForm(NoControlCharactersForm, forms.Form):
    """One grade select per assistant, with a common assessor and assessment date."""

    assessor = forms.CharField(label=_("考评单位或考评人"), max_length=64,
                               error_messages={"required": _("请填写考评单位或考评人。")})
    assessed_on = forms.DateField(label=_("考评日期"), widget=DATE, error_messages={
        "required": _("请填写考评日期。"), "invalid": _("考评日期格式应为 年-月-日。")})

    def __init__(self, *args, assistants, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.assistants = list(assistants)
        choices = [("", _("未考评"))] + list(AssistantGrade.choices)
        for assistant in self.assistants:
            self.fields[self.field_name(assistant)] = forms.ChoiceField(
                label=assistant_label(assistant.name, assistant.village.short_name), choices=choices, required=False,
                error_messages={"invalid_choice": _("%(name)s的考评等次无效。") % {"name": assistant.name}},
            )

    @staticmethod
    def field_name(assistant):
        return f"grade_{assistant.pk}"

    def clean_assessed_on(self):
        day = self.cleaned_data["assessed_on"]
        if day.year < self.year:
            raise forms.ValidationError(_("考评日期不能早于考评年度。"), code="assessed_before_year")
        return day

    def grades(self):
        return {a: self.cleaned_data[self.field_name(a)] for a in self.assistants}

    def rows(self):
        return [(a, self[self.field_name(a)]) for a in self.assistants]


class SurveyForm(NoControlCharactersForm, forms.ModelForm):
    class Meta:
        model = SatisfactionSurvey
        fields = ["year", "sample_size", "score"]
        error_messages = {
            "year": {"required": _("请填写年度。"), "invalid": _("年度必须是整数。")},
            "sample_size": {"required": _("请填写样本量。"), "invalid": _("样本量必须是正整数。")},
            "score": {"required": _("请填写满意度得分。"), "invalid": _("满意度得分必须是数字。")},
        }

    def clean_year(self):
        return _year(self.cleaned_data["year"])

    def clean_sample_size(self):
        size = self.cleaned_data["sample_size"]
        if size is None or size <= 0:
            raise forms.ValidationError(_("样本量必须大于0。"), code="sample_positive")
        return size

    def clean_score(self):
        score = self.cleaned_data["score"]
        if not Decimal("0") <= score <= Decimal("100"):
            raise forms.ValidationError(_("满意度得分应在0至100之间。"), code="score_range")
        return score


class ContractForm(NoControlCharactersForm, forms.ModelForm):
    class Meta:
        model = ServiceContract
        fields = ["provider", "area", "amount", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}
        error_messages = {
            "provider": {"required": _("请填写承接机构。")},
            "area": {"required": _("请选择服务领域。"), "invalid_choice": _("服务领域无效。")},
            "amount": {"required": _("请填写合同金额。"), "invalid": _("合同金额必须是数字。")},
            "start_date": {"required": _("请填写开始日期。"), "invalid": _("开始日期格式应为 年-月-日。")},
            "end_date": {"required": _("请填写结束日期。"), "invalid": _("结束日期格式应为 年-月-日。")},
        }

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError(_("合同金额必须大于0。"), code="amount_positive")
        return amount

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", forms.ValidationError(_("结束日期不能早于开始日期。"), code="end_before_start"))
        return data


class InspectionForm(NoControlCharactersForm, forms.ModelForm):
    class Meta:
        model = Inspection
        fields = ["township", "date", "inspectors", "findings", "deadline"]
        widgets = {"date": DATE, "deadline": DATE, "findings": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "township": {"required": _("请选择被检查的乡镇。"), "invalid_choice": _("所选乡镇不在您的管辖范围内。")},
            "date": {"required": _("请填写检查日期。"), "invalid": _("检查日期格式应为 年-月-日。")},
            "inspectors": {"required": _("请填写检查人员。")},
            "findings": {"required": _("请填写发现的问题。")},
            "deadline": {"required": _("请填写整改期限。"), "invalid": _("整改期限格式应为 年-月-日。")},
        }

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("deadline") and data["deadline"] < data["date"]:
            self.add_error("deadline", forms.ValidationError(_("整改期限不能早于检查日期。"), code="deadline_before_date"))
        return data


class RectifyForm(NoControlCharactersForm, forms.Form):
    rectified_on = forms.DateField(label=_("整改完成日期"), widget=DATE, error_messages={
        "required": _("请填写整改完成日期。"), "invalid": _("整改完成日期格式应为 年-月-日。")})

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.inspection = inspection

    def clean_rectified_on(self):
        day = self.cleaned_data["rectified_on"]
        if day < self.inspection.date:
            raise forms.ValidationError(_("整改完成日期不能早于检查日期。"), code="rectified_before_date")
        return day
