from django.urls import path

from assessments import oversight_views, views

app_name = "assessments"

urlpatterns = [
    path("townships/<str:code>/scorecard/", views.scorecard, name="scorecard"),
    path("api/v1/compliance/", views.api_compliance, name="api_compliance"),
    # Oversight (issue 4): dashboards, spreadsheets, circulars.
    path("cities/<str:code>/dashboard/", oversight_views.dashboard, name="dashboard"),
    path("cities/<str:code>/dashboard/trend.json", oversight_views.dashboard_trend, name="dashboard_trend"),
    path("cities/<str:code>/compliance.xlsx", oversight_views.export_city, name="export_city"),
    path("cities/<str:code>/townships.xlsx", oversight_views.export_townships, name="export_townships"),
    path("counties/<str:code>/compliance/", oversight_views.county, name="county"),
    path("counties/<str:code>/compliance.xlsx", oversight_views.export_county, name="export_county"),
    path("circulars/", oversight_views.circular_list, name="circular_list"),
    path("circulars/new/", oversight_views.circular_create, name="circular_create"),
    path("circulars/<int:pk>/", oversight_views.circular_detail, name="circular_detail"),
    path("circulars/<int:pk>/edit/", oversight_views.circular_edit, name="circular_edit"),
    path("circulars/<int:pk>/publish/", oversight_views.circular_publish, name="circular_publish"),
    path("circulars/<int:pk>/download/", oversight_views.circular_download, name="circular_download"),
]
