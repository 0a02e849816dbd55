from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from config.views import home
from offices.scoping import wrap_public
from offices.views import login_view, logout_view

admin.site.site_header = "五有 · 乡镇民政办规范化建设管理系统"
admin.site.site_title = "五有 管理"

urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", login_view, name="login"),
    path("accounts/logout/", logout_view, name="logout"),
    path("accounts/", include("offices.accounts.urls")),
    path("accounts/", include("security.urls")),
    path("i18n/setlang/", wrap_public(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("reporting/", include("reporting.urls")),
    path("imports/", include("imports.urls")),
    path("", include("offices.urls")),
    path("", include("staffing.urls")),
    path("", include("funding.urls")),
    path("", include("facilities.urls")),
    path("", include("regulations.urls")),
    path("", include("training.urls")),
    path("", include("supervision.urls")),
    path("", include("assessments.urls")),
]

# Refusals and missing pages in the site's layout, with the message the view raised (config.views).
# A server error keeps Django's handler: it renders templates/500.html without the request or the database.
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
