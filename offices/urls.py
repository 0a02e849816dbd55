from django.urls import path

from offices import views

app_name = "offices"

urlpatterns = [
    path("cities/<str:code>/", views.city_detail, name="city"),
    path("counties/<str:code>/", views.county_detail, name="county"),
    path("townships/<str:code>/", views.township_detail, name="township"),
    path("townships/<str:code>/population/", views.population_edit, name="population_edit"),
    path("townships/<str:code>/office/", views.office_edit, name="office_edit"),
]
