"""End sessions that were idle or lived too long; send users whose password must change to the change page.

Both act in `process_view`, after URL resolution and before the scope check (offices.scoping), so that an
expired session is ended before any page decides what to show.
"""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from offices.accounts import rules, sessions

# Pages a user who must change their password can still reach: the change itself, signing in and out, the
# language switch, the idle warning's probe, and the second-factor pages (namespace "security", whose middleware
# runs first: without them a user due for both would be sent back and forth between the two pages).
PASSWORD_CHANGE_EXEMPT_VIEWS = {"password_change", "login", "logout", "session", "set_language", "admin:logout"}
PASSWORD_CHANGE_EXEMPT_NAMESPACES = {"security"}


def session_probe(view):
    """Mark a view whose GET asks about the session without counting as activity."""
    view.wuyou_session_probe = True
    return view


def number(value):
    """30.0 → "30", 0.5 → "0.5": minutes and hours as a person writes them."""
    return f"{value:g}"


def session_end_message(reason):
    if reason == rules.LIFETIME:
        return _("您本次登录已超过%(hours)s小时，请重新登录。") % {"hours": number(settings.WUYOU_SESSION_MAX_HOURS)}
    return _("您已超过%(minutes)s分钟未操作，请重新登录。") % {"minutes": number(settings.WUYOU_SESSION_IDLE_MINUTES)}


def password_change_message(reason):
    if reason == rules.EXPIRED:
        return _("您的密码已使用超过%(days)s天，请修改密码后继续使用。") % {"days": settings.WUYOU_PASSWORD_MAX_AGE_DAYS}
    return _("您的密码由管理员设置，请先修改为只有您自己知道的密码，再继续使用。")


def away_to(request, url):
    """Send the browser to `url`; an htmx request is told to leave the page rather than swap the target."""
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)


class SessionLifetimeMiddleware:
    """Log out after WUYOU_SESSION_IDLE_MINUTES without a request or WUYOU_SESSION_MAX_HOURS after login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        limits = sessions.Limits.from_settings()
        now = sessions.now_seconds()
        probe = getattr(view_func, "wuyou_session_probe", False)
        reason = sessions.ended(request.session, now=now, limits=limits)
        if reason is not None:
            logout(request)
            messages.warning(request, session_end_message(reason))
            if probe:
                # An answer, not an error: the page asked whether the session is over, and it is.
                return JsonResponse({"remaining_seconds": 0, "ended": reason})
            # Back to the page the user was on once they have logged in again (for htmx: the page, not the fragment).
            here = request.htmx.current_url_abs_path if getattr(request, "htmx", False) else request.get_full_path()
            return away_to(request, redirect_to_login(here or "/").url)
        if not probe:
            sessions.touch(request.session, now=now, limits=limits)
        elif request.method == "POST":  # 「继续使用」
            sessions.touch(request.session, now=now, limits=limits, always=True)
        # What the idle warning of base.html needs (templates/includes/session_timeout.html).
        request.session_timeout = {
            "remaining_seconds": round(sessions.remaining(request.session, now=now, limits=limits), 1),
            "warning_seconds": limits.warning_seconds,
        }
        return None


class PasswordChangeRequiredMiddleware:
    """Until a password set by an administrator (or an expired one) is changed, every page is the change page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and (
            match.view_name in PASSWORD_CHANGE_EXEMPT_VIEWS or PASSWORD_CHANGE_EXEMPT_NAMESPACES.intersection(
                match.namespaces)
        ):
            return None
        reason = rules.password_change_reason(
            must_change=user.must_change_password, changed_at=user.password_changed_at, now=timezone.now(),
            max_age_days=settings.WUYOU_PASSWORD_MAX_AGE_DAYS,
        )
        if reason is None:
            return None
        messages.warning(request, password_change_message(reason))
        return away_to(request, reverse("password_change"))
