"""The second step of the login: the code page, the enrolment of an authenticator, the recovery codes."""
from base64 import b32encode

import django_otp
import segno
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp.plugins.otp_static.models import StaticDevice

from offices.models import Role
from offices.scoping import scoped
from security import selectors, services
from security.forms import OTPTokenForm

# Every signed-in account, the administrators (who have no role) included.
EVERY_ACCOUNT = (*Role.values, "")
RECOVERY_CODES_SESSION_KEY = "security_recovery_codes"


def next_url(request):
    """Where to go after the step: the `next` the middleware passed on, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A path on this site only (not "//host", not a relative word, which redirect() would take for a URL name).
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def with_next(name, target):
    return f"{reverse(name)}?{urlencode({'next': target})}"


def throttled_message(throttled):
    return _("验证码：错误次数过多，请于%(time)s后再试。") % {"time": timezone.localtime(throttled.retry_at).strftime("%H:%M:%S")}


def not_required(request):
    messages.info(request, _("您的账号无需双因素认证。"))
    return redirect("home")


@never_cache
@scoped(roles=EVERY_ACCOUNT)
def otp_verify(request):
    """Ask for the 6-digit code (or a recovery code) of a user who signed in with their password."""
    user, target = request.user, next_url(request)
    if not selectors.two_factor_required(user):
        return not_required(request)
    if user.is_verified():
        return HttpResponseRedirect(target)
    if selectors.confirmed_totp_device(user) is None:
        return redirect(with_next("security:otp_enrol", target))
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.otp_token_verify(request=request, user=user, token=form.cleaned_data["token"])
        except services.OTPThrottled as throttled:
            form.add_error("token", throttled_message(throttled))
        else:
            if device is not None:
                django_otp.login(request, device)
                if isinstance(device, StaticDevice):
                    messages.warning(request, _("您使用了一个恢复码，还剩%(count)s个。手机丢失时请重新绑定身份验证器。")
                                     % {"count": selectors.recovery_codes_left(user)})
                return HttpResponseRedirect(target)
            form.add_error("token", _("验证码：不正确或已使用过，请输入身份验证器上当前显示的6位数字，或一个未用过的恢复码。"))
    return render(request, "security/otp_verify.html", {"form": form, "next": target})


@never_cache
@scoped(roles=EVERY_ACCOUNT)
def otp_enrol(request):
    """Bind an authenticator app: show its key as a QR code, confirm it with a first code."""
    user, target = request.user, next_url(request)
    if not selectors.two_factor_required(user):
        return not_required(request)
    # A user who has an authenticator replaces it only after passing the second step with it (or a recovery code).
    if selectors.confirmed_totp_device(user) is not None and not user.is_verified():
        return redirect(with_next("security:otp_verify", target))
    device = services.totp_enrolment_start(user=user)
    form = OTPTokenForm(request.POST or None, allow_recovery=False)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_enrolment_confirm(
                request=request, user=user, device=device, token=form.cleaned_data["token"]
            )
        except services.OTPThrottled as throttled:
            form.add_error("token", throttled_message(throttled))
        else:
            if codes is not None:
                django_otp.login(request, device)
                request.session[RECOVERY_CODES_SESSION_KEY] = codes
                return redirect(with_next("security:recovery_codes", target))
            form.add_error("token", _("验证码：不正确。请确认手机时间准确，再输入身份验证器上当前显示的6位数字。"))
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": target,
        "qr_code": segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2),
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
    }
    return render(request, "security/otp_enrol.html", context)


@never_cache
@scoped(roles=EVERY_ACCOUNT)
def recovery_codes(request):
    """Show the recovery codes made at enrolment, once."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if not codes:
        messages.info(request, _("恢复码只在绑定身份验证器后显示一次；如已遗失，请重新绑定身份验证器以生成新的恢复码。"))
        return HttpResponseRedirect(next_url(request))
    return render(request, "security/recovery_codes.html", {"codes": codes, "next": next_url(request)})
