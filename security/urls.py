"""The second-factor pages, under /accounts/otp/."""
from django.urls import path

from security import views

app_name = "security"

urlpatterns = [
    path("otp/", views.otp_verify, name="otp_verify"),
    path("otp/enrol/", views.otp_enrol, name="otp_enrol"),
    path("otp/recovery-codes/", views.recovery_codes, name="recovery_codes"),
]
