"""Pages of the accounts: the password change, the session probe, the lockout answer."""
from axes.helpers import get_client_username, get_cool_off
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from offices.accounts import services
from offices.accounts.middleware import number, session_probe
from offices.accounts.signals import password_changed
from offices.models import Role
from offices.scoping import ScopedViewMixin, scoped

# Every account, the administrators (no role) included: everybody changes their own password.
EVERY_ACCOUNT = (*Role.values, "")


class PasswordChangeView(ScopedViewMixin, auth_views.PasswordChangeView):
    allowed_roles = EVERY_ACCOUNT
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        services.user_password_change(user=form.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, form.user)  # stay logged in with the new password
        password_changed.send(sender=type(form.user), user=form.user, request=self.request, by=self.request.user)
        messages.success(self.request, _("密码已修改。"))
        return HttpResponseRedirect(self.get_success_url())


@session_probe
@scoped(roles=EVERY_ACCOUNT)
@require_http_methods(["GET", "POST"])
def session_status(request):
    """How long the session has left; a POST (「继续使用」) counts as activity and so extends it."""
    return JsonResponse({"remaining_seconds": request.session_timeout["remaining_seconds"]})


def lockout_response(request, original_response=None, credentials=None):
    """Answer a login refused by django-axes (AXES_LOCKOUT_CALLABLE) with the login page and the reason.

    The message is the same whether the username exists or not: axes counts failures for any name.
    """
    minutes = number(get_cool_off(request).total_seconds() / 60)
    messages.error(request, _("登录失败次数过多，该账号已被锁定%(minutes)s分钟。请稍后再试，或联系安全管理员解除锁定。")
                   % {"minutes": minutes})
    initial = {"username": get_client_username(request, credentials) or ""}
    match = request.resolver_match
    if match is not None and "admin" in match.namespaces:
        request.current_app = admin.site.name
        context = {
            **admin.site.each_context(request), "title": _("登录"), "subtitle": None,
            "app_path": request.get_full_path(), "form": AdminAuthenticationForm(request, initial=initial),
            REDIRECT_FIELD_NAME: request.POST.get(REDIRECT_FIELD_NAME) or reverse("admin:index"),
        }
        return render(request, "admin/login.html", context, status=429)
    context = {"form": AuthenticationForm(request, initial=initial), "next": request.POST.get(REDIRECT_FIELD_NAME, "")}
    return render(request, "registration/login.html", context, status=429)
