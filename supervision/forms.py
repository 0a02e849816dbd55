"""Forms of supervision: grades grid, satisfaction, contracts, inspections, rectification."""
from django import forms
from django.utils.translation import gettext_lazy as _

from offices.fields import (
    DateEntryField,
    EntryDecimalField,
    EntryIntegerField,
    entry_formfield,
    money_field,
    year_field,
)
from offices.text import NoControlCharactersForm
from offices.vocabulary import AssistantGrade
from supervision.models import Inspection, SatisfactionSurvey, ServiceContract
from supervision.rules import assistant_label

# The database's bound (PositiveIntegerField).
SAMPLE_SIZE_MAX = 2_147_483_647

class GradesForm(NoControlCharactersForm, forms.Form):
    """One grade select per assistant, with a common assessor and assessment date."""

    assessor = forms.CharField(label=_("考评单位或考评人"), max_length=64,
                               error_messages={"required": _("请填写考评单位或考评人。")})
    assessed_on = DateEntryField(label=_("考评日期"))

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
    year = year_field(_("年度"))
    sample_size = EntryIntegerField(label=_("样本量（份）"), greater_than=0, max_value=SAMPLE_SIZE_MAX, show_max=False,
                                    unit=_("份"), units=("份", "人"), examples=("300", "1.2万"))
    score = EntryDecimalField(label=_("满意度得分"), min_value=0, max_value=100, max_digits=5, decimal_places=2,
                              wan=False, units=("分",), examples=("92.5",))

    class Meta:
        model = SatisfactionSurvey
        fields = ["year", "sample_size", "score"]


class ContractForm(NoControlCharactersForm, forms.ModelForm):
    amount = money_field(_("合同金额（元）"), required=True, greater_than=0, kind=_("金额"))

    class Meta:
        model = ServiceContract
        fields = ["provider", "area", "amount", "start_date", "end_date"]
        formfield_callback = entry_formfield
        error_messages = {
            "provider": {"required": _("请填写承接机构。")},
            "area": {"required": _("请选择服务领域。"), "invalid_choice": _("服务领域无效。")},
        }

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", forms.ValidationError(_("结束日期不能早于开始日期。"), code="end_before_start"))
        return data


class InspectionForm(NoControlCharactersForm, forms.ModelForm):
    """An inspection and its findings: one row per problem (text and deadline), or 「未发现问题」.

    Row 1 is `findings`/`deadline`, row n `findings_n`/`deadline_n`; a page may post more rows than
    FINDING_ROWS (up to MAX_FINDING_ROWS), and blank rows are skipped.
    """

    FINDING_ROWS = 5
    MAX_FINDING_ROWS = 30

    clean_inspection = forms.BooleanField(label=_("未发现问题"), required=False,
                                          help_text=_("检查未发现问题时勾选，不填写下面的问题。"))

    class Meta:
        model = Inspection
        fields = ["township", "date", "inspectors"]
        formfield_callback = entry_formfield
        error_messages = {
            "township": {"required": _("请选择被检查的乡镇。"), "invalid_choice": _("所选乡镇不在您的管辖范围内。")},
            "inspectors": {"required": _("请填写检查人员。")},
        }

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships
        posted = [n for n in range(2, self.MAX_FINDING_ROWS + 1) if f"findings_{n}" in self.data]
        self.row_count = max([self.FINDING_ROWS, *posted])
        for number in range(1, self.row_count + 1):
            text, deadline = self.row_names(number)
            self.fields[text] = forms.CharField(
                label=_("发现问题") if number == 1 else _("发现问题（第%(n)s项）") % {"n": number}, required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[deadline] = DateEntryField(
                label=_("整改期限") if number == 1 else _("整改期限（第%(n)s项）") % {"n": number}, required=False,
            )

    @staticmethod
    def row_names(number):
        return ("findings", "deadline") if number == 1 else (f"findings_{number}", f"deadline_{number}")

    def rows(self):
        """[(number, text field, deadline field)] for the findings table."""
        return [(n, *(self[name] for name in self.row_names(n))) for n in range(1, self.row_count + 1)]

    def clean(self):
        data = super().clean()
        findings, date = [], data.get("date")
        for number in range(1, self.row_count + 1):
            text_name, deadline_name = self.row_names(number)
            text, deadline = (data.get(text_name) or "").strip(), data.get(deadline_name)
            if text_name in self.errors or deadline_name in self.errors:
                continue
            if data.get("clean_inspection"):
                if text or deadline:
                    self.add_error(text_name, forms.ValidationError(
                        _("已勾选「未发现问题」，请不要填写问题；有问题时请取消勾选。"), code="clean_with_findings"))
                continue
            if text and not deadline:
                self.add_error(deadline_name, forms.ValidationError(
                    _("请填写%(field)s。") % {"field": self.fields[deadline_name].label}, code="required"))
            elif deadline and not text:
                self.add_error(text_name, forms.ValidationError(
                    _("填写了整改期限，请填写对应的问题。"), code="text_required"))
            elif text and date and deadline < date:
                self.add_error(deadline_name, forms.ValidationError(
                    _("整改期限不能早于检查日期。"), code="deadline_before_date"))
            elif text:
                findings.append((text, deadline))
        if not data.get("clean_inspection") and not findings and not self.errors:
            self.add_error("findings", forms.ValidationError(
                _("请填写发现的问题；检查未发现问题时请勾选「未发现问题」。"), code="required"))
        data["finding_rows"] = findings
        return data

    def service_data(self):
        """What `services.inspection_create` takes: the inspection's fields and [(text, deadline)]."""
        data = self.cleaned_data
        return {"township": data["township"], "date": data["date"], "inspectors": data["inspectors"],
                "findings": data["finding_rows"]}


class RectifyForm(NoControlCharactersForm, forms.Form):
    """The day a finding of `inspection` was rectified."""

    rectified_on = DateEntryField(label=_("整改完成日期"))

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.inspection = inspection

    def clean_rectified_on(self):
        day = self.cleaned_data["rectified_on"]
        if day < self.inspection.date:
            raise forms.ValidationError(_("整改完成日期不能早于检查日期。"), code="rectified_before_date")
        return day
