from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.start, name="start"),
    path("template.xlsx", views.template_download, name="template"),
    path("<uuid:token>/", views.preview, name="preview"),
    path("<uuid:token>/apply/", views.apply, name="apply"),
]
