from django import forms
from django.utils.translation import gettext_lazy as _

from imports.safety import MAX_UPLOAD_BYTES
from offices.text import NoControlCharactersForm


class UploadForm(NoControlCharactersForm, forms.Form):
    file = forms.FileField(label=_("填好的模板（.xlsx）"), error_messages={
        "required": _("请选择要导入的工作簿。"), "empty": _("上传的工作簿是空文件。")})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("工作簿不能超过%(limit)s MB。") % {"limit": MAX_UPLOAD_BYTES // 1048576},
                                        code="too_large")
        return upload


class ApplyForm(NoControlCharactersForm, forms.Form):
    confirmed = forms.BooleanField(label=_("预览中与上年相比变动较大的数字已核实无误"), required=False)
