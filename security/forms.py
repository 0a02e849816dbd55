import re

from django import forms
from django.utils.translation import gettext_lazy as _

# A TOTP code is 6 digits; a recovery code is 8 letters and digits of base32 (django-otp's StaticToken).
TOTP_CODE = re.compile(r"\d{6}")
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")


class OTPTokenForm(forms.Form):
    """The code of the second step: from the authenticator app, or one of the recovery codes."""

    token = forms.CharField(
        label=_("验证码"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "class": "form-control"}),
    )

    error_messages = {
        "format": _("验证码：请输入身份验证器上的6位数字，或一个8位恢复码。"),
    }

    def __init__(self, *args, allow_recovery=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.allow_recovery = allow_recovery
        if not allow_recovery:
            self.error_messages = {"format": _("验证码：请输入身份验证器上显示的6位数字。")}
            self.fields["token"].widget.attrs["inputmode"] = "numeric"

    def clean_token(self):
        token = re.sub(r"[\s-]", "", self.cleaned_data["token"]).lower()
        if TOTP_CODE.fullmatch(token) or (self.allow_recovery and RECOVERY_CODE.fullmatch(token)):
            return token
        raise forms.ValidationError(self.error_messages["format"], code="format")
