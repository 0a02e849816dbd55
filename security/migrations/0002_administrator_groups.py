"""The three administrators' groups (三员分立), each with exactly these permissions (see security.roles)."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen here (not imported from security.roles), so that this migration stays what it was when later
# migrations change a group; tests/security/test_administrators.py checks that the database agrees with security.roles.
ADMINISTRATOR_PERMISSIONS = {
    "系统管理员": [
        *[("offices", codename) for codename in ["add_standard", "change_standard", "delete_standard", "view_standard", "add_city", "change_city", "delete_city", "view_city", "add_county", "change_county", "delete_county", "view_county", "add_township", "change_township", "delete_township", "view_township", "add_village", "change_village", "delete_village", "view_village", "add_population", "change_population", "delete_population", "view_population"]],
        *[("security", codename) for codename in ["change_unitassignment", "view_unitassignment"]],
    ],
    "安全管理员": [
        *[("offices", codename) for codename in ["add_user", "change_user", "view_user"]],
        *[("axes", codename) for codename in ["delete_accessattempt", "view_accessattempt", "delete_accesslog", "view_accesslog", "delete_accessfailurelog", "view_accessfailurelog"]],
        *[("otp_totp", codename) for codename in ["delete_totpdevice", "view_totpdevice"]],
        *[("otp_static", codename) for codename in ["delete_staticdevice", "view_staticdevice"]],
    ],
    "审计管理员": [
        ("security", "view_securityevent"),
    ],
}


def create_administrator_groups(apps, schema_editor):
    # Permissions are normally created after the whole migrate run (post_migrate); create them now so that
    # the groups can hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, pairs in ADMINISTRATOR_PERMISSIONS.items():
        permissions = [
            Permission.objects.get(content_type__app_label=app_label, codename=codename) for app_label, codename in pairs
        ]
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)


def remove_administrator_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ADMINISTRATOR_PERMISSIONS).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("security", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("offices", "0006_liyang_computer_any"),
        ("axes", "0010_accessattemptexpiration"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [
        migrations.RunPython(create_administrator_groups, remove_administrator_groups),
    ]
