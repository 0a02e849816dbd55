"""Data-entry forms of the staffing app: every message names its field, in Chinese."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offices.fields import DateEntryField, EntryIntegerField, EntryNumberMixin, entry_formfield, year_field
from offices.text import NoControlCharactersForm
from staffing.models import AuthorizedPosts, StaffMember, VillageAssistant


class NamedErrorsMixin(NoControlCharactersForm):
    """Give every field messages that name it: a clerk sees which box to fix.

    Dates and numbers are entry fields (offices.fields), which carry their own
    messages with an example of what to type; the others get these.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, (DateEntryField, EntryNumberMixin)):
                continue
            label = field.label
            messages = {
                "required": _("请填写%(field)s。") % {"field": label},
                "invalid": _("%(field)s格式不正确。") % {"field": label},
                "invalid_choice": _("请从列表中选择%(field)s。") % {"field": label},
                "max_length": _("%(field)s不能超过%%(limit_value)d个字。") % {"field": label},
            }
            field.error_messages = {**field.error_messages, **messages}


def _not_in_future(value, label):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("%(field)s不能晚于今天。"), params={"field": label}, code="future")
    return value


class StaffMemberForm(NamedErrorsMixin, forms.ModelForm):
    class Meta:
        model = StaffMember
        fields = [
            "name", "sex", "birth_date", "education", "post", "full_time", "qualification", "start_date", "end_date",
        ]
        formfield_callback = entry_formfield

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("请填写姓名。"), code="required")
        return name

    def clean_birth_date(self):
        return _not_in_future(self.cleaned_data["birth_date"], _("出生日期"))


class StaffEndForm(NamedErrorsMixin, forms.Form):
    end_date = DateEntryField(label=_("离岗日期"))


class AuthorizedPostsForm(NamedErrorsMixin, forms.ModelForm):
    year = year_field(_("年度"))
    posts = EntryIntegerField(label=_("编制数"), min_value=0, max_value=999, wan=False, unit=_("名"),
                              units=("名", "人", "个"), examples=("5",))

    class Meta:
        model = AuthorizedPosts
        fields = ["year", "posts"]


class DirectorOpinionForm(NamedErrorsMixin, forms.Form):
    director = forms.ModelChoiceField(queryset=StaffMember.objects.none(), label=_("民政办公室主任"))
    opinion_date = DateEntryField(label=_("征求意见日期"))
    reference = forms.CharField(label=_("文号或记录编号"), max_length=64)
    note = forms.CharField(label=_("意见摘要"), max_length=200, required=False)

    def __init__(self, *args, directors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["director"].queryset = directors

    def clean_opinion_date(self):
        return _not_in_future(self.cleaned_data["opinion_date"], _("征求意见日期"))


class VillageAssistantForm(NamedErrorsMixin, forms.ModelForm):
    class Meta:
        model = VillageAssistant
        fields = ["village", "name", "sex", "birth_date", "education", "role", "start_date", "end_date", "filed_date"]
        formfield_callback = entry_formfield

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = township.villages.order_by("code")
        self.fields["village"].label_from_instance = lambda village: village.short_name

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("请填写姓名。"), code="required")
        return name

    def clean_birth_date(self):
        return _not_in_future(self.cleaned_data["birth_date"], _("出生日期"))

    def clean_filed_date(self):
        return _not_in_future(self.cleaned_data["filed_date"], _("备案日期"))


class AssistantEndForm(NamedErrorsMixin, forms.Form):
    end_date = DateEntryField(label=_("离任日期"))


class AssistantFileForm(NamedErrorsMixin, forms.Form):
    filed_date = DateEntryField(label=_("报县级民政部门备案日期"))

    def clean_filed_date(self):
        return _not_in_future(self.cleaned_data["filed_date"], _("备案日期"))
