from django import forms
from django.utils.translation import gettext_lazy as _

from offices.models import ReportingCalendar
from offices.text import NoControlCharactersForm

RULE_PREFIX = "rule__"


class SubmitForm(NoControlCharactersForm, forms.Form):
    statement = forms.CharField(
        label=_("自评说明"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("简要说明本年度自查自评情况、未达标项目及整改安排。"),
        error_messages={"required": _("请填写自评说明。"), "max_length": _("自评说明最多%(limit_value)d字。")})


class ReturnForm(NoControlCharactersForm, forms.Form):
    """The overall reason (required) and a reason per rule (optional), one text input per rule."""

    reason = forms.CharField(
        label=_("退回理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写退回理由。"), "max_length": _("退回理由最多%(limit_value)d字。")})

    def __init__(self, *args, rules=(), **kwargs):
        """`rules`: (code, title, failed) of the township-year's results; a failing rule is listed first."""
        super().__init__(*args, **kwargs)
        self.rule_fields = []
        for code, title, failed in sorted(rules, key=lambda rule: not rule[2]):
            name = f"{RULE_PREFIX}{code}"
            self.fields[name] = forms.CharField(
                label=title, required=False, max_length=500,
                error_messages={"max_length": _("「%(rule)s」的退回意见最多500字。") % {"rule": title}})
            self.rule_fields.append((name, failed))

    def bound_rule_fields(self):
        return [(self[name], failed) for name, failed in self.rule_fields]

    def rule_reasons(self):
        return {name[len(RULE_PREFIX):]: text for name, text in self.cleaned_data.items()
                if name.startswith(RULE_PREFIX) and text}


class NoteForm(NoControlCharactersForm, forms.Form):
    note = forms.CharField(label=_("审核意见"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"max_length": _("审核意见最多%(limit_value)d字。")})


class UnlockForm(NoControlCharactersForm, forms.Form):
    until = forms.DateTimeField(
        label=_("解锁截止时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("最长30天。到期后自动恢复锁定。"),
        error_messages={"required": _("请填写解锁截止时间。"), "invalid": _("解锁截止时间格式不正确，例如 2026-12-01 18:00。")})
    unlock_reason = forms.CharField(
        label=_("解锁理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写解锁理由。"), "max_length": _("解锁理由最多%(limit_value)d字。")})


class CalendarForm(NoControlCharactersForm, forms.ModelForm):
    class Meta:
        model = ReportingCalendar
        fields = ["submit_by", "review_by", "change_threshold"]
        widgets = {
            "submit_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "review_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "submit_by": {"required": _("请填写乡镇报送截止日。"), "invalid": _("乡镇报送截止日格式不正确，例如 2026-01-31。")},
            "review_by": {"required": _("请填写县级审核截止日。"), "invalid": _("县级审核截止日格式不正确，例如 2026-02-28。")},
            "change_threshold": {"required": _("请填写变动核实阈值。"),
                                 "invalid": _("变动核实阈值应为整数（百分比）。"),
                                 "min_value": _("变动核实阈值至少为%(limit_value)s%%。"),
                                 "max_value": _("变动核实阈值最多为%(limit_value)s%%。")},
        }

    def clean(self):
        cleaned = super().clean()
        submit_by, review_by = cleaned.get("submit_by"), cleaned.get("review_by")
        if submit_by and review_by and review_by < submit_by:
            self.add_error("review_by", _("县级审核截止日不能早于乡镇报送截止日。"))
        return cleaned
