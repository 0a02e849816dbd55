"""The admin of the three administrators (三员分立): what each may see and change, and what is recorded.

Model permissions decide which pages each administrator reaches (security.roles gives each group its own);
this module adds what model permissions cannot say:

- The user accounts (the security administrator's page) replace offices' UserAdmin with a subclass that
  (1) shows only the users' accounts, never an administrator's or the superuser's, to anybody but the
  superuser: whoever could reset the auditor's password could read the log as the auditor, so administrators
  are appointed and reset by the superuser alone (at installation);
  (2) leaves out the staff and superuser flags, the groups and the direct permissions for anybody but the
  superuser: the security administrator gives a user their role (city, county, township) and unit, activates
  and deactivates accounts and resets passwords, but cannot make anybody an administrator — themself included;
  (3) makes a user's own flags, groups and permissions read-only, for everybody, the superuser included:
  nobody changes their own powers;
  (4) records every change of role, unit, flags or groups in the security log (password resets are recorded
  from offices.accounts' `password_changed` signal, security.receivers).
- The second-factor devices (the security administrator's too): the users' devices only, as above.
- The users' units (the system administrator's page, on the proxy `UnitAssignment`): the unit fields of the
  users' accounts and nothing else of them.
- The security log (the audit administrator's page): read-only for everybody.
"""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from offices.admin import UserAdmin as OfficesUserAdmin
from offices.models import User
from security import selectors, services
from security.models import SecurityEvent, UnitAssignment

# Fields that make or unmake an administrator: the superuser's alone, and never on their own account.
POWER_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


def without_fields(fieldsets, names):
    """`fieldsets` less the fields `names` (and less any section left empty)."""
    kept = []
    for title, options in fieldsets:
        fields = [field for field in options.get("fields", ()) if field not in names]
        if fields:
            kept.append((title, {**options, "fields": fields}))
    return kept


class AccountChangeRecording:
    """Record, after an admin save, what changed of the account's role, unit, flags and groups."""

    def save_model(self, request, obj, form, change):
        # Taken from the database, before the form's values (and, in save_related, its groups) are saved.
        obj._security_before = selectors.account_snapshot(User.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.account_change_record(
            request=request, account=form.instance, before=getattr(form.instance, "_security_before", None)
        )


def users_accounts(queryset):
    """The accounts of the users of the system: not the administrators', not the superuser's."""
    return queryset.filter(is_staff=False, is_superuser=False)


class AccountAdmin(AccountChangeRecording, OfficesUserAdmin):
    """The security administrator's page of accounts (and the superuser's, who sees and changes everything)."""

    list_filter = ["role", "is_active", "is_staff", "is_superuser"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else users_accounts(queryset)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if request.user.is_superuser else without_fields(fieldsets, POWER_FIELDS)

    def get_readonly_fields(self, request, obj=None):
        # The login dates are facts the system records, not settings of the account.
        readonly = [*super().get_readonly_fields(request, obj), "last_login", "date_joined"]
        if obj is not None and obj.pk == request.user.pk:
            readonly += [field for field in POWER_FIELDS if field not in readonly]
        return readonly

    def get_list_filter(self, request):
        return self.list_filter if request.user.is_superuser else ["role", "is_active"]


admin.site.unregister(User)
admin.site.register(User, AccountAdmin)


class UsersDevicesOnly:
    """A second-factor device admin that shows the security administrator the users' devices only.

    Deleting a device makes its user enrol again with the password alone: for an administrator, only the
    superuser may do that.
    """

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(user__in=users_accounts(User.objects.all()))


class UsersTOTPDeviceAdmin(UsersDevicesOnly, TOTPDeviceAdmin):
    """django-otp's authenticator admin, limited to ordinary users' devices."""


class UsersStaticDeviceAdmin(UsersDevicesOnly, StaticDeviceAdmin):
    """django-otp's recovery-code admin, limited to ordinary users' devices."""


admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, UsersTOTPDeviceAdmin)
admin.site.unregister(StaticDevice)
admin.site.register(StaticDevice, UsersStaticDeviceAdmin)


@admin.register(UnitAssignment)
class UnitAssignmentAdmin(AccountChangeRecording, admin.ModelAdmin):
    """The system administrator's page: which unit each user belongs to (the role stays the security admin's)."""

    list_display = ["username", "last_name", "role", "city", "county", "township"]
    list_filter = ["role"]
    list_select_related = ["city", "county", "township"]
    search_fields = ["username", "last_name", "county__name", "township__name"]
    fields = ["username", "last_name", "role", "city", "county", "township"]
    readonly_fields = ["username", "last_name", "role"]
    autocomplete_fields = ["city", "county", "township"]

    def get_queryset(self, request):
        return users_accounts(super().get_queryset(request)).exclude(role="")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """The security log, read-only for everybody (the audit administrator holds its only permission, view)."""

    list_display = ["occurred_at", "kind", "outcome", "username", "subject", "address", "detail"]
    list_filter = ["kind", "outcome", ("occurred_at", admin.DateFieldListFilter)]
    search_fields = ["username", "subject", "address"]
    search_help_text = _("按用户名、被操作账号或来源地址查找。")
    date_hierarchy = "occurred_at"
    list_per_page = 100
    fields = ["occurred_at", "kind", "outcome", "username", "subject", "address", "detail"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
