"""The forms of regulation documents (upload, replace, retire): the fields, their Chinese messages, the file checks."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offices.fields import DateEntryField, entry_formfield
from offices.text import NoControlCharactersForm
from regulations.models import FIELD_LABEL, RegulationDocument, validate_regulation_file


class RegulationForm(NoControlCharactersForm, forms.ModelForm):
    class Meta:
        model = RegulationDocument
        fields = ["kind", "title", "adopted_on", "file"]
        formfield_callback = entry_formfield
        help_texts = {"file": _("PDF、Word（.docx）、PNG 或 JPEG，不超过上限。")}
        error_messages = {
            "kind": {"required": _("请选择制度类别。"), "invalid_choice": _("制度类别不在可选范围内。")},
            "title": {"required": _("请填写制度名称。"), "max_length": _("制度名称不能超过120个字。")},
            "file": {
                "required": _("请选择要上传的制度文件。"),
                "invalid": _("制度文件上传失败，请重新选择文件。"),
                "empty": _("制度文件是空文件。"),
                "max_length": _("制度文件的文件名过长。"),
            },
        }

    def clean_adopted_on(self):
        adopted_on = self.cleaned_data["adopted_on"]
        if adopted_on and adopted_on > timezone.localdate():
            raise forms.ValidationError(_("印发日期不能晚于今天。"), code="adopted_in_future")
        return adopted_on

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_regulation_file(upload)
        return upload


class RegulationReplaceForm(NoControlCharactersForm, forms.Form):
    """A new version of a regulation: its title, adoption date and file; the kind is the old one's."""

    title = forms.CharField(label=_("新版本名称"), max_length=120, error_messages={
        "required": _("请填写新版本名称。"), "max_length": _("新版本名称不能超过120个字。")})
    adopted_on = DateEntryField(label=_("新版本的印发日期"),
                                help_text=_("原制度自该日起废止，不再计入该年及以后各年。"))
    file = forms.FileField(label=FIELD_LABEL, help_text=_("PDF、Word（.docx）、PNG 或 JPEG，不超过上限。"),
                           error_messages=RegulationForm._meta.error_messages["file"])
    reason = forms.CharField(label=_("替代说明"), max_length=200, required=False,
                             error_messages={"max_length": _("替代说明不能超过200个字。")})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_regulation_file(upload)
        return upload


class RegulationRetireForm(NoControlCharactersForm, forms.Form):
    """Retire a regulation without a replacement: from when, and why."""

    retired_on = DateEntryField(label=_("废止日期"), help_text=_("自该日起不再有效，不计入该年及以后各年。"))
    reason = forms.CharField(label=_("废止原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("请填写废止原因。"),
                                             "max_length": _("废止原因不能超过200个字。")})
