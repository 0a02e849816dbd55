"""System checks of the security settings: a mistyped value must not silently switch a protection off."""
from django.conf import settings
from django.core.checks import Error, register

from security.selectors import MINIMUM_RETENTION_DAYS, TWO_FACTOR_CHOICES


@register()
def check_security_settings(app_configs, **kwargs):
    errors = []
    unknown = [value for value in getattr(settings, "WUYOU_2FA_REQUIRED_FOR", ()) if value not in TWO_FACTOR_CHOICES]
    if unknown:
        errors.append(Error(
            f"WUYOU_2FA_REQUIRED_FOR 含有无法识别的值：{', '.join(map(repr, unknown))}。",
            hint=f"可用的值：{', '.join(TWO_FACTOR_CHOICES)}（逗号分隔），或留空表示不要求双因素认证。",
            id="security.E001",
        ))
    days = getattr(settings, "WUYOU_SECURITY_EVENT_RETENTION_DAYS", MINIMUM_RETENTION_DAYS)
    if not isinstance(days, int) or days < MINIMUM_RETENTION_DAYS:
        errors.append(Error(
            f"WUYOU_SECURITY_EVENT_RETENTION_DAYS 为 {days!r}：安全事件至少保存 {MINIMUM_RETENTION_DAYS} 天。",
            hint=f"设为不小于 {MINIMUM_RETENTION_DAYS} 的整数天数。",
            id="security.E002",
        ))
    return errors
