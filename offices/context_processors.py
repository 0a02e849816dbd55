"""Navigation that fits the user's role.

Apps above `offices` add their own entries through `WUYOU_NAV_HOOKS` (dotted
paths to `items(user) -> [{"label", "url"}]`), so the base app never imports
upward.
"""
from functools import cache

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _


def link(label, name, *args, icon="circle"):
    """Return a nav entry, or None where the URL does not exist."""
    try:
        return {"label": label, "url": reverse(name, args=args), "icon": icon, "children": []}
    except NoReverseMatch:
        return None


@cache
def _hooks():
    return [import_string(path) for path in getattr(settings, "WUYOU_NAV_HOOKS", [])]


def base_items(user):
    if user.is_city:
        return [link(_("全市单位"), "offices:city", user.city.code, icon="buildings")]
    if user.is_county:
        return [link(_("本县区单位"), "offices:county", user.county.code, icon="buildings")]
    if user.is_township:
        return [link(_("本乡镇信息"), "offices:township", user.township.code, icon="house")]
    return []


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for hook in _hooks():
        items += hook(user)
    items += base_items(user)
    if user.is_staff:
        items.append(link(_("系统管理"), "admin:index", icon="gear"))
    return {"nav_items": [item for item in items if item]}
