from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("counties/<str:code>/training-plan/", views.plan, name="plan"),
    path("counties/<str:code>/training-plan/export/", views.plan_export, name="plan_export"),
    path("training/sessions/", views.session_list, name="session_list"),
    path("training/sessions/add/", views.session_add, name="session_add"),
    path("training/sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("training/sessions/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("townships/<str:code>/training/", views.township, name="township"),
]
