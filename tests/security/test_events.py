"""The security log: each kind of event recorded with who, when, address and outcome; append-only; 180 days."""
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from security import services
from security.checks import check_security_settings
from security.models import SecurityEvent
from tests.factories.offices import UserFactory
from tests.security.conftest import ADDRESS, PASSWORD, totp_code

pytestmark = pytest.mark.django_db

Kind = SecurityEvent.Kind
NEW_PASSWORD = "Lantern#River-4096"


@pytest.fixture
def account(township):
    return UserFactory(username="clerk371302", role="township", township=township, password=PASSWORD)


def only(kind):
    return SecurityEvent.objects.get(kind=kind)


def assert_recorded(event, *, kind, user, username, outcome, address=ADDRESS, since):
    assert event.kind == kind
    assert event.user == user and event.username == username
    assert event.outcome == outcome and event.address == address
    assert since <= event.occurred_at <= timezone.now()


def test_login_success_failure_and_logout(account, password_login, client):
    since = timezone.now()
    password_login("clerk371302", "wrong-password-1")
    assert_recorded(only(Kind.LOGIN_FAILED), kind="login_failed", user=None, username="clerk371302",
                    outcome="failure", since=since)

    password_login("clerk371302")
    assert_recorded(only(Kind.LOGIN), kind="login", user=account, username="clerk371302", outcome="success", since=since)

    client.post("/accounts/logout/", REMOTE_ADDR=ADDRESS)
    assert_recorded(only(Kind.LOGOUT), kind="logout", user=account, username="clerk371302", outcome="success",
                    since=since)


def test_admin_login_is_recorded_too_and_a_superuser_is_reminded(password_login):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True, password=PASSWORD)
    password_login("root", url="/admin/login/?next=/admin/")
    event = only(Kind.LOGIN)
    assert event.user == superuser and "超级用户仅用于安装" in event.detail


def test_failed_login_of_an_unknown_name_keeps_what_was_typed(password_login):
    assert password_login("nobody<script>").status_code == 200
    event = only(Kind.LOGIN_FAILED)
    assert event.user is None and event.username == "nobody<script>"


def test_control_characters_are_kept_legibly_and_cannot_break_the_log():
    # A NUL byte cannot be stored by PostgreSQL; a vertical tab breaks an xlsx export.
    event = services.record_event(Kind.LOGIN_FAILED, username="nobody\x00\x0b", detail="line 1\nline 2\x07")
    event.refresh_from_db()
    assert event.username == "nobody\\x00\\x0b" and event.detail == "line 1\nline 2\\x07"


def test_lockout(account, password_login, settings):
    since = timezone.now()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = password_login("clerk371302", "wrong-password-1")
    assert response.status_code == 429
    event = SecurityEvent.objects.filter(kind=Kind.LOCKOUT).first()
    assert_recorded(event, kind="lockout", user=None, username="clerk371302", outcome="failure", since=since)
    assert SecurityEvent.objects.filter(kind=Kind.LOGIN_FAILED).count() == settings.AXES_FAILURE_LIMIT


def test_password_change_by_the_user(account, password_login, client):
    since = timezone.now()
    password_login("clerk371302")
    response = client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    }, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 302
    event = only(Kind.PASSWORD_CHANGE)
    assert_recorded(event, kind="password_change", user=account, username="clerk371302", outcome="success", since=since)
    assert event.subject == ""


