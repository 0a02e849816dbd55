"""Signals of the accounts, for apps that record what happened (the security log)."""
from django.dispatch import Signal

# Sent after a password was set: `user` (whose password), `request`, `by` (who set it: the user themself, or an
# administrator resetting it, in which case `user.must_change_password` is now True).
password_changed = Signal()
