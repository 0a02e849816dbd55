"""The second step of the login: users named by WUYOU_2FA_REQUIRED_FOR pass a TOTP code before any page.

Installed after django_otp.middleware.OTPMiddleware, which tells whether the session has passed a device
(`request.user.is_verified()`). The admin site is covered too: its views go through this middleware like
every other view, so a staff member who signed in on /admin/login/ is sent to the code page before the
admin index.
"""
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from security import selectors

# Views reachable between the password and the code: signing in and out (the app's and the admin's), the
# language switch, the session probe of the idle warning (offices.accounts), and the second-factor pages
# themselves. Static files are served before any view. The password change is not among them: a password
# alone does not let anybody change it.
OPEN_VIEWS = frozenset({"login", "logout", "set_language", "session", "admin:login", "admin:logout"})
OPEN_NAMESPACES = frozenset({"security"})


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not selectors.two_factor_required(user) or user.is_verified():
            return None
        match = request.resolver_match
        if match is None or match.view_name in OPEN_VIEWS or OPEN_NAMESPACES.intersection(match.namespaces):
            return None
        step = "security:otp_verify" if selectors.confirmed_totp_device(user) else "security:otp_enrol"
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
