"""The security event log (append-only) and the administrators' view of user accounts."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offices.models import User
from security.querysets import AppendOnlyError, SecurityEventQuerySet


class EventKind(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKOUT = "lockout", _("账号锁定")
    LOGOUT = "logout", _("退出登录")
    PASSWORD_CHANGE = "password_change", _("修改密码")
    PASSWORD_RESET = "password_reset", _("重置密码")
    ACCOUNT_CHANGE = "account_change", _("账号、角色或单位变更")
    OTP_ENROL = "otp_enrol", _("绑定双因素认证")
    OTP_VERIFIED = "otp_verified", _("双因素认证通过")
    OTP_FAILED = "otp_failed", _("双因素认证失败")
    EVENTS_PURGED = "events_purged", _("清理过期安全事件")


class EventOutcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")


class SecurityEvent(models.Model):
    """One security-relevant event: who, when, from where, what, and whether it succeeded.

    Rows are only ever added: `save()` refuses to update a stored row, `delete()` refuses, and the
    queryset refuses bulk updates and deletes. The one way out is the retention purge
    (`security.services.security_events_purge`), which keeps at least 180 days (等保2.0 三级: 审计记录
    留存不少于六个月).
    """

    Kind = EventKind
    Outcome = EventOutcome

    # Kinds that record a refusal; every other kind records something that happened.
    FAILURE_KINDS = frozenset({EventKind.LOGIN_FAILED, EventKind.LOCKOUT, EventKind.OTP_FAILED})

    kind = models.CharField(_("事件类型"), max_length=32, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    # The account that acted, also kept as text: a failed login names a username that may not exist.
    # PROTECT: an account with a history is deactivated, never deleted (deleting it would have to rewrite
    # the log, which refuses updates).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("操作账号"),
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True, db_index=True)
    subject = models.CharField(
        _("被操作账号"), max_length=150, blank=True, help_text=_("管理员变更、重置的账号；本人操作时为空。")
    )
    address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices)
    detail = models.TextField(_("详情"), blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("安全事件")
        verbose_name_plural = _("安全事件")
        ordering = ["-occurred_at", "-pk"]
        # Only "view": nobody, the superuser included, is given a permission to add, change or delete an event.
        default_permissions = ("view",)
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values), name="securityevent_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=EventOutcome.values), name="securityevent_outcome_known"
            ),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(_("安全事件只能新增，不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(_("安全事件不能删除；超过保存期限的记录由 purge_security_events 命令清理。"))


class UnitAssignment(User):
    """A user seen by the system administrator: the unit they belong to, and nothing else of the account.

    A proxy with permissions of its own, so that Django's model permissions separate the two
    administrators: the system administrator changes units here, the security administrator changes
    accounts on the user model itself (security.admin).
    """

    class Meta:
        proxy = True
        verbose_name = _("用户所属单位")
        verbose_name_plural = _("用户所属单位")
        default_permissions = ("view", "change")
