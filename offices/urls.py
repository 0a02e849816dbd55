from django.urls import path

from offices import views

app_name = "offices"

urlpatterns = [
    path("cities/<str:code>/", views.city_detail, name="city"),
    path("counties/<str:code>/", views.county_detail, name="county"),
    path("townships/<str:code>/", views.township_detail, name="township"),
    path("townships/<str:code>/population/", views.population_edit, name="population_edit"),
    path("townships/<str:code>/office/", views.office_edit, name="office_edit"),
]

# 有章理事: the township's written regulations (offices.regulations_views).
from offices import regulations_views  # noqa: E402

urlpatterns += [
    path("townships/<str:code>/regulations/", regulations_views.regulation_list, name="regulations"),
    path("townships/<str:code>/regulations/add/", regulations_views.regulation_add, name="regulation_add"),
    path(
        "townships/<str:code>/regulations/<int:pk>/download/",
        regulations_views.regulation_download,
        name="regulation_download",
    ),
]
