"""Demo logins of the three administrators (三员分立), one per group (a load_demo step)."""
from django.contrib.auth.hashers import make_password

from offices.demo import DEMO_PASSWORD
from offices.models import User
from security.roles import AUDIT_ADMINISTRATOR, SECURITY_ADMINISTRATOR, SYSTEM_ADMINISTRATOR
from security.services import administrator_groups_ensure

# (username, group): the names load_demo prints and the README lists.
ADMINISTRATOR_LOGINS = (
    ("sysadmin", SYSTEM_ADMINISTRATOR),
    ("secadmin", SECURITY_ADMINISTRATOR),
    ("auditadmin", AUDIT_ADMINISTRATOR),
)


def build(rng, units):
    """Create the three administrators with the demo password.

    Like every demo account they are created directly (no password-change stamp), so the password rules'
    forced change and expiry leave them alone (offices.accounts).
    """
    password = make_password(DEMO_PASSWORD)
    groups = administrator_groups_ensure()
    for username, group in ADMINISTRATOR_LOGINS:
        administrator = User.objects.create(username=username, is_staff=True, password=password, last_name=group)
        administrator.groups.add(groups[group])
