"""Forms of the accounts."""
from django.contrib.auth.forms import AdminPasswordChangeForm


class AdministratorPasswordResetForm(AdminPasswordChangeForm):
    """The admin's "set password" form: a password an administrator chose must be changed at the next login."""

    def save(self, commit=True):
        user = super().save(commit=False)
        # Only the user should know their password: the administrator's is a one-time key.
        user.must_change_password = user.has_usable_password()
        if commit:
            user.save()
        return user
