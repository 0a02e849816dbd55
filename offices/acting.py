"""Who is acting: the signed-in user and their address, for the change history and the reporting locks.

A request sets it once (`ActingUserMiddleware`), as django-simple-history's own
request middleware does; a command, a job or a test that writes on somebody's
behalf says so with `acting_as(user)`. Nobody acting means the system (the
demo loader, a migration, a maintenance command).
"""
import contextvars
from contextlib import contextmanager
from dataclasses import dataclass

_acting = contextvars.ContextVar("wuyou_acting", default=None)


@dataclass(frozen=True)
class Acting:
    user: object = None
    address: str | None = None


def _current():
    value = _acting.get()
    if value is None:
        return Acting()
    if callable(value):  # a request: its user is resolved when first asked for
        value = value()
    return value


def acting_user():
    """The user on whose behalf the current write runs, or None for the system."""
    user = _current().user
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def acting_address():
    return _current().address


@contextmanager
def acting_as(user, address=None):
    token = _acting.set(Acting(user, address))
    try:
        yield
    finally:
        _acting.reset(token)


class ActingUserMiddleware:
    """Make the request's user and address the acting ones for whatever the view writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _acting.set(lambda: Acting(getattr(request, "user", None), request.META.get("REMOTE_ADDR") or None))
        try:
            return self.get_response(request)
        finally:
            _acting.reset(token)
