"""A session's login and last-activity times, kept in the session itself.

The times are seconds since the epoch (JSON-serialisable, as the session serializer requires).
"""
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from offices.accounts import rules

LOGIN_KEY = "wuyou_login_at"
ACTIVE_KEY = "wuyou_active_at"


@dataclass(frozen=True)
class Limits:
    idle_seconds: float
    max_seconds: float
    warning_seconds: float

    @classmethod
    def from_settings(cls):
        return cls(
            idle_seconds=settings.WUYOU_SESSION_IDLE_MINUTES * 60,
            max_seconds=settings.WUYOU_SESSION_MAX_HOURS * 3600,
            warning_seconds=settings.WUYOU_SESSION_WARNING_SECONDS,
        )


def now_seconds():
    return timezone.now().timestamp()


def start(sender, request, user, **kwargs):
    """Stamp a new login (connected to `user_logged_in`: the app login, the admin login, `force_login`)."""
    if request is None or not hasattr(request, "session"):
        return
    now = now_seconds()
    request.session[LOGIN_KEY] = now
    request.session[ACTIVE_KEY] = now


def ended(session, *, now, limits):
    """Why the session is over (rules.IDLE, rules.LIFETIME) or None."""
    return rules.session_end(
        now=now, login_at=session.get(LOGIN_KEY), active_at=session.get(ACTIVE_KEY),
        idle_seconds=limits.idle_seconds, max_seconds=limits.max_seconds,
    )


def remaining(session, *, now, limits):
    """Seconds left before the session ends."""
    return rules.session_remaining(
        now=now, login_at=session.get(LOGIN_KEY), active_at=session.get(ACTIVE_KEY),
        idle_seconds=limits.idle_seconds, max_seconds=limits.max_seconds,
    )


def touch(session, *, now, limits, always=False):
    """Record activity; a session from before these stamps existed starts its lifetime now.

    Recording is a write of the session row, so a request within a short while of the last recorded one
    (1/30 of the idle timeout, at most a minute) is not recorded: a page's dozen requests cost one write, and
    the session may end that much before a full idle period after the very last request. The page's warning
    reads the recorded time, so it stays in step. `always`: the user asked to continue, record it.
    """
    if LOGIN_KEY not in session:
        session[LOGIN_KEY] = now
    resolution = min(60.0, limits.idle_seconds / 30)
    active_at = session.get(ACTIVE_KEY)
    if always or active_at is None or now - active_at >= resolution:
        session[ACTIVE_KEY] = now
