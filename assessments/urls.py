from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("townships/<str:code>/scorecard/", views.scorecard, name="scorecard"),
    path("api/v1/compliance/", views.api_compliance, name="api_compliance"),
]
