"""Writes of the accounts: a user's own password change."""
from django.db import transaction

from offices.models import User


def user_password_change(*, user: User, password: str) -> User:
    """Set the user's own new password: it ends a forced change and restarts the expiry clock."""
    user.set_password(password)  # stamps password_changed_at
    user.must_change_password = False
    user.full_clean()
    with transaction.atomic():
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    return user
