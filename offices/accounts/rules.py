"""When a session ends and when a password must be changed: pure functions over plain values."""
from datetime import timedelta

# Why a session ended.
IDLE = "idle"
LIFETIME = "lifetime"

# Why a password must be changed before anything else.
SET_BY_ADMINISTRATOR = "set_by_administrator"
EXPIRED = "expired"


def session_end(*, now, login_at, active_at, idle_seconds, max_seconds):
    """Return why a session is over (IDLE or LIFETIME), or None while it lasts.

    Times are seconds since the epoch. The absolute lifetime wins: a session that is both idle and too old
    is reported as too old, the reason that no amount of activity could have avoided.
    """
    if login_at is not None and now - login_at > max_seconds:
        return LIFETIME
    if active_at is not None and now - active_at > idle_seconds:
        return IDLE
    return None


def session_remaining(*, now, login_at, active_at, idle_seconds, max_seconds):
    """Seconds left before the session ends by either limit (never below zero)."""
    limits = []
    if login_at is not None:
        limits.append(login_at + max_seconds - now)
    if active_at is not None:
        limits.append(active_at + idle_seconds - now)
    return max(0.0, min(limits, default=float(idle_seconds)))


def password_change_reason(*, must_change, changed_at, now, max_age_days):
    """Return why the user must change their password now (SET_BY_ADMINISTRATOR or EXPIRED), or None.

    `max_age_days` 0 switches expiry off. A password with no recorded change date was stored without
    `set_password` (the demo accounts, bulk-loaded) and never expires.
    """
    if must_change:
        return SET_BY_ADMINISTRATOR
    if max_age_days > 0 and changed_at is not None and now - changed_at >= timedelta(days=max_age_days):
        return EXPIRED
    return None


def character_classes(password):
    """Count the classes of characters in `password`: upper-case, lower-case, digits, anything else.

    Letters are the ASCII ones: a Chinese character is neither upper- nor lower-case, so it counts as
    "anything else", like a punctuation mark.
    """
    upper = any("A" <= c <= "Z" for c in password)
    lower = any("a" <= c <= "z" for c in password)
    digit = any("0" <= c <= "9" for c in password)
    other = any(not ("A" <= c <= "Z" or "a" <= c <= "z" or "0" <= c <= "9") for c in password)
    return upper + lower + digit + other
