"""Writes of the security app: the event log, the retention purge and the second factor's devices."""
from datetime import timedelta

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from security import selectors
from security.models import SecurityEvent
from security.roles import ADMINISTRATOR_PERMISSIONS

RECOVERY_CODE_COUNT = 10

# Control characters (a NUL byte cannot even be stored by PostgreSQL) are written as \xNN, so that what an
# attacker typed as a username is kept legibly and can never break the log or an export of it.
_CONTROL_ESCAPES = {code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F)}
_CONTROL_ESCAPES_KEEPING_NEWLINES = {code: text for code, text in _CONTROL_ESCAPES.items() if code != 0x0A}


def record_event(kind, *, request=None, user=None, username="", outcome="", detail="", subject=""):
    """Append one event to the security log and return it.

    `user` is the account that acted (default: the request's authenticated user); `username` names it as text
    (default: the user's username; for a failed login, the name that was typed). `subject` is the username of
    the account acted upon when it is not the actor's own (an administrator's change or password reset).
    `outcome` defaults to failure for the refusal kinds (login failure, lockout, second-factor failure) and to
    success otherwise. The address is the request's REMOTE_ADDR.
    """
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and (not user.is_authenticated or user.pk is None):
        user = None
    if not username and user is not None:
        username = user.get_username()
    event = SecurityEvent(
        kind=kind,
        user=user,
        username=str(username).translate(_CONTROL_ESCAPES)[:150],
        subject=str(subject).translate(_CONTROL_ESCAPES)[:150],
        address=selectors.client_address(request),
        outcome=outcome or default_outcome(kind),
        detail=str(detail).translate(_CONTROL_ESCAPES_KEEPING_NEWLINES),
    )
    # The user came from the session or the authentication backend: no query to check it exists.
    event.full_clean(exclude=["user"])
    event.save()
    return event


def default_outcome(kind):
    return SecurityEvent.Outcome.FAILURE if kind in SecurityEvent.FAILURE_KINDS else SecurityEvent.Outcome.SUCCESS


@transaction.atomic
def security_events_purge(*, older_than_days, now=None):
    """Delete the events older than `older_than_days` days (never fewer than the retention); return how many."""
    minimum = selectors.retention_days()
    if older_than_days < minimum:
        raise ValidationError(
            {"older_than_days": _("安全事件至少保存%(minimum)s天：保存天数不能少于%(minimum)s，当前为%(days)s。")
             % {"minimum": minimum, "days": older_than_days}},
            code="retention_too_short",
        )
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    deleted, _by_model = SecurityEvent.objects.occurred_before(cutoff).purge()
    record_event(
        SecurityEvent.Kind.EVENTS_PURGED, username="manage.py",
        detail=_("删除%(count)s条%(cutoff)s之前的安全事件（保存%(days)s天）。")
        % {"count": deleted, "cutoff": timezone.localtime(cutoff).strftime("%Y-%m-%d %H:%M"), "days": older_than_days},
    )
    return deleted


# The three administrators
# ------------------------------------------------------------------------------
@transaction.atomic
def administrator_groups_ensure():
    """The three groups with exactly their permissions (created by migration; re-created if deleted)."""
    groups = {}
    for name, pairs in ADMINISTRATOR_PERMISSIONS.items():
        wanted = Q()
        for app_label, codename in pairs:
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        permissions = list(Permission.objects.filter(wanted))
        if len(permissions) != len(pairs):
            # Emptied tables (a test database flushed without post_migrate): create them as migrate does.
            for app_config in apps.get_app_configs():
                create_permissions(app_config, verbosity=0)
            permissions = list(Permission.objects.filter(wanted))
        if len(permissions) != len(pairs):
            raise ImproperlyConfigured(f"{name}：缺少权限，请先运行 manage.py migrate。")
        groups[name], _created = Group.objects.get_or_create(name=name)
        groups[name].permissions.set(permissions)
    return groups


# Account changes
# ------------------------------------------------------------------------------
ACCOUNT_FIELD_LABELS = {
    "role": gettext_lazy("角色"),
    "city": gettext_lazy("所属市"),
    "county": gettext_lazy("所属县区"),
    "township": gettext_lazy("所属乡镇"),
    "is_active": gettext_lazy("有效"),
    "is_staff": gettext_lazy("职员状态"),
    "is_superuser": gettext_lazy("超级用户状态"),
    "groups": gettext_lazy("管理员组"),
}


