"""Project-level views: the role-aware landing page and the error pages."""
import re

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import Resolver404
from django.utils.functional import Promise
from django.views.decorators.csrf import requires_csrf_token

from offices.models import Role
from offices.pages import page_year
from offices.scoping import ALL_ROLES, scoped
from reporting.selectors import todo_message

LANDING = {
    Role.CITY: ("assessments:dashboard", "city"),
    Role.COUNTY: ("assessments:county", "county"),
    Role.TOWNSHIP: ("assessments:scorecard", "township"),
}

# get_object_or_404's own message names a model in English ("No Township matches the given query.").
DJANGO_NOT_FOUND = re.compile(r"^No \w+ matches the given query\.$")


# The administrators (no role) land on the admin index.
@scoped(roles=(*ALL_ROLES, ""))
def home(request):
    """Send each role to the page it works from: dashboard, county table, scorecard, with its to-do counts."""
    user = request.user
    if user.role in LANDING:
        name, unit = LANDING[user.role]
        todo = todo_message(user, page_year(request)[0])
        if todo:
            messages.info(request, todo)
        return redirect(name, getattr(user, unit).code)
    return redirect("admin:index")


def raised_message(exception):
    """The message a view raised with, e.g. Http404(_("未找到该乡镇，或您无权查看。")); "" for Django's own."""
    if isinstance(exception, Resolver404) or not getattr(exception, "args", None):
        return ""
    message = exception.args[0]
    if isinstance(message, Promise):
        message = str(message)
    if not isinstance(message, str) or DJANGO_NOT_FOUND.match(message):
        return ""
    return message


# Django's own handlers pass the exception's repr ("Http404", "PermissionDenied") when it has no message,
# and refuse lazy translations; these show the message in the site's layout, or nothing.
@requires_csrf_token
def page_not_found(request, exception):
    """404 in the site's layout, with the view's message when it gave one."""
    return render(request, "404.html", {"message": raised_message(exception)}, status=404)


@requires_csrf_token
def permission_denied(request, exception):
    """403 in the site's layout, with the view's message when it gave one."""
    return render(request, "403.html", {"message": raised_message(exception)}, status=403)
