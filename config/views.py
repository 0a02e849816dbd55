"""Project-level views: the role-aware landing page."""
from django.shortcuts import redirect

from offices.scoping import ALL_ROLES, scoped
from offices.views import home_url


@scoped(roles=ALL_ROLES)
def home(request):
    name, code = home_url(request.user)
    return redirect(name, code) if code else redirect(name)
