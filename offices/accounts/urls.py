"""The accounts' pages, under /accounts/ next to login and logout (no namespace: Django's names)."""
from django.urls import path

from offices.accounts import views

urlpatterns = [
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("session/", views.session_status, name="session"),
]
