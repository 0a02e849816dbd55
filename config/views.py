"""Project-level views: the role-aware landing page."""
from django.shortcuts import redirect

from offices.models import Role
from offices.scoping import ALL_ROLES, scoped

LANDING = {
    Role.CITY: ("assessments:dashboard", "city"),
    Role.COUNTY: ("assessments:county", "county"),
    Role.TOWNSHIP: ("assessments:scorecard", "township"),
}


# The administrators (no role) land on the admin index.
@scoped(roles=(*ALL_ROLES, ""))
def home(request):
    """Send each role to the page it works from: dashboard, county table, scorecard."""
    user = request.user
    if user.role in LANDING:
        name, unit = LANDING[user.role]
        return redirect(name, getattr(user, unit).code)
    return redirect("admin:index")
