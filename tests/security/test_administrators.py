"""Three administrators (三员分立): each group holds its own permissions and the admin refuses the others'."""
import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from offices.models import Standard, User
from security.models import SecurityEvent
from security.roles import ADMINISTRATOR_PERMISSIONS, AUDIT_ADMINISTRATOR, SECURITY_ADMINISTRATOR
from tests.factories.offices import StandardFactory
from tests.security.conftest import PASSWORD

pytestmark = pytest.mark.django_db

# What each administrator sees in the admin index, and nothing else.
INDEX = {
    "sysadmin": {"City", "County", "Township", "Village", "Population", "Standard", "UnitAssignment"},
    "secadmin": {"User", "AccessAttempt", "AccessLog", "AccessFailureLog", "TOTPDevice", "StaticDevice"},
    "auditadmin": {"SecurityEvent"},
}
# A changelist of each group's own models (every other administrator gets 403 there).
OWN_PAGES = {
    "sysadmin": ["/admin/offices/standard/", "/admin/offices/township/", "/admin/security/unitassignment/"],
    "secadmin": ["/admin/offices/user/", "/admin/axes/accessattempt/", "/admin/otp_totp/totpdevice/"],
    "auditadmin": ["/admin/security/securityevent/"],
}
# Pages nobody but the superuser reaches: business data, groups, the admin's own history of changes.
NOBODYS_PAGES = ["/admin/auth/group/", "/admin/staffing/staffmember/", "/admin/offices/townshipoffice/"]


def admin_models(client):
    response = client.get("/admin/")
    assert response.status_code == 200
    return {model["object_name"] for app in response.context["app_list"] for model in app["models"]}


