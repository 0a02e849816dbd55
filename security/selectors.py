"""Reads of the security app: who must pass a second factor, a request's address, an account's snapshot."""
import ipaddress

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

# Values of the setting WUYOU_2FA_REQUIRED_FOR.
TWO_FACTOR_ADMIN = "admin"
TWO_FACTOR_CITY = "city"
TWO_FACTOR_CHOICES = (TWO_FACTOR_ADMIN, TWO_FACTOR_CITY)

# 等保2.0 三级: audit records kept at least six months.
MINIMUM_RETENTION_DAYS = 180


def two_factor_required(user):
    """Whether `user` must pass a TOTP step after the password (setting WUYOU_2FA_REQUIRED_FOR)."""
    required_for = getattr(settings, "WUYOU_2FA_REQUIRED_FOR", ())
    if not user.is_authenticated or not required_for:
        return False
    if TWO_FACTOR_ADMIN in required_for and (user.is_staff or user.is_superuser):
        return True
    return TWO_FACTOR_CITY in required_for and user.is_city


def retention_days():
    """Days a security event is kept at least: the setting, never below the 180 days of 等保2.0 三级."""
    return max(MINIMUM_RETENTION_DAYS, getattr(settings, "WUYOU_SECURITY_EVENT_RETENTION_DAYS", 0))


def client_address(request):
    """The address the request came from, or None.

    REMOTE_ADDR only: behind the reverse proxy the deployment section of the README describes, the proxy's
    configuration decides what reaches the application; a header the client can write (X-Forwarded-For) is
    never trusted here.
    """
    address = getattr(request, "META", {}).get("REMOTE_ADDR") if request is not None else None
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def confirmed_totp_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_totp_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-pk").first()


def otp_devices(user, *, recovery):
    """The user's confirmed devices that a code of this kind is checked against: recovery codes or TOTP."""
    model = StaticDevice if recovery else TOTPDevice
    return list(model.objects.devices_for_user(user, confirmed=True))


def throttled_until(devices):
    """When django-otp lets these devices check a code again after repeated failures; None if it does now."""
    waits = []
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            waits.append(data["locked_until"])
    return max(waits, default=None)


def recovery_codes_left(user):
    device = StaticDevice.objects.devices_for_user(user, confirmed=True).first()
    return device.token_set.count() if device else 0


def account_snapshot(user):
    """What the event log tracks of an account, as display text: role, unit, flags, groups."""
    if user is None or user.pk is None:
        return None
    return {
        "role": user.get_role_display() or "—",
        "city": str(user.city) if user.city_id else "—",
        "county": str(user.county) if user.county_id else "—",
        "township": str(user.township) if user.township_id else "—",
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "groups": "、".join(sorted(user.groups.values_list("name", flat=True))) or "—",
    }
