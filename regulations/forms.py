"""The upload form of a regulation document: the fields, their Chinese messages, and the file checks."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offices.fields import entry_formfield
from offices.text import NoControlCharactersForm
from regulations.models import RegulationDocument, validate_regulation_file


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
