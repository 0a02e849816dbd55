from django.urls import path

from funding import views

app_name = "funding"

urlpatterns = [
    path("townships/<str:code>/funding/budget/", views.budget, name="budget"),
    path("townships/<str:code>/funding/subsidies/", views.subsidies, name="subsidies"),
]
