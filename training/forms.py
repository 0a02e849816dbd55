from django import forms
from django.utils.translation import gettext_lazy as _

from offices.fields import EntryDecimalField, entry_formfield
from offices.text import NoControlCharactersForm
from training.models import TrainingSession


class SessionForm(NoControlCharactersForm, forms.ModelForm):
    hours = EntryDecimalField(label=_("学时"), greater_than=0, max_digits=5, decimal_places=1, wan=False,
                              unit=_("学时"), units=("学时", "小时", "课时"), examples=("4", "1.5"))

    class Meta:
        model = TrainingSession
        fields = ["date", "topic", "hours", "audience", "place"]
        formfield_callback = entry_formfield
        error_messages = {
            "topic": {"required": _("请填写培训主题。")},
            "audience": {"required": _("请选择培训对象。"), "invalid_choice": _("培训对象无效。")},
        }

    def clean_date(self):
        date = self.cleaned_data["date"]
        if not 1949 <= date.year <= 2100:
            raise forms.ValidationError(_("培训日期的年份应在1949至2100之间。"), code="year_range")
        return date


class PersonChoiceField(forms.ModelMultipleChoiceField):
    # SQLite raises OverflowError (not ValueError) for an id past 64 bits, which
    # Django's own check does not catch: refuse such ids before any query.
    def _check_values(self, value):
        for pk in value:
            if not str(pk).isdigit() or int(pk) >= 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)

    def label_from_instance(self, obj):
        if hasattr(obj, "post"):
            return f"{obj.name}（{obj.get_post_display()}）"
        return f"{obj.name}（{obj.village.short_name}）"


class AttendanceForm(NoControlCharactersForm, forms.Form):
    """Tick everyone who attended; unticked people are removed from the session."""

    staff_members = PersonChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label=_("民政办工作人员"),
        error_messages={"invalid_choice": _("所选民政办工作人员不在可选范围内。"), "invalid_pk_value": _("人员编号无效。"),
                        "invalid_list": _("人员列表无效。")},
    )
    assistants = PersonChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label=_("村（社区）民政助理员"),
        error_messages={"invalid_choice": _("所选民政助理员不在可选范围内。"), "invalid_pk_value": _("人员编号无效。"),
                        "invalid_list": _("人员列表无效。")},
    )

    def __init__(self, *args, staff, assistants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_members"].queryset = staff
        self.fields["assistants"].queryset = assistants
