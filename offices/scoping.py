"""Deny-by-default access: every view declares who may call it.

A view is declared with `@scoped(roles=...)` (functions) or by inheriting
`ScopedViewMixin` and setting `allowed_roles` (classes). The middleware refuses
any view that declares nothing, so a new page cannot be open by accident. The
objects a view shows are then limited by `Model.objects.for_user(user)`
(offices.querysets); an object outside the user's scope answers 404.
"""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from offices.models import Role

ALL_ROLES = (Role.CITY, Role.COUNTY, Role.TOWNSHIP)
PUBLIC = "public"

# Namespaces served by Django itself with its own permission checks.
EXEMPT_NAMESPACES = {"admin"}


def scoped(roles=ALL_ROLES):
    """Declare the roles that may call a function view (or PUBLIC for anyone)."""

    def decorate(view):
        view.wuyou_roles = roles
        return view

    return decorate


class ScopedViewMixin:
    """Declare `allowed_roles` on a class-based view; the middleware enforces it."""

    allowed_roles = None  # deliberately undeclared: subclasses must choose


def declared_roles(view_func):
    roles = getattr(view_func, "wuyou_roles", None)
    if roles is None:
        view_class = getattr(view_func, "view_class", None)
        roles = getattr(view_class, "allowed_roles", None)
    return roles


def role_allowed(user, roles):
    if roles == PUBLIC:
        return True
    if user.is_superuser:
        return True
    return user.role in roles


class ScopeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and EXEMPT_NAMESPACES.intersection(match.namespaces):
            return None
        roles = declared_roles(view_func)
        if roles is None:
            raise PermissionDenied(_("该页面未声明访问范围，已拒绝访问。"))
        if roles == PUBLIC:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not role_allowed(request.user, roles):
            raise PermissionDenied(_("您的角色无权访问该页面。"))
        return None


def public(view):
    """Mark a view that anyone may call (login page, static files in development)."""
    view.wuyou_roles = PUBLIC
    return view


def wrap_public(view):
    """Return a public copy of a third-party view without mutating it."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    wrapper.wuyou_roles = PUBLIC
    return wrapper