def form_data(response):
    """The POST data of an admin change form as shown (every editable field with its current value)."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(item.pk if hasattr(item, "pk") else item) for item in value]
        else:
            data[name] = value
    return data


@pytest.fixture
def admins(sysadmin, secadmin, auditadmin):
    return {"sysadmin": sysadmin, "secadmin": secadmin, "auditadmin": auditadmin}


def test_groups_hold_exactly_the_permissions_of_security_roles():
    for name, expected in ADMINISTRATOR_PERMISSIONS.items():
        held = set(Group.objects.get(name=name).permissions.values_list("content_type__app_label", "codename"))
        assert held == set(expected), name
    assert set(Group.objects.values_list("name", flat=True)) >= {"系统管理员", "安全管理员", "审计管理员"}


def test_nobody_may_add_change_or_delete_a_security_event():
    assert set(Permission.objects.filter(content_type__app_label="security", content_type__model="securityevent")
               .values_list("codename", flat=True)) == {"view_securityevent"}


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditadmin"])
def test_each_administrator_sees_only_their_own_models(who, admins, client):
    client.force_login(admins[who])
    assert admin_models(client) == INDEX[who]


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditadmin"])
def test_each_administrator_is_refused_the_others_pages(who, admins, client):
    client.force_login(admins[who])
    for owner, pages in OWN_PAGES.items():
        for page in pages:
            expected = 200 if owner == who else 403
            assert client.get(page).status_code == expected, (who, page)
    for page in NOBODYS_PAGES:
        assert client.get(page).status_code == 403, (who, page)


def test_system_administrator_changes_standards_but_not_accounts(sysadmin, clerk, client):
    standard = StandardFactory()
    client.force_login(sysadmin)
    page = client.get(f"/admin/offices/standard/{standard.pk}/change/")
    assert page.status_code == 200
    response = client.post(f"/admin/offices/standard/{standard.pk}/change/", {**form_data(page), "area_minimum": "55"})
    assert response.status_code == 302
    assert Standard.objects.get(pk=standard.pk).area_minimum == 55

    refused = client.post(f"/admin/offices/user/{clerk.pk}/change/", {"username": "renamed", "is_superuser": "on"})
    assert refused.status_code == 403
    assert client.post(f"/admin/offices/user/{clerk.pk}/password/", {"password1": "x", "password2": "x"}).status_code == 403
    clerk.refresh_from_db()
    assert clerk.username != "renamed" and not clerk.is_superuser


def test_system_administrator_changes_a_users_unit_and_nothing_else(sysadmin, clerk, other_township, client):
    client.force_login(sysadmin)
    url = f"/admin/security/unitassignment/{clerk.pk}/change/"
    page = client.get(url)
    assert set(page.context["adminform"].form.fields) == {"city", "county", "township"}
    response = client.post(url, {**form_data(page), "township": other_township.pk, "role": "county",
                                 "username": "renamed", "is_staff": "on"})
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert (clerk.township, clerk.role, clerk.username, clerk.is_staff) == (other_township, "township", clerk.username, False)
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ACCOUNT_CHANGE)
    assert (event.user, event.subject) == (sysadmin, clerk.username)
    assert event.detail == "所属乡镇：兰山街道 → 白沙埠镇"

    # A unit of another level does not fit the role: refused with the field named.
    refused = client.post(url, {**form_data(client.get(url)), "county": other_township.county.pk})
    assert refused.status_code == 200 and "该角色不应指定此级单位" in refused.content.decode()


def test_security_administrator_manages_accounts_but_not_powers(secadmin, auditadmin, clerk, county, client):
    group = Group.objects.get(name=AUDIT_ADMINISTRATOR)
    client.force_login(secadmin)
    url = f"/admin/offices/user/{clerk.pk}/change/"
    page = client.get(url)
    fields = set(page.context["adminform"].form.fields)
    assert {"is_active", "role", "county", "township"} <= fields
    assert not fields & {"is_staff", "is_superuser", "groups", "user_permissions"}

    data = {**form_data(page), "role": "county", "county": county.pk, "township": "", "is_active": "",
            "is_staff": "on", "is_superuser": "on", "groups": [group.pk]}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    clerk.refresh_from_db()
    assert (clerk.role, clerk.county, clerk.township, clerk.is_active) == ("county", county, None, False)
    assert not clerk.is_staff and not clerk.is_superuser and not clerk.groups.exists()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ACCOUNT_CHANGE)
    assert event.user == secadmin and event.subject == clerk.username
    assert "角色：乡镇民政办工作人员 → 县区民政局工作人员" in event.detail and "有效：是 → 否" in event.detail


def test_security_administrator_cannot_reach_administrators_accounts(secadmin, auditadmin, superuser, client):
    client.force_login(secadmin)
    listed = client.get("/admin/offices/user/").context["cl"].result_list
    assert not {user.username for user in listed} & {"secadmin", "auditadmin", "root"}
    for account in (auditadmin, superuser, secadmin):
        # Not found for them: the admin sends them back to the index with a message.
        assert client.get(f"/admin/offices/user/{account.pk}/change/").status_code == 302
        assert client.post(f"/admin/offices/user/{account.pk}/password/",
                           {"password1": "Another#Secret-99", "password2": "Another#Secret-99"}).status_code == 404
    auditadmin.refresh_from_db()
    assert auditadmin.check_password(PASSWORD)


def test_security_administrator_creates_accounts_and_cannot_delete_them(secadmin, township, clerk, client):
    client.force_login(secadmin)
    response = client.post("/admin/offices/user/add/", {
        "username": "town371302009", "password1": "Qilin#Harbor-9981", "password2": "Qilin#Harbor-9981",
        "usable_password": "true", "role": "township", "township": township.pk,
    })
    assert response.status_code == 302
    created = User.objects.get(username="town371302009")
    assert created.township == township and not created.is_staff
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ACCOUNT_CHANGE)
    assert event.subject == "town371302009" and event.detail.startswith("新建账号")
    assert client.post(f"/admin/offices/user/{clerk.pk}/delete/", {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=clerk.pk).exists()


def test_security_administrator_lists_and_lifts_lockouts(secadmin, client):
    attempt = AccessAttempt.objects.create(
        username="clerk371302", ip_address="10.1.2.3", user_agent="test", failures_since_start=5,
        attempt_time=timezone.now(), get_data="", post_data="", http_accept="", path_info="/accounts/login/",
    )
    client.force_login(secadmin)
    assert "clerk371302" in client.get("/admin/axes/accessattempt/").content.decode()
    response = client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not AccessAttempt.objects.exists()


def test_nobody_changes_their_own_powers(superuser, secadmin, client):
    client.force_login(superuser)
    own = client.get(f"/admin/offices/user/{superuser.pk}/change/")
    assert not set(own.context["adminform"].form.fields) & {"is_staff", "is_superuser", "groups", "user_permissions"}
    client.post(f"/admin/offices/user/{superuser.pk}/change/", {**form_data(own), "is_superuser": ""})
    superuser.refresh_from_db()
    assert superuser.is_superuser

    # The superuser appoints the administrators (at installation): recorded.
    other = client.get(f"/admin/offices/user/{secadmin.pk}/change/")
    assert {"is_staff", "groups"} <= set(other.context["adminform"].form.fields)
    audit = Group.objects.get(name=AUDIT_ADMINISTRATOR)
    response = client.post(f"/admin/offices/user/{secadmin.pk}/change/", {**form_data(other), "groups": [audit.pk]})
    assert response.status_code == 302
    assert list(secadmin.groups.values_list("name", flat=True)) == [AUDIT_ADMINISTRATOR]
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ACCOUNT_CHANGE)
    assert event.detail == f"管理员组：{SECURITY_ADMINISTRATOR} → {AUDIT_ADMINISTRATOR}" and event.user == superuser


def test_audit_administrator_reads_the_log_and_changes_nothing(auditadmin, clerk, client):
    client.force_login(clerk)  # a login: one event
    event = SecurityEvent.objects.get()
    client.force_login(auditadmin)
    listing = client.get("/admin/security/securityevent/?kind__exact=login")
    assert listing.status_code == 200 and clerk.username in listing.content.decode()
    assert client.get(f"/admin/security/securityevent/?q={clerk.username}").context["cl"].result_count == 1
    today = timezone.localdate()
    by_date = client.get(f"/admin/security/securityevent/?occurred_at__year={today.year}&occurred_at__month={today.month}")
    assert by_date.status_code == 200
    detail = client.get(f"/admin/security/securityevent/{event.pk}/change/")
    assert detail.status_code == 200 and not detail.context["has_change_permission"]
    assert client.post(f"/admin/security/securityevent/{event.pk}/change/", {"detail": "x"}).status_code == 403
    assert client.post(f"/admin/security/securityevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/security/securityevent/add/").status_code == 403
    assert SecurityEvent.objects.get(pk=event.pk).detail == ""


def test_administrators_log_in_and_out_on_the_app_pages(sysadmin, password_login, client):
    password_login("sysadmin")
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    assert client.post("/accounts/logout/").status_code == 302


def test_demo_creates_one_login_per_administrator(db):
    from security import demo

    Group.objects.filter(name=AUDIT_ADMINISTRATOR).delete()  # re-created, with its permissions
    demo.build(None, None)
    for username, group in demo.ADMINISTRATOR_LOGINS:
        user = User.objects.get(username=username)
        assert user.is_staff and not user.is_superuser and user.check_password("wuyou-demo-2025")
        assert list(user.groups.values_list("name", flat=True)) == [group]
        # Exempt from the forced change and the expiry, like every demo account.
        assert not user.must_change_password and user.password_changed_at is None
    assert User.objects.filter(is_staff=True).count() == 3
    assert list(Group.objects.get(name=AUDIT_ADMINISTRATOR).permissions.values_list("codename", flat=True)) == [
        "view_securityevent"
    ]


def test_security_administrator_resets_a_users_authenticator_not_an_administrators(secadmin, auditadmin, clerk, client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    users_device = TOTPDevice.objects.create(user=clerk, name="手机", confirmed=True)
    admins_device = TOTPDevice.objects.create(user=auditadmin, name="手机", confirmed=True)
    client.force_login(secadmin)
    listed = client.get("/admin/otp_totp/totpdevice/").context["cl"].result_list
    assert list(listed) == [users_device]
    page = client.get(f"/admin/otp_totp/totpdevice/{users_device.pk}/change/").content.decode()
    assert users_device.key not in page  # the key is never shown
    assert client.post(f"/admin/otp_totp/totpdevice/{admins_device.pk}/delete/", {"post": "yes"}).status_code == 302
    assert TOTPDevice.objects.filter(pk=admins_device.pk).exists()
    assert client.post(f"/admin/otp_totp/totpdevice/{users_device.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=users_device.pk).exists()


def test_the_log_list_takes_a_fixed_number_of_queries(auditadmin, clerk, client, django_assert_max_num_queries):
    for _login in range(60):
        client.force_login(clerk)
    client.force_login(auditadmin)
    with django_assert_max_num_queries(9):  # measured: 9 on SQLite and PostgreSQL
        response = client.get("/admin/security/securityevent/")
    assert response.context["cl"].result_count == 61
