"""Connect the security log to Django's authentication signals, offices.accounts' password change and
django-axes' lockout signal.

Each receiver only records: it hands the signal's arguments to `services.record_event`.
"""
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext as _

from offices.accounts.signals import password_changed
from security import services
from security.models import SecurityEvent


@receiver(user_logged_in, dispatch_uid="security_login")
def record_login(sender, request, user, **kwargs):
    detail = _("超级用户登录：超级用户仅用于安装，日常管理请使用三员账号。") if user.is_superuser else ""
    services.record_event(SecurityEvent.Kind.LOGIN, request=request, user=user, detail=detail)


@receiver(user_logged_out, dispatch_uid="security_logout")
def record_logout(sender, request, user, **kwargs):
    if user is not None:
        services.record_event(SecurityEvent.Kind.LOGOUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="security_login_failed")
def record_login_failure(sender, credentials, request=None, **kwargs):
    # Django has already replaced the password in `credentials` with stars; only the username is kept.
    services.record_event(
        SecurityEvent.Kind.LOGIN_FAILED, request=request, user=None, username=credentials.get("username") or ""
    )


@receiver(password_changed, dispatch_uid="security_password_changed")
def record_password_change(sender, user, request=None, by=None, **kwargs):
    """The user's own change, or an administrator's reset of `user`'s password (`by` is the administrator)."""
    if by is None or by.pk == user.pk:
        services.record_event(SecurityEvent.Kind.PASSWORD_CHANGE, request=request, user=user)
    else:
        services.record_event(
            SecurityEvent.Kind.PASSWORD_RESET, request=request, user=by, subject=user.get_username(),
            detail=_("管理员重置了该账号的密码，用户下次登录须修改。"),
        )


@receiver(user_locked_out, dispatch_uid="security_lockout")
def record_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    services.record_event(
        SecurityEvent.Kind.LOCKOUT, request=request, user=None, username=username or "",
        detail=_("连续登录失败次数过多，账号已被临时锁定。"),
    )

