from django.urls import path

from offices import history_views, job_views, views

app_name = "offices"

urlpatterns = [
    path("cities/<str:code>/", views.city_detail, name="city"),
    path("counties/<str:code>/", views.county_detail, name="county"),
    path("townships/<str:code>/", views.township_detail, name="township"),
    path("townships/<str:code>/population/", views.population_edit, name="population_edit"),
    path("townships/<str:code>/office/", views.office_edit, name="office_edit"),
    path("townships/<str:code>/history/", history_views.history, name="history"),
    path("townships/<str:code>/history/export/", history_views.history_export, name="history_export"),
    path("jobs/", job_views.job_list, name="jobs"),
    path("jobs/<uuid:pk>/", job_views.job_detail, name="job"),
    path("jobs/<uuid:pk>/status/", job_views.job_status, name="job_status"),
    path("jobs/<uuid:pk>/download/", job_views.job_download, name="job_download"),
]
