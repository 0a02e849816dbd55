"""Login failures (django-axes): 5 failures for a username from one address lock it for 15 minutes."""
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.accounts.conftest import ADDRESS, STRONG_PASSWORD

LOCKED = "登录失败次数过多，该账号已被锁定15分钟"
WRONG = "wrong-password-1"
LOGINS = [pytest.param("login", id="app login"), pytest.param("admin:login", id="admin login")]


def fail(log_in, username, times, *, url_name="login", address=ADDRESS):
    for _ in range(times):
        response = log_in(username, WRONG, url=reverse(url_name), address=address)
    return response


def logged_in(client):
    return "_auth_user_id" in client.session


def test_settings_lock_after_five_failures_for_fifteen_minutes_by_username_and_address():
    assert settings.WUYOU_LOGIN_FAILURE_LIMIT == settings.AXES_FAILURE_LIMIT == 5
    assert settings.WUYOU_LOCKOUT_MINUTES == 15 and settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_both_numbers_are_read_from_the_environment():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "WUYOU_"))}
    script = "from django.conf import settings as s; print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.seconds // 60)"
    env = {**clean, "DJANGO_SETTINGS_MODULE": "config.settings.test", "WUYOU_LOGIN_FAILURE_LIMIT": "3",
           "WUYOU_LOCKOUT_MINUTES": "30"}
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {script}"], env=env,
                            cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["3", "30"], result.stderr


@pytest.mark.parametrize("url_name", LOGINS)
def test_five_failures_lock_the_account_and_the_right_password_is_refused(
    url_name, clerk_with_password, superuser, log_in_with_password, client
):
    user = superuser if url_name == "admin:login" else clerk_with_password
    response = fail(log_in_with_password, user.username, 4, url_name=url_name)
    assert response.status_code == 200 and LOCKED not in response.content.decode()

    response = fail(log_in_with_password, user.username, 1, url_name=url_name)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()

    response = log_in_with_password(user.username, STRONG_PASSWORD, url=reverse(url_name))
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert not logged_in(client)


def test_the_lockout_answer_is_the_login_form_again(clerk_with_password, log_in_with_password):
    page = fail(log_in_with_password, clerk_with_password.username, 5).content.decode()
    assert 'name="password"' in page and f'value="{clerk_with_password.username}"' in page
    admin_page = fail(log_in_with_password, "root", 5, url_name="admin:login").content.decode()
    assert 'name="password"' in admin_page and LOCKED in admin_page


def test_a_username_that_does_not_exist_gets_the_same_answer(clerk_with_password, log_in_with_password):
    existing = fail(log_in_with_password, clerk_with_password.username, 5)
    missing = fail(log_in_with_password, "nobody-at-all", 5)
    assert missing.status_code == existing.status_code == 429
    assert LOCKED in missing.content.decode()
    # Before the limit too, the refusal does not say which of the two was wrong.
    for username in (clerk_with_password.username, "nobody-else"):
        AccessAttempt.objects.all().delete()
        page = fail(log_in_with_password, username, 1).content.decode()
        assert "请输入一个正确的用户名和密码。注意，两者都区分大小写。" in page


def test_the_message_names_the_configured_minutes(clerk_with_password, log_in_with_password):
    with override_settings(AXES_COOLOFF_TIME=timedelta(minutes=30)):
        page = fail(log_in_with_password, clerk_with_password.username, 5).content.decode()
    assert "该账号已被锁定30分钟" in page


def test_the_lock_is_for_the_username_from_that_address(clerk_with_password, log_in_with_password, client):
    fail(log_in_with_password, clerk_with_password.username, 5, address="10.9.9.9")
    response = log_in_with_password(clerk_with_password.username, address="10.8.8.8")
    assert response.status_code == 302 and logged_in(client)


@pytest.mark.parametrize("url_name", LOGINS)
def test_released_after_the_cool_off(url_name, clerk_with_password, superuser, log_in_with_password, client):
    user = superuser if url_name == "admin:login" else clerk_with_password
    fail(log_in_with_password, user.username, 5, url_name=url_name)
    # Fifteen minutes pass: move the attempts back rather than wait.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=1))
    response = log_in_with_password(user.username, url=reverse(url_name))
    assert response.status_code == 302 and logged_in(client)


def test_still_locked_just_before_the_cool_off_ends(clerk_with_password, log_in_with_password, client):
    fail(log_in_with_password, clerk_with_password.username, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert log_in_with_password(clerk_with_password.username).status_code == 429
    assert not logged_in(client)


def test_a_success_starts_the_count_again(clerk_with_password, log_in_with_password, client):
    fail(log_in_with_password, clerk_with_password.username, 4)
    assert log_in_with_password(clerk_with_password.username).status_code == 302
    client.logout()
    assert fail(log_in_with_password, clerk_with_password.username, 4).status_code == 200


def test_every_failure_is_logged(clerk_with_password, log_in_with_password):
    fail(log_in_with_password, clerk_with_password.username, 3)
    failures = AccessFailureLog.objects.filter(username=clerk_with_password.username, ip_address=ADDRESS)
    assert failures.count() == 3
    attempt = AccessAttempt.objects.get(username=clerk_with_password.username)
    assert attempt.failures_since_start == 3 and WRONG not in attempt.post_data


def test_the_administrator_lists_and_lifts_a_lockout(clerk_with_password, superuser, log_in_with_password, client):
    fail(log_in_with_password, clerk_with_password.username, 5)
    client.force_login(superuser)
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and clerk_with_password.username in listing.content.decode()
    attempt = AccessAttempt.objects.get(username=clerk_with_password.username)
    response = client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert response.status_code == 302 and not AccessAttempt.objects.exists()
    client.logout()
    assert log_in_with_password(clerk_with_password.username).status_code == 302 and logged_in(client)