def describe_account_changes(before, after):
    """['角色：乡镇民政办工作人员 → 县区民政局工作人员', ...] between two `selectors.account_snapshot`s."""

    def shown(value):
        if isinstance(value, bool):
            return _("是") if value else _("否")
        return value

    if before is None:
        return [_("新建账号")] + [
            f"{ACCOUNT_FIELD_LABELS[field]}：{shown(value)}" for field, value in after.items() if value not in ("—", False)
        ]
    return [
        f"{ACCOUNT_FIELD_LABELS[field]}：{shown(before[field])} → {shown(after[field])}"
        for field in after
        if before[field] != after[field]
    ]


def account_change_record(*, request, account, before):
    """Record what an administrator changed of `account` since the snapshot `before` (None: created)."""
    changes = describe_account_changes(before, selectors.account_snapshot(account))
    if not changes:
        return None
    return record_event(
        SecurityEvent.Kind.ACCOUNT_CHANGE, request=request, subject=account.get_username(), detail="；".join(changes)
    )


# Second factor (TOTP, recovery codes)
# ------------------------------------------------------------------------------
class OTPThrottled(Exception):
    """Too many wrong codes: django-otp checks no code before `retry_at`."""

    def __init__(self, retry_at):
        super().__init__(retry_at)
        self.retry_at = retry_at


def refuse_if_throttled(*, request, user, devices):
    """Raise OTPThrottled (and record the refusal) while django-otp is slowing failures down on `devices`."""
    retry_at = selectors.throttled_until(devices)
    if retry_at is not None:
        record_event(SecurityEvent.Kind.OTP_FAILED, request=request, user=user, detail=_("错误次数过多，暂停验证"))
        raise OTPThrottled(retry_at)


@transaction.atomic
def totp_enrolment_start(*, user):
    """Return the user's unconfirmed TOTP device (its key is shown as a QR code), created if needed."""
    device = selectors.pending_totp_device(user)
    if device is None:
        device = TOTPDevice(user=user, name=_("身份验证器"), confirmed=False)
        device.full_clean()
        device.save()
    return device


def totp_enrolment_confirm(*, request, user, device, token):
    """Confirm `device` with its first code; return the new recovery codes, or None if the code is wrong.

    The confirmed device replaces any earlier one, and new recovery codes replace the old: a user who lost
    their phone enrols again (after a recovery code, or after the security administrator deleted the device).
    Raises OTPThrottled after repeated wrong codes.
    """
    if device.user_id != user.pk or device.confirmed:
        raise ValueError("not the user's pending device")
    refuse_if_throttled(request=request, user=user, devices=[device])
    with transaction.atomic():
        if not device.verify_token(token):
            record_event(SecurityEvent.Kind.OTP_FAILED, request=request, user=user, detail=_("绑定时验证码错误"))
            return None
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        StaticDevice.objects.filter(user=user).delete()
        device.confirmed = True
        device.save()
        recovery = StaticDevice(user=user, name=_("恢复码"), confirmed=True)
        recovery.full_clean()
        recovery.save()
        codes = [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=recovery, token=code) for code in codes])
        record_event(SecurityEvent.Kind.OTP_ENROL, request=request, user=user, detail=_("绑定身份验证器并生成恢复码"))
    return codes


def otp_token_verify(*, request, user, token):
    """Return the device that accepts `token` — a 6-digit TOTP code or an unused recovery code — or None.

    A recovery code is consumed. Failures are recorded; after repeated failures django-otp makes each device
    wait longer before it checks a code again, and this raises OTPThrottled meanwhile.
    """
    recovery = not token.isdigit()  # a recovery code is never tried as a TOTP code (it would count as a failure)
    refuse_if_throttled(request=request, user=user, devices=selectors.otp_devices(user, recovery=recovery))
    with transaction.atomic():
        for device in selectors.otp_devices(user, recovery=recovery):
            device = type(device).objects.select_for_update().get(pk=device.pk)
            if device.verify_token(token):
                break
        else:
            device = None
    if device is None:
        record_event(SecurityEvent.Kind.OTP_FAILED, request=request, user=user,
                     detail=_("恢复码错误或已使用") if recovery else _("验证码错误"))
    else:
        record_event(SecurityEvent.Kind.OTP_VERIFIED, request=request, user=user,
                     detail=_("使用恢复码") if recovery else _("使用身份验证器"))
    return device