def test_password_reset_by_the_security_administrator(account, secadmin, client):
    since = timezone.now()
    client.force_login(secadmin)
    response = client.post(f"/admin/offices/user/{account.pk}/password/", {
        "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true",
    }, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 302
    event = only(Kind.PASSWORD_RESET)
    assert_recorded(event, kind="password_reset", user=secadmin, username="secadmin", outcome="success", since=since)
    assert event.subject == "clerk371302"


def test_role_or_unit_change(account, county, secadmin, client):
    since = timezone.now()
    client.force_login(secadmin)
    page = client.get(f"/admin/offices/user/{account.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in ("username", "first_name", "last_name", "email")}
    response = client.post(f"/admin/offices/user/{account.pk}/change/", {
        **{key: value or "" for key, value in data.items()}, "is_active": "on", "role": "county", "county": county.pk,
    }, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 302
    event = only(Kind.ACCOUNT_CHANGE)
    assert_recorded(event, kind="account_change", user=secadmin, username="secadmin", outcome="success", since=since)
    assert event.subject == "clerk371302"
    assert event.detail == "角色：乡镇民政办工作人员 → 县区民政局工作人员；所属县区：— → 兰山区；所属乡镇：兰山街道 → —"


def test_saving_an_account_without_a_tracked_change_records_nothing(account, secadmin, client):
    client.force_login(secadmin)
    page = client.get(f"/admin/offices/user/{account.pk}/change/")
    form = page.context["adminform"].form
    client.post(f"/admin/offices/user/{account.pk}/change/", {
        "username": account.username, "last_name": "新姓名", "is_active": "on", "role": "township",
        "township": form["township"].value(),
    })
    assert not SecurityEvent.objects.filter(kind=Kind.ACCOUNT_CHANGE).exists()


def test_second_factor_enrolment_and_failure_are_recorded(account, rf, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    request = rf.post("/accounts/otp/enrol/", REMOTE_ADDR=ADDRESS)
    request.user = account
    since = timezone.now()
    device = services.totp_enrolment_start(user=account)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    assert services.totp_enrolment_confirm(request=request, user=account, device=device, token=wrong) is None
    assert_recorded(only(Kind.OTP_FAILED), kind="otp_failed", user=account, username="clerk371302",
                    outcome="failure", since=since)
    codes = services.totp_enrolment_confirm(request=request, user=account, device=device, token=totp_code(device))
    assert len(codes) == 10
    assert_recorded(only(Kind.OTP_ENROL), kind="otp_enrol", user=account, username="clerk371302",
                    outcome="success", since=since)


def test_record_event_defaults(account, rf):
    request = rf.get("/", REMOTE_ADDR="not-an-address")
    request.user = account
    event = services.record_event(Kind.LOGIN_FAILED, request=request)
    assert (event.user, event.username, event.outcome, event.address) == (account, "clerk371302", "failure", None)
    assert services.record_event(Kind.LOGOUT, username="someone").outcome == "success"


def test_an_event_cannot_be_changed_or_deleted(account):
    event = services.record_event(Kind.LOGIN, user=account)
    event.detail = "篡改"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        SecurityEvent.objects.filter(pk=event.pk).update(detail="篡改")
    with pytest.raises(PermissionDenied):
        SecurityEvent.objects.filter(pk=event.pk).delete()
    assert not hasattr(SecurityEvent.objects, "purge") and not hasattr(SecurityEvent.objects, "delete")
    assert SecurityEvent.objects.get(pk=event.pk).detail == ""


def test_an_account_with_a_history_is_not_deleted(account):
    from django.db.models import ProtectedError

    services.record_event(Kind.LOGIN, user=account)
    with pytest.raises(ProtectedError):
        account.delete()


def aged(days):
    """An event written `days` ago (adding rows is what the log allows)."""
    return SecurityEvent.objects.create(
        kind=Kind.LOGIN, outcome="success", username="old", occurred_at=timezone.now() - timedelta(days=days)
    )


def test_purge_refuses_less_than_180_days():
    for days in (0, 30, 179):
        with pytest.raises(ValidationError) as error:
            services.security_events_purge(older_than_days=days)
        assert "older_than_days" in error.value.message_dict
        with pytest.raises(CommandError, match="至少保存180天"):
            call_command("purge_security_events", "--older-than-days", str(days), stdout=StringIO())


def test_purge_refuses_less_than_the_setting(settings):
    settings.WUYOU_SECURITY_EVENT_RETENTION_DAYS = 365
    with pytest.raises(CommandError, match="至少保存365天"):
        call_command("purge_security_events", "--older-than-days", "200", stdout=StringIO())


def test_purge_deletes_older_rows_only_and_is_recorded():
    old, kept = aged(400), aged(100)
    recent = services.record_event(Kind.LOGOUT, username="recent")
    out = StringIO()
    call_command("purge_security_events", "--older-than-days", "180", stdout=out)
    assert "已删除 1 条" in out.getvalue()
    assert not SecurityEvent.objects.filter(pk=old.pk).exists()
    assert SecurityEvent.objects.filter(pk__in=[kept.pk, recent.pk]).count() == 2
    purge = only(Kind.EVENTS_PURGED)
    assert purge.outcome == "success" and "删除1条" in purge.detail

    # Without the option: the retention of the setting (180 days).
    call_command("purge_security_events", stdout=StringIO())
    assert SecurityEvent.objects.filter(pk=kept.pk).exists()


def test_retention_below_180_days_is_a_system_check_error(settings):
    settings.WUYOU_SECURITY_EVENT_RETENTION_DAYS = 90
    assert [error.id for error in check_security_settings(None)] == ["security.E002"]
