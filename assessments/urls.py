from django.urls import path

from assessments import oversight_views, records_views, views

app_name = "assessments"

urlpatterns = [
    path("townships/<str:code>/scorecard/", views.scorecard, name="scorecard"),
    path("api/v1/compliance/", views.api_compliance, name="api_compliance"),
    # Oversight (issue 4): dashboards, spreadsheets, circulars.
    path("cities/<str:code>/dashboard/", oversight_views.dashboard, name="dashboard"),
    path("cities/<str:code>/dashboard/trend.json", oversight_views.dashboard_trend, name="dashboard_trend"),
    path("cities/<str:code>/compliance.xlsx", oversight_views.export_city, name="export_city"),
    path("counties/<str:code>/compliance/", oversight_views.county, name="county"),
    path("counties/<str:code>/compliance.xlsx", oversight_views.export_county, name="export_county"),
    path("circulars/", oversight_views.circular_list, name="circular_list"),
    path("circulars/new/", oversight_views.circular_create, name="circular_create"),
    path("circulars/<int:pk>/", oversight_views.circular_detail, name="circular_detail"),
    path("circulars/<int:pk>/publish/", oversight_views.circular_publish, name="circular_publish"),
    path("circulars/<int:pk>/download/", oversight_views.circular_download, name="circular_download"),
]

# Oversight records (issue 5): grades, inspections, satisfaction, bought services.
urlpatterns += [
    path("townships/<str:code>/assistant-grades/", records_views.grades, name="grades"),
    path("townships/<str:code>/records/", records_views.township_records, name="township_records"),
    path("townships/<str:code>/records/satisfaction/", records_views.survey_edit, name="survey_edit"),
    path("townships/<str:code>/records/contracts/add/", records_views.contract_add, name="contract_add"),
    path("townships/<str:code>/inspections/", records_views.township_inspections, name="township_inspections"),
    path("inspections/", records_views.inspection_list, name="inspection_list"),
    path("inspections/add/", records_views.inspection_add, name="inspection_add"),
    path("inspections/<int:pk>/rectify/", records_views.inspection_rectify, name="inspection_rectify"),
]
