"""The three administrators (三员分立) and the model permissions each one holds, and nothing more.

等保2.0 三级 separates the administration of a system into three roles that check each other:

- the system administrator (系统管理员) keeps the system's data in order: the standards, the hierarchy of
  units and which unit each user belongs to (through `security.UnitAssignment`, which shows a user's unit and
  nothing else of the account);
- the security administrator (安全管理员) keeps the accounts: creates and deactivates users, gives them their
  role, resets passwords, lists and lifts login lockouts (django-axes' records) and resets a user's second
  factor;
- the audit administrator (审计管理员) reads the security event log, and nothing else.

Each is a Django group; the data migration `security/migrations/0002_administrator_groups.py` gives each group
exactly these permissions, and `tests/security/test_administrators.py` checks that the database agrees with this
module. No group holds a permission on groups, on permissions or on the event log beyond reading it: only the
superuser (used at installation) appoints administrators.
"""

SYSTEM_ADMINISTRATOR = "系统管理员"
SECURITY_ADMINISTRATOR = "安全管理员"
AUDIT_ADMINISTRATOR = "审计管理员"

ALL_ACTIONS = ("add", "change", "delete", "view")


def _model_permissions(app_label, models, actions=ALL_ACTIONS):
    return [(app_label, f"{action}_{model}") for model in models for action in actions]


# (app_label, codename) pairs.
ADMINISTRATOR_PERMISSIONS = {
    SYSTEM_ADMINISTRATOR: [
        *_model_permissions("offices", ["standard", "city", "county", "township", "village", "population"]),
        *_model_permissions("security", ["unitassignment"], actions=("change", "view")),
    ],
    SECURITY_ADMINISTRATOR: [
        # Accounts: no delete — an account with a history is deactivated (security.SecurityEvent protects it).
        *_model_permissions("offices", ["user"], actions=("add", "change", "view")),
        # Login lockouts: list them, lift them (deleting the attempts), clear the logs of attempts.
        *_model_permissions("axes", ["accessattempt", "accesslog", "accessfailurelog"], actions=("delete", "view")),
        # A user who lost their authenticator: delete the device, and the user enrols again.
        *_model_permissions("otp_totp", ["totpdevice"], actions=("delete", "view")),
        *_model_permissions("otp_static", ["staticdevice"], actions=("delete", "view")),
    ],
    AUDIT_ADMINISTRATOR: [
        ("security", "view_securityevent"),
    ],
}

ADMINISTRATOR_GROUPS = tuple(ADMINISTRATOR_PERMISSIONS)
