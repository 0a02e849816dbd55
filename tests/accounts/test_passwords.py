"""Password rules, the change page, the change forced after an administrator set a password, expiry."""
import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from offices import demo as offices_demo
from offices.models import User
from tests.accounts.conftest import STRONG_PASSWORD
from tests.factories.offices import UserFactory

CJK = re.compile(r"[\u4e00-\u9fff]")
NEW_PASSWORD = "Lanshan@Office-2026"


def refusals(password, username="zhangsan"):
    try:
        validate_password(password, User(username=username, first_name="三", last_name="张"))
    except ValidationError as error:
        return error.messages
    return []


@pytest.mark.parametrize(
    "password, expected",
    [
        ("zhangsan", ["密码太短：至少需要10个字符。", "密码过于简单", "密码跟 用户名 太相似了。"]),
        ("Ab1-xyz", ["密码太短：至少需要10个字符。"]),  # 4 classes, 7 characters
        ("abcdefghijk", ["密码过于简单：须包含大写字母、小写字母、数字、符号四类字符中的至少3类，当前只有1类。"]),
        ("kunlunshan2718", ["当前只有2类"]),
        ("Zhangsan-2025", ["密码跟 用户名 太相似了。"]),
        ("Password123!", []),
        ("1234567890123", ["密码只包含数字。"]),
        ("P@ssw0rd2024", []),
        ("Qwerty12345", ["这个密码太常见了。"]),
    ],
)
def test_password_rules(password, expected):
    found = refusals(password)
    for message in expected:
        assert any(message in refusal for refusal in found), found
    if not expected:
        assert found == [] or all("常见" in message for message in found), found


def test_zhangsan_is_refused_in_chinese_only():
    found = refusals("zhangsan")
    assert len(found) >= 3 and all(CJK.search(message) for message in found), found


def test_a_strong_password_passes():
    assert refusals(STRONG_PASSWORD) == []
    assert refusals("Lanshan@Office-2026") == []


def test_the_help_text_lists_every_rule_in_chinese():
    from django.contrib.auth.password_validation import password_validators_help_texts

    texts = password_validators_help_texts()
    assert "密码至少需要10个字符。" in texts
    assert "密码须包含大写字母、小写字母、数字、符号四类字符中的至少3类。" in texts
    assert all(CJK.search(text) for text in texts), texts


# The change page -------------------------------------------------------------------------------------------


@pytest.fixture
def admin_without_role(db):
    """One of the three administrators: staff, no role, no unit."""
    return UserFactory(username="secadmin", is_staff=True, password=STRONG_PASSWORD)


@pytest.mark.parametrize("who", ["clerk", "county_official", "city_staff", "admin_without_role", "superuser"])
def test_every_user_opens_the_change_page(who, request, client):
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "修改密码" in text and 'name="old_password"' in text and 'name="new_password2"' in text


def test_the_user_menu_links_to_the_change_page(clerk, client):
    client.force_login(clerk)
    page = client.get(reverse("password_change"))
    assert f'href="{reverse("password_change")}"' in page.content.decode()


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def change(client, old=STRONG_PASSWORD, new=NEW_PASSWORD, again=None):
    return client.post(reverse("password_change"),
                       {"old_password": old, "new_password1": new, "new_password2": again or new})


def test_a_user_changes_their_password_and_stays_logged_in(clerk_with_password, client):
    client.force_login(clerk_with_password)
    before = timezone.now()
    response = change(client)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    clerk_with_password.refresh_from_db()
    assert clerk_with_password.check_password(NEW_PASSWORD)
    assert clerk_with_password.password_changed_at >= before
    follow = client.get(reverse("password_change"))
    assert follow.status_code == 200 and "密码已修改。" in follow.content.decode()


@pytest.mark.parametrize(
    "data, field_message",
    [
        ({"old": "not-my-password"}, "旧密码不正确"),
        ({"new": "zhangsan"}, "密码太短：至少需要10个字符。"),
        ({"new": "kunlunshan2718"}, "当前只有2类"),
        ({"new": "Clerk371302!"}, "太相似"),
        ({"again": "Different@Pass-99"}, "输入的两个密码不一致。"),
    ],
)
def test_a_refused_change_says_why_in_chinese(data, field_message, clerk_with_password, client):
    client.force_login(clerk_with_password)
    response = change(client, **data)
    assert response.status_code == 200
    assert field_message in response.content.decode()
    clerk_with_password.refresh_from_db()
    assert clerk_with_password.check_password(STRONG_PASSWORD)


# The change forced after an administrator set the password ---------------------------------------------------


@pytest.fixture
def new_clerk(clerk_with_password):
    clerk_with_password.must_change_password = True
    clerk_with_password.save()
    return clerk_with_password


@pytest.mark.parametrize("url_name, args", [("home", []), ("offices:township", ["371302001000"])])
def test_every_page_sends_a_user_who_must_change_to_the_change_page(url_name, args, new_clerk, client):
    client.force_login(new_clerk)
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    page = client.get(response["Location"])
    assert page.status_code == 200 and "您的密码由管理员设置，请先修改为只有您自己知道的密码" in page.content.decode()


