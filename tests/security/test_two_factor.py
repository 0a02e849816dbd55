"""Two factors (django-otp, TOTP): the setting WUYOU_2FA_REQUIRED_FOR, enrolment, the code step, recovery codes."""
import re

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from security.models import SecurityEvent
from tests.factories.offices import UserFactory
from tests.security.conftest import ADDRESS, PASSWORD, enrolled, totp_code

pytestmark = pytest.mark.django_db

VERIFY = "/accounts/otp/"
ENROL = "/accounts/otp/enrol/"
RECOVERY = "/accounts/otp/recovery-codes/"


@pytest.fixture
def required_for(settings):
    def _require(*values):
        settings.WUYOU_2FA_REQUIRED_FOR = list(values)

    return _require


@pytest.fixture
def city_user(city):
    return UserFactory(username="city3713", role="city", city=city, password=PASSWORD)


@pytest.fixture
def no_throttling(settings):
    """Let a test send a wrong code and then the right one without waiting (django-otp slows failures down)."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def dashboard(city):
    return reverse("assessments:dashboard", args=[city.code])


def lands_on(response):
    return response.headers.get("Location", "")


def test_off_by_default_and_login_is_unchanged(city_user, password_login, client):
    assert django_settings.WUYOU_2FA_REQUIRED_FOR == []
    response = password_login("city3713")
    assert response.status_code == 302
    page = client.get("/", follow=True)
    assert page.status_code == 200 and VERIFY not in page.redirect_chain[-1][0] and ENROL not in page.redirect_chain[-1][0]
    assert not TOTPDevice.objects.exists()


def test_unknown_setting_value_is_a_system_check_error(settings):
    from security.checks import check_security_settings

    settings.WUYOU_2FA_REQUIRED_FOR = ["admins"]
    assert [error.id for error in check_security_settings(None)] == ["security.E001"]
    settings.WUYOU_2FA_REQUIRED_FOR = ["admin", "city"]
    assert check_security_settings(None) == []


def test_user_without_device_is_sent_to_enrolment_and_enrols(city_user, required_for, password_login, client):
    required_for("city")
    password_login("city3713")

    response = client.get("/")
    assert response.status_code == 302 and lands_on(response).startswith(ENROL)
    page = client.get(lands_on(response))
    assert page.status_code == 200
    content = page.content.decode()
    assert 'src="data:image/svg+xml' in content
    device = TOTPDevice.objects.get(user=city_user, confirmed=False)
    secret = re.search(r'<code class="user-select-all">([A-Z2-7 ]+)</code>', content).group(1)
    assert len(secret.replace(" ", "")) == 32  # the 20-byte key in base32, for typing it in by hand

    done = client.post(ENROL, {"token": totp_code(device), "next": "/"}, REMOTE_ADDR=ADDRESS)
    assert done.status_code == 302 and lands_on(done).startswith(RECOVERY)
    device.refresh_from_db()
    assert device.confirmed

    codes_page = client.get(lands_on(done)).content.decode()
    codes = StaticToken.objects.filter(device__user=city_user).values_list("token", flat=True)
    assert len(codes) == 10 and all(code in codes_page for code in codes)
    # Shown once.
    again = client.get(RECOVERY)
    assert again.status_code == 302 and not any(code in client.get("/", follow=True).content.decode() for code in codes)

    # The session has passed the second step: the dashboard opens.
    assert client.get(dashboard(city_user.city)).status_code == 200
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.OTP_ENROL)
    assert (event.user, event.username, event.outcome, event.address) == (city_user, "city3713", "success", ADDRESS)


def test_enrolment_refuses_a_wrong_first_code(city_user, required_for, password_login, client):
    required_for("city")
    password_login("city3713")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=city_user)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"

    response = client.post(ENROL, {"token": wrong})
    assert response.status_code == 200 and "验证码：不正确" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed and not StaticDevice.objects.exists()
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.OTP_FAILED, outcome="failure").count() == 1
    assert client.get(dashboard(city_user.city)).status_code == 302


def test_enrolled_user_must_enter_a_correct_code(city_user, required_for, password_login, client, no_throttling):
    required_for("city")
    device = enrolled(city_user)
    password_login("city3713")
    target = dashboard(city_user.city)

    response = client.get(target)
    assert response.status_code == 302 and lands_on(response) == f"{VERIFY}?next={target.replace('/', '%2F')}"

    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    refused = client.post(VERIFY, {"token": wrong, "next": target})
    assert refused.status_code == 200 and "验证码：不正确" in refused.content.decode()
    assert client.get(target).status_code == 302

    accepted = client.post(VERIFY, {"token": totp_code(device), "next": target})
    assert accepted.status_code == 302 and lands_on(accepted) == target
    assert client.get(target).status_code == 200
    kinds = list(SecurityEvent.objects.order_by("pk").values_list("kind", "outcome"))
    assert kinds == [("login", "success"), ("otp_failed", "failure"), ("otp_verified", "success")]


def test_a_code_is_not_accepted_twice(city_user, required_for, password_login, client):
    required_for("city")
    device = enrolled(city_user)
    code = totp_code(device)
    password_login("city3713")
    assert client.post(VERIFY, {"token": code}).status_code == 302
    client.post("/accounts/logout/")

    password_login("city3713")
    assert client.post(VERIFY, {"token": code}).status_code == 200  # replayed: refused


def test_repeated_failures_are_slowed_down(city_user, required_for, password_login, client):
    required_for("city")
    device = enrolled(city_user)
    password_login("city3713")
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    client.post(VERIFY, {"token": wrong})
    # django-otp now waits before it checks another code, however right.
    response = client.post(VERIFY, {"token": totp_code(device)})
    assert response.status_code == 200 and "错误次数过多" in response.content.decode()
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.OTP_FAILED).count() == 2


def test_a_recovery_code_works_once(city_user, required_for, password_login, client):
    required_for("city")
    enrolled(city_user)
    recovery = StaticDevice.objects.create(user=city_user, name="恢复码", confirmed=True)
    recovery.token_set.create(token="abcd2345")
    recovery.token_set.create(token="wxyz6777")
    target = dashboard(city_user.city)

    password_login("city3713")
    response = client.post(VERIFY, {"token": "ABCD 2345", "next": target})
    assert response.status_code == 302 and lands_on(response) == target
    assert "还剩1个" in client.get(target).content.decode()
    client.post("/accounts/logout/")

    password_login("city3713")
    again = client.post(VERIFY, {"token": "abcd2345", "next": target})
    assert again.status_code == 200 and "验证码：不正确或已使用过" in again.content.decode()
    assert client.get(target).status_code == 302
    assert list(recovery.token_set.values_list("token", flat=True)) == ["wxyz6777"]


def test_roles_not_named_by_the_setting_log_in_with_the_password(county, required_for, password_login, client):
    required_for("city")
    UserFactory(username="county371302", role="county", county=county, password=PASSWORD)
    UserFactory(username="staff", is_staff=True, password=PASSWORD)
    password_login("county371302")
    assert client.get("/", follow=True).status_code == 200
    client.post("/accounts/logout/")
    password_login("staff", url="/admin/login/?next=/admin/")
    assert client.get("/admin/").status_code == 200


def test_admin_site_requires_the_code_for_staff(secadmin, required_for, password_login, client):
    required_for("admin")
    device = enrolled(secadmin)
    response = password_login("secadmin", url="/admin/login/?next=/admin/")
    assert response.status_code == 302
    for path in ("/admin/", "/admin/offices/user/", "/"):
        refused = client.get(path)
        assert refused.status_code == 302 and lands_on(refused).startswith(VERIFY), path
    assert client.post(VERIFY, {"token": totp_code(device), "next": "/admin/"}).status_code == 302
    assert client.get("/admin/offices/user/").status_code == 200


def test_superuser_too(superuser, required_for, password_login, client):
    required_for("admin")
    password_login("root", url="/admin/login/?next=/admin/")
    response = client.get("/admin/")
    assert response.status_code == 302 and lands_on(response).startswith(ENROL)


def test_pages_reachable_before_the_code(city_user, required_for, password_login, client):
    required_for("city")
    enrolled(city_user)
    password_login("city3713")
    assert client.get(VERIFY).status_code == 200
    assert client.post("/i18n/setlang/", {"language": "en", "next": VERIFY}).status_code == 302
    # The password cannot be changed with the password alone.
    response = client.get("/accounts/password/")
    assert response.status_code == 302 and lands_on(response).startswith(VERIFY)
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_enrolment_is_not_offered_to_a_user_who_has_an_authenticator_until_verified(
    city_user, required_for, password_login, client
):
    required_for("city")
    device = enrolled(city_user)
    password_login("city3713")
    response = client.get(ENROL)
    assert response.status_code == 302 and lands_on(response).startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=city_user).count() == 1

    client.post(VERIFY, {"token": totp_code(device)})
    # Verified: they may bind a new phone, which replaces the old device.
    assert client.get(ENROL).status_code == 200
    new = TOTPDevice.objects.get(user=city_user, confirmed=False)
    assert client.post(ENROL, {"token": totp_code(new, steps_ahead=1)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=city_user).values_list("pk", flat=True)) == [new.pk]


def test_the_pages_say_so_when_the_setting_does_not_name_the_user(clerk, login):
    client = login(clerk)
    for path in (VERIFY, ENROL):
        response = client.get(path)
        assert response.status_code == 302 and lands_on(response) == "/"
    assert not TOTPDevice.objects.exists()


def test_a_password_to_change_comes_after_the_code(city_user, required_for, password_login, client):
    required_for("city")
    device = enrolled(city_user)
    city_user.must_change_password = True
    city_user.save()
    password_login("city3713")
    first = client.get("/")
    assert lands_on(first).startswith(VERIFY)
    assert client.get(lands_on(first)).status_code == 200  # the code page, not the password change
    client.post(VERIFY, {"token": totp_code(device), "next": "/"})
    then = client.get("/")
    assert lands_on(then) == "/accounts/password/"
    assert client.get("/accounts/password/").status_code == 200


@pytest.mark.parametrize("target", ["abc", "//evil.example/", "https://evil.example/", "javascript:alert(1)", "\\x"])
def test_next_goes_nowhere_but_this_site(city_user, required_for, password_login, client, target):
    required_for("city")
    device = enrolled(city_user)
    password_login("city3713")
    response = client.post(VERIFY, {"token": totp_code(device), "next": target})
    assert response.status_code == 302 and lands_on(response) == "/"
    assert lands_on(client.get(RECOVERY, {"next": target})) == "/"
