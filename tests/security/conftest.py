import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from security.roles import AUDIT_ADMINISTRATOR, SECURITY_ADMINISTRATOR, SYSTEM_ADMINISTRATOR
from security.services import administrator_groups_ensure
from tests.factories.offices import UserFactory

PASSWORD = "Qilin#Harbor-2718"
ADDRESS = "10.20.30.40"


def administrator(username, group_name):
    """A staff account in one of the three groups (made by security's migration, re-made if a flush removed them)."""
    user = UserFactory(username=username, is_staff=True, password=PASSWORD)
    user.groups.add(administrator_groups_ensure()[group_name])
    return user


@pytest.fixture
def sysadmin(db):
    return administrator("sysadmin", SYSTEM_ADMINISTRATOR)


@pytest.fixture
def secadmin(db):
    return administrator("secadmin", SECURITY_ADMINISTRATOR)


@pytest.fixture
def auditadmin(db):
    return administrator("auditadmin", AUDIT_ADMINISTRATOR)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True, password=PASSWORD)


def totp_code(device, *, steps_ahead=0):
    """The code an authenticator app shows for `device`, `steps_ahead` time steps from now.

    A TOTP code is accepted once (django-otp refuses a time step already used), and a device accepts the
    next step too (tolerance 1): a second code in the same test is taken one step ahead.
    """
    device.refresh_from_db()  # its drift, if a verification synchronised it
    t0 = device.t0 - steps_ahead * device.step  # the clock moved forward is the origin moved back
    return f"{totp(device.bin_key, device.step, t0, device.digits, device.drift):0{device.digits}d}"


@pytest.fixture
def password_login(client):
    """Sign in with the password on the app's login page (the first step), from ADDRESS."""

    def _log_in(username, password=PASSWORD, *, url="/accounts/login/", address=ADDRESS, follow=False):
        return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address, follow=follow)

    return _log_in


def enrolled(user):
    """Give `user` a confirmed authenticator, as if they had enrolled."""
    return TOTPDevice.objects.create(user=user, name="测试", confirmed=True)