def test_htmx_requests_are_told_to_leave_for_the_change_page(new_clerk, client):
    client.force_login(new_clerk)
    response = client.get(reverse("home"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("password_change")


def test_a_user_who_must_change_can_still_log_out(new_clerk, client):
    client.force_login(new_clerk)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and "_auth_user_id" not in client.session


def test_after_the_change_every_page_opens_again(new_clerk, client):
    client.force_login(new_clerk)
    change(client)
    new_clerk.refresh_from_db()
    assert not new_clerk.must_change_password
    assert client.get(reverse("offices:township", args=["371302001000"])).status_code == 200


def test_the_admin_pages_too_wait_for_the_change(superuser, client):
    superuser.must_change_password = True
    superuser.save()
    client.force_login(superuser)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")


def test_a_user_created_by_an_administrator_must_change_at_first_login(superuser, township, client):
    client.force_login(superuser)
    response = client.post(reverse("admin:offices_user_add"), {
        "username": "town371302001b", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true",
        "role": "township", "township": township.pk,
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    created = User.objects.get(username="town371302001b")
    assert created.must_change_password and created.password_changed_at is not None
    client.logout()
    client.post(reverse("login"), {"username": "town371302001b", "password": NEW_PASSWORD}, REMOTE_ADDR="10.0.0.7")
    assert client.get(reverse("home"))["Location"] == reverse("password_change")


def test_the_admin_refuses_a_weak_password_for_a_new_user(superuser, client):
    client.force_login(superuser)
    response = client.post(reverse("admin:offices_user_add"), {
        "username": "lisi", "password1": "zhangsan", "password2": "zhangsan", "usable_password": "true",
    })
    assert response.status_code == 200 and "密码太短：至少需要10个字符。" in response.content.decode()
    assert not User.objects.filter(username="lisi").exists()


def test_a_password_reset_by_an_administrator_must_be_changed(superuser, clerk_with_password, client):
    from offices.accounts.signals import password_changed

    sent = []
    password_changed.connect(lambda **kwargs: sent.append(kwargs), weak=False, dispatch_uid="test-reset")
    try:
        client.force_login(superuser)
        url = reverse("admin:auth_user_password_change", args=[clerk_with_password.pk])
        response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    finally:
        password_changed.disconnect(dispatch_uid="test-reset")
    assert response.status_code == 302
    clerk_with_password.refresh_from_db()
    assert clerk_with_password.must_change_password and clerk_with_password.check_password(NEW_PASSWORD)
    assert [(s["user"], s["by"]) for s in sent] == [(clerk_with_password, superuser)]


def test_the_admin_shows_and_sets_the_flag(superuser, clerk_with_password, client):
    client.force_login(superuser)
    page = client.get(reverse("admin:offices_user_change", args=[clerk_with_password.pk])).content.decode()
    assert 'name="must_change_password"' in page and "密码修改时间" in page


# Expiry ----------------------------------------------------------------------------------------------------


def age(user, days):
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=days))


def test_setting_a_password_starts_the_expiry_clock(db):
    user = UserFactory()
    assert user.password_changed_at is not None and timezone.now() - user.password_changed_at < timedelta(hours=1)


def test_expiry_is_off_by_default(settings, clerk_with_password, client):
    assert settings.WUYOU_PASSWORD_MAX_AGE_DAYS == 0
    age(clerk_with_password, 10_000)
    client.force_login(clerk_with_password)
    assert client.get(reverse("offices:township", args=["371302001000"])).status_code == 200


@override_settings(WUYOU_PASSWORD_MAX_AGE_DAYS=90)
def test_an_expired_password_must_be_changed(clerk_with_password, client):
    age(clerk_with_password, 91)
    client.force_login(clerk_with_password)
    response = client.get(reverse("offices:township", args=["371302001000"]))
    assert response["Location"] == reverse("password_change")
    assert "您的密码已使用超过90天" in client.get(response["Location"]).content.decode()
    change(client)
    assert client.get(reverse("offices:township", args=["371302001000"])).status_code == 200


@override_settings(WUYOU_PASSWORD_MAX_AGE_DAYS=90)
def test_a_password_younger_than_the_limit_is_kept(clerk_with_password, client):
    age(clerk_with_password, 89)
    client.force_login(clerk_with_password)
    assert client.get(reverse("offices:township", args=["371302001000"])).status_code == 200


# The demo accounts are exempt ----------------------------------------------------------------------------


@override_settings(WUYOU_PASSWORD_MAX_AGE_DAYS=1)
def test_demo_accounts_are_neither_forced_nor_expired(city, county, township, client):
    offices_demo.build_users([city], [county], [township])
    user = User.objects.get(username=f"town{township.code[:9]}")
    assert not user.must_change_password and user.password_changed_at is None
    client.post(reverse("login"), {"username": user.username, "password": offices_demo.DEMO_PASSWORD},
                REMOTE_ADDR="10.0.0.9")
    assert client.get(reverse("offices:township", args=[township.code])).status_code == 200


def test_the_migration_starts_the_clock_of_existing_passwords(clerk_with_password, db):
    User.objects.filter(pk=clerk_with_password.pk).update(password_changed_at=None)
    unusable = UserFactory(username="nopass")
    User.objects.filter(pk=unusable.pk).update(password="!unusable", password_changed_at=None)
    migration = importlib.import_module("offices.migrations.0007_user_password_state")
    migration.stamp_existing_passwords(apps, None)
    assert User.objects.get(pk=clerk_with_password.pk).password_changed_at is not None
    assert User.objects.get(pk=unusable.pk).password_changed_at is None


@override_settings(WUYOU_2FA_REQUIRED_FOR=["city"])
def test_a_user_due_for_both_a_second_factor_and_a_change_is_not_sent_round_in_circles(city_staff, client):
    city_staff.must_change_password = True
    city_staff.save()
    client.force_login(city_staff)
    first = client.get(reverse("home"))
    assert first.status_code == 302
    second_factor_page = client.get(first["Location"])
    assert second_factor_page.status_code == 200, second_factor_page.get("Location")
