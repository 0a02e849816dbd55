from django.urls import path

from supervision import views

app_name = "supervision"

urlpatterns = [
    path("townships/<str:code>/assistant-grades/", views.grades, name="grades"),
    path("townships/<str:code>/records/", views.township_records, name="township_records"),
    path("townships/<str:code>/records/satisfaction/", views.survey_edit, name="survey_edit"),
    path("townships/<str:code>/records/contracts/add/", views.contract_add, name="contract_add"),
    path("townships/<str:code>/inspections/", views.township_inspections, name="township_inspections"),
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/add/", views.inspection_add, name="inspection_add"),
    path("inspections/export/", views.inspection_export, name="inspection_export"),
    path("inspections/findings/<int:pk>/rectify/", views.finding_rectify, name="finding_rectify"),
]
